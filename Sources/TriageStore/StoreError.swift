/// A problem with the case store that stops a command: what is wrong, where,
/// and what to do about it.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of problem it is, for callers that branch on it.
    public enum Kind: Sendable, Equatable {
        /// There is no store at the path and the command does not create one.
        case missing
        /// The file is not a urltriage store (another SQLite database, or not SQLite at all).
        case notAStore
        /// The store was written by a newer urltriage.
        case newerSchema
        /// The store is damaged: truncated, or missing tables or indexes it must have.
        case damaged
        /// Another recheck holds the store's recheck lock.
        case recheckRunning
        /// No item has the key (or URL) named.
        case unknownItem
        /// The mark does not apply to the item in its current state.
        case invalidMark
        /// SQLite failed (disk full, I/O error, corruption …).
        case database
        /// A file beside the store (lock, backup target) cannot be used.
        case file
    }

    public var kind: Kind
    /// The store (or other file) the problem is about.
    public var path: String
    /// What is wrong and what to do, without the path.
    public var message: String

    public init(_ kind: Kind, path: String, _ message: String) {
        self.kind = kind
        self.path = path
        self.message = message
    }

    /// "path: message".
    public var description: String { "\(path): \(message)" }
}

/// A problem with a whole input file that stops it from being read: it says
/// what is wrong, where, and what to do about it.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of problem it is, for callers that branch on it.
    public enum Kind: Sendable, Equatable {
        case cannotOpen
        case cannotRead
        case binary
        case noURLColumn
        case malformedCSV
    }

    public var kind: Kind
    /// The file as named on the command line, or "standard input".
    public var file: String
    /// 1-based line, where there is one.
    public var line: Int?
    /// 1-based byte column, where there is one.
    public var column: Int?
    /// What is wrong and what to do, without the location.
    public var message: String

    public init(_ kind: Kind, file: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// "file:line:column: message", leaving out what is unknown.
    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let column { location += ":\(column)" }
        return "\(location): \(message)"
    }
}

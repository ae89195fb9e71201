import HummingbirdBcrypt
import NIOPosix
import TriageKit

/// Password hashing (bcrypt) and the random tokens of sessions and forms.
public enum Passwords {
    /// The shortest password accepted.
    public static let minimumLength = 10

    /// Why a password is refused, or nil when it will do.
    public static func weakness(_ password: String) -> String? {
        if password.count < minimumLength { return "a password needs at least \(minimumLength) characters" }
        if password.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "a password cannot hold control characters"
        }
        return nil
    }

    /// bcrypt at `cost`, off the caller's thread (each hash takes a quarter second at cost 12 by design).
    public static func hash(_ password: String, cost: UInt8 = 12) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// Whether `password` matches `hash`, off the caller's thread. With no hash (no such
    /// account) the decoy is checked, so the answer takes as long either way.
    static func verify(_ password: String, hash: String?) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash ?? decoy) && hash != nil }
    }

    /// A hash no password matches, checked when the account does not exist, so that a
    /// wrong name takes as long as a wrong password and names cannot be found by timing.
    static let decoy = Bcrypt.hash("urltriage decoy \(randomToken())", cost: 12)

    /// 32 random bytes as hex, from the system's secure generator.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        var text = ""
        text.reserveCapacity(64)
        for _ in 0..<4 {
            let word = generator.next() as UInt64
            let hex = String(word, radix: 16)
            text += String(repeating: "0", count: 16 - hex.count) + hex
        }
        return text
    }

    /// Whether `text` has the shape `randomToken` gives (64 lowercase hex digits).
    static func isToken(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    /// What the store keeps of a session token.
    static func digest(_ token: String) -> String {
        sha256Hex(Array(token.utf8))
    }

    /// Compares two secrets in time that does not depend on where they differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}

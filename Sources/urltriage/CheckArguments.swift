import ArgumentParser
import Foundation
import TriageKit

/// A byte count written as `262144`, `256k` or `1m`.
struct ByteSize: ExpressibleByArgument, Sendable {
    var bytes: Int

    init(bytes: Int) { self.bytes = bytes }

    init?(argument: String) {
        guard let bytes = Self.parse(argument) else { return nil }
        self.bytes = bytes
    }

    /// `256k` → 262144; nil for anything that is not a size.
    static func parse(_ argument: String) -> Int? {
        let text = argument.lowercased()
        let multipliers: [(String, Int)] = [("kib", 1024), ("mib", 1 << 20), ("kb", 1024), ("mb", 1 << 20), ("k", 1024), ("m", 1 << 20)]
        let unit = multipliers.first { text.hasSuffix($0.0) }
        let digits = unit.map { String(text.dropLast($0.0.count)) } ?? text
        guard let number = Int(digits), number >= 0 else { return nil }
        return number * (unit?.1 ?? 1)
    }

    var defaultValueDescription: String { "\(bytes)" }
}

/// `removed,error`: the verdicts that make `check` exit with status 1.
struct VerdictList: Sendable {
    var verdicts: Set<Verdict>

    init?(argument: String) {
        let names = argument.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let verdicts = names.compactMap { Verdict(rawValue: $0) }
        guard !verdicts.isEmpty, verdicts.count == names.count else { return nil }
        self.verdicts = Set(verdicts)
    }

    static var allValueStrings: [String] { Verdict.allCases.map(\.rawValue) }
}

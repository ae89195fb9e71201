import ArgumentParser
import Foundation
import TriageKit

/// A byte count written as `262144`, `256k` or `1m`.
struct ByteSize: ExpressibleByArgument, Sendable {
    var bytes: Int

    init(bytes: Int) { self.bytes = bytes }

    init?(argument: String) {
        let text = argument.lowercased()
        let multipliers: [(String, Int)] = [("kib", 1024), ("mib", 1 << 20), ("kb", 1024), ("mb", 1 << 20), ("k", 1024), ("m", 1 << 20)]
        for (suffix, multiplier) in multipliers where text.hasSuffix(suffix) {
            guard let number = Int(text.dropLast(suffix.count)), number >= 0 else { return nil }
            bytes = number * multiplier
            return
        }
        guard let number = Int(text), number >= 0 else { return nil }
        bytes = number
    }

    var defaultValueDescription: String { "\(bytes)" }
}

/// `removed,error`: the verdicts that make `check` exit with status 1.
struct VerdictList: ExpressibleByArgument, Sendable {
    var verdicts: Set<Verdict>

    init?(argument: String) {
        var verdicts = Set<Verdict>()
        for name in argument.split(separator: ",") {
            guard let verdict = Verdict(rawValue: name.trimmingCharacters(in: .whitespaces)) else { return nil }
            verdicts.insert(verdict)
        }
        guard !verdicts.isEmpty else { return nil }
        self.verdicts = verdicts
    }

    static var allValueStrings: [String] { Verdict.allCases.map(\.rawValue) }
}

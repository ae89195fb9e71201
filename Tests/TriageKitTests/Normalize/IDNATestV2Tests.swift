import Foundation
import Testing
@testable import TriageKit

/// UTS #46's own conformance file (IdnaTestV2.txt from the Unicode data), when
/// `IDNA_TESTV2=/path/to/IdnaTestV2.txt` names a copy; the repository carries none.
///
/// Each line's toAsciiN result is checked with the flags the URL Standard sets: the
/// status codes of CheckHyphens (V2, V3), UseSTD3ASCIIRules (U1) and VerifyDnsLength
/// (A4_1, A4_2, X4_2) are dropped. ASCII inputs are left out: the host parser only
/// lower-cases an ASCII domain (see IDNA.toASCII).
@Suite struct IDNATestV2Tests {
    static let path = ProcessInfo.processInfo.environment["IDNA_TESTV2"]

    /// Sources whose expectation changed after the file's Unicode version (16.0), each with why.
    static let newerUnicode: [String: String] = [
        "\u{32931}20.\u{97F3}.\u{A866}1.": "U+32931 is assigned in Unicode 17.0 (CJK Extension J)",
    ]

    static let ignoredStatus: Set<String> = ["V2", "V3", "U1", "A4_1", "A4_2", "X4_2"]

    /// The field with its escapes read; nil when one is a lone surrogate, which Swift strings cannot hold.
    static func unescape(_ field: Substring) -> String? {
        var out = String.UnicodeScalarView()
        var scalars = Array(field.trimmingCharacters(in: .whitespaces).unicodeScalars)[...]
        while let first = scalars.first {
            if first == "\\", scalars.count >= 6, scalars.dropFirst().first == "u" {
                let hex = String(String.UnicodeScalarView(scalars.dropFirst(2).prefix(4)))
                guard let scalar = UInt32(hex, radix: 16).flatMap(Unicode.Scalar.init) else { return nil }
                out.append(scalar)
                scalars = scalars.dropFirst(6)
            } else if first == "\\", scalars.dropFirst().first == "x", let close = scalars.firstIndex(of: "}") {
                let hex = String(String.UnicodeScalarView(scalars[(scalars.startIndex + 3)..<close]))
                guard let scalar = UInt32(hex, radix: 16).flatMap(Unicode.Scalar.init) else { return nil }
                out.append(scalar)
                scalars = scalars[(close + 1)...]
            } else {
                out.append(first)
                scalars = scalars.dropFirst()
            }
        }
        let text = String(out)
        return text == "\"\"" ? "" : text
    }

    static func statuses(_ field: Substring) -> Set<String>? {
        let trimmed = field.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        return Set(trimmed.dropFirst().dropLast().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            .subtracting(ignoredStatus).subtracting([""])
    }

    @Test("IdnaTestV2.txt: toAsciiN of every non-ASCII source", .enabled(if: path != nil, "IDNA_TESTV2 is unset; skipped"))
    func toAsciiN() throws {
        let text = try String(contentsOfFile: try #require(Self.path), encoding: .utf8)
        var checked = 0
        var asciiRefused = 0
        var failures: [String] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let columns = line.split(separator: "#", maxSplits: 1)[0].split(separator: ";", omittingEmptySubsequences: false)
            guard columns.count >= 5 else { continue }
            guard let source = Self.unescape(columns[0]), Self.newerUnicode[source] == nil,
                  let toUnicode = columns[1].allSatisfy(\.isWhitespace) ? source : Self.unescape(columns[1]),
                  let expected = columns[3].allSatisfy(\.isWhitespace) ? toUnicode : Self.unescape(columns[3])
            else { continue }
            let errors = Self.statuses(columns[4]) ?? Self.statuses(columns[2]) ?? []
            guard source.unicodeScalars.contains(where: { !$0.isASCII }) else {
                if !errors.isEmpty { asciiRefused += 1 }
                continue
            }
            checked += 1
            let got = try? WebURLParser.IDNA.toASCII(Array(source.utf8))
            let gotText = got.map { String(decoding: $0, as: UTF8.self) }
            if errors.isEmpty && gotText != expected {
                failures.append("\(source.debugDescription): got \(gotText ?? "failure"), expected \(expected)")
            } else if !errors.isEmpty && gotText != nil {
                failures.append("\(source.debugDescription): got \(gotText!), expected \(errors.sorted())")
            }
        }
        print("IdnaTestV2: \(checked) non-ASCII sources, \(failures.count) differ; \(asciiRefused) ASCII sources refused there left out")
        #expect(failures.isEmpty, "\(failures.prefix(60).joined(separator: "\n"))")
    }
}

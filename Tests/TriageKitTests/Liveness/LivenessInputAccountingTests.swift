import Foundation
import Testing
@testable import TriageKit

/// `check` accounts for every input line: what it cannot check gets a row
/// with verdict `error` and normalize's reason (issue 13, gap 3).
@Suite struct LivenessInputAccountingTests {
    static let lines = [
        "https://www.tiktok.com/@a.b/video/7300000000000000001",
        "ftp://files.example/report.txt",
        "see ws://chat.example/room now",
        "http://evil.example%0d%0aX-Injected:1/",
        "http://[fe80::1%25eth0]/",
        "https://example.com/" + String(repeating: "a", count: 40_000),
        "",
        "no address on this line",
        "https://www.tiktok.com/@a.b/video/7300000000000000001?is_from_webapp=1",
    ]

    static func input(_ lines: [String]) -> [UInt8] {
        var bytes = Array(lines.joined(separator: "\n").utf8)
        // A line that is not UTF-8 cannot be read, URL or not.
        bytes += Array("\n".utf8) + [0x68, 0x74, 0xFF, 0xFE, 0x0A]
        return bytes
    }

    @Test func everyLineThatCannotBeCheckedHasARowWithNormalizesReason() throws {
        let bytes = Self.input(Self.lines)
        let batch = try CheckBatch.read(ReportReader(bytes: bytes, name: "reports.txt"), rules: TestSupport.shippedRules)
        #expect(batch.items.map(\.key) == ["tiktok:video:7300000000000000001"])
        // What normalize says about the same lines.
        var expected: [String] = []
        let normalizer = BatchNormalizer(rules: TestSupport.shippedRules)
        try ReportReader(bytes: bytes, name: "reports.txt").read { record in
            normalizer.process(line: record.line, text: record.text, problem: record.problem) { row in
                if let error = row.error, error != "blank line", error != "no URL found" { expected.append("line \(row.line): \(error)") }
            }
        }
        #expect(expected.count == 6, "\(expected)")
        #expect(batch.unchecked.map(\.reason) == expected)
        #expect(batch.unchecked.allSatisfy { $0.verdict == .error })
        #expect(batch.unchecked.map { $0.reason.prefix(8) } == ["line 2: ", "line 3: ", "line 4: ", "line 5: ", "line 6: ", "line 10:"])
        #expect(batch.unchecked.first?.reason.contains("ftp") == true)
        #expect(batch.unchecked.dropFirst(4).first?.reason.contains("40020 bytes long") == true)
        #expect(batch.linesWithoutURLs == 2)
    }
}

/// The same through the command: rows, the summary and `--fail-on error`.
@Suite(.enabled(if: CheckCommandHarness.binary != nil, "the urltriage binary is not built beside the tests"))
struct CheckCommandAccountingTests {
    @Test func uncheckableLinesAreRowsAndFailOnErrorSeesThem() throws {
        let path = try TestSupport.temporaryDirectory() + "/reports.txt"
        try "ftp://files.example/report.txt\nws://chat.example/room\n\nhttp://[fe80::1%25eth0]/\n".write(toFile: path, atomically: true, encoding: .utf8)
        let run = try CheckCommandHarness.run(["check", path, "--rules", TestSupport.rulesDirectory, "--fail-on", "error"])
        #expect(run.status == 1, "\(run.output) \(run.errors)")
        let rows = run.output.split(separator: "\n").map(String.init)
        try #require(rows.count == 4, "\(rows)")
        #expect(rows.dropFirst().allSatisfy { $0.split(separator: "\t", omittingEmptySubsequences: false)[2] == "error" }, "\(rows)")
        #expect(rows[1].contains("line 1: ftp"), "\(rows)")
        #expect(run.errors.contains("3 input lines or URLs could not be checked"), "\(run.errors)")
        let fine = try CheckCommandHarness.run(["check", path, "--rules", TestSupport.rulesDirectory, "--fail-on", "removed", "--format", "jsonl"])
        #expect(fine.status == 0, "\(fine.output) \(fine.errors)")
        #expect(fine.output.split(separator: "\n").count == 3)
    }
}

/// Runs the `urltriage` executable SwiftPM built beside the tests.
enum CheckCommandHarness {
    static let binary: String? = {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = directory.appendingPathComponent("urltriage").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory.deleteLastPathComponent()
        }
        return nil
    }()

    struct Run {
        var status: Int32
        var output: String
        var errors: String
    }

    static func run(_ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary ?? "urltriage")
        process.arguments = arguments
        let directory = try TestSupport.temporaryDirectory()
        let outputPath = directory + "/stdout", errorPath = directory + "/stderr"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        try process.run()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: try String(contentsOfFile: outputPath, encoding: .utf8),
                   errors: try String(contentsOfFile: errorPath, encoding: .utf8))
    }
}

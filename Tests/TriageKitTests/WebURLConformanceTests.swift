import Foundation
import Testing
@testable import TriageKit

/// The WHATWG URL Standard's shared tests (web-platform-tests), run for every case `WebURL` can answer.
///
/// The data lives in `../shared/conformance/` beside the package; a clone on its own
/// has none, and then these tests are recorded as skipped rather than failed.
@Suite struct WebURLConformanceTests {
    // MARK: - Data

    static let conformanceDirectory: URL? = {
        // Tests/TriageKitTests/<file> → package root → ../shared/conformance
        let directory = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("../shared/conformance").standardized
        return FileManager.default.fileExists(atPath: directory.appendingPathComponent("urltestdata.json").path)
            ? directory : nil
    }()

    static func loadCases(_ name: String) throws -> [[String: Any]] {
        let url = try #require(conformanceDirectory).appendingPathComponent(name)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        // Plain strings in the array are comments.
        return try #require(json as? [Any]).compactMap { $0 as? [String: Any] }
    }

    static let specialSchemes: Set<String> = ["http", "https", "ws", "wss", "ftp", "file"]

    // MARK: - Known differences

    /// urltestdata.json inputs we knowingly parse differently, each with why: none since
    /// domain to ASCII follows UTS #46 itself (IDNA.swift) rather than libidn2's IDNA2008.
    static let knownURLDifferences: [String: String] = [:]

    /// toascii.json inputs we knowingly map differently, each with why: none.
    static let knownHostDifferences: [String: String] = [:]

    // MARK: - Applicability

    /// The scheme at the start of `input` as the standard's scheme state reads it, lower-cased.
    static func leadingScheme(_ input: String) -> (scheme: String, rest: Substring)? {
        let cleaned = input.trimmingCharacters(in: CharacterSet(charactersIn: "\u{0}"..."\u{20}"))
            .filter { $0 != "\t" && $0 != "\n" && $0 != "\r" }
        guard let colon = cleaned.firstIndex(of: ":"), let first = cleaned.unicodeScalars.first,
              first.isASCII, first.properties.isAlphabetic
        else { return nil }
        let scheme = cleaned[..<colon]
        let allowed = scheme.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "+-.".unicodeScalars.contains($0))
        }
        return allowed ? (scheme.lowercased(), cleaned[cleaned.index(after: colon)...]) : nil
    }

    /// Whether a case's result is independent of its base and within our schemes.
    static func isApplicable(_ testCase: [String: Any]) -> Bool {
        guard let input = testCase["input"] as? String else { return false }
        let base = testCase["base"] as? String
        guard let (scheme, rest) = leadingScheme(input) else {
            // With no scheme only a base could make it parse; without one it must fail.
            return base == nil
        }
        guard specialSchemes.contains(scheme) else { return false }
        guard let base else { return true }
        // The same special scheme as the base resolves against it unless two slashes follow.
        guard leadingScheme(base)?.scheme == scheme else { return true }
        return rest.prefix(2).allSatisfy { $0 == "/" || $0 == "\\" } && rest.count >= 2
    }

    // MARK: - Tests

    @Test(
        "urltestdata.json: every base-independent special-scheme case",
        .enabled(if: conformanceDirectory != nil, "../shared/conformance is absent; skipped"))
    func urlTestData() throws {
        let cases = try Self.loadCases("urltestdata.json").filter(Self.isApplicable)
        var failures: [(input: String, problem: String)] = []
        for testCase in cases {
            let input = try #require(testCase["input"] as? String)
            let expected = (testCase["failure"] as? Bool ?? false) ? nil : testCase["href"] as? String
            switch Result(catching: { () throws(URLParseError) in try WebURL.parse(input) }) {
            case .success(let url) where url.href != expected:
                failures.append((input, "got \(url.href), expected \(expected ?? "failure")"))
            case .failure(let error) where expected != nil:
                failures.append((input, "threw \(error.reason), expected \(expected ?? "")"))
            default: break
            }
        }
        Self.check(failures, against: Self.knownURLDifferences)
        // 494 applicable cases, all passing (484 did with libidn2's IDNA2008).
        #expect(cases.count == 494)
        #expect(failures.isEmpty)
    }

    @Test(
        "toascii.json: hosts through https://<input>/x",
        .enabled(if: conformanceDirectory != nil, "../shared/conformance is absent; skipped"))
    func toASCII() throws {
        let cases = try Self.loadCases("toascii.json")
        var failures: [(input: String, problem: String)] = []
        for testCase in cases {
            let input = try #require(testCase["input"] as? String)
            let expected = testCase["output"] as? String
            switch Result(catching: { () throws(URLParseError) in try WebURL.parse("https://\(input)/x") }) {
            case .success(let url) where url.host != expected || url.path != "/x":
                failures.append((input, "got host \(url.host) path \(url.path), expected \(expected ?? "failure")"))
            case .failure(let error) where expected != nil:
                failures.append((input, "threw \(error.reason), expected \(expected ?? "")"))
            default: break
            }
        }
        Self.check(failures, against: Self.knownHostDifferences)
        // 87 cases, all passing (74 did with libidn2's IDNA2008).
        #expect(cases.count == 87)
        #expect(failures.isEmpty)
    }

    /// Expects every failure to be a known difference and every known difference to still fail,
    /// so the list can only shrink.
    static func check(_ failures: [(input: String, problem: String)], against known: [String: String]) {
        let unexpected = failures.filter { known[$0.input] == nil }
        let stale = Set(known.keys).subtracting(failures.map(\.input))
        #expect(
            unexpected.isEmpty,
            "\(unexpected.map { "\($0.input.debugDescription): \($0.problem)" }.joined(separator: "\n"))")
        #expect(stale.isEmpty, "known differences that now pass: \(stale.sorted())")
    }
}

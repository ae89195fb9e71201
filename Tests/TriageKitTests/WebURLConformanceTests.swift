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

    /// urltestdata.json inputs we knowingly parse differently, each with why.
    static let knownURLDifferences: [String: String] = [
        // The data predates the standard's Punycode validation of "xn--" labels
        // (UTS 46 IgnoreInvalidPunycode=false), which we follow.
        "https://xn--/": "empty Punycode label is now invalid",
        "file://xn--/p": "empty Punycode label is now invalid",
        "http://a.b.c.xn--pokxncvks": "decodes to mapped (not valid) code points, now rejected",
        "http://a.b.c.Xn--pokxncvks": "decodes to mapped (not valid) code points, now rejected",
        "http://a.b.c.XN--pokxncvks": "decodes to mapped (not valid) code points, now rejected",
        "http://10.0.0.xn--pokxncvks": "decodes to mapped (not valid) code points, now rejected",
        "http://10.0.0.xN--pokxncvks": "decodes to mapped (not valid) code points, now rejected",
        "http://10.0.0.XN--pokxncvks": "decodes to mapped (not valid) code points, now rejected",
        // libidn2 validates by IDNA2008, which disallows symbols such as U+2603 (snowman).
        "https://%e2%98%83": "U+2603 is DISALLOWED in IDNA2008",
        "ftp://%e2%98%83": "U+2603 is DISALLOWED in IDNA2008",
    ]

    /// toascii.json inputs we knowingly map differently, each with why.
    static let knownHostDifferences: [String: String] = [
        // The data predates the standard's Punycode validation of "xn--" labels, which we follow.
        "xn--a": "invalid Punycode, now rejected",
        "xn--a.xn--zca": "invalid Punycode, now rejected",
        "xn--ls8h=": "invalid Punycode, now rejected",
        "xn--0.com": "invalid Punycode, now rejected",
        "xn--1ug.example": "decodes to a lone ZWJ, which CheckJoiners now rejects",
        "xn--a-yoc": "decodes to a label CheckBidi now rejects",
        "xn--zn7c.com": "decodes to U+FFFD, now rejected",
        // libidn2 validates by IDNA2008, which disallows symbols and a few letters UTS 46 allows.
        "a†--": "U+2020 is DISALLOWED in IDNA2008",
        "-†": "U+2020 is DISALLOWED in IDNA2008",
        "x01234567890123456789012345678901234567890123456789012345678901†": "U+2020 is DISALLOWED in IDNA2008",
        "www.lookout‧net": "U+2027 is DISALLOWED in IDNA2008",
        "♥.net": "U+2665 is DISALLOWED in IDNA2008",
        "㛼.com": "U+36FC is DISALLOWED by libidn2's IDNA2008 table",
    ]

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
        // 494 applicable cases; all pass but the 10 known differences.
        #expect(cases.count == 494)
        #expect(cases.count - failures.count == 484)
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
        // 87 cases; all pass but the 13 known differences.
        #expect(cases.count == 87)
        #expect(cases.count - failures.count == 74)
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

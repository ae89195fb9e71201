import Foundation
import Testing
@testable import TriageKit

/// The rule-file checks issue 12 asked for: content types outside the
/// documented list, `fold_case` naming no capture, status codes outside HTTP's.
@Suite struct LintChecksTests {
    func lint(_ text: String) throws -> LintReport {
        try RuleLinter().lint(path: try TestSupport.rulesDirectory(platforms: ["demo.yaml": text]))
    }

    func demo(type: String = "profile", keyType: String? = nil, ruleFold: String? = nil, platformFold: String? = nil,
              liveness: String = "") -> String {
        """
        platform: demo
        hosts: [demo.example]
        \(platformFold.map { "fold_case: [\($0)]" } ?? "")
        content:
          - type: \(type)
        \(keyType.map { "    key_type: \($0)" } ?? "")
            path: '^/u/(?<user>\\w+)$'
            key: '{user}'
        \(ruleFold.map { "    fold_case: [\($0)]" } ?? "")
            examples: [{url: 'https://demo.example/u/someone', key: 'demo:\(keyType ?? type):someone'}]
            counter_examples: ['https://demo.example/u/']
        \(liveness)
        """
    }

    @Test func aMisspeltTypeIsAnErrorWithTheNearestType() throws {
        let report = try lint(demo(type: "profil"))
        let finding = try #require(report.errors.first { $0.kind == .unknownType })
        #expect(finding.location.line == 5)
        #expect(finding.message.contains("'type: profil' is not one of the documented content types; did you mean 'profile'?"))
        #expect(report.errors.count == 1)
    }

    @Test func aMisspeltKeyTypeIsAnError() throws {
        let report = try lint(demo(type: "reel", keyType: "vidoe"))
        #expect(report.errors.map(\.kind) == [.unknownType])
        #expect(report.errors.first?.message.contains("did you mean 'video'?") == true)
    }

    @Test func pageIsReservedForUnmatchedURLs() throws {
        let report = try lint(demo(type: "page"))
        #expect(report.errors.map(\.kind) == [.unknownType])
        #expect(report.errors.first?.message.contains("reserved") == true)
    }

    @Test func documentedTypesPass() throws {
        for type in ["profile", "video", "site_page", "short"] {
            #expect(try lint(demo(type: type)).errors == [], "type \(type)")
        }
    }

    @Test func aRuleFoldCaseNamingNoCaptureIsAnError() throws {
        let report = try lint(demo(ruleFold: "usr"))
        let finding = try #require(report.errors.first)
        #expect(report.errors.map(\.kind) == [.unknownCapture])
        #expect(finding.message.contains("names 'usr', which no pattern captures"))
        #expect(finding.message.contains("did you mean 'user'?"))
    }

    @Test func aPlatformFoldCaseNamingNoCaptureOfAnyRuleIsAnError() throws {
        let report = try lint(demo(platformFold: "user, name"))
        #expect(report.errors.map(\.kind) == [.unknownCapture])
        #expect(report.errors.first?.location.line == 3)
        #expect(report.errors.first?.message.contains("'name'") == true)
    }

    @Test(arguments: ["999", "99", "600"])
    func aStatusOutsideHTTPsRangeIsAnError(status: String) throws {
        let signature = try lint(demo(liveness: "liveness:\n  removed: [{status: [\(status)]}]"))
        #expect(signature.errors.map(\.kind) == [.badValue])
        #expect(signature.errors.first?.message == "'\(status)' is not an HTTP status code (100–599)")
        let probe = try lint(demo(liveness: "liveness:\n  probe: {url: 'https://demo.example/o?u={url}', status: {\(status): removed}}"))
        #expect(probe.errors.map(\.kind) == [.badValue])
        // The loader refuses the same, so lint and load agree.
        #expect(throws: RuleError.self) {
            try RuleSet.load(from: try TestSupport.rulesDirectory(platforms: ["demo.yaml": demo(liveness: "liveness:\n  removed: [{status: [\(status)]}]")]))
        }
    }

    @Test func redirectedTakesTrueOrFalse() throws {
        #expect(try lint(demo(liveness: "liveness:\n  restricted: [{final_url: '/login', redirected: true}]")).errors == [])
        let report = try lint(demo(liveness: "liveness:\n  restricted: [{final_url: '/login', redirected: yes}]"))
        #expect(report.errors.map(\.kind) == [.badValue])
        #expect(report.errors.first?.message == "'redirected' must be true or false, not 'yes'")
    }

    @Test func everyShippedTypeIsDocumented() {
        for platform in TestSupport.shippedRules.platforms {
            for rule in platform.content {
                #expect(ContentTypes.problem(rule.type, field: "type") == nil, "\(rule.location)")
                #expect(ContentTypes.problem(rule.keyType, field: "key_type") == nil, "\(rule.location)")
            }
        }
    }
}

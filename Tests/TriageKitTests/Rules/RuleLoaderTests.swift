import Testing
@testable import TriageKit

@Suite struct RuleLoaderTests {
    static let minimal = """
        platform: demo
        hosts: [demo.example]
        content:
          - type: post
            path: '^/p/(?<id>\\d+)$'
            examples:
              - url: 'https://demo.example/p/12'
                key: 'demo:post:12'
        """

    @Test func loadsAMinimalPlatform() throws {
        let directory = try TestSupport.rulesDirectory(platforms: ["demo.yaml": Self.minimal])
        let rules = try RuleSet.load(from: directory)
        #expect(rules.platforms.map(\.platform) == ["demo"])
        #expect(rules.platforms[0].content[0].location.line == 4)
    }

    @Test func unknownKeySuggestsTheNearestKnownOne() throws {
        let text = "platform: demo\nhosts: [demo.example]\nstrip_param: [x]\n"
        let directory = try TestSupport.rulesDirectory(platforms: ["demo.yaml": text])
        #expect {
            try RuleSet.load(from: directory)
        } throws: { error in
            let message = "\(error)"
            return message.contains("demo.yaml:3:1") && message.contains("did you mean 'strip_params'?")
        }
    }

    @Test func badRegexNamesLineAndColumnInsideThePattern() throws {
        let text = "platform: demo\nhosts: [demo.example]\ncontent:\n  - type: post\n    path: '^/p/(?<id>\\d+$'\n"
        let directory = try TestSupport.rulesDirectory(platforms: ["demo.yaml": text])
        #expect {
            try RuleSet.load(from: directory)
        } throws: { error in
            guard let error = error as? RuleError else { return false }
            return error.location.line == 5 && error.location.column > 11 && error.message.contains("does not compile")
        }
    }

    @Test func templateNamingAnUnknownCaptureIsAnError() throws {
        let text = "platform: demo\nhosts: [demo.example]\ncontent:\n  - type: post\n    path: '^/p/(?<id>\\d+)$'\n    key: '{ident}'\n"
        let directory = try TestSupport.rulesDirectory(platforms: ["demo.yaml": text])
        #expect {
            try RuleSet.load(from: directory)
        } throws: { error in
            "\(error)".contains("demo.yaml:6") && "\(error)".contains("{ident}")
        }
    }

    /// Types and templates end up in TSV rows, which are written without
    /// escaping; a tab or line break in one is refused where it is written.
    @Test(arguments: [
        ("    type: \"po\\tst\"\n", "'type'"),
        ("    type: post\n    canonical: \"https://demo.example/p/{id}\\n\"\n", "'canonical'"),
        ("    type: post\n    key_type: \"a\\tb\"\n", "'key_type'"),
    ])
    func controlCharactersInNamesAndTemplatesAreRefused(_ rule: String, _ field: String) throws {
        let text = "platform: demo\nhosts: [demo.example]\ncontent:\n  - path: '^/p/(?<id>\\d+)$'\n" + rule
        let directory = try TestSupport.rulesDirectory(platforms: ["demo.yaml": text])
        #expect {
            try RuleSet.load(from: directory)
        } throws: { error in
            "\(error)".contains(field) && "\(error)".contains("control character") && "\(error)".contains("demo.yaml:")
        }
    }

    @Test func twoPlatformsClaimingOneHostIsAnError() throws {
        let other = "platform: other\nhosts: [demo.example]\n"
        let directory = try TestSupport.rulesDirectory(platforms: ["demo.yaml": Self.minimal, "other.yaml": other])
        #expect {
            try RuleSet.load(from: directory)
        } throws: { error in
            "\(error)".contains("claimed by both 'demo' and 'other'")
        }
    }

    @Test func invalidYAMLGivesItsLine() throws {
        let directory = try TestSupport.rulesDirectory(platforms: ["demo.yaml": "platform: demo\nhosts: [a\n  b: c\n"])
        #expect {
            try RuleSet.load(from: directory)
        } throws: { error in
            "\(error)".contains("demo.yaml:") && "\(error)".contains("not valid YAML")
        }
    }
}

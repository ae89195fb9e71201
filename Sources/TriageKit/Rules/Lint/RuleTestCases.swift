/// The examples and counter-examples of a rule set as test cases, each with
/// the failures `RuleTester` found for it: what CI systems want to list one
/// by one (`rules test --format junit`).
public struct RuleTestCases: Sendable {
    /// One example or counter-example.
    public struct Case: Sendable {
        public var platform: String
        public var type: String
        /// Where the rule starts.
        public var rule: SourceLocation
        public var isCounterExample: Bool
        public var url: String
        /// Where the example is written.
        public var location: SourceLocation
        public var failures: [RuleTester.Failure]
        public var passed: Bool { failures.isEmpty }
    }

    public var cases: [Case]

    /// Pairs every example of the platforms tested with its failures from `report`.
    public init(rules: RuleSet, report: RuleTester.Report, only platform: String? = nil) {
        let failures = Dictionary(grouping: report.failures, by: \.location)
        cases = []
        for rules in rules.platforms where platform == nil || rules.platform == platform {
            for rule in rules.content {
                for (examples, counter) in [(rule.examples, false), (rule.counterExamples, true)] {
                    for example in examples {
                        cases.append(Case(platform: rules.platform, type: rule.type, rule: rule.location, isCounterExample: counter,
                                          url: example.url, location: example.location, failures: failures[example.location] ?? []))
                    }
                }
            }
        }
        // tracking.yaml: each example, and each pattern (passing when an example covers it).
        guard platform == nil else { return }
        let tracking = rules.tracking
        for example in tracking.examples {
            cases.append(Case(platform: "tracking", type: "example", rule: example.location, isCounterExample: false,
                              url: example.url, location: example.location, failures: failures[example.location] ?? []))
        }
        for pattern in tracking.patterns {
            cases.append(Case(platform: "tracking", type: "pattern", rule: pattern.location, isCounterExample: false,
                              url: pattern.value, location: pattern.location, failures: failures[pattern.location] ?? []))
        }
    }

    public var passedCount: Int { cases.count { $0.passed } }
    public var failedCount: Int { cases.count { !$0.passed } }

    // MARK: - JUnit XML

    /// The cases as JUnit XML: one test suite per platform, one test case per example.
    public var junitXML: String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"urltriage rules test\" tests=\"\(cases.count)\" failures=\"\(failedCount)\">\n"
        var platforms: [String] = []
        for item in cases where !platforms.contains(item.platform) { platforms.append(item.platform) }
        for platform in platforms {
            let suite = cases.filter { $0.platform == platform }
            let file = suite.first.map { " file=\"\(Self.escape($0.rule.file))\"" } ?? ""
            xml += "  <testsuite name=\"\(Self.escape(platform))\" tests=\"\(suite.count)\" failures=\"\(suite.count { !$0.passed })\"\(file)>\n"
            for item in suite {
                let name = "line \(item.location.line): \(item.isCounterExample ? "counter-example" : "example") \(item.url)"
                xml += "    <testcase classname=\"\(Self.escape("\(platform).\(item.type)"))\" name=\"\(Self.escape(name))\""
                xml += " file=\"\(Self.escape(item.location.file))\" line=\"\(item.location.line)\""
                guard !item.passed else {
                    xml += "/>\n"
                    continue
                }
                xml += ">\n"
                for failure in item.failures {
                    let message = "expected \(failure.expected); got \(failure.actual)"
                    xml += "      <failure message=\"\(Self.escape(message))\" type=\"example\">\(Self.escape(failure.description))</failure>\n"
                }
                xml += "    </testcase>\n"
            }
            xml += "  </testsuite>\n"
        }
        return xml + "</testsuites>\n"
    }

    /// Escapes text for an XML attribute or element, dropping characters XML 1.0 cannot hold.
    static func escape(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "\n": result += "&#10;"
            case "\t": result += "&#9;"
            default:
                if scalar.value >= 0x20 && scalar.value != 0xFFFE && scalar.value != 0xFFFF { result.unicodeScalars.append(scalar) }
            }
        }
        return result
    }
}

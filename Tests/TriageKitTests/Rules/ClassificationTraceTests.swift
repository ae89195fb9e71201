import Foundation
import Testing
@testable import TriageKit

@Suite struct ClassificationTraceTests {
    let explainer = RuleExplainer(rules: TestSupport.shippedRules)
    let classifier = Classifier(rules: TestSupport.shippedRules)

    /// The explainer and the classifier cannot drift: for every example and
    /// counter-example in the shipped rules, the trace ends where `classify` does.
    @Test func traceAgreesWithTheClassifierOnEveryShippedExample() throws {
        var checked = 0
        for platform in TestSupport.shippedRules.platforms {
            for rule in platform.content {
                for example in rule.examples + rule.counterExamples {
                    guard let url = try? WebURL.parse(example.url) else { continue }
                    let trace = explainer.explain(url: example.url)
                    let expected = try classifier.classify(url)
                    #expect(trace.result == expected, "\(example.location): \(example.url)")
                    #expect(trace.problem == nil)
                    checked += 1
                }
            }
        }
        #expect(checked > 300)
    }

    @Test func theDecidingAttemptIsTheRuleTheClassifierNames() throws {
        let trace = explainer.explain(url: "https://vm.tiktok.com/ZMabc123X/?_t=8k")
        let matched = trace.attempts.filter { $0.outcome == .matched }
        #expect(matched.count == 1)
        #expect(matched.first?.rule == trace.result?.rule)
        #expect(matched.first?.captures == [.init(name: "code", value: "ZMabc123X")])
        #expect(trace.result?.key == "tiktok:short:ZMabc123X")
        // Every rule before the match was tried and failed; every rule after it was not tried.
        let index = try #require(trace.attempts.firstIndex { $0.outcome == .matched })
        #expect(trace.attempts[..<index].allSatisfy { $0.outcome == .noMatch && $0.reason != nil })
        #expect(trace.attempts[(index + 1)...].allSatisfy { $0.outcome == .notTried })
    }

    @Test func dispatchNamesTheHostEntryAndTheFolding() throws {
        let trace = explainer.explain(url: "https://www.youtube.com/watch?v=dQw4w9WgXcQ")
        let dispatch = try #require(trace.dispatch)
        #expect(dispatch.platform == "youtube")
        #expect(dispatch.foldedHost == "youtube.com")
        #expect(dispatch.foldedLabels == ["www"])
        #expect(dispatch.hostEntry?.file.hasSuffix("youtube.yaml") == true)
        // The line of the `hosts:` list in youtube.yaml, wherever edits move it.
        let file = try String(contentsOfFile: TestSupport.rulesDirectory + "/platforms/youtube.yaml", encoding: .utf8)
        let hostsLine = file.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("hosts:") }.map { $0 + 1 }
        #expect(dispatch.hostEntry?.line == hostsLine)
        // The rule limited to youtu.be is skipped, and says why.
        #expect(trace.skippedRules.map(\.reason) == ["only for hosts youtu.be"])
    }

    @Test func strippedParametersNameTheListEntryThatStrippedThem() throws {
        let trace = explainer.explain(url: "https://www.youtube.com/watch?v=dQw4w9WgXcQ&utm_source=mail&si=abc&list=PL1234567890")
        let fates = Dictionary(uniqueKeysWithValues: trace.parameters.map { ($0.name, $0) })
        #expect(fates["v"]?.fate == .kept)
        #expect(fates["list"]?.fate == .kept)
        #expect(fates["utm_source"]?.fate == .strippedGlobal)
        #expect(fates["utm_source"]?.entry == "utm_*")
        #expect(fates["utm_source"]?.entryLocation?.file.hasSuffix("tracking.yaml") == true)
        #expect(fates["si"]?.fate == .strippedPlatform)
        #expect(fates["si"]?.entryLocation?.file.hasSuffix("youtube.yaml") == true)
    }

    @Test func extractionNotesComeFromTheExtractor() throws {
        let traces = explainer.explain("see hxxps://www[.]tiktok[.]com/@some.user/video/7234567890123456789 please")
        let trace = try #require(traces.first)
        #expect(traces.count == 1)
        #expect(trace.extraction?.notes.isEmpty == false)
        #expect(trace.extraction?.column == 5)
        #expect(trace.result?.key == "tiktok:video:7234567890123456789")
    }

    @Test func inputWithoutAURLSaysWhy() {
        let traces = explainer.explain("no link in this report")
        #expect(traces.count == 1)
        #expect(traces.first?.problem?.hasPrefix("no URL found") == true)
        #expect(traces.first?.result == nil)
    }

    @Test func aPlainPageSaysNoContentRuleMatched() throws {
        let trace = explainer.explain(url: "https://www.tiktok.com/about?lang=en&b=2&a=1")
        #expect(trace.result?.type == "page")
        #expect(trace.result?.key == "https://tiktok.com/about?a=1&b=2")
        #expect(trace.attempts.allSatisfy { $0.outcome == .noMatch })
        #expect(trace.text.contains("no content rule matched"))
    }

    @Test func aQueryRuleSaysWhichRequirementFailed() throws {
        let trace = explainer.explain(url: "https://www.youtube.com/watch?list=PL1234567890")
        let first = try #require(trace.attempts.first)
        #expect(first.outcome == .noMatch)
        #expect(first.reason == "needs the query parameter 'v'")
    }

    @Test func theTextShowsEveryStep() {
        let text = explainer.explain("https://vm.tiktok.com/ZMabc123X/?_t=8k").map(\.text).joined()
        for label in ["input", "extracted", "parsed", "platform", "host", "folded", "bucket", "path", "parameters", "rules",
                      "key", "canonical", "decided by", "time"] {
            #expect(text.contains("\n\(label) ") || text.hasPrefix("\(label) "), "no '\(label)' line in:\n\(text)")
        }
    }

    @Test func theTraceEncodesAsJSON() throws {
        let trace = explainer.explain(url: "https://youtu.be/dQw4w9WgXcQ?si=1")
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(trace)) as? [String: Any]
        #expect((object?["result"] as? [String: Any])?["key"] as? String == "youtube:video:dQw4w9WgXcQ")
        #expect((object?["dispatch"] as? [String: Any])?["platform"] as? String == "youtube")
        #expect(object?["classify_ns"] is Int)
    }
}

import Foundation
import Hummingbird
import TriageKit

/// Rules, for rule authors: `rules explain` on pasted URLs, and `rules test` and `rules lint`
/// over the server's rules. Nothing here changes anything, so it is all GET.
struct RulesController {
    let services: WebServices

    func addRoutes(to router: Router<WebContext>) {
        router.get("/rules") { request, context -> Response in
            let query = FormData.urlEncoded(Substring(request.uri.query ?? ""))
            var data: [String: Any] = ["title": "Rules", "urls": query.raw("urls") ?? ""]
            if let urls = query["urls"] {
                let rules = services.rules
                let lines = urls.split(whereSeparator: \.isNewline).prefix(200).map(String.init)
                let traces = try await offload {
                    let explainer = RuleExplainer(rules: rules)
                    return lines.flatMap { explainer.explain($0) }.map(\.text)
                }
                data["explain"] = Shown.multiline(traces.joined(separator: "\n"))
            }
            switch query["tool"] {
            case "test":
                let rules = services.rules
                let report = try await offload { RuleTester(rules: rules).run(only: nil) }
                var lines = report.failures.map { "FAIL \($0)" }
                lines.append("\(report.rulesWithExamples) of \(report.rules) content patterns have examples; "
                             + "\(report.examples) examples, \(report.counterExamples) counter-examples; "
                             + (report.passed ? "all passed" : "\(report.failures.count) failed"))
                data["toolOutput"] = Shown.multiline(lines.joined(separator: "\n"))
                data["toolName"] = "rules test"
                data["toolPassed"] = report.passed
            case "lint":
                guard let directory = RulesDirectory.locate(explicit: services.settings.rulesDirectory) else { break }
                let outcome: Result<LintReport, LintInputError> = try await offload {
                    do throws(LintInputError) { return .success(try RuleLinter().lint(path: directory)) } catch { return .failure(error) }
                }
                switch outcome {
                case .success(let report):
                    data["toolOutput"] = Shown.multiline(report.text.isEmpty ? "no findings" : report.text)
                    data["toolPassed"] = report.passed
                case .failure(let error):
                    data["toolOutput"] = Shown.multiline("\(error)")
                    data["toolPassed"] = false
                }
                data["toolName"] = "rules lint"
            default: break
            }
            return services.pages.render("rules", data, context: context, section: "rules")
        }
    }
}

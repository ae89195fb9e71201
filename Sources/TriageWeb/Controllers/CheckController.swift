import Foundation
import Hummingbird
import NIOCore
import TriageKit
import TriageStore

/// Check: runs the liveness engine in the server, with its progress, as `recheck` records it.
struct CheckController {
    let services: WebServices

    func addRoutes(to router: Router<WebContext>) {
        router.get("/check") { _, context in try await page(context: context) }
        router.get("/check/status.json") { _, _ -> Response in
            let progress = await services.checks.latest
            let json = Self.json(progress)
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: json)))
        }
        router.post("/check") { _, context -> Response in
            let keys = context.form.all("key")
            if let refusal = await services.checks.start(keys: keys.isEmpty ? nil : keys, by: context.actor) {
                return services.pages.problem(refusal, status: .conflict, context: context)
            }
            return Pages.redirect("/check")
        }
    }

    private func page(context: WebContext) async throws -> Response {
        let due = try await services.store.dueCount()
        let progress = await services.checks.latest
        var data: [String: Any] = ["title": "Check", "due": due]
        if let progress {
            data["run"] = Self.values(progress)
            if progress.running { data["refresh"] = "3" }
        }
        return services.pages.render("check", data, context: context, section: "check")
    }

    static func values(_ progress: CheckRuns.Progress) -> [String: Any] {
        [
            "what": progress.what, "by": Shown.text(progress.by), "running": progress.running, "done": progress.done,
            "total": progress.total, "percent": progress.total > 0 ? min(100, progress.done * 100 / progress.total) : (progress.running ? 0 : 100),
            "rate": String(format: "%.1f", progress.rate), "tally": tallyText(progress.tally),
            "summary": Shown.multiline(progress.summary), "failure": Shown.text(progress.failure),
            "started": Shown.time(Int64(progress.startedAt.timeIntervalSince1970)),
        ]
    }

    static func tallyText(_ tally: [Verdict: Int]) -> String {
        Verdict.allCases.map { "\($0.rawValue) \(tally[$0] ?? 0)" }.joined(separator: ", ")
    }

    /// The progress for the page's script: numbers and fixed words only, written by hand to keep field order stable.
    static func json(_ progress: CheckRuns.Progress?) -> String {
        guard let progress else { return "{\"running\":false,\"done\":0,\"total\":0}" }
        func quoted(_ text: String) -> String {
            var out = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "<": out += "\\u003c"
                default:
                    if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
                }
            }
            return out + "\""
        }
        let percent = progress.total > 0 ? min(100, progress.done * 100 / progress.total) : (progress.running ? 0 : 100)
        return "{\"running\":\(progress.running),\"done\":\(progress.done),\"total\":\(progress.total),\"percent\":\(percent),"
            + "\"rate\":\(quoted(String(format: "%.1f", progress.rate))),\"tally\":\(quoted(tallyText(progress.tally))),"
            + "\"summary\":\(quoted(progress.summary ?? "")),\"failure\":\(quoted(progress.failure ?? ""))}"
    }
}

import Foundation
import Hummingbird
import TriageKit
import TriageStore

/// Escalate: the list `urltriage escalate` prints, per platform, to send and to mark sent.
struct EscalateController {
    let services: WebServices
    /// Items per platform on the page.
    static let pageLimit = 25

    func addRoutes(to router: Router<WebContext>) {
        router.get("/escalate") { request, context in try await page(request, context: context) }
        router.get("/escalate/download") { request, context -> Response in
            let query = FormData.urlEncoded(Substring(request.uri.query ?? ""))
            let format: EscalationFormat = query["format"] == "markdown" ? .markdown : .csv
            let list = try await services.escalationList(platform: query["platform"], version: try await services.recent.currentVersion())
            let stamp = String(StoreTime.iso(list.generatedAt).prefix(10))
            return format == .csv
                ? Pages.download(list.rendered(as: .csv), type: "text/csv; charset=utf-8", filename: "escalate-\(stamp).csv")
                : Pages.download(list.rendered(as: .markdown), type: "text/markdown; charset=utf-8", filename: "escalate-\(stamp).md")
        }
        router.post("/escalate/mark") { _, context -> Response in
            let keys = context.form.all("key")
            guard !keys.isEmpty else {
                return services.pages.problem("Select at least one item to mark escalated.", status: .unprocessableContent, context: context)
            }
            let results = try await ItemController.mark(keys, .escalated(to: nil, reference: context.form["ref"], at: nil),
                                                        note: context.form["note"] ?? "escalated from the escalate page",
                                                        services: services, by: context.actor)
            return services.pages.render("marked", ["title": "Marked \(results.filter { $0["ok"] as? Bool == true }.count) of \(keys.count) escalated",
                                                    "results": results], context: context, section: "escalate")
        }
    }

    private func page(_ request: Request, context: WebContext) async throws -> Response {
        guard let session = context.session else { throw HTTPError(.unauthorized) }
        let query = FormData.urlEncoded(Substring(request.uri.query ?? ""))
        let platform = query["platform"]
        let version = try await services.recent.currentVersion()
        // The page shows the most urgent items of each platform; the downloads hold them all.
        let list = try await services.escalationList(platform: platform, limit: Self.pageLimit, version: version)
        // Rendered once per list and role, kept until the store changes: each person's token
        // and name are filled in when it is sent.
        let role = session.account.role, services = services
        let key = "escalate|\(role.rawValue)|\(list.generatedAt)|\(platform ?? "")"
        let page = try await services.recent.page(key, version: version) {
            Self.render(list, platform: platform, role: role, services: services)
        }
        return page.response(for: session)
    }

    private static func render(_ list: EscalationList, platform: String?, role: AccountRole, services: WebServices) -> SharedPage {
        func rows(_ rows: [EscalationList.Row]) -> [[String: Any]] {
            rows.map { row in [
                "key": Shown.text(row.item.key), "link": ItemController.link(row.item.key), "url": Shown.text(row.item.canonicalURL),
                "score": row.points.total, "reasons": Shown.text(row.score.explanation), "category": Shown.text(row.categoryName),
                "verdict": row.item.verdict?.rawValue ?? "", "reports": row.item.reportCount,
                "overdue": row.item.isOverdue(at: list.generatedAt), "reason": Shown.text(row.item.checkReason),
                // The harm's own route (policy.yaml `routes:`): what to do now, and where else to report.
                "actNow": row.route.first, "withhold": row.route.withholdOpenLink,
                "harmRoute": Shown.text((row.route.actNow + row.route.platform).joined(separator: "; then ")),
                "warnings": row.route.warnings.map { ["text": Shown.text($0)] },
                "reportTo": row.route.reportTo.map { ["name": Shown.text($0.name), "url": Shown.text($0.url)] },
            ] }
        }
        let platforms: [[String: Any]] = list.platforms.map { entry in
            var one = list
            one.platforms = [entry]
            one.needsPerson = []
            one.needsPersonOmitted = 0
            return [
                "platform": entry.platform, "name": Shown.text(entry.name), "count": entry.rows.count + entry.omitted,
                "omitted": entry.omitted,
                "channel": Shown.text(entry.route?.channel ?? "no escalation route in the platform's rule file"),
                "routeURL": Shown.text(entry.route?.url), "hours": entry.route?.responseHours.map(String.init) ?? "",
                "rows": rows(entry.rows), "copyText": Shown.multiline(one.rendered(as: .text)),
            ]
        }
        let data: [String: Any] = [
            "title": "Escalate", "platforms": platforms, "actNowRows": rows(list.actNow), "hasActNow": !list.actNow.isEmpty, "needsPerson": rows(list.needsPerson), "hasNeedsPerson": !list.needsPerson.isEmpty,
            "notChecked": list.context.notChecked, "awaiting": list.context.awaitingResponse,
            "empty": list.platforms.isEmpty && list.needsPerson.isEmpty, "generated": Shown.time(list.generatedAt),
            "choices": services.rules.platforms.map { ["value": $0.platform, "name": $0.displayName, "selected": $0.platform == platform] },
            "platformQuery": platform.map { "&platform=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") } ?? "",
        ]
        return services.pages.shared("escalate", data, role: role, section: "escalate")
    }
}

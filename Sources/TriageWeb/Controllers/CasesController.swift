import Foundation
import Hummingbird
import TriageKit
import TriageStore

/// Cases: every item, filtered, sorted and a page at a time, with bulk actions on a selection.
struct CasesController {
    let services: WebServices

    func addRoutes(to router: Router<WebContext>) {
        router.get("/cases") { request, context in try await list(request, context: context) }
        router.post("/cases/bulk") { _, context in try await bulk(context: context) }
    }

    /// The filter the query asks for, and what in it could not be read.
    private static func filter(_ query: FormData, pageSize: Int) -> (CaseFilter, [String]) {
        var filter = CaseFilter()
        var problems: [String] = []
        filter.platform = query["platform"]
        if let status = query["status"] {
            if let known = ItemStatus(rawValue: status) { filter.status = known } else { problems.append("unknown status '\(status)'") }
        }
        filter.category = query["category"]
        filter.reporter = query["reporter"]
        if let since = query["since"] {
            if let seconds = ReportedTime.parse(since) { filter.since = seconds } else { problems.append("'\(since)' is not a date") }
        }
        if let until = query["until"] {
            // A date means the whole of that day.
            if let seconds = ReportedTime.parse(until) { filter.until = seconds + (until.count <= 10 ? StoreTime.day : 1) } else {
                problems.append("'\(until)' is not a date")
            }
        }
        filter.text = query["q"]
        filter.order = query["sort"].flatMap(CaseFilter.Order.init(rawValue:)) ?? .firstReported
        filter.page = query["page"].flatMap(Int.init) ?? 1
        filter.pageSize = pageSize
        return (filter, problems)
    }

    private func list(_ request: Request, context: WebContext) async throws -> Response {
        let query = FormData.urlEncoded(Substring(request.uri.query ?? ""))
        let (filter, problems) = Self.filter(query, pageSize: services.settings.pageSize)
        let byPriority = query["sort"] == "priority"
        guard let session = context.session else { throw HTTPError(.unauthorized) }
        let role = session.account.role, services = services
        let status: HTTPResponse.Status = problems.isEmpty ? .ok : .badRequest
        let version = try await services.recent.currentVersion()
        if byPriority {
            let (page, scores) = try await priorityPage(filter, version: version)
            return Self.render(page, scores: scores, filter: filter, query: query, problems: problems, byPriority: true,
                               role: role, status: status, services: services).response(for: session)
        }
        // The same page for everyone with this role until the store changes: one count and one
        // render for all who ask meanwhile.
        let key = "cases|\(role.rawValue)|\(request.uri.query ?? "")"
        let shared = try await services.recent.page(key, version: version) {
            let store = services.store
            let total = try await services.recent.count(Self.countKey(filter), version: version) {
                try await store.cases(Self.countOnly(filter)).total
            }
            let page = try await store.cases(filter, knownTotal: total)
            return Self.render(page, scores: [:], filter: filter, query: query, problems: problems, byPriority: false,
                               role: role, status: status, services: services)
        }
        return shared.response(for: session)
    }

    private static func render(_ page: CasePage, scores: [String: Int], filter: CaseFilter, query: FormData, problems: [String],
                               byPriority: Bool, role: AccountRole, status: HTTPResponse.Status, services: WebServices) -> SharedPage {
        let base = "/cases?" + Self.queryString(query, without: "page")
        let rows: [[String: Any]] = page.items.map { item in [
            "key": Shown.text(item.key), "link": ItemController.link(item.key), "url": Shown.text(item.canonicalURL),
            "platform": Shown.text(item.platform), "status": item.status.rawValue, "category": Shown.text(item.category),
            "verdict": item.lastVerdict?.rawValue ?? "not checked", "reports": item.reports, "reporters": item.reporters,
            "firstReported": Shown.date(item.firstReportedAt), "lastChecked": Shown.time(item.lastCheckedAt),
            "score": scores[item.key].map(String.init) ?? "",
        ] }
        let first = page.total == 0 ? 0 : (page.page - 1) * page.pageSize + 1
        let data: [String: Any] = [
            "title": "Cases", "rows": rows, "total": page.total, "first": first, "last": first + page.items.count - (page.items.isEmpty ? 0 : 1),
            "page": page.page, "pages": page.pages,
            "previous": page.page > 1 ? base + "&page=\(page.page - 1)" : "", "next": page.page < page.pages ? base + "&page=\(page.page + 1)" : "",
            "platforms": services.rules.platforms.map { ["value": $0.platform, "name": $0.displayName, "selected": $0.platform == filter.platform] },
            "statuses": ItemStatus.allCases.map { ["value": $0.rawValue, "selected": $0 == filter.status] },
            "byPriority": byPriority,
            "sorts": [("priority", "priority score (open items the escalate page scores)"), ("first-reported", "newest first"), ("last-checked", "last checked (oldest first)"),
                      ("reports", "most reports")].map { ["value": $0.0, "name": $0.1, "selected": $0.0 == (byPriority ? "priority" : filter.order.rawValue)] },
            "category": query["category"] ?? "", "reporter": query["reporter"] ?? "", "since": query["since"] ?? "",
            "until": query["until"] ?? "", "q": query["q"] ?? "",
            "problems": problems.map(Shown.text).joined(separator: "; "),
            "platformsForMark": services.rules.platforms.map { ["value": $0.platform, "name": $0.displayName] },
        ]
        return services.pages.shared("cases", data, role: role, status: status, section: "cases")
    }

    /// Priority order: the items the escalation list scores (open and checked), highest score
    /// first, within the other filters. The score is the policy's, made by the same scorer as
    /// `escalate`; items it does not score (new, removed, closed) are not in this order.
    private func priorityPage(_ filter: CaseFilter, version: Int64) async throws -> (CasePage, [String: Int]) {
        let list = try await services.escalationList(platform: filter.platform, version: version)
        var scores: [String: Int] = [:]
        for row in list.allRows { scores[row.item.key] = row.points.total }
        var scoped = filter
        scoped.onlyKeys = Array(scores.keys)
        let keys = try await services.store.caseKeys(scoped).sorted { a, b in
            let (x, y) = (scores[a] ?? 0, scores[b] ?? 0)
            return x != y ? x > y : a < b
        }
        let size = max(1, filter.pageSize)
        let page = max(1, filter.page)
        let slice = Array(keys.dropFirst((page - 1) * size).prefix(size))
        let items = try await services.store.items(keys: slice)
        return (CasePage(items: items, total: keys.count, page: page, pageSize: size), scores)
    }

    /// The filter's conditions as text: the key its count is kept under.
    static func countKey(_ filter: CaseFilter) -> String {
        [filter.platform, filter.status?.rawValue, filter.category, filter.reporter, filter.since.map(String.init),
         filter.until.map(String.init), filter.text].map { $0 ?? "\u{0}" }.joined(separator: "\u{1}")
    }

    /// The same conditions, asking for one row only: its count is what is wanted.
    static func countOnly(_ filter: CaseFilter) -> CaseFilter {
        var filter = filter
        filter.page = 1
        filter.pageSize = 1
        return filter
    }

    static func queryString(_ form: FormData, without skipped: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        var parts: [String] = []
        for name in ["platform", "status", "category", "reporter", "since", "until", "q", "sort"] where name != skipped {
            if let value = form[name] {
                parts.append(name + "=" + (value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""))
            }
        }
        return parts.joined(separator: "&")
    }

    /// Marks or checks every selected item; one that cannot take the mark does not stop the others.
    private func bulk(context: WebContext) async throws -> Response {
        let keys = context.form.all("key")
        guard !keys.isEmpty else {
            return services.pages.problem("Select at least one item (the boxes in the first column), then choose what to do.",
                                          status: .unprocessableContent, context: context)
        }
        let action = context.form["action"] ?? ""
        if action == "check" {
            if let refusal = await services.checks.start(keys: keys, by: context.actor) {
                return services.pages.problem(refusal, status: .conflict, context: context)
            }
            return Pages.redirect("/check")
        }
        let mark: Mark
        switch action {
        case "escalated": mark = .escalated(to: context.form["to"], reference: context.form["ref"], at: nil)
        case "removed": mark = .removed(at: nil)
        case "false-report": mark = .falseReport
        case "reopen": mark = .reopen
        default:
            return services.pages.problem("Choose what to do with the selected items.", status: .unprocessableContent, context: context)
        }
        let results = try await ItemController.mark(keys, mark, note: context.form["note"], services: services, by: context.actor)
        return services.pages.render("marked", ["title": "Marked \(results.filter { $0["ok"] as? Bool == true }.count) of \(keys.count)",
                                                "results": results], context: context, section: "cases")
    }
}

import Foundation
import Hummingbird
import TriageKit
import TriageStore

/// One item: what it is, everything that happened to it, and what staff can do next.
struct ItemController {
    let services: WebServices

    func addRoutes(to router: Router<WebContext>) {
        router.get("/item") { request, context in try await show(request, context: context) }
        router.post("/item/mark") { _, context in try await markOne(context: context) }
        router.post("/item/check") { _, context -> Response in
            guard let key = context.form["key"] else {
                return services.pages.problem("Which item? The form lost its key; go back and try again.", status: .badRequest, context: context)
            }
            if let refusal = await services.checks.start(keys: [key], by: context.actor) {
                return services.pages.problem(refusal, status: .conflict, context: context)
            }
            return Pages.redirect("/check")
        }
    }

    static func link(_ key: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~:")
        return "/item?key=" + (key.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")
    }

    /// Messages shown after a mark, by code: the text never comes from the address bar.
    static let doneMessages = [
        "escalated": "Recorded: escalated.", "removed": "Recorded: removed.", "false-report": "Recorded: false report.",
        "reopen": "Reopened: it will be checked at the next recheck.", "note": "Note added.",
    ]

    /// The harm route of an item from every one of its reports, as the escalation list decides it:
    /// whether the "open" link must wait for a person to confirm, what to do now, where else to report.
    static func harmRoute(_ history: ItemHistory, inputs: PriorityInputs) -> HarmRouteSteps {
        let decision = ItemCategorizer(categories: inputs.categories)
            .decide(reports: history.reports.map { ItemCategorizer.ReportWords(category: $0.category, notes: $0.notes) })
        let platform = inputs.rules.platforms.first { $0.platform == history.item.platform }
        return inputs.routes.steps(for: decision, platformName: platform?.displayName ?? history.item.platform,
                                   route: platform?.escalation)
    }

    private func show(_ request: Request, context: WebContext) async throws -> Response {
        let query = FormData.urlEncoded(Substring(request.uri.query ?? ""))
        guard let key = query["key"], let history = try await services.store.history(key: key) else {
            return services.pages.problem("No item with that key in this store. Find it on the Cases page.", status: .notFound,
                                          context: context)
        }
        let item = history.item
        let url = item.canonicalURL
        let opensOnWeb = url.hasPrefix("https://") || url.hasPrefix("http://")
        let route = Self.harmRoute(history, inputs: services.inputs)
        let doNotOpen = route.withholdOpenLink
        let revealed = !doNotOpen || query["reveal"] == "yes"
        let data: [String: Any] = [
            "title": "Item", "key": Shown.text(item.key), "rawKey": item.key, "url": Shown.text(url),
            "openURL": opensOnWeb && revealed ? url : "", "doNotOpen": doNotOpen,
            "harmWarnings": route.warnings.map { ["text": Shown.text($0)] },
            "harmActNow": Shown.text((route.actNow + route.platform).joined(separator: "; then ")),
            "harmReportTo": route.reportTo.map { ["name": Shown.text($0.name), "url": Shown.text($0.url)] }, "revealLink": Self.link(item.key) + "&reveal=yes",
            "platform": Shown.text(item.platform), "type": Shown.text(item.type), "status": item.status.rawValue,
            "statusShown": Shown.text(RegionalVerdicts.shown(status: item.status.rawValue, blockedIn: history.blockedIn)),
            "verdict": item.lastVerdict?.rawValue ?? "not checked", "category": Shown.text(item.category),
            "firstReported": Shown.time(item.firstReportedAt), "lastReported": Shown.time(item.lastReportedAt),
            "lastChecked": Shown.time(item.lastCheckedAt), "nextCheck": Shown.time(item.nextCheckAt),
            "responseDue": Shown.time(item.responseDueAt), "reportCount": item.reports, "reporterCount": item.reporters,
            "escalationCount": item.escalations,
            "done": query["done"].flatMap { Self.doneMessages[$0] } ?? "",
            "canEscalate": !item.status.isClosed && item.status != .removed,
            "canRemove": !item.status.isClosed && item.status != .removed,
            "canReopen": item.status == .removed || item.status == .falseReport,
            "canFalseReport": item.status != .falseReport && item.status != .merged,
            "platforms": services.rules.platforms.map { ["value": $0.platform, "name": $0.displayName, "selected": $0.platform == item.platform] },
            "reports": history.reports.map { report in [
                "at": Shown.time(report.reportedAt), "reporter": Shown.text(report.reporter),
                "organisation": Shown.text(report.organisation), "category": Shown.text(report.category),
                "notes": Shown.multiline(report.notes), "batch": report.batchID, "line": report.line,
            ] as [String: Any] },
            "checks": history.checks.map { check in [
                "at": Shown.time(check.checkedAt), "verdict": check.region.map { Shown.text("\(check.verdict) in \($0)") } ?? check.verdict, "http": check.httpStatus.map(String.init) ?? "—",
                "finalURL": Shown.text(check.finalURL), "redirects": check.redirects, "reason": Shown.text(check.reason),
                "ms": check.elapsedMilliseconds,
            ] as [String: Any] },
            "transitions": history.transitions.map { step in [
                "at": Shown.time(step.at), "from": step.from, "to": step.to, "why": Shown.text(step.why), "by": Shown.text(step.by),
            ] },
            "escalations": history.escalations.map { escalation in [
                "at": Shown.time(escalation.escalatedAt), "platform": Shown.text(escalation.platform),
                "channel": Shown.text(escalation.channel), "reference": Shown.text(escalation.reference),
                "by": Shown.text(escalation.by), "note": Shown.multiline(escalation.note), "due": Shown.time(escalation.responseDueAt),
            ] },
            "notes": history.notes.map { note in ["at": Shown.time(note.at), "by": Shown.text(note.by), "text": Shown.multiline(note.text)] },
            "merged": history.merged.map { ["key": Shown.text($0), "link": Self.link($0)] },
        ]
        return services.pages.render("item", data, context: context, section: "cases")
    }

    private func markOne(context: WebContext) async throws -> Response {
        let form = context.form
        guard let key = form["key"] else {
            return services.pages.problem("Which item? The form lost its key; go back and try again.", status: .badRequest, context: context)
        }
        let action = form["action"] ?? ""
        var at: Int64?
        if let when = form["at"] {
            guard let seconds = ReportedTime.parse(when) else {
                return services.pages.problem("'\(Shown.text(when))' is not a date this app reads (2026-11-03 or 2026-11-03T10:00:00Z). "
                                              + "Nothing was recorded.", status: .unprocessableContent, context: context)
            }
            at = seconds
        }
        let mark: Mark
        switch action {
        case "escalated": mark = .escalated(to: form["to"], reference: form["ref"], at: at)
        case "removed": mark = .removed(at: at)
        case "false-report": mark = .falseReport
        case "reopen": mark = .reopen
        case "note": mark = .note
        default:
            return services.pages.problem("Unknown action.", status: .badRequest, context: context)
        }
        let note = form.raw("note").flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
        let results = try await Self.mark([key], mark, note: note, services: services, by: context.actor)
        if let failure = results.first, failure["ok"] as? Bool != true {
            return services.pages.problem(failure["message"] as? String ?? "not recorded", status: .conflict, context: context)
        }
        return Pages.redirect(Self.link(key) + "&done=" + action)
    }

    /// Applies one mark to each key through the store (`CaseStoreBackend.mark`), as `urltriage mark` does;
    /// one row per key saying what happened.
    static func mark(_ keys: [String], _ mark: Mark, note: String?, services: WebServices, by: String) async throws -> [[String: Any]] {
        var outcomes: [(String, Result<MarkOutcome, StoreError>)] = []
        for key in keys {
            do {
                outcomes.append((key, .success(try await services.store.mark(key, mark, note: note, by: by, now: StoreTime.now(),
                                                                            policy: services.inputs.recheckPolicy, rules: services.rules))))
            } catch let error as StoreError {
                outcomes.append((key, .failure(error)))
            }
        }
        return outcomes.map { key, result in
            switch result {
            case .success(let outcome):
                return ["key": Shown.text(key), "link": link(outcome.item.key), "ok": true,
                        "message": "\(outcome.previous.rawValue) → \(outcome.item.status.rawValue)"]
            case .failure(let error):
                return ["key": Shown.text(key), "link": link(key), "ok": false, "message": Shown.text(error.message)]
            }
        }
    }
}

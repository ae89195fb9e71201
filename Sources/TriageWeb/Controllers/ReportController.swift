import Foundation
import Hummingbird
import TriageKit
import TriageStore

/// Report: the takedown report `urltriage report` writes, for a chosen period.
struct ReportController {
    let services: WebServices

    /// The report page is self-contained: its own styles and charts inline, and no script at all.
    static let reportPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

    func addRoutes(to router: Router<WebContext>) {
        router.get("/report") { request, context -> Response in
            let query = FormData.urlEncoded(Substring(request.uri.query ?? ""))
            let parameters: Parameters
            switch parse(query) {
            case .success(let parsed): parameters = parsed
            case .failure(let message):
                return services.pages.render("report", ["title": "Report", "message": message.text, "since": query["since"] ?? "",
                                                        "weeks": query["weeks"] ?? "26"],
                                             context: context, status: .unprocessableContent, section: "report")
            }
            let report = try await compute(parameters)
            let link = Self.query(parameters)
            return services.pages.render("report", [
                "title": "Report", "since": query["since"] ?? "", "weeks": "\(parameters.weeks)",
                "markdown": Shown.multiline(report.markdown(title: parameters.title)), "query": link, "shown": true,
            ], context: context, section: "report")
        }
        router.get("/report/view") { request, context in try await whole(request, context: context, download: false) }
        router.get("/report/download") { request, context in try await whole(request, context: context, download: true) }
    }

    struct Parameters: Sendable {
        var since: Int64?
        var weeks = 26
        var title = "Takedown report"
    }

    struct Refusal: Error {
        var text: String
    }

    private func parse(_ query: FormData) -> Result<Parameters, Refusal> {
        var parameters = Parameters()
        if let since = query["since"] {
            guard let seconds = ReportedTime.parse(since) else {
                return .failure(Refusal(text: "'\(Shown.text(since))' is not a date this app reads; give 2026-11-01."))
            }
            parameters.since = seconds
            parameters.title = "Takedown report since \(String(StoreTime.iso(seconds).prefix(10)))"
        }
        if let weeks = query["weeks"] {
            guard let number = Int(weeks), (1...520).contains(number) else {
                return .failure(Refusal(text: "Weeks in the trend must be a number from 1 to 520."))
            }
            parameters.weeks = number
        }
        return .success(parameters)
    }

    private static func query(_ parameters: Parameters) -> String {
        "weeks=\(parameters.weeks)" + (parameters.since.map { "&since=" + String(StoreTime.iso($0).prefix(10)) } ?? "")
    }

    private func compute(_ parameters: Parameters) async throws -> TakedownReport {
        let store = services.store, names = services.inputs.platformNames
        return try await store.report(since: parameters.since, now: StoreTime.now(), weeks: parameters.weeks, platformNames: names)
    }

    private func whole(_ request: Request, context: WebContext, download: Bool) async throws -> Response {
        let query = FormData.urlEncoded(Substring(request.uri.query ?? ""))
        guard case .success(let parameters) = parse(query) else {
            return services.pages.problem("The period is not one this app reads; choose it again on the Report page.",
                                          status: .unprocessableContent, context: context)
        }
        let report = try await compute(parameters)
        let stamp = String(StoreTime.iso(StoreTime.now()).prefix(10))
        if query["format"] == "markdown" {
            return Pages.download(report.markdown(title: parameters.title), type: "text/markdown; charset=utf-8",
                                  filename: "takedown-report-\(stamp).md")
        }
        var response = download
            ? Pages.download(report.html(title: parameters.title), type: "text/html; charset=utf-8", filename: "takedown-report-\(stamp).html")
            : Pages.html(report.html(title: parameters.title))
        response.headers[.contentSecurityPolicy] = Self.reportPolicy
        return response
    }
}

import Foundation
import Hummingbird
import TriageKit
import TriageStore

/// New batch: pasted text or an uploaded file, ingested as `urltriage ingest` does.
struct BatchController {
    let services: WebServices

    func addRoutes(to router: Router<WebContext>) {
        router.get("/batch/new") { _, context in form(context: context, values: FormData(), message: nil, status: .ok) }
        router.post("/batch") { _, context in try await ingest(context: context) }
        router.get("/batch/:id") { _, context -> Response in
            guard let id = context.parameters.get("id").flatMap(Int64.init) else {
                return services.pages.problem("No such batch.", status: .notFound, context: context)
            }
            let outcome = try await services.store.batchOutcome(id)
            return services.pages.render("batch-result", outcomeData(outcome, summary: nil, heading: "Batch \(id)"),
                                         context: context, section: "batch")
        }
    }

    private func form(context: WebContext, values: FormData, message: String?, status: HTTPResponse.Status) -> Response {
        services.pages.render("batch-new", [
            "title": "New batch", "message": message ?? "",
            "text": values.raw("text") ?? "", "reporter": values["reporter"] ?? "", "school": values["school"] ?? "",
            "date": values["date"] ?? "", "category": values["category"] ?? "",
            "limit": "\(services.settings.maxUploadBytes / (1024 * 1024)) MB",
        ], context: context, status: status, section: "batch")
    }

    private func ingest(context: WebContext) async throws -> Response {
        let form = context.form
        func refuse(_ message: String) -> Response {
            self.form(context: context, values: form, message: message + " Nothing was stored.", status: .unprocessableContent)
        }
        let pasted = form.raw("text") ?? ""
        let upload = form.files["file"]
        let bytes: [UInt8]
        let fileName: String
        let shownName: String
        if let upload, !upload.bytes.isEmpty {
            bytes = upload.bytes
            fileName = Self.safeFileName(upload.filename)
            shownName = "upload \(fileName)"
        } else if !pasted.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            bytes = Array(pasted.utf8)
            fileName = "pasted.txt"
            shownName = "pasted by \(context.actor) at \(StoreTime.iso(StoreTime.now()))"
        } else {
            return refuse("Paste some report text, or choose a file (.txt, .csv or .jsonl).")
        }
        var options = IngestOptions(by: context.actor, now: StoreTime.now())
        if let date = form["date"] {
            guard let seconds = ReportedTime.parse(date) else {
                return refuse("The date '\(Shown.text(date))' is not one this app reads; give 2026-11-02 or 2026-11-02T09:14:00Z.")
            }
            options.reportedAt = seconds
        }
        options.reporter = form["reporter"]
        options.organisation = form["school"]
        options.category = form["category"]
        switch form["format"] {
        case "text": options.format = .text
        case "csv": options.format = .csv
        case "jsonl": options.format = .jsonl
        default: break
        }
        // The ingester reads files: the batch goes to a private temporary file, removed after.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("urltriage-web-\(Passwords.randomToken().prefix(16))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent(fileName).path
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
            throw HTTPError(.internalServerError, message: "cannot write the batch to a temporary file")
        }
        let summary: IngestSummary
        do {
            let input = try StoreIngester.prepare(path: path, name: shownName, format: options.format, allowBinary: options.allowBinary)
            summary = try await services.store.ingest(input, rules: services.rules, options: options)
        } catch let error as InputError {
            return refuse(Self.describe(error))
        }
        let outcome = try await services.store.batchOutcome(summary.batchID)
        let heading = summary.alreadyIngested != nil ? "Already ingested: nothing added" : "Batch \(summary.batchID) stored"
        return services.pages.render("batch-result", outcomeData(outcome, summary: summary, heading: heading),
                                     context: context, section: "batch")
    }

    private func outcomeData(_ outcome: BatchOutcome, summary: IngestSummary?, heading: String) -> [String: Any] {
        func entries(_ list: [BatchOutcome.Entry]) -> [[String: Any]] {
            list.map { entry in [
                "key": Shown.text(entry.key), "url": Shown.text(entry.canonicalURL), "status": entry.status.rawValue,
                "inBatch": entry.reportsInBatch, "folded": entry.reportsInBatch > 1, "inAll": entry.reportsInAll,
                "link": ItemController.link(entry.key),
            ] }
        }
        var data: [String: Any] = [
            "title": heading, "batchID": outcome.batchID,
            "newItems": entries(outcome.newItems), "knownItems": entries(outcome.knownItems),
            "newCount": outcome.newCount, "knownCount": outcome.knownCount,
            "folded": outcome.duplicatesFolded,
            "rejected": outcome.rejected.map { ["line": $0.line, "reason": Shown.text($0.reason)] },
            "rejectedCount": outcome.rejected.count + outcome.omittedRejected,
            "omittedItems": outcome.omittedItems, "omittedRejected": outcome.omittedRejected,
            "hasOmittedItems": outcome.omittedItems > 0, "hasOmittedRejected": outcome.omittedRejected > 0,
        ]
        if let summary {
            data["lines"] = summary.batch.lines
            data["urls"] = summary.batch.urls
            data["storedReports"] = summary.newReports
            data["storedItems"] = summary.newItems
            data["format"] = summary.shape.format.rawValue
            data["summaryText"] = Shown.multiline(summary.text)
            if let earlier = summary.alreadyIngested {
                data["already"] = "This batch (the same text or file) was ingested before, as batch \(earlier.id) on "
                    + "\(StoreTime.iso(earlier.startedAt)) by \(Shown.text(earlier.by)). Nothing was added this time."
            }
        }
        return data
    }

    /// A name for the temporary file that keeps the upload's extension (it tells the format) and nothing risky.
    static func safeFileName(_ given: String) -> String {
        let base = given.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let kept = String(base.unicodeScalars.filter { scalar in
            CharacterSet.alphanumerics.contains(scalar) && scalar.isASCII || scalar == "." || scalar == "-" || scalar == "_"
        }.map(Character.init)).trimmingCharacters(in: CharacterSet(charactersIn: "."))
        guard !kept.isEmpty else { return "upload.txt" }
        return String(kept.prefix(100))
    }

    static func describe(_ error: InputError) -> String {
        var text = "The batch cannot be read"
        if let line = error.line { text += " (line \(line)" + (error.column.map { ", column \($0)" } ?? "") + ")" }
        return text + ": " + Shown.text(error.message) + "."
    }
}

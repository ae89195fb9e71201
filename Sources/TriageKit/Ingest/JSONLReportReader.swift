import Foundation

/// Reads a JSON Lines report file: the URLs of each object exactly as
/// `normalize` reads them, and its other fields (`reported_at`, `reporter`,
/// `school`, `category`, `notes` and their synonyms) for the store.
enum JSONLReportReader {
    static func read(_ buffer: ChunkBuffer, _ body: (IngestRecord) throws -> Void) throws -> ReportFileShape {
        var text: [UInt8] = []
        var seen: Set<ReportColumns.Field> = []
        try LineSplitter.forEachLine(in: buffer, maxLineBytes: ReportReader.maxLineBytes) { line, bytes, overlong in
            let empty = UnsafeBufferPointer<UInt8>(start: bytes.baseAddress, count: 0)
            if let overlong {
                try body(IngestRecord(line: line, text: empty, problem: ReportReader.overlongProblem(overlong), fields: ReportFields()))
                return
            }
            text.removeAll(keepingCapacity: true)
            switch JSONLineParser.parse(bytes, into: &text) {
            case .blank:
                try body(IngestRecord(line: line, text: empty, problem: nil, fields: ReportFields()))
            case .found(let problem):
                let fields = Self.fields(of: bytes, seen: &seen)
                let encoding = UTF8Scan.firstInvalidOffset(in: bytes).map(ReportReader.invalidUTF8Problem)
                let problems = [problem, encoding].compactMap { $0 }
                try text.withUnsafeBufferPointer { urls in
                    try body(IngestRecord(line: line, text: urls, problem: problems.isEmpty ? nil : problems.joined(separator: "; "),
                                          fields: fields))
                }
            case .noURL(let reason), .invalid(let reason, _):
                try body(IngestRecord(line: line, text: empty, problem: reason, fields: ReportFields()))
            }
        }
        return ReportFileShape(format: .jsonl, fields: ReportColumns.Field.allCases.filter(seen.contains))
    }

    /// The report fields of a line already known to be a valid JSON object.
    ///
    /// Strings are taken as written; a number under `reported_at` is seconds since 1970
    /// (milliseconds when it is that large). When several keys name one field, the
    /// preferred name wins (`reported_at` over `date`).
    private static func fields(of line: UnsafeBufferPointer<UInt8>, seen: inout Set<ReportColumns.Field>) -> ReportFields {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(buffer: line))) as? [String: Any] else {
            return ReportFields()
        }
        var byName: [String: (key: String, value: Any)] = [:]
        for (key, value) in object { byName[ReportColumns.normalized(key)] = (key, value) }
        var fields = ReportFields()
        for field in ReportColumns.Field.allCases {
            guard let (key, value) = ReportColumns.synonyms[field]?.lazy.compactMap({ byName[$0] }).first else { continue }
            seen.insert(field)
            let string = value as? String
            switch field {
            case .reportedAt:
                if string == nil, let number = (value as? NSNumber)?.doubleValue, number.isFinite, abs(number) < 1e15 {
                    fields.reportedAt = Int64(number > 100_000_000_000 ? number / 1000 : number)
                } else if string == nil {
                    fields.problem = "\(key) is not a date or a number of seconds; the ingest time was used"
                } else {
                    fields.setReportedAt(string, field: key)
                }
            case .reporter:
                fields.reporter = ReportFields.clean(string)
            case .organisation:
                fields.organisation = ReportFields.clean(string)
            case .category:
                fields.category = ReportFields.cleanCategory(string)
            case .notes:
                fields.notes = ReportFields.cleanNotes(string)
            }
        }
        return fields
    }
}

/// What `urltriage normalize` does with a report file: rows to `output`,
/// in input order, and the tallies; on one thread or on several, with the
/// same bytes out.
public enum NormalizeRun {
    /// Reads `reader`'s records and writes one row per URL (or per line
    /// without one) to `output`, header first; returns the summary.
    ///
    /// When reading stops on an error, the rows of every record before it are
    /// written (and `output` flushed) before the error is thrown, with the summary so far.
    /// - Parameters:
    ///   - threads: 1 normalises on the calling thread; more uses a `ParallelNormalizer`.
    ///   - batchRecords: records per batch handed to a thread (tests make it small).
    public static func run(
        _ reader: ReportReader, rules: RuleSet, threads: Int, format: RowFormat, output: OutputSink,
        inputBytes: Int? = nil, batchRecords: Int = ParallelNormalizer.batchRecords
    ) throws(NormalizeRunError) -> BatchSummary {
        RecordWriter(format: format, fields: NormalizedRow.fields, sink: output).writeHeader()
        if threads <= 1 {
            // Rows wait for 16 more URLs before their dedupe lookup, so the
            // lookups' cache misses overlap (see PendingRows).
            let normalizer = BatchNormalizer(rules: rules, lookahead: 16, inputBytes: inputBytes)
            let writer = RecordWriter(format: format, fields: NormalizedRow.fields, sink: output)
            var failure: (any Error)?
            do {
                try reader.read { record in
                    normalizer.processRows(line: record.line, text: record.text, problem: record.problem) { writer.write($0) }
                }
            } catch {
                failure = error
            }
            normalizer.finish { writer.write($0) }
            output.flush()
            if let failure { throw NormalizeRunError(error: failure, summary: normalizer.summary) }
            return normalizer.summary
        }
        let normalizer = ParallelNormalizer(rules: rules, threads: threads, format: format, output: output,
                                            inputBytes: inputBytes, batchRecords: batchRecords)
        var failure: (any Error)?
        do {
            try reader.read { normalizer.add($0) }
        } catch {
            failure = error
        }
        normalizer.finish()
        output.flush()
        if let failure { throw NormalizeRunError(error: failure, summary: normalizer.summary) }
        return normalizer.summary
    }
}

/// Reading stopped part way: why, and the tallies of what was read before.
public struct NormalizeRunError: Error, CustomStringConvertible {
    public let error: any Error
    public let summary: BatchSummary
    public var description: String { "\(error)" }
}

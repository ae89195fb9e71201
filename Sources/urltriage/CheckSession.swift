import Dispatch
import Foundation
import TriageKit

/// One `check` run at the terminal: feeds the items to the checker, writes a
/// row per distinct item as results arrive, and keeps the person informed.
struct CheckSession: Sendable {
    /// The columns of `urltriage check`, a stable contract (see README).
    static let fields = ["key", "url", "verdict", "http_status", "final_url", "reason", "elapsed_ms"]

    let batch: CheckBatch
    let format: RowFormat
    let quiet: Bool

    /// What the command's exit status depends on.
    struct Outcome: Sendable {
        var verdictsSeen: Set<Verdict> = []
    }

    func run(with checker: LivenessChecker) async -> Outcome {
        let requests = batch.items.map { CheckRequest(key: $0.key, url: $0.canonical, platform: $0.platform, type: $0.type) }
        let sink = OutputSink.standardOutput()
        let writer = RecordWriter(format: format, fields: Self.fields, sink: sink)
        writer.writeHeader()
        // A person watching a terminal sees each row as it comes; a pipe gets large blocks.
        let flushEachRow = isatty(1) == 1
        var merger = CheckMerger(requests: requests)
        var progress = CheckProgress(total: requests.count + batch.unchecked.count, live: !quiet && isatty(2) == 1)
        var outcome = Outcome()
        // Lines that cannot be checked come first, each with normalize's reason, and count like any error.
        for result in batch.unchecked {
            outcome.verdictsSeen.insert(result.verdict)
            progress.record(result)
            writer.write(Self.values(result))
        }
        for await result in checker.check(requests) {
            outcome.verdictsSeen.insert(result.verdict)
            progress.record(result)
            guard let row = merger.row(for: result) else { continue }
            writer.write(Self.values(row))
            if flushEachRow { sink.flush() }
        }
        sink.flush()
        progress.finish()
        if !quiet {
            Stderr.write(progress.summary(statistics: checker.statistics, merged: merger.merged,
                                          unchecked: batch.unchecked.count, withoutURLs: batch.linesWithoutURLs) + "\n")
        }
        return outcome
    }

    static func values(_ result: CheckResult) -> [RecordWriter.Value] {
        [.text(result.key), .text(result.url), .text(result.verdict.rawValue),
         result.httpStatus.map { .number($0) } ?? .none,
         result.finalURL.map { .text($0) } ?? .none,
         .text(result.reason), .number(result.elapsedMilliseconds)]
    }

    /// Runs async work from the synchronous command and waits for it; the
    /// command line has nothing else to do meanwhile.
    static func runBlocking<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
        let box = ResultBox<T>()
        Task {
            box.value = await body()
            box.done.signal()
        }
        box.done.wait()
        return box.value!
    }
}

/// Carries a result from the task that makes it to the thread that waits for it.
///
/// `@unchecked Sendable`: `value` is written once, before `done` is
/// signalled, and read only after `done` is waited for.
private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
    let done = DispatchSemaphore(value: 0)
}

/// Folds short links into the content they lead to, so each piece of
/// content gets one row: a short link whose target is also in the batch
/// (or was reached by another short link already) gets no row of its own;
/// otherwise its row carries the target's key.
struct CheckMerger {
    /// Keys of the batch's items that are not short links.
    private let directKeys: Set<String>
    private var emitted = Set<String>()
    private(set) var merged = 0

    init(requests: [CheckRequest]) {
        directKeys = Set(requests.filter { $0.type != "short" }.map(\.key))
    }

    mutating func row(for result: CheckResult) -> CheckResult? {
        guard let target = result.resolvedKey, target != result.key else {
            emitted.insert(result.key)
            return result
        }
        if directKeys.contains(target) || emitted.contains(target) {
            merged += 1
            return nil
        }
        emitted.insert(target)
        var row = result
        row.key = target
        return row
    }
}

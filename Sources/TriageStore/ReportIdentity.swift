internal import GRDB

/// Which stored file each line of the file being ingested belongs to.
///
/// A report is identified by (file, line, URL position). A file that begins with
/// an earlier file's bytes, lines appended, takes that file's identity for those
/// lines (and that file may extend another), so its old lines land on the reports
/// already stored and only the appended ones are new.
struct ReportIdentity: Sendable, Equatable {
    /// Ascending: lines up to `lastLine` belong to `source` (after the previous range).
    var ranges: [Range]
    /// The file being ingested, for the lines after every range.
    var own: Int64

    struct Range: Sendable, Equatable {
        var lastLine: Int
        var source: Int64
    }

    /// The source a line's reports are identified by.
    func source(forLine line: Int) -> Int64 {
        for range in ranges where line <= range.lastLine { return range.source }
        return own
    }

    /// Follows `source`'s chain of files it extends.
    static func load(_ db: Database, source: Int64) throws -> ReportIdentity {
        var ranges: [Range] = []
        var current = source
        var seen: Set<Int64> = [source]
        while let row = try Row.fetchOne(db, sql: "SELECT extends_source_id, extends_lines FROM sources WHERE id = ?",
                                         arguments: [current]),
              let parent: Int64 = row[0], let lines: Int = row[1], seen.insert(parent).inserted {
            ranges.insert(Range(lastLine: lines, source: parent), at: 0)
            current = parent
        }
        return ReportIdentity(ranges: ranges, own: source)
    }
}

import Foundation
import Testing
import TriageKit
@testable import TriagePostgres
@testable import TriageStore
@testable import TriageWeb

/// The stores a web test runs on: SQLite always, PostgreSQL when `$URLTRIAGE_TEST_PG` names a
/// test server (or in CI, where a missing one then fails the test, so CI never passes by
/// skipping). As `QueueStoreKind` in the engine's tests: one suite, both stores.
enum WebStoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    static let variable = "URLTRIAGE_TEST_PG"
    static var serverURL: String? {
        let value = ProcessInfo.processInfo.environment[variable]
        return value?.isEmpty == false ? value : nil
    }
    static var inCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    static var available: [WebStoreKind] { serverURL != nil || inCI ? allCases : [.sqlite] }

    var testDescription: String { rawValue }

    /// Where a new store of this kind goes: a file in `directory`, or a new database of its own.
    func storeLocation(directory: String) async throws -> String {
        switch self {
        case .sqlite:
            return directory + "/store.sqlite"
        case .postgres:
            let url = try #require(Self.serverURL, "CI=true but $\(Self.variable) is not set: start a server with .ci/postgres start")
            let server = try PostgresLocation(url)
            let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            try await PostgresStore.createDatabase(name, on: server)
            // The server's URL with the new database in place of its own (password and options kept).
            let (base, query) = url.firstIndex(of: "?").map { (url[..<$0], url[$0...]) } ?? (url[...], "")
            guard let slash = base.lastIndex(of: "/") else { return url }
            return String(base[...slash]) + name + query
        }
    }
}

extension WebHarness {
    /// The rows `sql` returns from the app's store, each column as text (nil for NULL), alike on both stores.
    func rows(_ sql: String) async throws -> [[String?]] {
        switch services.store {
        case let sqlite as CaseStore: return try sqlite.rows(sql)
        case let postgres as PostgresStore: return try await postgres.rows(sql)
        default:
            Issue.record("an unknown store")
            return []
        }
    }

    /// The first column of the first row of `sql` as an integer (0 when there is none).
    func integer(_ sql: String) async throws -> Int64 {
        try await rows(sql).first?.first.flatMap { $0 }.flatMap { Int64($0) } ?? 0
    }

    /// Runs statements that change the store (tests set states as a check would leave them).
    func execute(_ sql: String) async throws {
        switch services.store {
        case let sqlite as CaseStore: try sqlite.execute(sql)
        case let postgres as PostgresStore: try await postgres.execute(sql)
        default: Issue.record("an unknown store")
        }
    }
}

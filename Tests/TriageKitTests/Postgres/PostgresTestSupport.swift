import Foundation
import Testing
import TriagePostgres
import TriageStore

/// The PostgreSQL server the tests use: `$URLTRIAGE_TEST_PG` (`.ci/postgres start` prints it).
///
/// Without it the PostgreSQL tests are skipped, with the message below; in CI (`CI=true`) they
/// run anyway and fail on the missing server, so CI never passes by skipping them.
enum PostgresTestSupport {
    static let variable = "URLTRIAGE_TEST_PG"

    static let url: String? = {
        let value = ProcessInfo.processInfo.environment[variable]
        return value?.isEmpty == false ? value : nil
    }()

    static var inCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// For `.enabled(if:)`: true with a server, or in CI (where the test then fails).
    static var enabled: Bool { url != nil || inCI }

    static let skipMessage: Comment = "PostgreSQL tests skipped: set URLTRIAGE_TEST_PG (eval \"$(.ci/postgres start)\")"

    /// A new, empty database on the test server, its own for one test (so tests run in parallel).
    static func freshDatabase() async throws -> PostgresLocation {
        let url = try #require(url, "CI=true but $\(variable) is not set: start a server with .ci/postgres start")
        let server = try PostgresLocation(url)
        let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await PostgresStore.createDatabase(name, on: server)
        return server.with(database: name)
    }
}

import PostgresNIO
import TriageKit

/// An item's lifecycle state written to its row, as `ItemRecord.apply` writes it on SQLite:
/// one statement for the check recorder, the escalation recorder and marks, so that the three
/// cannot drift apart in what a state change touches.
enum PostgresItemState {
    /// Writes `state` to item `id` at `now` (`status_since` moves only when the status does);
    /// `checked` also records `now` as the item's last check.
    static func write(_ state: ItemState, item id: Int64, at now: Int64, checked: Bool = false,
                      on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            UPDATE items SET status = \(state.status.rawValue),
                status_since = CASE WHEN status = \(state.status.rawValue) THEN status_since ELSE \(now) END,
                last_verdict = \(state.lastVerdict?.rawValue), check_streak = \(Int64(state.checkStreak)),
                next_check_at = \(state.nextCheckAt), response_due_at = \(state.responseDueAt), removed_at = \(state.removedAt),
                first_escalated_at = \(state.firstEscalatedAt),
                last_checked_at = CASE WHEN \(checked) THEN \(now) ELSE last_checked_at END
            WHERE id = \(id)
            """, logger: logger)
    }
}

import Foundation
import Testing
@testable import TriageKit

/// The lifecycle rules and the recheck policy, without a database.
@Suite("Store: lifecycle rules and policy")
struct StoreLifecycleRuleTests {
    let hour = StoreTime.hour
    let now: Int64 = 1_793_620_800
    let lifecycle = Lifecycle(policy: .defaults)

    // MARK: - Policy file

    @Test("the shipped policy.yaml says exactly the built-in defaults")
    func shippedPolicy() throws {
        var policy = try RecheckPolicy.load(from: TestSupport.rulesDirectory + "/policy.yaml")
        #expect(policy.file != nil)
        policy.file = nil
        #expect(policy == .defaults)
    }

    @Test("policy mistakes name the file, line and column, and the nearest key")
    func policyErrors() throws {
        func error(_ yaml: String) throws -> RuleError? {
            let path = try StoreTestSupport.file("policy.yaml", yaml)
            do {
                _ = try RecheckPolicy.load(from: path)
                return nil
            } catch {
                return error
            }
        }
        let typo = try #require(try error("recheck:\n  live: 24h\n  escalate: 12h\n"))
        #expect(typo.location.line == 3)
        #expect(typo.message.contains("did you mean 'escalated'"))
        let unit = try #require(try error("recheck:\n  live: 24\n"))
        #expect(unit.location.line == 2 && unit.location.column == 9)
        #expect(unit.message.contains("30m, 1h, 24h or 2d"))
        let backwards = try #require(try error("recheck:\n  error: {first: 6h, max: 1h}\n"))
        #expect(backwards.message.contains("shorter than 'first'"))
        let hours = try #require(try error("response:\n  default_hours: soon\n"))
        #expect(hours.location.line == 2)
        let partial = try StoreTestSupport.file("policy.yaml", "recheck:\n  live: 12h\nresponse: {default_hours: 48}\npriority: {}\n")
        let policy = try RecheckPolicy.load(from: partial)
        #expect(policy.live == 12 * hour && policy.escalated == 24 * hour && policy.defaultResponseHours == 48)
    }

    @Test("durations take a unit")
    func durations() {
        #expect(RecheckPolicy.parseDuration("30m") == 1800)
        #expect(RecheckPolicy.parseDuration("1.5h") == 5400)
        #expect(RecheckPolicy.parseDuration(" 2d ") == 172_800)
        #expect(RecheckPolicy.parseDuration("0h") == 0)
        #expect(RecheckPolicy.parseDuration("24") == nil)
        #expect(RecheckPolicy.parseDuration("-1h") == nil)
        #expect(RecheckPolicy.parseDuration("400d") == nil)
    }

    @Test("doubtful verdicts back off from an hour, doubling, to a day")
    func backoff() {
        let backoff = RecheckPolicy.defaults.unknown
        #expect((1...7).map { backoff.wait(streak: $0) / hour } == [1, 2, 4, 8, 16, 24, 24])
    }

    // MARK: - Checks

    @Test("a first check gives the verdict's status and schedules the next by the policy")
    func firstChecks() {
        let new = ItemState(status: .new, nextCheckAt: now)
        let live = lifecycle.afterCheck(new, verdict: .live, at: now)
        #expect(live.state.status == .live && live.state.nextCheckAt == now + 24 * hour && live.why == "checked: live")
        let unknown = lifecycle.afterCheck(new, verdict: .unknown, at: now)
        #expect(unknown.state.nextCheckAt == now + hour)
        let again = lifecycle.afterCheck(unknown.state, verdict: .unknown, at: now + hour)
        #expect(again.state.checkStreak == 2 && again.state.nextCheckAt == now + 3 * hour && again.why == nil)
        let removed = lifecycle.afterCheck(new, verdict: .removed, at: now)
        #expect(removed.state.status == .removed && removed.state.removedAt == now && removed.state.nextCheckAt == now + 24 * hour)
    }

    @Test("a removal is confirmed by one more check, then left alone; content back up is live again")
    func removals() {
        let removed = lifecycle.afterCheck(ItemState(status: .live, lastVerdict: .live), verdict: .removed, at: now).state
        let confirmed = lifecycle.afterCheck(removed, verdict: .removed, at: now + 24 * hour)
        #expect(confirmed.state.status == .removed && confirmed.state.nextCheckAt == nil && confirmed.state.removedAt == now)
        let doubtful = lifecycle.afterCheck(removed, verdict: .error, at: now + 24 * hour)
        #expect(doubtful.state.status == .removed && doubtful.state.nextCheckAt == now + 25 * hour)
        let back = lifecycle.afterCheck(removed, verdict: .live, at: now + 24 * hour)
        #expect(back.state.status == .live && back.state.removedAt == nil && back.why?.contains("up again") == true)
    }

    @Test("escalated content is checked daily and when the response target passes, then becomes overdue")
    func escalation() {
        let live = ItemState(status: .live, lastVerdict: .live, checkStreak: 1, nextCheckAt: now + 24 * hour)
        let escalated = lifecycle.afterEscalation(live, at: now, responseHours: 48, now: now)
        #expect(escalated.state.status == .escalated && escalated.state.responseDueAt == now + 48 * hour)
        #expect(escalated.state.firstEscalatedAt == now && escalated.state.nextCheckAt == now + 24 * hour)
        let day = lifecycle.afterCheck(escalated.state, verdict: .live, at: now + 24 * hour)
        #expect(day.state.status == .escalated && day.why == nil)
        #expect(day.state.nextCheckAt == now + 48 * hour, "the next check falls on the response target")
        let due = lifecycle.afterCheck(day.state, verdict: .live, at: now + 48 * hour)
        #expect(due.state.status == .overdue && due.why?.contains("response target") == true)
        #expect(due.state.nextCheckAt == now + 72 * hour)
        let shortTarget = lifecycle.afterEscalation(live, at: now, responseHours: 12, now: now)
        #expect(shortTarget.state.nextCheckAt == now + 12 * hour)
        let gone = lifecycle.afterCheck(due.state, verdict: .removed, at: now + 60 * hour)
        #expect(gone.state.status == .removed && gone.why == "removed after escalation")
        let blind = lifecycle.afterCheck(escalated.state, verdict: .error, at: now + hour)
        #expect(blind.state.status == .escalated && blind.state.nextCheckAt == now + 2 * hour)
        let again = lifecycle.afterEscalation(due.state, at: now + 50 * hour, responseHours: 48, now: now + 50 * hour)
        #expect(again.state.status == .escalated && again.why == "escalated again" && again.state.firstEscalatedAt == now)
    }

    @Test("content back up after removal that was escalated before is due for re-escalation")
    func reappearedAfterEscalation() {
        let removed = ItemState(status: .removed, lastVerdict: .removed, checkStreak: 1, removedAt: now, firstEscalatedAt: now - hour)
        let back = lifecycle.afterCheck(removed, verdict: .restricted, at: now + 24 * hour)
        #expect(back.state.status == .overdue)
    }

    @Test("closed items are never scheduled; reopening makes them due now")
    func closed() {
        let closed = lifecycle.afterFalseReport(ItemState(status: .live, nextCheckAt: now)).state
        #expect(closed.status == .falseReport && closed.nextCheckAt == nil)
        #expect(lifecycle.afterCheck(closed, verdict: .live, at: now).state.nextCheckAt == nil)
        let reopened = lifecycle.afterReopen(closed, now: now)
        #expect(reopened.state.status == .new && reopened.state.nextCheckAt == now)
        let marked = lifecycle.afterRemovalMark(ItemState(status: .escalated, firstEscalatedAt: now - hour), at: now - 60, now: now)
        #expect(marked.state.removedAt == now - 60 && marked.state.nextCheckAt == now - 60 + 24 * hour)
        #expect(marked.why == "marked removed after escalation")
    }

    // MARK: - Percentiles

    @Test("percentiles are nearest-rank, in hours")
    func percentiles() throws {
        let hours: [Int64] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map { $0 * 3600 }
        let summary = try #require(Durations(seconds: hours.reversed()))
        #expect(summary.count == 10 && summary.medianHours == 5 && summary.p90Hours == 9)
        #expect(Durations(seconds: []) == nil)
        #expect(Durations(seconds: [5400])?.medianHours == 1.5)
    }
}

/// What the store keeps about an item's progress, as the lifecycle rules read and change it.
public struct ItemState: Sendable, Equatable {
    public var status: ItemStatus
    public var lastVerdict: Verdict?
    /// Checks in a row that gave `lastVerdict`.
    public var checkStreak: Int
    /// When the item is next due for a check; nil when it is left alone.
    public var nextCheckAt: Int64?
    /// When the platform's response target for the latest escalation passes.
    public var responseDueAt: Int64?
    /// When the content was first seen gone; nil while it is (or is again) up.
    public var removedAt: Int64?
    /// When the item was first escalated; nil if never.
    public var firstEscalatedAt: Int64?

    public init(status: ItemStatus, lastVerdict: Verdict? = nil, checkStreak: Int = 0, nextCheckAt: Int64? = nil,
                responseDueAt: Int64? = nil, removedAt: Int64? = nil, firstEscalatedAt: Int64? = nil) {
        self.status = status
        self.lastVerdict = lastVerdict
        self.checkStreak = checkStreak
        self.nextCheckAt = nextCheckAt
        self.responseDueAt = responseDueAt
        self.removedAt = removedAt
        self.firstEscalatedAt = firstEscalatedAt
    }
}

/// The rules by which checks and staff marks move an item along, and when it is
/// next checked. Pure: the store applies what these return inside one transaction.
public struct Lifecycle: Sendable {
    public let policy: RecheckPolicy

    public init(policy: RecheckPolicy) {
        self.policy = policy
    }

    /// A state after an event, and why its status changed (nil when it did not).
    public struct Step: Sendable, Equatable {
        public var state: ItemState
        public var why: String?

        public init(state: ItemState, why: String?) {
            self.state = state
            self.why = why
        }
    }

    // MARK: - Checks

    /// The state after a check with `verdict` at `now`.
    public func afterCheck(_ state: ItemState, verdict: Verdict, at now: Int64) -> Step {
        var next = state
        next.checkStreak = state.lastVerdict == verdict ? state.checkStreak + 1 : 1
        next.lastVerdict = verdict
        var why: String?
        switch (state.status, verdict) {
        case (.falseReport, _), (.merged, _):
            next.nextCheckAt = nil
            return Step(state: next, why: nil)
        case (.removed, .removed):
            // The confirming check: the item is left alone from now on.
            next.nextCheckAt = nil
            return Step(state: next, why: nil)
        case (.removed, .unknown), (.removed, .error):
            next.nextCheckAt = now + (policy.backoff(for: verdict)?.wait(streak: next.checkStreak) ?? policy.removedConfirmAfter)
            return Step(state: next, why: nil)
        case (.removed, _):
            next.removedAt = nil
            if state.firstEscalatedAt != nil {
                next.status = .overdue
                why = "up again (\(verdict.rawValue)) after it was removed; due for re-escalation"
            } else {
                next.status = ItemStatus(verdict: verdict)
                why = "up again (\(verdict.rawValue)) after it was removed"
            }
        case (_, .removed):
            next.status = .removed
            next.removedAt = now
            next.nextCheckAt = now + policy.removedConfirmAfter
            why = state.status.isWithPlatform ? "removed after escalation" : "removed"
            return Step(state: next, why: why)
        case (.escalated, .live), (.escalated, .restricted):
            if let due = state.responseDueAt, now >= due {
                next.status = .overdue
                why = "still \(verdict.rawValue) \(StoreTime.hours(now - due)) past the platform's response target; due for re-escalation"
            }
        case (.escalated, _), (.overdue, _):
            break
        case (_, _):
            next.status = ItemStatus(verdict: verdict)
            if next.status != state.status { why = "checked: \(verdict.rawValue)" }
        }
        next.nextCheckAt = nextCheck(next, verdict: verdict, at: now)
        return Step(state: next, why: next.status == state.status ? nil : why)
    }

    /// When an item in `state` (after a check with `verdict` at `now`) is next due.
    func nextCheck(_ state: ItemState, verdict: Verdict, at now: Int64) -> Int64? {
        if state.status.isClosed { return nil }
        var wait = policy.backoff(for: verdict)?.wait(streak: state.checkStreak) ?? policy.live
        if state.status.isWithPlatform {
            wait = min(wait, policy.escalated)
            // Check again the moment the platform's time is up.
            if let due = state.responseDueAt, due > now { return min(now + wait, due) }
        }
        return now + wait
    }

    // MARK: - Staff marks

    /// The state after staff escalated the item at `at`, with `responseHours` for the platform to act.
    public func afterEscalation(_ state: ItemState, at: Int64, responseHours: Int, now: Int64) -> Step {
        var next = state
        next.status = .escalated
        next.responseDueAt = at + Int64(responseHours) * StoreTime.hour
        next.firstEscalatedAt = min(state.firstEscalatedAt ?? at, at)
        let due = min(now + policy.escalated, max(next.responseDueAt ?? now, now))
        next.nextCheckAt = state.nextCheckAt.map { min($0, due) } ?? due
        let why = state.status == .overdue || state.status == .escalated ? "escalated again" : "escalated"
        return Step(state: next, why: why)
    }

    /// The state after staff recorded the content as removed at `at`.
    public func afterRemovalMark(_ state: ItemState, at: Int64, now: Int64) -> Step {
        var next = state
        next.status = .removed
        next.removedAt = at
        next.nextCheckAt = max(now, at + policy.removedConfirmAfter)
        return Step(state: next, why: state.status.isWithPlatform ? "marked removed after escalation" : "marked removed")
    }

    /// The state after staff judged the report unfounded.
    public func afterFalseReport(_ state: ItemState) -> Step {
        var next = state
        next.status = .falseReport
        next.nextCheckAt = nil
        return Step(state: next, why: "marked a false report")
    }

    /// The state after staff reopened a closed or removed item: new again, due for a check now.
    public func afterReopen(_ state: ItemState, now: Int64) -> Step {
        var next = state
        next.status = .new
        next.removedAt = nil
        next.checkStreak = 0
        next.nextCheckAt = now
        return Step(state: next, why: "reopened")
    }
}

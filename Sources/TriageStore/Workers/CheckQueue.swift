public import TriageKit

/// The recheck work shared by checker workers: due items handed out with a lease,
/// verdicts taken back only from the worker that still holds the lease.
///
/// Store-neutral: SQLite (`SQLiteCheckQueue`, several processes on one machine
/// sharing one file) and PostgreSQL (`FOR UPDATE SKIP LOCKED`) implement it, and
/// the worker loop (`WorkerRound`) knows only this. Times are `StoreTime`
/// seconds, passed in so tests and benchmarks can fix them.
///
/// A lease is held by a worker name until `leaseUntil`. While it holds, no other
/// worker is handed the item; a worker that dies simply stops renewing, and after
/// the lease ends any worker may claim the item again. A verdict is recorded only
/// for an item whose lease the recording worker still holds (its name, not yet
/// expired); every other result comes back as lost, and the caller drops it.
public protocol CheckQueue: Sendable {
    /// Makes `worker` known (or known again) and returns the recheck run its round writes under:
    /// a row in the store's recheck runs, with the items due at `now`.
    func startRound(worker: WorkerIdentity, by: String, now: Int64) async throws -> QueueRound

    /// Ends a round: its counts and how it ended (`finished`, `stopped by SIGTERM` …).
    func finishRound(_ round: QueueRound, checked: Int, changed: Int, outcome: String, now: Int64) async throws

    /// Leases up to `count` items due at `now` that no live lease holds, most overdue first, to
    /// `worker` until `now + leaseSeconds`; returns what to check for each. Empty when nothing
    /// is left to claim.
    func claim(worker: String, region: String?, count: Int, leaseSeconds: Int64, now: Int64) async throws -> [ClaimedCheck]

    /// Records the results whose items `worker` still holds the lease on (with the worker and its
    /// region on each check) and ends those leases, all in one transaction; returns what was
    /// recorded and the results whose lease was lost, which were not recorded.
    func record(_ results: [CheckResult], worker: String, region: String?, round: QueueRound, now: Int64) async throws
        -> QueueRecording

    /// Gives back the leases on `keys` that `worker` holds without a verdict (a stop, a check
    /// that never finished): the items are due again at once.
    func release(keys: [String], worker: String, now: Int64) async throws

    /// Says `worker` is alive (`workers.last_seen_at`) and extends its leases on `keys`, the
    /// items still in hand, to `now + leaseSeconds`. Returns the keys whose lease it no longer
    /// holds (expired and taken by another, or released).
    func heartbeat(worker: String, keys: [String], leaseSeconds: Int64, now: Int64) async throws -> [String]

    /// The workers seen, with what each did in the hour before `now` and the leases it holds.
    func workers(now: Int64) async throws -> [WorkerStatus]
}

/// Who a worker is: its name (unique among the store's workers), its region and process.
public struct WorkerIdentity: Sendable, Equatable {
    public var name: String
    /// A label for where it checks from (`uk`, `de`, `eu-west`); nil when regions are not used.
    public var region: String?
    public var host: String
    public var pid: Int

    public init(name: String, region: String?, host: String, pid: Int) {
        self.name = name
        self.region = region
        self.host = host
        self.pid = pid
    }
}

/// A round's recheck run, as the queue started it.
public struct QueueRound: Sendable, Equatable {
    public var runID: Int64
    /// Items due (and not leased) when the round started.
    public var due: Int

    public init(runID: Int64, due: Int) {
        self.runID = runID
        self.due = due
    }
}

/// An item handed to a worker: what to check, and until when the lease holds.
public struct ClaimedCheck: Sendable, Equatable {
    public var request: CheckRequest
    public var leaseUntil: Int64

    public init(request: CheckRequest, leaseUntil: Int64) {
        self.request = request
        self.leaseUntil = leaseUntil
    }
}

/// What recording a batch of results did.
public struct QueueRecording: Sendable, Equatable {
    /// Checks recorded.
    public var checked = 0
    public var verdicts: [Verdict: Int] = [:]
    /// Status changes, by "from → to".
    public var transitions: [String: Int] = [:]
    public var merged = 0
    /// Results not recorded because the worker no longer held the item's lease.
    public var lost: [CheckResult] = []

    public init() {}
}

/// One worker as `urltriage workers` lists it.
public struct WorkerStatus: Sendable, Equatable, Codable {
    public var name: String
    public var region: String?
    public var host: String
    public var pid: Int
    public var startedAt: Int64
    public var lastSeenAt: Int64
    /// Checks it recorded in the hour before the listing.
    public var checkedLastHour: Int
    /// Items it holds an unexpired lease on.
    public var leasesHeld: Int

    public init(name: String, region: String?, host: String, pid: Int, startedAt: Int64, lastSeenAt: Int64,
                checkedLastHour: Int, leasesHeld: Int) {
        self.name = name
        self.region = region
        self.host = host
        self.pid = pid
        self.startedAt = startedAt
        self.lastSeenAt = lastSeenAt
        self.checkedLastHour = checkedLastHour
        self.leasesHeld = leasesHeld
    }
}

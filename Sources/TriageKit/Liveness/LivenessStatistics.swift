/// Counts from a check run, for summaries and benchmarks.
public struct LivenessStatistics: Sendable, Equatable {
    /// HTTP requests made, retries and probes included.
    public var requests = 0
    /// Requests that were retries.
    public var retries = 0
    /// Times a host was slowed down by 429 or 503.
    public var slowDowns = 0
    /// The most transfers in flight at once.
    public var peakInFlight = 0
    /// Short links resolved to a classified target.
    public var shortLinksResolved = 0
    /// Hosts marked down for the run after failing attempt after attempt.
    public var hostsDown = 0
    /// Items ended as `error` without a request because their host was down.
    public var itemsOnDownHosts = 0

    public init() {}
}

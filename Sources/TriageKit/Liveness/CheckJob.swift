/// One item on its way to a verdict, through up to three requests: a probe
/// (oEmbed) where the rules name one, the page itself, and for a short link
/// the probe of the content it resolved to.
struct CheckJob {
    enum Phase {
        /// Asking the item's platform probe first.
        case probe(LivenessProbe)
        /// Fetching the item's own URL (following redirects).
        case page
        /// A short link resolved; asking the target platform's probe.
        case targetProbe(LivenessProbe)
    }

    let request: CheckRequest
    let isShort: Bool
    var phase: Phase
    /// The URL of the current phase's request.
    var url: String
    /// The scheduler's host for `url`.
    var host: Int
    /// Attempts in the current phase.
    var attempt = 0
    /// Attempts over all phases.
    var totalAttempts = 0
    /// When the first request started (monotonic), for elapsed time.
    var firstStart: UInt64?
    /// Said before the page's evidence: a probe that did not decide, a resolved short link.
    var notes: [String] = []
    /// A short link's page, kept while the target's probe is asked.
    var pageOutcome: TransferOutcome?
    /// What a short link resolved to.
    var resolved: Classification?
}

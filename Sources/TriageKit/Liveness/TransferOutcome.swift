/// What one HTTP request came back with: the evidence a verdict is built from.
///
/// The body is here only long enough to be matched against signatures; it is
/// never written or logged.
struct TransferOutcome: Sendable {
    /// Why the transfer failed, or nil when a response was read.
    var failure: TransferFailure?
    /// libcurl's own words for the failure, for the reason column.
    var failureMessage: String = ""
    /// The last response's status (after redirects).
    var status: Int?
    /// Where redirects ended.
    var finalURL: String?
    var redirects = 0
    var body: [UInt8] = []
    /// The body went on past the cap and the transfer was stopped there.
    var bodyCapped = false
    /// The last response's Retry-After, as sent.
    var retryAfter: String?
    /// The last response's X-RateLimit-Reset, as sent.
    var rateLimitReset: String?
    /// The last Location header seen (to name a refused redirect target).
    var location: String?
    /// The address refused by the address policy, with why.
    var refusal: String?
    var elapsedNanoseconds: UInt64 = 0
}

/// Why a transfer got no usable response, in the checker's terms.
enum TransferFailure: Sendable, Equatable {
    /// The host name does not resolve: a verdict, not a retry.
    case dns
    /// The address policy refused the address the name resolved to.
    case refused
    /// Nothing listened, or the network said no.
    case connect
    case timeout
    case tls
    /// More redirects than allowed: a loop or a bot wall.
    case tooManyRedirects
    /// A redirect to a scheme other than http and https.
    case scheme
    /// The connection was reset or closed before a full answer.
    case reset
    case proxy
    /// The response's headers went past libcurl's limits (300 KiB in all, 100 KiB a line):
    /// a misbehaving server, which no retry mends.
    case headersTooLarge
    /// The host failed attempt after attempt and is marked down for the run.
    case hostDown
    case other(Int32)

    /// Failures that may heal by themselves, worth another attempt.
    var isTransient: Bool {
        self == .timeout || self == .reset
    }
}

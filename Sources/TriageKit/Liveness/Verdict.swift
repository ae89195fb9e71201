public import Foundation

/// Whether reported content is still up, as a caseworker needs to know it.
public enum Verdict: String, Sendable, Codable, CaseIterable {
    /// The content answers and nothing says it is gone.
    case live
    /// The platform says the content is gone (404/410, a removal page, an oEmbed 404 …).
    case removed
    /// Behind a login wall, private, or an age or region gate: up, but not for everyone.
    case restricted
    /// Rate-limited or blocked after retries, or a bot wall: nobody can tell yet.
    case unknown
    /// DNS, connection, TLS or timeout failure: the check itself failed.
    case error
}

/// One item to check: its key and the URL to fetch.
public struct CheckRequest: Sendable, Hashable {
    public var key: String
    public var url: String
    public var platform: String
    public var type: String

    public init(key: String, url: String, platform: String, type: String) {
        self.key = key
        self.url = url
        self.platform = platform
        self.type = type
    }
}

/// The outcome of checking one item, with the evidence that decided it. Never a body.
public struct CheckResult: Sendable, Codable, Equatable {
    public var key: String
    /// The URL that was checked.
    public var url: String
    public var verdict: Verdict
    public var httpStatus: Int?
    /// Where redirects ended.
    public var finalURL: String?
    public var redirects: Int
    /// The evidence in words: the signature (file:line) or status that decided.
    public var reason: String
    public var elapsedMilliseconds: Int
    public var checkedAt: Date
    /// For a short link: the key of the content it resolved to, once re-classified.
    public var resolvedKey: String?
    /// How many requests the check took, retries and probes included.
    public var attempts: Int
    /// How many body bytes were read (at most the body cap) to match signatures; the bytes themselves are gone.
    public var bodyBytes: Int

    public init(key: String, url: String, verdict: Verdict, httpStatus: Int? = nil, finalURL: String? = nil,
                redirects: Int = 0, reason: String, elapsedMilliseconds: Int, checkedAt: Date = Date(),
                resolvedKey: String? = nil, attempts: Int = 1, bodyBytes: Int = 0) {
        self.key = key
        self.url = url
        self.verdict = verdict
        self.httpStatus = httpStatus
        self.finalURL = finalURL
        self.redirects = redirects
        self.reason = reason
        self.elapsedMilliseconds = elapsedMilliseconds
        self.checkedAt = checkedAt
        self.resolvedKey = resolvedKey
        self.attempts = attempts
        self.bodyBytes = bodyBytes
    }
}

extension CheckResult {
    enum CodingKeys: String, CodingKey {
        case key, url, verdict, httpStatus, finalURL, redirects, reason, elapsedMilliseconds, checkedAt, resolvedKey, attempts, bodyBytes
    }

    /// Decodes results written before `attempts` and `bodyBytes` existed, too.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(key: try container.decode(String.self, forKey: .key),
                  url: try container.decode(String.self, forKey: .url),
                  verdict: try container.decode(Verdict.self, forKey: .verdict),
                  httpStatus: try container.decodeIfPresent(Int.self, forKey: .httpStatus),
                  finalURL: try container.decodeIfPresent(String.self, forKey: .finalURL),
                  redirects: try container.decodeIfPresent(Int.self, forKey: .redirects) ?? 0,
                  reason: try container.decode(String.self, forKey: .reason),
                  elapsedMilliseconds: try container.decode(Int.self, forKey: .elapsedMilliseconds),
                  checkedAt: try container.decode(Date.self, forKey: .checkedAt),
                  resolvedKey: try container.decodeIfPresent(String.self, forKey: .resolvedKey),
                  attempts: try container.decodeIfPresent(Int.self, forKey: .attempts) ?? 1,
                  bodyBytes: try container.decodeIfPresent(Int.self, forKey: .bodyBytes) ?? 0)
    }
}

/// Something that checks items and reports each result as it comes in.
public protocol LivenessChecking: Sendable {
    /// Checks every request once; results arrive in completion order.
    func check(_ requests: [CheckRequest]) -> AsyncStream<CheckResult>
}

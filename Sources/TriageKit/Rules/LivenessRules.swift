import Foundation

/// A sign, in a check's response, that content is removed or restricted.
/// Every field given must match; a signature with none matches nothing.
public struct LivenessSignature: Sendable {
    /// The final response's status must be one of these (empty: any status).
    public let status: [Int]
    /// Matched against the full URL where redirects ended.
    public let finalURL: Pattern?
    /// Matched, without regard to case, against the first bytes of the body.
    public let body: Pattern?
    /// True: only when the check was redirected on its way (a login wall the
    /// site sent it to, not a reported login page); nil: either way.
    public let redirected: Bool?
    public let location: SourceLocation

    public init(status: [Int], finalURL: Pattern?, body: Pattern?, redirected: Bool? = nil, location: SourceLocation) {
        self.status = status
        self.finalURL = finalURL
        self.body = body
        self.redirected = redirected
        self.location = location
    }
}

/// What a probe's answer says about the content.
public enum ProbeAnswer: String, Sendable, CaseIterable {
    case live, removed, restricted, unknown
    /// The answer says nothing either way: the page itself decides.
    case page
}

/// A second, more reliable question to ask about a piece of content, such
/// as a platform's public oEmbed endpoint, with what each status means.
public struct LivenessProbe: Sendable {
    /// The probe URL; `{url}` stands for the content's canonical URL, percent-encoded.
    public let template: String
    /// The content types the probe answers for; nil means every type.
    public let types: Set<String>?
    /// What each status means; a status not listed leaves it to the page.
    public let answers: [Int: ProbeAnswer]
    public let location: SourceLocation

    /// Whether the probe can say something about content of this type.
    public func applies(to type: String) -> Bool { types?.contains(type) ?? true }

    /// The probe URL for one piece of content.
    public func url(for canonical: String) -> String {
        template.replacingOccurrences(of: "{url}", with: Self.percentEncode(canonical))
    }

    /// Everything but RFC 3986's unreserved characters is escaped, so the
    /// URL survives as one query value.
    static func percentEncode(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count * 3)
        for byte in text.utf8 {
            switch byte {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2D, 0x2E, 0x5F, 0x7E:
                bytes.append(byte)
            default:
                bytes += [0x25, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// The signatures a platform's responses are judged by, and its probe.
public struct LivenessRules: Sendable {
    public let removed: [LivenessSignature]
    public let restricted: [LivenessSignature]
    public let probe: LivenessProbe?

    public init(removed: [LivenessSignature], restricted: [LivenessSignature], probe: LivenessProbe? = nil) {
        self.removed = removed
        self.restricted = restricted
        self.probe = probe
    }
}

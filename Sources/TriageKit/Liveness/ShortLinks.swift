/// Short links: URLs whose content only a redirect reveals.
enum ShortLinks {
    /// Link shorteners that no platform rule file names; their items are
    /// `web` pages, but they are resolved like a platform's short links.
    static let hosts: Set<String> = [
        "bit.ly", "bitly.com", "t.co", "tinyurl.com", "ow.ly", "buff.ly", "goo.gl", "is.gd", "v.gd",
        "rebrand.ly", "cutt.ly", "tiny.cc", "shorturl.at", "lnkd.in", "dlvr.it", "t.ly", "rb.gy",
        "s.id", "fb.me", "trib.al", "qrco.de", "x.gd",
    ]

    /// Whether the request is a short link to resolve.
    static func isShort(_ request: CheckRequest, host: String) -> Bool {
        request.type == "short" || hosts.contains(host) || (host.hasPrefix("www.") && hosts.contains(String(host.dropFirst(4))))
    }
}

import Foundation

/// What the server knows about a request when it picks a behaviour.
public struct ImitatedRequest: Sendable {
    /// The Host header, lower-cased, without a port.
    public var host: String
    public var method: String
    public var path: String
    /// Query parameters, percent-decoded; the last of a repeated name wins.
    public var query: [String: String]
    /// How many requests for this host and path came before this one.
    public var earlier: Int

    public init(host: String, method: String, uri: String, earlier: Int = 0) {
        self.host = host
        self.method = method
        self.earlier = earlier
        let parts = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        path = parts.first.map(String.init) ?? "/"
        var query: [String: String] = [:]
        if parts.count > 1 {
            for pair in parts[1].split(separator: "&") {
                let nameValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let decode = { (text: Substring) in String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text) }
                query[decode(nameValue[0])] = nameValue.count > 1 ? decode(nameValue[1]) : ""
            }
        }
        self.query = query
    }

    /// The path's segments: `/a/b/` gives `["a", "b"]`.
    var segments: [String] { path.split(separator: "/").map(String.init) }

    /// The segment after `name`: `/@u/video/123` with `video` gives `123`.
    func segment(after name: String) -> String? {
        let parts = segments
        guard let index = parts.firstIndex(of: name), index + 1 < parts.count else { return nil }
        return parts[index + 1]
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The address policy for requests that go through `--proxy`.
///
/// Through a proxy, the only socket the checker opens is the proxy's, so the
/// open-socket check never sees the target: a reported URL (or a redirect)
/// naming `127.0.0.1`, `10.1.2.3` or `metadata.internal` would make the proxy
/// fetch from the network it sits in. This guard looks at each target before
/// it is handed to the proxy, on the first request and on every redirect:
/// by its literal address, by what its name resolves to here, and by the
/// names that only ever mean a local service (the proxy may resolve those
/// itself: http, https, socks4a and socks5h proxies do).
///
/// Used on the engine's thread only (the header callback runs there too).
final class ProxyGuard {
    /// Refusals by host name, so each host is resolved once per run; nil means allowed.
    private var decided: [String: String?] = [:]

    /// Names that mean a service on the proxy's own machine or network, whatever DNS says.
    static let localSuffixes = [".localhost", ".internal", ".local"]
    static let localNames: Set<String> = ["localhost", "localhost.localdomain", "internal", "local", "ip6-localhost", "ip6-loopback"]

    /// Why the target host of `url` (absolute, http or https) must not reach the proxy; nil when it may.
    func refusal(url: String) -> String? {
        guard let parsed = try? WebURL.parse(url) else { return nil }
        return refusal(host: parsed.host)
    }

    /// Why the next hop of a redirect to `location` must not reach the proxy; nil when it may.
    /// A relative Location stays on the host already allowed.
    func refusal(location: String) -> String? {
        let text = RetryPolicy.trimmed(location)
        let bytes = Array(text.utf8)
        let isSlash = { (byte: UInt8) in byte == UInt8(ascii: "/") || byte == UInt8(ascii: "\\") }
        let absolute: String
        if bytes.count >= 2, isSlash(bytes[0]), isSlash(bytes[1]) {
            // Network-path reference: a new host under the same scheme (either serves for the host).
            absolute = "http:" + text
        } else if Self.hasScheme(bytes) {
            let lowered = text.lowercased()
            // Other schemes are refused by libcurl before anything is sent.
            guard lowered.hasPrefix("http:") || lowered.hasPrefix("https:") else { return nil }
            absolute = text
        } else {
            return nil
        }
        guard let parsed = try? WebURL.parse(absolute) else {
            return "a redirect to '\(VerdictJudge.shorten(text, limit: 120))', which the checker cannot read, not sent to the proxy"
        }
        return refusal(host: parsed.host).map { "a redirect to \($0)" }
    }

    /// Why `host` (a serialised WHATWG host) must not reach the proxy; nil when it may.
    func refusal(host: String) -> String? {
        if let known = decided[host] { return known }
        let answer = decide(host)
        decided[host] = answer
        return answer
    }

    private func decide(_ host: String) -> String? {
        if let address = Self.literal(host) {
            return AddressPolicy.refusal(address).map { "\(AddressPolicy.text(address)) is \($0), not sent to the proxy" }
        }
        var name = host.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        if Self.localNames.contains(name) || Self.localSuffixes.contains(where: { name.hasSuffix($0) }) {
            return "\(name) names a local service, not sent to the proxy"
        }
        for address in Self.resolve(name) {
            if let reason = AddressPolicy.refusal(address) {
                return "\(name) resolves to \(AddressPolicy.text(address)), \(reason), not sent to the proxy"
            }
        }
        // A name that does not resolve here is the proxy's to resolve.
        return nil
    }

    /// The bytes of an IPv4 or bracketed IPv6 host, or nil for a name.
    static func literal(_ host: String) -> [UInt8]? {
        if host.hasPrefix("["), host.hasSuffix("]") {
            var address = in6_addr()
            guard inet_pton(AF_INET6, String(host.dropFirst().dropLast()), &address) == 1 else { return nil }
            return withUnsafeBytes(of: address) { Array($0) }
        }
        var address = in_addr()
        guard inet_pton(AF_INET, host, &address) == 1 else { return nil }
        return withUnsafeBytes(of: address) { Array($0) }
    }

    /// `scheme:` at the start (RFC 3986: a letter, then letters, digits, `+`, `-`, `.`).
    static func hasScheme(_ bytes: [UInt8]) -> Bool {
        guard let first = bytes.first, (first | 0x20) >= UInt8(ascii: "a"), (first | 0x20) <= UInt8(ascii: "z") else { return false }
        for byte in bytes.dropFirst() {
            if byte == UInt8(ascii: ":") { return true }
            let lower = byte | 0x20
            let allowed = (lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
            if !allowed { return false }
        }
        return false
    }

    /// Every address `name` resolves to on this machine; empty when it does not resolve.
    static func resolve(_ name: String) -> [[UInt8]] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(name, nil, &hints, &list) == 0 else { return [] }
        defer { freeaddrinfo(list) }
        var addresses: [[UInt8]] = []
        var entry = list
        while let current = entry {
            if let address = current.pointee.ai_addr {
                if current.pointee.ai_family == AF_INET {
                    address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                        withUnsafeBytes(of: pointer.pointee.sin_addr) { addresses.append(Array($0)) }
                    }
                } else if current.pointee.ai_family == AF_INET6 {
                    address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                        withUnsafeBytes(of: pointer.pointee.sin6_addr) { addresses.append(Array($0)) }
                    }
                }
            }
            entry = current.pointee.ai_next
        }
        return addresses
    }
}

internal import CCurl
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What every transfer of one run shares, prepared once: the options, the
/// header and --connect-to lists libcurl reads from, and the address policy.
final class TransferSettings {
    let options: LivenessOptions
    /// libcurl keeps pointers to these lists, so they live as long as the run.
    let headers: UnsafeMutablePointer<curl_slist>?
    let connectTo: UnsafeMutablePointer<curl_slist>?
    /// The proxy's own addresses: the one private address allowed without
    /// --allow-private, because the user named it.
    let proxyAddresses: Set<[UInt8]>
    /// Checks each target before it is handed to the proxy; nil without a
    /// proxy (the open-socket check sees every address then) or with --allow-private.
    let proxyGuard: ProxyGuard?

    init(options: LivenessOptions) {
        self.options = options
        var headers: UnsafeMutablePointer<curl_slist>?
        for header in ["Accept: text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8",
                       "Accept-Language: en-GB,en;q=0.8"] {
            headers = curl_slist_append(headers, header)
        }
        self.headers = headers
        var connectTo: UnsafeMutablePointer<curl_slist>?
        for entry in options.connectTo { connectTo = curl_slist_append(connectTo, entry) }
        self.connectTo = connectTo
        proxyAddresses = options.proxy.map(Self.resolveProxy) ?? []
        proxyGuard = options.proxy != nil && !options.allowPrivate ? ProxyGuard() : nil
    }

    deinit {
        curl_slist_free_all(headers)
        curl_slist_free_all(connectTo)
    }

    /// Why the checker must not connect to `address`, or nil when it may.
    func refusal(for address: [UInt8]) -> String? {
        guard !options.allowPrivate, !proxyAddresses.contains(address) else { return nil }
        return AddressPolicy.refusal(address)
    }

    /// The addresses the proxy's host name resolves to.
    private static func resolveProxy(_ proxy: String) -> Set<[UInt8]> {
        guard let afterScheme = proxy.range(of: "://").map({ proxy[$0.upperBound...] }) else { return [] }
        var authority = afterScheme.prefix { $0 != "/" }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        let host: Substring
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            host = authority[authority.index(after: authority.startIndex)..<close]
        } else {
            host = authority.prefix { $0 != ":" }
        }
        return Set(ProxyGuard.resolve(String(host)))
    }
}

internal import CCurl
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One libcurl easy handle and the request it carries. Transfers are pooled
/// and reused, and touched only on the engine's thread.
final class Transfer {
    let handle: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private let settings: TransferSettings

    /// The job this transfer works for.
    var job = -1
    /// The scheduler's host this transfer counts against.
    var host = -1
    var startedAt: UInt64 = 0

    private var body: [UInt8] = []
    private var bodyCapped = false
    private var retryAfter: String?
    private var rateLimitReset: String?
    private var location: String?
    private var refusal: String?
    /// The status and Location of the response whose headers are arriving, for the proxy guard.
    private var responseStatus = 0
    private var responseLocation: String?
    /// Whether the last response's headers ended (its blank line came).
    private var headersComplete = false

    init?(settings: TransferSettings) {
        guard let handle = curl_easy_init() else { return nil }
        self.handle = handle
        self.settings = settings
        errorBuffer = .allocate(capacity: Int(ccurl_error_size))
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// The pointer libcurl hands back to the callbacks.
    var opaque: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    // MARK: - Setup

    /// Resets the handle and sets it up for a GET of `url`.
    func prepare(url: String, job: Int, host: Int) -> Bool {
        curl_easy_reset(handle)
        self.job = job
        self.host = host
        body = []
        bodyCapped = false
        retryAfter = nil
        rateLimitReset = nil
        location = nil
        refusal = nil
        responseStatus = 0
        responseLocation = nil
        headersComplete = false
        errorBuffer[0] = 0
        let options = settings.options
        var ok = true
        func set(_ code: CURLcode) { if code != CURLE_OK { ok = false } }
        set(ccurl_setopt_string(handle, CURLOPT_URL, url))
        set(ccurl_setopt_pointer(handle, CURLOPT_PRIVATE, opaque))
        set(ccurl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer)))
        set(ccurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1))
        // Bodies go to memory only, up to the cap.
        set(ccurl_setopt_write_function(handle, CURLOPT_WRITEFUNCTION, Transfer.writeCallback))
        set(ccurl_setopt_pointer(handle, CURLOPT_WRITEDATA, opaque))
        set(ccurl_setopt_write_function(handle, CURLOPT_HEADERFUNCTION, Transfer.headerCallback))
        set(ccurl_setopt_pointer(handle, CURLOPT_HEADERDATA, opaque))
        // Every socket is checked against the address policy before it opens.
        set(ccurl_setopt_opensocket_function(handle, Transfer.openSocketCallback))
        set(ccurl_setopt_pointer(handle, CURLOPT_OPENSOCKETDATA, opaque))
        // http and https only, also after redirects; at most maxRedirects of them.
        set(ccurl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"))
        set(ccurl_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"))
        set(ccurl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 1))
        set(ccurl_setopt_long(handle, CURLOPT_MAXREDIRS, options.maxRedirects))
        // The clock starts when the transfer leaves our queue, not before.
        set(ccurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, options.connectTimeout.curlMilliseconds))
        set(ccurl_setopt_long(handle, CURLOPT_TIMEOUT_MS, options.timeout.curlMilliseconds))
        set(ccurl_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, options.lowSpeedBytes))
        set(ccurl_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, max(1, options.lowSpeedTime.curlMilliseconds / 1000)))
        set(ccurl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1))
        set(ccurl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2))
        if let caCertificate = options.caCertificate { set(ccurl_setopt_string(handle, CURLOPT_CAINFO, caCertificate)) }
        // An empty proxy turns off the environment's http_proxy and friends:
        // only --proxy sends traffic through a proxy.
        set(ccurl_setopt_string(handle, CURLOPT_PROXY, options.proxy ?? ""))
        set(ccurl_setopt_string(handle, CURLOPT_USERAGENT, options.userAgent))
        set(ccurl_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, ""))
        set(ccurl_setopt_slist(handle, CURLOPT_HTTPHEADER, settings.headers))
        if let connectTo = settings.connectTo { set(ccurl_setopt_slist(handle, CURLOPT_CONNECT_TO, connectTo)) }
        // No CURLOPT_PIPEWAIT: it holds every new transfer to a host until the
        // first connection's answer shows whether it multiplexes, which
        // serialises a slow host's first wave (measured: 2,000 transfers
        // took two server delays instead of one).
        return ok
    }

    // MARK: - Outcome

    /// What came back, once libcurl says the transfer is done; the body moves out.
    func outcome(code: CURLcode, now: UInt64) -> TransferOutcome {
        var result = TransferOutcome()
        var status = 0
        if ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK, status > 0 { result.status = status }
        var effective: UnsafeMutablePointer<CChar>?
        if ccurl_getinfo_string(handle, CURLINFO_EFFECTIVE_URL, &effective) == CURLE_OK, let effective {
            result.finalURL = String(cString: effective)
        }
        var redirects = 0
        if ccurl_getinfo_long(handle, CURLINFO_REDIRECT_COUNT, &redirects) == CURLE_OK { result.redirects = redirects }
        result.retryAfter = retryAfter
        result.rateLimitReset = rateLimitReset
        result.location = location
        result.refusal = refusal
        result.bodyCapped = bodyCapped
        result.body = body
        body = []
        result.elapsedNanoseconds = now &- startedAt
        // Stopping at the body cap is how the write callback ends a transfer on purpose.
        if code != CURLE_OK && !(code == CURLE_WRITE_ERROR && bodyCapped) {
            let detail = String(cString: errorBuffer)
            result.failure = refusal != nil ? .refused : Self.failure(for: code, detail: detail)
            // libcurl 7.x gives up on a header line over its 100 KiB limit with a
            // bare "out of memory"; in the middle of the headers, that is what it means.
            if code == CURLE_OUT_OF_MEMORY && !headersComplete {
                result.failure = .headersTooLarge
                result.failureMessage = "header line over the limit (max is 100 KiB)"
                return result
            }
            result.failureMessage = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        }
        return result
    }

    static func failure(for code: CURLcode, detail: String = "") -> TransferFailure {
        // libcurl says "out of memory" for a header line over its 100 KiB limit
        // ("Avoided giant realloc for header") and "receive error" for headers
        // over 300 KiB in all ("Too large response headers"); CURLE_TOO_LARGE
        // (100) is how libcurl 8.6 and later say both.
        let lowered = detail.lowercased()
        if code.rawValue == 100 || ((code == CURLE_OUT_OF_MEMORY || code == CURLE_RECV_ERROR) && lowered.contains("header")
            && (lowered.contains("too large") || lowered.contains("giant") || lowered.contains("max is"))) {
            return .headersTooLarge
        }
        // The proxy said no to a tunnel: the proxy's answer, not a reset connection.
        if detail.hasPrefix("CONNECT tunnel failed") || detail.contains("from proxy after CONNECT") { return .proxy }
        return switch code {
        case CURLE_COULDNT_RESOLVE_HOST: .dns
        case CURLE_COULDNT_RESOLVE_PROXY: .proxy
        case CURLE_COULDNT_CONNECT: .connect
        case CURLE_OPERATION_TIMEDOUT: .timeout
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS:
            .tls
        case CURLE_TOO_MANY_REDIRECTS: .tooManyRedirects
        case CURLE_UNSUPPORTED_PROTOCOL: .scheme
        case CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_HTTP2_STREAM:
            .reset
        default: .other(Int32(code.rawValue))
        }
    }

    // MARK: - Callbacks

    /// Keeps body bytes up to the cap, then stops the transfer by returning
    /// less than it was given.
    static let writeCallback: ccurl_write_callback = { pointer, size, count, userdata in
        guard let userdata else { return 0 }
        let transfer = Unmanaged<Transfer>.fromOpaque(userdata).takeUnretainedValue()
        let length = size * count
        let room = transfer.settings.options.maxBodyBytes - transfer.body.count
        guard room > 0 else {
            transfer.bodyCapped = true
            return 0
        }
        if let pointer {
            let taken = min(room, length)
            pointer.withMemoryRebound(to: UInt8.self, capacity: taken) {
                transfer.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: taken))
            }
            if taken < length {
                transfer.bodyCapped = true
                return 0
            }
        }
        return length
    }

    /// Notes the headers that politeness and evidence need; a status line
    /// starts a new response (each redirect has its own).
    static let headerCallback: ccurl_write_callback = { pointer, size, count, userdata in
        let length = size * count
        guard let userdata, let pointer else { return length }
        let transfer = Unmanaged<Transfer>.fromOpaque(userdata).takeUnretainedValue()
        let line = pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
        if line.hasPrefix("HTTP/") {
            transfer.retryAfter = nil
            transfer.rateLimitReset = nil
            transfer.responseLocation = nil
            transfer.headersComplete = false
            transfer.responseStatus = line.split(separator: " ", maxSplits: 2).dropFirst().first.flatMap { Int($0) } ?? 0
            return length
        }
        guard let colon = line.firstIndex(of: ":") else {
            guard line == "\r\n" || line == "\n" else { return length }
            transfer.headersComplete = true
            // The blank line ends a response's headers: libcurl follows a
            // redirect only after it, so a target the proxy must not see is stopped here.
            if (300...399).contains(transfer.responseStatus), let location = transfer.responseLocation,
               let proxyGuard = transfer.settings.proxyGuard, let reason = proxyGuard.refusal(location: location) {
                transfer.refusal = reason
                return 0
            }
            return length
        }
        let name = line[..<colon].lowercased()
        let value = RetryPolicy.trimmed(line[line.index(after: colon)...])
        switch name {
        case "retry-after": transfer.retryAfter = value
        case "x-ratelimit-reset", "ratelimit-reset": transfer.rateLimitReset = value
        case "location":
            transfer.location = value
            transfer.responseLocation = value
        default: break
        }
        return length
    }

    /// Opens the socket only when the address policy allows the address;
    /// refusing here covers DNS answers, redirects and --connect-to alike.
    static let openSocketCallback: ccurl_opensocket_callback = { clientp, _, address in
        guard let clientp, let address else { return ccurl_socket_bad }
        let transfer = Unmanaged<Transfer>.fromOpaque(clientp).takeUnretainedValue()
        var bytes = [UInt8](repeating: 0, count: 16)
        let count = Int(ccurl_sockaddr_ip(address, &bytes))
        let ip = Array(bytes.prefix(count))
        if let reason = transfer.settings.refusal(for: ip) {
            transfer.refusal = "\(AddressPolicy.text(ip)) is \(reason)"
            return ccurl_socket_bad
        }
        return socket(address.pointee.family, address.pointee.socktype, address.pointee.protocol)
    }
}

internal import CCurl

/// libcurl's global state, set up once before any handle exists.
enum CurlLibrary {
    /// Whether `curl_global_init` succeeded; Swift runs this initialiser once, thread-safely.
    static let ready: Bool = curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK

    /// The libcurl version in use, e.g. `7.88.1`.
    static var version: String {
        guard let info = curl_version_info(ccurl_version_now), let text = info.pointee.version else { return "unknown" }
        return String(cString: text)
    }
}

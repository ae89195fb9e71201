import Foundation
import NIOCore
import NIOHTTP1

/// Hosts under `.example` that each misbehave in one way, for the tests.
enum MisbehavingHosts {
    static let hosts = [
        "live.example", "status.example", "ratelimit.example", "flaky.example", "error.example", "slow.example",
        "reset.example", "loop.example", "endless.example", "nohead.example", "scheme.example", "hold.example",
        "redirect.example", "controls.example", "bigheaders.example",
        "dead.example", "wakes.example",
    ]

    static func behaviour(for request: ImitatedRequest) -> Behaviour? {
        switch request.host {
        case "live.example":
            return .page(.ok, "<title>live</title>")
        case "status.example":
            // /404 answers 404, /410 answers 410 …
            let code = Int(request.segments.first ?? "") ?? 200
            return .page(HTTPResponseStatus(statusCode: code), "status \(code)")
        case "ratelimit.example":
            return rateLimit(request)
        case "flaky.example":
            // /once and /twice fail that many times with 500, then answer.
            let failures = request.path == "/twice" ? 2 : 1
            return request.earlier < failures ? .page(.internalServerError, "try again") : .page(.ok, "<title>recovered</title>")
        case "error.example":
            return .page(.internalServerError, "broken")
        case "slow.example":
            return .drip(interval: .milliseconds(400))
        case "reset.example":
            // /once resets the first request only.
            return request.path == "/once" && request.earlier > 0 ? .page(.ok, "<title>back</title>") : .reset
        case "controls.example":
            // Locations full of C1 controls and line separators, which end up
            // quoted in `reason` (HTTP itself keeps C0 and DEL out of header values).
            let nasty = "\u{9B}2J\u{85}one\u{2028}two\u{2029}three\u{9B}31mred\u{90}"
            return request.path == "/loop" ? .redirect("/loop?" + nasty) : .redirect("gopher://old.example/" + nasty)
        case let host where host == "bigheaders.example" || host.hasSuffix(".bigheaders.example"):
            // /many: 320 headers of 1 KiB each (over libcurl's 300 KiB in all);
            // /line: one header line of 256 KiB (over its 100 KiB a line). Just
            // over the limits: the server is shared, and larger headers only cost it time.
            if request.path == "/line" {
                return .respond(.ok, headers: [("x-filler", String(repeating: "a", count: 256 << 10))], body: "<title>big</title>")
            }
            let filler = String(repeating: "b", count: 1024)
            return .respond(.ok, headers: (0..<320).map { ("x-filler-\($0)", filler) }, body: "<title>big</title>")
        case let host where host == "dead.example" || host.hasSuffix(".dead.example"):
            // Accepts the connection, reads the request, never answers.
            return .silent
        case "wakes.example":
            // The first four requests for a path are never answered; later ones are.
            return request.earlier < 4 ? .silent : .page(.ok, "<title>awake</title>")
        case "redirect.example":
            // `/?to=URL` redirects to URL, whatever it names.
            return .redirect(request.query["to"] ?? "/")
        case "loop.example":
            return .redirect(request.path == "/a" ? "/b" : "/a")
        case "endless.example":
            return .endless
        case "nohead.example":
            return request.method == "HEAD" ? .page(.methodNotAllowed, "") : .page(.ok, "<title>GET only</title>")
        case "scheme.example":
            switch request.path {
            case "/ftp": return .redirect("ftp://files.example/report.txt")
            case "/file": return .redirect("file:///etc/passwd")
            default: return .redirect("gopher://old.example/")
            }
        case let host where host == "hold.example" || host.hasSuffix(".hold.example"):
            // Holds every answer, so that requests pile up and concurrency shows.
            let milliseconds = Int64(request.query["ms"] ?? "") ?? 150
            return .delayed(.milliseconds(milliseconds), .page(.ok, "<title>held</title>"))
        default:
            return nil
        }
    }

    /// `/once`: 429 with `Retry-After: 1` first, then 200. `/date`: the same
    /// with an HTTP date. `/always`: 429 every time. `/far`: asks for an hour.
    static func rateLimit(_ request: ImitatedRequest) -> Behaviour {
        let ok = Behaviour.page(.ok, "<title>finally</title>")
        switch request.path {
        case "/once":
            return request.earlier == 0 ? .respond(.tooManyRequests, headers: [("retry-after", "1")]) : ok
        case "/date":
            return request.earlier == 0 ? .respond(.tooManyRequests, headers: [("retry-after", httpDate(secondsFromNow: 1))]) : ok
        case "/far":
            return .respond(.tooManyRequests, headers: [("retry-after", "3600")])
        case "/unavailable":
            return request.earlier == 0 ? .respond(.serviceUnavailable, headers: [("retry-after", "1")]) : ok
        default:
            return .respond(.tooManyRequests, headers: [("retry-after", "1")])
        }
    }

    /// An IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
    static func httpDate(secondsFromNow: Int) -> String {
        var time = Int(Date().timeIntervalSince1970) + secondsFromNow
        var parts = tm()
        gmtime_r(&time, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let pad = { (n: Int32) in n < 10 ? "0\(n)" : "\(n)" }
        return "\(days[Int(parts.tm_wday)]), \(pad(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) \(pad(parts.tm_hour)):\(pad(parts.tm_min)):\(pad(parts.tm_sec)) GMT"
    }
}

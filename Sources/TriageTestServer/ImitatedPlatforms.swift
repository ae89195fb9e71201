/// The platforms of `rules/platforms/`, answering the way PLATFORMS.md says
/// they answer for live, removed and restricted content. The ids below are
/// those of `examples/reports.txt`, so `urltriage check` on the example
/// batch gives one of each verdict.
enum ImitatedPlatforms {
    static let hosts = [
        "tiktok.com", "www.tiktok.com", "m.tiktok.com", "vm.tiktok.com", "vt.tiktok.com",
        "instagram.com", "www.instagram.com", "youtube.com", "www.youtube.com", "m.youtube.com",
        "x.com", "www.x.com", "twitter.com", "mobile.twitter.com", "publish.twitter.com",
        "facebook.com", "www.facebook.com", "m.facebook.com", "reddit.com", "www.reddit.com", "old.reddit.com",
        "discord.gg", "discord.com", "example-news.co.uk", "www.example-news.co.uk", "bit.ly", "t.co",
    ]

    static func behaviour(for request: ImitatedRequest) -> Behaviour? {
        switch request.host {
        case "tiktok.com", "www.tiktok.com", "m.tiktok.com": tiktok(request)
        case "vm.tiktok.com", "vt.tiktok.com": tiktokShortLink(request)
        case "instagram.com", "www.instagram.com": instagram(request)
        case "youtube.com", "www.youtube.com", "m.youtube.com": youtube(request)
        case "x.com", "www.x.com", "twitter.com", "mobile.twitter.com": x(request)
        case "publish.twitter.com": xEmbed(request)
        case "facebook.com", "www.facebook.com", "m.facebook.com": facebook(request)
        case "reddit.com", "www.reddit.com", "old.reddit.com": reddit(request)
        case "discord.gg", "discord.com": discord(request)
        case "example-news.co.uk", "www.example-news.co.uk": .page(.ok, "<html><title>Oakfield Academy news</title></html>")
        case "bit.ly": request.path == "/tt"
            ? .redirect("https://www.tiktok.com/@year9.roasts/video/7309876543210987654", status: .movedPermanently)
            : .page(.notFound, "no such link")
        case "t.co": .redirect("https://x.com/someaccount/status/1734567890123456789", status: .movedPermanently)
        default: nil
        }
    }

    // MARK: - TikTok

    /// Videos answer by id: 7301… is deleted (404), 7311… is private
    /// (statusCode 10216), 7399… shows "Video currently unavailable".
    static func tiktok(_ request: ImitatedRequest) -> Behaviour {
        if request.path == "/oembed" {
            let id = request.query["url"].flatMap { ImitatedRequest(host: "", method: "GET", uri: URLPath.of($0)).segment(after: "video") }
            switch id {
            case "7301234567890123456": return .json(.notFound, #"{"status_msg":"Something went wrong"}"#)
            case "7399999999999999999": return .json(.badRequest, #"{"status_msg":"Something went wrong"}"#)
            default: return .json(.ok, #"{"version":"1.0","type":"video","provider_name":"TikTok"}"#)
            }
        }
        if request.path.hasPrefix("/login") { return .page(.ok, "<title>Log in | TikTok</title>") }
        let id = request.segment(after: "video") ?? request.segment(after: "photo")
        switch id {
        case "7301234567890123456"?: return .page(.notFound, "<title>TikTok</title>")
        case "7311111111111111111"?: return .page(.ok, tiktokState(10216))
        case "7399999999999999999"?: return .page(.ok, "<title>TikTok</title><p>Video currently unavailable</p>")
        default: return .page(.ok, tiktokState(0))
        }
    }

    static func tiktokState(_ code: Int) -> String {
        #"<script id="__UNIVERSAL_DATA_FOR_REHYDRATION__" type="application/json">{"__DEFAULT_SCOPE__":{"webapp.video-detail":{"statusCode": \#(code),"statusMsg":""}}}</script>"#
    }

    /// `ZMhT4bQ9x` leads to a video the example batch also names; `ZMsame1`
    /// and `ZMsame2` lead to one video; `ZMlogin1` hits the login wall.
    static func tiktokShortLink(_ request: ImitatedRequest) -> Behaviour {
        switch request.segments.first {
        case "ZMhT4bQ9x"?: .redirect("https://www.tiktok.com/@year9.roasts/video/7309876543210987654?_r=1&u_code=abc", status: .movedPermanently)
        case "ZMsame1"?, "ZMsame2"?: .redirect("https://www.tiktok.com/@someone/video/7300000000000000001?is_from_webapp=1", status: .movedPermanently)
        case "ZMlogin1"?: .redirect("https://www.tiktok.com/login?redirect_url=%2F")
        default: .page(.notFound, "<title>TikTok</title>")
        }
    }

    // MARK: - Instagram, Facebook

    /// The example post is removed ("Sorry, this page isn't available", with
    /// status 200); the school's fake account is behind the login wall.
    static func instagram(_ request: ImitatedRequest) -> Behaviour {
        if request.path.hasPrefix("/accounts/login") { return .page(.ok, "<title>Login • Instagram</title>") }
        if request.segment(after: "p") == "C1aBcD2eFgH" || request.segment(after: "reel") == "C1aBcD2eFgH" {
            return .page(.ok, "<title>Instagram</title><h2>Sorry, this page isn't available.</h2>")
        }
        if request.path.hasPrefix("/oakfield_academy_official") {
            return .redirect("https://www.instagram.com/accounts/login/?next=%2Foakfield_academy_official%2F")
        }
        return .page(.ok, "<title>Instagram</title><main>a public post</main>")
    }

    static func facebook(_ request: ImitatedRequest) -> Behaviour {
        if request.path.hasPrefix("/login") { return .page(.ok, #"<form method="post" id="login_form" action="/login/">"#) }
        if request.path.hasPrefix("/groups/") { return .redirect("https://www.facebook.com/login/?next=https%3A%2F%2Fwww.facebook.com%2Fgroups%2F") }
        return .page(.ok, "<title>Facebook</title>")
    }

    // MARK: - YouTube, X, Reddit, Discord

    /// oEmbed: 401 for the example video (embedding disabled, still up),
    /// 404 for `Deleted0001`, 400 for `NeverExist0`, 403 for `PrivateVid0`.
    static func youtube(_ request: ImitatedRequest) -> Behaviour {
        if request.path == "/oembed" {
            let id = request.query["url"].flatMap { ImitatedRequest(host: "", method: "GET", uri: URLPath.of($0)).query["v"] }
            switch id {
            case "Ab3dEf9hIjK"?: return .page(.unauthorized, "Unauthorized")
            case "Deleted0001"?: return .page(.notFound, "Not Found")
            case "NeverExist0"?: return .page(.badRequest, "Bad Request")
            case "PrivateVid0"?: return .page(.forbidden, "Forbidden")
            default: return .json(.ok, #"{"type":"video","provider_name":"YouTube"}"#)
            }
        }
        let status = request.query["v"] == "PrivateVid0" ? "LOGIN_REQUIRED" : "OK"
        return .page(.ok, #"<script>var ytInitialPlayerResponse = {"playabilityStatus": {"status": "\#(status)"}};</script>"#)
    }

    /// Every status page answers 200; the example post is gone all the same.
    static func x(_ request: ImitatedRequest) -> Behaviour {
        switch request.segment(after: "status") {
        case "1734567890123456789"?, "1700000000000000002"?:
            .page(.ok, "<title>X</title><span>Hmm...this page doesn’t exist. Try searching for something else.</span>")
        default:
            .page(.ok, "<title>X</title><div id=\"react-root\"></div>")
        }
    }

    /// oEmbed: 404 for the example post, 500 (which the rules do not map) for 1700…002.
    static func xEmbed(_ request: ImitatedRequest) -> Behaviour {
        let id = request.query["url"].flatMap { ImitatedRequest(host: "", method: "GET", uri: URLPath.of($0)).segment(after: "status") }
        switch id {
        case "1734567890123456789"?: return .page(.notFound, "")
        case "1700000000000000002"?: return .page(.internalServerError, "")
        default: return .json(.ok, #"{"type":"rich","provider_name":"Twitter"}"#)
        }
    }

    static func reddit(_ request: ImitatedRequest) -> Behaviour {
        if request.path == "/oembed" { return .json(.ok, #"{"type":"rich","provider_name":"reddit"}"#) }
        if request.segment(after: "comments") == "gone12" {
            return .json(.ok, #"[{"data":{"children":[{"data":{"removed_by_category": "moderator"}}]}}]"#)
        }
        return .page(.ok, "<title>reddit</title><shreddit-post></shreddit-post>")
    }

    static func discord(_ request: ImitatedRequest) -> Behaviour {
        request.segments.last == "AbCd123"
            ? .json(.ok, #"{"message": "Unknown Invite", "code": 10006}"#)
            : .page(.ok, "<title>Discord</title>")
    }
}

/// The path and query of a full URL (`https://h/p?q` gives `/p?q`).
enum URLPath {
    static func of(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        guard let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) else { return "/" }
        return String(rest[slash...])
    }
}

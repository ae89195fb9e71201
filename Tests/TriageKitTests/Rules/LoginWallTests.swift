import Foundation
import Testing
@testable import TriageKit

/// A page on any host that sends the checker to a login form is restricted,
/// not live (web.yaml's signatures); a reported page that is itself a login
/// form, reached without a redirect, is judged as the page it is.
@Suite struct LoginWallTests {
    func verdict(_ url: String, finalURL: String, redirects: Int, status: Int = 200, body: String = "") -> CheckResult {
        let rules = TestSupport.shippedRules
        var outcome = TransferOutcome()
        outcome.status = status
        outcome.finalURL = finalURL
        outcome.redirects = redirects
        outcome.body = Array(body.utf8)
        let index = rules.platformIndex(forHost: URL(string: finalURL)!.host!)
        let input = JudgeInput(request: CheckRequest(key: url, url: url, platform: "web", type: "page"), outcome: outcome,
                               rules: index.map { rules.platforms[$0] }, attempts: 1, preface: nil, resolvedKey: nil,
                               elapsedMilliseconds: 1, refusedWait: nil, options: LivenessOptions())
        return VerdictJudge().judge(input)
    }

    @Test(arguments: [
        "https://forum.example/login?next=%2Fthread%2F12",
        "https://forum.example/users/sign_in",
        "https://forum.example/accounts/login/?next=/x",
        "https://forum.example/auth/realms/school/protocol/openid-connect/auth?client_id=x",
        "https://forum.example/en/signin",
        "https://forum.example/Account/LogOn?ReturnUrl=%2F",
        "https://accounts.google.com/ServiceLogin?continue=https://sites.example/x",
        "https://accounts.google.com/v3/signin/identifier?continue=x",
    ])
    func aRedirectToALoginPageIsRestricted(finalURL: String) {
        let result = verdict("https://forum.example/thread/12", finalURL: finalURL, redirects: 1)
        #expect(result.verdict == .restricted)
        #expect(result.reason.contains("rules/platforms/web.yaml"))
        #expect(result.reason.contains("after a redirect"))
    }

    @Test(arguments: [
        "https://forum.example/blog/login-problems",
        "https://forum.example/thread/12",
        "https://forum.example/authors/someone",
        "https://forum.example/catalogue?q=login",
    ])
    func otherPagesStayLive(finalURL: String) {
        #expect(verdict("https://forum.example/thread/12", finalURL: finalURL, redirects: 1).verdict == .live)
    }

    @Test func aReportedLoginPageWithoutARedirectIsLive() {
        // A phishing page reported at its own /login address is up, not walled.
        let result = verdict("https://phish.example/login", finalURL: "https://phish.example/login", redirects: 0)
        #expect(result.verdict == .live)
    }

    static let loginForm = """
        <!doctype html><html><head><title>Sign in</title></head><body>
        <form method="post" action="/session"><input type="text" name="user">
        <input type="password" name="pass"><button>Sign in</button></form></body></html>
        """

    @Test func aSmallPageThatIsALoginFormIsRestricted() {
        let result = verdict("https://forum.example/thread/12", finalURL: "https://forum.example/thread/12", redirects: 0,
                             body: Self.loginForm)
        #expect(result.verdict == .restricted)
        #expect(result.reason.contains("body matches"))
    }

    @Test func aLongPageWithASignInBoxIsLive() {
        let article = String(repeating: "<p>Year 9 news, and more of it.</p>\n", count: 600)
        let body = "<html><body><header>" + Self.loginForm + "</header>" + article + "</body></html>"
        #expect(body.utf8.count > 12_000)
        #expect(verdict("https://forum.example/thread/12", finalURL: "https://forum.example/thread/12", redirects: 0,
                        body: body).verdict == .live)
    }
}

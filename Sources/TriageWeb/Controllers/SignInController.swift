import Foundation
import Hummingbird
import TriageKit
import TriageStore

/// Signing in and out.
struct SignInController {
    let services: WebServices

    func addRoutes(to router: Router<WebContext>) {
        router.get("/") { _, _ in Pages.redirect("/cases") }
        router.get("/login") { request, context in
            if context.session != nil { return Pages.redirect("/cases") }
            let query = FormData.urlEncoded(Substring(request.uri.query ?? ""))
            return loginPage(context: context, next: query["next"], message: nil, status: .ok,
                             token: request.cookies[FormMiddleware.loginCookieName]?.value)
        }
        router.post("/login") { request, context in try await signIn(request, context: context) }
        router.post("/logout") { _, context in
            if let digest = context.sessionTokenHash { try await services.accounts.closeSession(tokenSHA256: digest) }
            var response = Pages.redirect("/login")
            response.headers[.setCookie] = cookie(SignInMiddleware.cookieName, "", maxAge: 0)
            return response
        }
    }

    /// The sign-in form, with a token in its own cookie (there is no session to hold one yet). A
    /// token the browser already holds is kept: a second load of the page (a favicon request sent
    /// here, a second tab) must not make the first one's form stale.
    private func loginPage(context: WebContext, next: String?, message: String?, status: HTTPResponse.Status,
                           token held: String? = nil) -> Response {
        let token = held.flatMap { Passwords.isToken($0) ? $0 : nil } ?? Passwords.randomToken()
        var response = services.pages.render("login", [
            "title": "Sign in", "loginToken": token, "next": safeNext(next) ?? "", "message": message ?? "",
        ], context: context, status: status)
        response.headers[.setCookie] = cookie(FormMiddleware.loginCookieName, token, maxAge: 3600)
        return response
    }

    private func signIn(_ request: Request, context: WebContext) async throws -> Response {
        let name = context.form["name"] ?? ""
        let password = context.form.raw("password") ?? ""
        let next = safeNext(context.form["next"])
        let keys = LoginThrottle.keys(name: name, address: context.remoteAddress)
        let now = Date().timeIntervalSince1970
        let wait = await services.throttle.wait(for: keys, now: now)
        if wait > 0 {
            return loginPage(context: context, next: next, message: "Too many failed sign-ins for this name or from this address. "
                             + "Try again in \(wait) seconds.", status: .tooManyRequests, token: request.cookies[FormMiddleware.loginCookieName]?.value)
        }
        let found = name.isEmpty ? nil : try await services.accounts.credentials(name: name)
        let matches = try await Passwords.verify(password, hash: found?.passwordHash)
        guard let account = found?.account, matches, account.disabledAt == nil else {
            await services.throttle.failed(keys, now: now)
            return loginPage(context: context, next: next, message: "That name and password do not match an account that may sign in.",
                             status: .unauthorized, token: request.cookies[FormMiddleware.loginCookieName]?.value)
        }
        await services.throttle.succeeded(keys)
        let token = Passwords.randomToken()
        let moment = StoreTime.now()
        try await services.accounts.openSession(tokenSHA256: Passwords.digest(token), accountID: account.id,
                                                csrfToken: Passwords.randomToken(), address: context.remoteAddress,
                                                now: moment, expiresAt: moment + services.settings.sessionSeconds)
        var response = Pages.redirect(next ?? "/cases")
        response.headers[.setCookie] = cookie(SignInMiddleware.cookieName, token, maxAge: Int(services.settings.sessionSeconds))
        return response
    }

    /// Only a path of this app: a link that signs someone in and then sends them elsewhere is refused.
    private func safeNext(_ next: String?) -> String? {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"),
              !next.unicodeScalars.contains(where: { $0.value < 0x20 }) else { return nil }
        return next
    }

    private func cookie(_ name: String, _ value: String, maxAge: Int) -> String {
        "\(name)=\(value); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict" + (services.settings.usesTLS ? "; Secure" : "")
    }
}

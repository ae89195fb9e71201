import Foundation
import Hummingbird
import TriageKit
import TriageStore

/// Every page needs a signed-in person: finds the session named by the cookie, and sends
/// anyone without one to the sign-in page.
struct SignInMiddleware: RouterMiddleware {
    typealias Context = WebContext
    static let cookieName = "urltriage_session"
    let accounts: any AccountStore
    let pages: Pages

    /// Paths anyone may reach: the sign-in page and the style sheet and script it uses.
    static func isPublic(_ path: String) -> Bool {
        path == "/login" || path.hasPrefix("/static/")
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let token = request.cookies[Self.cookieName]?.value, !token.isEmpty, token.count <= 128 {
            let digest = Passwords.digest(token)
            if let session = try await accounts.session(tokenSHA256: digest, now: StoreTime.now()) {
                context.session = session
                context.sessionTokenHash = digest
            }
        }
        if context.session == nil && !Self.isPublic(request.uri.path) {
            if request.method == .get || request.method == .head {
                let next = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
                return Pages.redirect("/login?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"))
            }
            return pages.problem("You are signed out (the session ended or was never started). Sign in again, then repeat what you did.",
                                 status: .unauthorized, context: context)
        }
        return try await next(request, context)
    }
}

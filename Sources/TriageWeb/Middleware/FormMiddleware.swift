import Hummingbird
import NIOCore

/// Reads every posted form once, within the upload limit, and refuses it unless it carries
/// the session's CSRF token (the sign-in form carries a token from its own cookie), and
/// unless the person may change things: viewers change nothing.
struct FormMiddleware: RouterMiddleware {
    typealias Context = WebContext
    static let loginCookieName = "urltriage_login"
    let pages: Pages
    let maxBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post else { return try await next(request, context) }
        var context = context
        var request = request
        let limitText = "\(maxBytes / (1024 * 1024)) MB"
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maxBytes {
            return pages.problem("What you sent is larger than the limit of \(limitText). Split the batch into smaller files "
                                 + "and send them one after another; nothing was stored.", status: .contentTooLarge, context: context)
        }
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: maxBytes)
        } catch {
            return pages.problem("What you sent is larger than the limit of \(limitText), or did not arrive whole. Split the "
                                 + "batch into smaller files and send them one after another; nothing was stored.",
                                 status: .contentTooLarge, context: context)
        }
        let bytes = Array(body.readableBytesView)
        let contentType = request.headers[.contentType] ?? ""
        if let boundary = FormData.boundary(ofContentType: contentType) {
            guard let form = FormData.multipart(bytes, boundary: boundary) else {
                return pages.problem("The form did not arrive in a shape this app reads; reload the page and send it again.",
                                     status: .badRequest, context: context)
            }
            context.form = form
        } else {
            context.form = FormData.urlEncoded(Substring(decoding: bytes, as: UTF8.self))
        }
        let sent = context.form.raw("csrf") ?? ""
        let expected: String?
        if request.uri.path == "/login" {
            expected = request.cookies[Self.loginCookieName]?.value
        } else {
            expected = context.session?.csrfToken
        }
        guard let expected, !expected.isEmpty, Passwords.same(sent, expected) else {
            return pages.problem("This form is out of date or did not come from this app (its security token is missing or wrong). "
                                 + "Reload the page and send it again; nothing was changed.", status: .forbidden, context: context)
        }
        if let session = context.session, !session.account.role.changesCases,
           request.uri.path != "/logout" && request.uri.path != "/login" {
            return pages.problem("Your account can read cases but not change them (role: viewer). Ask an admin if you need to.",
                                 status: .forbidden, context: context)
        }
        return try await next(request, context)
    }
}

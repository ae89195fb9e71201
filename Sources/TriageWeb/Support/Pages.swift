import Foundation
import Hummingbird
import Mustache
import NIOCore
import TriageKit
import TriageStore

/// The app's templates and static files, read once at start from the target's resources.
struct Pages: Sendable {
    let library: MustacheLibrary
    /// `app.css`, `app.js`: content type and bytes.
    let assets: [String: (type: String, bytes: ByteBuffer)]

    /// A page's template is missing or failed to parse: the build is broken, not the input.
    struct MissingResources: Error, CustomStringConvertible {
        var description: String
    }

    static func load() async throws -> Pages {
        guard let root = Bundle.module.url(forResource: "Resources", withExtension: nil) else {
            throw MissingResources(description: "the web app's templates are missing (the urltriage_TriageWeb resource bundle "
                                   + "must sit beside the urltriage program)")
        }
        let library = try await MustacheLibrary(directory: root.appendingPathComponent("templates").path)
        var assets: [String: (type: String, bytes: ByteBuffer)] = [:]
        for (name, type) in [("app.css", "text/css; charset=utf-8"), ("app.js", "text/javascript; charset=utf-8")] {
            let data = try Data(contentsOf: root.appendingPathComponent("static").appendingPathComponent(name))
            assets[name] = (type, ByteBuffer(bytes: data))
        }
        return Pages(library: library, assets: assets)
    }

    /// The page `name` with `data` and what every page shows (who is signed in, the CSRF token, the menu).
    func render(_ name: String, _ data: [String: Any], context: WebContext, status: HTTPResponse.Status = .ok,
                section: String? = nil) -> Response {
        let signedIn = context.session.map { (name: Shown.text($0.account.name), role: $0.account.role, csrf: $0.csrfToken) }
        return Self.html(page(name, data, signedIn: signedIn, section: section), status: status)
    }

    /// The page `name` with `data` as everyone with `role` sees it, the signed-in person's
    /// CSRF token and name left as holes (`SharedPage`), to be kept and served to many.
    func shared(_ name: String, _ data: [String: Any], role: AccountRole, status: HTTPResponse.Status = .ok,
                section: String? = nil) -> SharedPage {
        let signedIn = (name: SharedPage.userNameMarker, role: role, csrf: SharedPage.csrfMarker)
        return SharedPage(html: page(name, data, signedIn: signedIn, section: section), status: status)
    }

    private func page(_ name: String, _ data: [String: Any], signedIn: (name: String, role: AccountRole, csrf: String)?,
                      section: String?) -> String {
        var values = data
        if let signedIn {
            values["signedIn"] = true
            values["userName"] = signedIn.name
            values["role"] = signedIn.role.rawValue
            values["canChange"] = signedIn.role.changesCases
            values["isAdmin"] = signedIn.role == .admin
            values["csrf"] = signedIn.csrf
        }
        if let section { values["nav_\(section)"] = true }
        values["version"] = TriageKit.version
        return library.render(TemplateValues.prepare(values), withTemplate: name) ?? "template \(name) is missing"
    }

    static func html(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A file to download (CSV, Markdown, HTML report), never shown inline by a browser guessing its type.
    static func download(_ text: String, type: String, filename: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .contentDisposition: "attachment; filename=\"\(filename)\""],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func redirect(_ location: String) -> Response {
        // 303: after a post, the browser fetches the next page with GET.
        Response(status: .seeOther, headers: [.location: location])
    }

    /// A page that says what went wrong and what to do; `status` says it to tools.
    func problem(_ message: String, status: HTTPResponse.Status, context: WebContext) -> Response {
        render("problem", ["title": "\(status.code) \(status.reasonPhrase)", "message": Shown.text(message)],
               context: context, status: status)
    }
}

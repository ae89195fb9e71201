import Foundation
import Hummingbird
import Mustache
import NIOCore
import TriageKit

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
        var values = data
        if let session = context.session {
            values["signedIn"] = true
            values["userName"] = Shown.text(session.account.name)
            values["role"] = session.account.role.rawValue
            values["canChange"] = session.account.role.changesCases
            values["isAdmin"] = session.account.role == .admin
            values["csrf"] = session.csrfToken
        }
        if let section { values["nav_\(section)"] = true }
        values["version"] = TriageKit.version
        let html = library.render(TemplateValues.prepare(values), withTemplate: name) ?? "template \(name) is missing"
        return Self.html(html, status: status)
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

import Hummingbird
import NIOCore

/// The style sheet and the little script, served by the app itself (no CDN).
struct AssetsController {
    let pages: Pages

    func addRoutes(to router: Router<WebContext>) {
        // Browsers ask for it on every page; answered here, it never lands on the sign-in page.
        router.get("/favicon.ico") { _, _ in Response(status: .noContent) }
        router.get("/static/:file") { _, context -> Response in
            guard let name = context.parameters.get("file"), let asset = pages.assets[name] else {
                return Response(status: .notFound)
            }
            return Response(status: .ok, headers: [.contentType: asset.type, .cacheControl: "no-cache"],
                            body: .init(byteBuffer: asset.bytes))
        }
    }
}

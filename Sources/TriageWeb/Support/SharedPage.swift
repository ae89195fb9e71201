import Foundation
import Hummingbird
import NIOCore
import TriageStore

/// A page rendered once for everyone with one role, with holes where each person's own
/// values go: the CSRF token of their session (every form carries it) and their name.
/// Filling the holes copies bytes; rendering the page again would cost the whole template.
struct SharedPage: Sendable {
    enum Hole: Sendable {
        case csrf
        case userName
    }

    /// What the template is given in place of each person's values: no text from the store
    /// or a person can hold them (control characters never reach a page, `Shown.text`), and
    /// a new random part per process makes them unguessable too.
    static let csrfMarker = "\u{1}csrf-\(UUID().uuidString)\u{1}"
    static let userNameMarker = "\u{1}user-\(UUID().uuidString)\u{1}"

    /// The page between the holes: one more part than holes.
    let parts: [ByteBuffer]
    let holes: [Hole]
    let status: HTTPResponse.Status
    let length: Int

    /// Cuts `html`, rendered with the markers, at each of them.
    init(html: String, status: HTTPResponse.Status) {
        let bytes = Array(html.utf8)
        let markers: [(Hole, [UInt8])] = [(.csrf, Array(Self.csrfMarker.utf8)), (.userName, Array(Self.userNameMarker.utf8))]
        var parts: [ByteBuffer] = []
        var holes: [Hole] = []
        var start = 0
        var index = 0
        // Both markers begin with the byte 0x01, which nothing else on a page holds.
        while let found = bytes[index...].firstIndex(of: 0x01) {
            if let (hole, marker) = markers.first(where: { bytes[found...].starts(with: $0.1) }) {
                parts.append(ByteBuffer(bytes: bytes[start..<found]))
                holes.append(hole)
                start = found + marker.count
                index = start
            } else {
                index = found + 1
            }
        }
        parts.append(ByteBuffer(bytes: bytes[start...]))
        self.parts = parts
        self.holes = holes
        self.status = status
        length = parts.reduce(0) { $0 + $1.readableBytes }
    }

    /// The page for this session: its own token and name in the holes, as the template would escape them.
    func response(for session: AccountSession) -> Response {
        let token = Shown.html(session.csrfToken)
        let name = Shown.html(Shown.text(session.account.name))
        var body = ByteBufferAllocator().buffer(capacity: length + holes.count * max(token.utf8.count, name.utf8.count))
        for (index, part) in parts.enumerated() {
            body.writeImmutableBuffer(part)
            if index < holes.count {
                switch holes[index] {
                case .csrf: body.writeString(token)
                case .userName: body.writeString(name)
                }
            }
        }
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: body))
    }
}

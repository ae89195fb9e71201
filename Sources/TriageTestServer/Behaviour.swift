public import NIOCore
public import NIOHTTP1

/// How the server answers one request.
public indirect enum Behaviour: Sendable {
    /// A complete response; `HEAD` gets the same without the body.
    case respond(HTTPResponseStatus, headers: [(String, String)] = [], body: String = "")
    /// The same behaviour after a pause (a slow platform; the benchmark's fixed delay).
    case delayed(TimeAmount, Behaviour)
    /// Headers, then one byte every `interval`, forever: a slow drip.
    case drip(interval: TimeAmount)
    /// 200, then a body that never ends.
    case endless
    /// The connection is reset (RST) instead of answered.
    case reset
    /// The request is read and never answered; the connection stays open.
    case silent

    /// A page with an HTML content type.
    static func page(_ status: HTTPResponseStatus = .ok, _ body: String) -> Behaviour {
        .respond(status, headers: [("content-type", "text/html; charset=utf-8")], body: body)
    }

    /// A JSON answer.
    static func json(_ status: HTTPResponseStatus = .ok, _ body: String) -> Behaviour {
        .respond(status, headers: [("content-type", "application/json")], body: body)
    }

    /// A redirect to `location`.
    static func redirect(_ location: String, status: HTTPResponseStatus = .found) -> Behaviour {
        .respond(status, headers: [("location", location)], body: "")
    }
}

public import Hummingbird
import NIOCore
public import TriageStore

/// What a request carries through the app: who is signed in, their CSRF token, and the
/// form they posted (read once by `FormMiddleware`, which checks its token).
public struct WebContext: RequestContext {
    public typealias Source = ApplicationRequestContextSource
    public var coreContext: CoreRequestContextStorage
    /// The peer's address, for slowing down failed sign-ins per address.
    public var remoteAddress: String?
    /// The signed-in session; nil on the sign-in page.
    public var session: AccountSession?
    /// The SHA-256 of the session's cookie token (to sign out).
    var sessionTokenHash: String?
    /// The posted form, once read.
    var form = FormData()

    public init(source: Source) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Bodies are read with the app's own limit (`WebSettings.maxUploadBytes`), which names itself in its message.
    public var maxUploadSize: Int { Int.max }

    /// The signed-in person's name, as marks record it.
    var actor: String { session?.account.name ?? "unknown" }
}

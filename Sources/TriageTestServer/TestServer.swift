/// A local HTTP(S) server that imitates platforms by Host header. Built out
/// in the liveness work; loopback only.
public enum TestServerInfo {
    /// Where the server listens unless told otherwise.
    public static let defaultHost = "127.0.0.1"
}

/// SHA-256 of some bytes as lowercase hex: the web app keeps only this digest of each
/// session token, with the same code that names report files.
public func sha256Hex(_ bytes: [UInt8]) -> String {
    var hash = SHA256()
    hash.update(bytes)
    return hash.hexDigest()
}

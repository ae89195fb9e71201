import Foundation

/// A certificate and key for the server's HTTPS side, made at start with
/// the `openssl` command in a temporary directory: no key is kept in the
/// repository, and none outlives the server by more than its files.
public struct SelfSignedCertificate: Sendable {
    /// The PEM certificate; it is its own authority, so pass it as `--cacert`.
    public let certificateFile: String
    public let privateKeyFile: String
    public let directory: String

    /// Makes a certificate for `hosts` (and 127.0.0.1), valid for a week.
    public static func make(hosts: [String]) throws -> SelfSignedCertificate {
        let directory = NSTemporaryDirectory() + "urltriage-testserver-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let certificate = directory + "/cert.pem"
        let key = directory + "/key.pem"
        let names = (hosts.map { "DNS:\($0)" } + ["IP:127.0.0.1"]).joined(separator: ",")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                             "-nodes", "-keyout", key, "-out", certificate, "-days", "7",
                             "-subj", "/CN=urltriage test server", "-addext", "subjectAltName=\(names)"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw TestServerError("cannot run openssl to make the test certificate (install the openssl package): \(error)")
        }
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestServerError("openssl could not make the test certificate: \(String(decoding: message, as: UTF8.self))")
        }
        return SelfSignedCertificate(certificateFile: certificate, privateKeyFile: key, directory: directory)
    }

    /// Deletes the private key file once the server has loaded it.
    public func removePrivateKey() {
        try? FileManager.default.removeItem(atPath: privateKeyFile)
    }

    /// Deletes the files.
    public func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// The test server could not start, and why.
public struct TestServerError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

import Foundation
import NIOCore
import TriageTestServer

/// `urltriage-testserver [--port N] [--delay MS] [--threads N]`: runs the
/// platform-imitating test server until interrupted, and prints how to
/// point `urltriage check` at it.
let usage = """
    usage: urltriage-testserver [--port N] [--delay MS] [--threads N]
      --port N      listen on 127.0.0.1:N (default: any free port)
      --delay MS    answer hosts it does not imitate after MS milliseconds (default 0)
      --threads N   event loop threads (default 1)
    """

var port = 0
var delay: Int64 = 0
var threads = 1
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    let value = { () -> Int? in arguments.popFirst().flatMap { Int($0) } }
    switch argument {
    case "--port": guard let number = value() else { FileHandle.standardError.write(Data(usage.utf8)); exit(2) }; port = number
    case "--delay": guard let number = value() else { FileHandle.standardError.write(Data(usage.utf8)); exit(2) }; delay = Int64(number)
    case "--threads": guard let number = value() else { FileHandle.standardError.write(Data(usage.utf8)); exit(2) }; threads = number
    case "-h", "--help": print(usage); exit(0)
    default: FileHandle.standardError.write(Data("urltriage-testserver: unknown argument '\(argument)'\n\(usage)\n".utf8)); exit(2)
    }
}

do {
    let server = try await TestServer.start(port: port, world: PlatformWorld(delay: .milliseconds(delay)), threads: threads)
    // Written straight to the descriptor, so a script reading the pipe sees it at once.
    FileHandle.standardOutput.write(Data("""
        listening on 127.0.0.1:\(server.port) (HTTP and HTTPS)
        connect-to: \(server.connectTo)
        cacert: \(server.certificate.certificateFile)
        try: urltriage check examples/reports.txt --connect-to \(server.connectTo) --cacert \(server.certificate.certificateFile) --allow-private

        """.utf8))
    // Runs until the process is stopped; the certificate sits in a temporary directory.
    while true { try await Task.sleep(for: .seconds(3600)) }
} catch {
    FileHandle.standardError.write(Data("urltriage-testserver: \(error)\n".utf8))
    exit(1)
}

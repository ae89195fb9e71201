import Foundation
import Testing
@testable import TriageKit
@testable import TriageStore

/// The systemd units in `deploy/systemd/` that docs/deploy.md tells operators to install: each
/// unit's command line, expanded as systemd and the shell expand it, runs the built binary and
/// does what the page says. A unit that names an option urltriage no longer has fails here, not
/// on a helpline's server.
@Suite("Deployment: the systemd units run as documented", .serialized,
       .enabled(if: CrashHarness.binary != nil, "the urltriage binary is not built beside the tests"))
struct DeployUnitTests {
    static let unitDirectory = TestSupport.packageRoot + "/deploy/systemd"

    /// The unit's `ExecStart=` line, with systemd's specifiers and `$$` expanded (`%H` the host
    /// name, `%i` the instance) and the installed path of the binary replaced by the built one.
    static func command(unit: String, host: String = "checker", instance: String = "1") throws -> String {
        let text = try String(contentsOfFile: unitDirectory + "/" + unit, encoding: .utf8)
        let lines = text.split(separator: "\n").filter { $0.hasPrefix("ExecStart=") }
        try #require(lines.count == 1, "\(unit) has \(lines.count) ExecStart lines")
        return String(lines[0].dropFirst("ExecStart=".count))
            .replacingOccurrences(of: "%H", with: host)
            .replacingOccurrences(of: "%i", with: instance)
            .replacingOccurrences(of: "$$", with: "$")
            .replacingOccurrences(of: "/usr/local/bin/urltriage", with: try #require(CrashHarness.binary))
    }

    /// Splits a command line the way systemd does for these units: words, and one single-quoted
    /// argument (the shell script of `/bin/sh -c '…'`).
    static func words(_ command: String) -> [String] {
        var words: [String] = [], current = "", quoted = false
        for character in command {
            if character == "'" { quoted.toggle(); continue }
            if character == " " && !quoted {
                if !current.isEmpty { words.append(current); current = "" }
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    static func start(_ command: String, environment: [String: String]) throws -> (Process, String) {
        let words = words(command)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: words[0])
        process.arguments = Array(words.dropFirst())
        // Only what the EnvironmentFile= lines would give, and a PATH.
        process.environment = environment.merging(["PATH": "/usr/bin:/bin"]) { given, _ in given }
        let output = try TestSupport.temporaryDirectory() + "/output.txt"
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return (process, output)
    }

    /// Waits up to `seconds` for `done`, polling.
    static func wait(seconds: Double, until done: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try done() { return true }
            usleep(100_000)
        }
        return try done()
    }

    /// SIGTERM, as `systemctl stop` sends it; true when the process ended within `seconds`.
    static func stop(_ process: Process, within seconds: Double) -> Bool {
        kill(process.processIdentifier, SIGTERM)
        let stopped = wait(seconds: seconds) { !process.isRunning }
        if !stopped { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return stopped
    }

    /// A store whose items are due now and all on loopback: the unit gives no --allow-private, so
    /// the worker must refuse to connect and record that, offline and at once.
    static func storeWithLoopbackItems(_ count: Int) throws -> String {
        let batch = try StoreTestSupport.file("loopback.txt",
                                              (1...count).map { "http://127.0.0.1:9/page/\($0)" }.joined(separator: "\n") + "\n")
        let path = try TestSupport.temporaryDirectory() + "/cases.sqlite"
        let store = try CaseStore(path: path, create: true)
        try StoreTestSupport.ingest(batch, into: store, now: StoreTime.now() - 60)
        try store.close()
        return path
    }

    @Test("the worker unit runs a worker named for its machine and instance, with its region, and stops on SIGTERM")
    func workerUnit() throws {
        let path = try Self.storeWithLoopbackItems(5)
        let (process, output) = try Self.start(try Self.command(unit: "urltriage-worker@.service", host: "uk-checker", instance: "2"),
                                               environment: ["URLTRIAGE_DB": path, "URLTRIAGE_RULES": TestSupport.rulesDirectory,
                                                             "URLTRIAGE_REGION": "uk", "URLTRIAGE_PROXY": ""])
        let store = try CaseStore(path: path)
        let checked = try Self.wait(seconds: 60) {
            try store.integer("SELECT count(*) FROM checks WHERE worker = 'uk-checker-2' AND region = 'uk'") == 5
        }
        let log = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        #expect(checked, "\(log)")
        #expect(try store.integer("SELECT count(*) FROM workers WHERE name = 'uk-checker-2' AND region = 'uk'") == 1)
        #expect(try store.integer("SELECT count(*) FROM checks WHERE verdict = 'live'") == 0, "a loopback item was fetched")
        #expect(Self.stop(process, within: 60), "the worker outlived the unit's TimeoutStopSec")
        #expect(process.terminationStatus == 0, "\(log)")
        #expect(try store.integer("SELECT count(*) FROM items WHERE lease_worker IS NOT NULL") == 0)
    }

    @Test("without a region or a proxy in worker.env, the worker unit passes neither option")
    func workerUnitWithoutRegion() throws {
        let path = try Self.storeWithLoopbackItems(2)
        let (process, output) = try Self.start(try Self.command(unit: "urltriage-worker@.service"),
                                               environment: ["URLTRIAGE_DB": path, "URLTRIAGE_RULES": TestSupport.rulesDirectory,
                                                             "URLTRIAGE_REGION": "", "URLTRIAGE_PROXY": ""])
        let store = try CaseStore(path: path)
        let checked = try Self.wait(seconds: 60) {
            try store.integer("SELECT count(*) FROM checks WHERE worker = 'checker-1' AND region IS NULL") == 2
        }
        #expect(checked, "\((try? String(contentsOfFile: output, encoding: .utf8)) ?? "")")
        #expect(Self.stop(process, within: 60))
    }

    @Test("the web unit serves the sign-in page on loopback and stops on SIGTERM")
    func webUnit() throws {
        let path = try Self.storeWithLoopbackItems(1)
        let port = try Self.freePort()
        let command = try Self.command(unit: "urltriage-web.service")
        #expect(command.hasSuffix("serve --listen 127.0.0.1:8080"), "the unit no longer listens on loopback: \(command)")
        let (process, output) = try Self.start(command.replacingOccurrences(of: ":8080", with: ":\(port)"),
                                               environment: ["URLTRIAGE_DB": path, "URLTRIAGE_RULES": TestSupport.rulesDirectory])
        let answered = Self.wait(seconds: 60) { Self.get("http://127.0.0.1:\(port)/login")?.contains("name=\"csrf\"") ?? false }
        #expect(answered, "\((try? String(contentsOfFile: output, encoding: .utf8)) ?? "")")
        #expect(Self.stop(process, within: 30), "the web app outlived the unit's TimeoutStopSec")
        #expect(process.terminationStatus == 0)
    }

    @Test("systemd-analyze finds nothing wrong with the units but the binary's absence", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze")))
    func unitsVerify() throws {
        let directory = try TestSupport.temporaryDirectory()
        for (unit, installed) in [("urltriage-web.service", "urltriage-web.service"), ("urltriage-worker@.service", "urltriage-worker@1.service")] {
            try FileManager.default.copyItem(atPath: Self.unitDirectory + "/" + unit, toPath: directory + "/" + installed)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/systemd-analyze")
            process.arguments = ["verify", directory + "/" + installed]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            let problems = text.split(separator: "\n").filter { !$0.contains("is not executable") && !$0.contains("/usr/local/bin/urltriage") }
            #expect(problems.isEmpty, "\(unit): \(problems.joined(separator: "\n"))")
        }
    }

    /// A loopback port nothing listens on now.
    static func freePort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(socket, pointer, length) == 0 else { return -1 }
                return getsockname(socket, pointer, &length)
            }
        }
        try #require(bound == 0, "no free loopback port")
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// The body of a GET, or nil when nothing answered (curl, as an operator would try it).
    static func get(_ url: String) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["--silent", "--fail", "--max-time", "5", url]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : nil
    }
}

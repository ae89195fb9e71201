import Foundation
@testable import TriageKit

/// Paths and fixtures the tests share.
enum TestSupport {
    /// The package root, found from this file's path.
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        url.deleteLastPathComponent()  // TriageKitTests
        url.deleteLastPathComponent()  // Tests
        url.deleteLastPathComponent()  // root
        return url.path
    }()

    /// The shipped rules directory.
    static var rulesDirectory: String { packageRoot + "/rules" }

    /// The shipped rules, loaded once.
    static let shippedRules: RuleSet = {
        do {
            return try RuleSet.load(from: rulesDirectory)
        } catch {
            fatalError("shipped rules do not load: \(error)")
        }
    }()

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "urltriage-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Writes a rules directory with the given platform files (name → YAML) and optional tracking.yaml.
    static func rulesDirectory(platforms: [String: String], tracking: String? = nil) throws -> String {
        let root = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: root + "/platforms", withIntermediateDirectories: true)
        for (name, text) in platforms {
            try text.write(toFile: root + "/platforms/" + name, atomically: true, encoding: .utf8)
        }
        if let tracking { try tracking.write(toFile: root + "/tracking.yaml", atomically: true, encoding: .utf8) }
        return root
    }
}

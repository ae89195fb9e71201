import Foundation

/// Which files a lint run reads, and which of them it reports on.
///
/// Linting one platform file still reads the other files of its folder, so
/// that hosts and examples it shares with another platform are found; only
/// the findings in the named file are reported.
struct LintScope {
    /// `tracking.yaml` of the rules directory, if there is one.
    let trackingFile: String?
    /// Every platform file read, in name order.
    let platformFiles: [String]
    /// The files whose findings are reported.
    let reported: Set<String>
    /// Whether a whole rules directory was named (its categories.yaml is linted too).
    private(set) var isDirectory = false

    init(path: String) throws(LintInputError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw LintInputError(path: path, message: "no such rules directory or file")
        }
        if isDirectory.boolValue {
            let platforms = (path as NSString).appendingPathComponent("platforms")
            platformFiles = try Self.yamlFiles(in: platforms)
            trackingFile = Self.existing((path as NSString).appendingPathComponent("tracking.yaml"))
            reported = Set(platformFiles + (trackingFile.map { [$0] } ?? []))
            self.isDirectory = true
            return
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw LintInputError(path: path, message: "cannot read this rule file (check its permissions)")
        }
        // URL, not NSString: corelibs Foundation traps on "." in deletingLastPathComponent.
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        if (path as NSString).lastPathComponent == "tracking.yaml" {
            trackingFile = path
            platformFiles = (try? Self.yamlFiles(in: folder.appendingPathComponent("platforms").path)) ?? []
        } else {
            // rules/platforms/x.yaml: its siblings, and rules/tracking.yaml, as RuleSet.load reads them.
            // The named file keeps the spelling it was given, so its findings are recognised as its own.
            let named = URL(fileURLWithPath: path).standardizedFileURL.path
            let siblings = (try? Self.yamlFiles(in: folder.path)) ?? []
            let others = siblings.filter { URL(fileURLWithPath: $0).standardizedFileURL.path != named }
            platformFiles = (others + [path]).sorted { ($0 as NSString).lastPathComponent < ($1 as NSString).lastPathComponent }
            trackingFile = Self.existing(folder.deletingLastPathComponent().appendingPathComponent("tracking.yaml").path)
        }
        reported = [path]
    }

    private static func yamlFiles(in folder: String) throws(LintInputError) -> [String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            throw LintInputError(path: folder, message: "cannot read the platform rule files: \(error.localizedDescription)")
        }
        let files = names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        guard !files.isEmpty else { throw LintInputError(path: folder, message: "no platform rule files (*.yaml) here") }
        return files.map { (folder as NSString).appendingPathComponent($0) }
    }

    private static func existing(_ path: String) -> String? {
        FileManager.default.fileExists(atPath: path) ? path : nil
    }
}

import Foundation

/// Finds the rules directory when none is named on the command line.
public enum RulesDirectory {
    /// The environment variable that names a rules directory.
    public static let environmentVariable = "URLTRIAGE_RULES"

    /// `explicit` if given; else `$URLTRIAGE_RULES`; else `./rules`; else a
    /// `rules/` beside or above the executable (a checkout's `.build/release/urltriage`).
    public static func locate(explicit: String?, environment: [String: String]? = nil,
                              currentDirectory: String? = nil, executable: String? = nil) -> String? {
        if let explicit { return explicit }
        let environment = environment ?? ProcessInfo.processInfo.environment
        let currentDirectory = currentDirectory ?? FileManager.default.currentDirectoryPath
        let executable = executable ?? CommandLine.arguments.first ?? ""
        if let fromEnvironment = environment[environmentVariable], !fromEnvironment.isEmpty { return fromEnvironment }
        // URL rather than NSString path methods: those trap on "." and on
        // relative paths such as the "./.build/debug/urltriage" a shell passes.
        let current = URL(fileURLWithPath: currentDirectory, isDirectory: true)
        var candidates = [current.appendingPathComponent("rules")]
        var directory = URL(fileURLWithPath: executable, relativeTo: current).standardizedFileURL
            .resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 where directory.path != "/" {
            candidates.append(directory.appendingPathComponent("rules"))
            directory = directory.deletingLastPathComponent()
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("platforms").path) }?.path
    }
}

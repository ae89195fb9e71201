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
        var candidates = [(currentDirectory as NSString).appendingPathComponent("rules")]
        var directory = ((executable as NSString).resolvingSymlinksInPath as NSString).deletingLastPathComponent
        for _ in 0..<6 where !directory.isEmpty && directory != "/" {
            candidates.append((directory as NSString).appendingPathComponent("rules"))
            directory = (directory as NSString).deletingLastPathComponent
        }
        return candidates.first { FileManager.default.fileExists(atPath: ($0 as NSString).appendingPathComponent("platforms")) }
    }
}

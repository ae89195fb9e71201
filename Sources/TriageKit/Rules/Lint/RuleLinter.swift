import Foundation

/// Checks rule files for everything a rule author should fix, and reports
/// all of it at once: `urltriage rules lint`.
///
/// Two passes. The first walks each file's YAML (`RuleFileScanner`) and
/// compiles every pattern itself, so one fault does not hide the next: YAML
/// errors, unknown keys, values of the wrong shape, patterns that do not
/// compile, templates naming unknown captures, rules without examples. Every
/// compiled pattern is then checked for anchors and probed for catastrophic
/// backtracking. The second pass loads the files that can be loaded, with the
/// engine's own loader, and checks what only a loaded rule set shows:
/// platforms and hosts claimed twice, examples on another platform's hosts,
/// shadowed rules, and every example and counter-example (`RuleTester`).
public struct RuleLinter {
    public init() {}

    /// Lints a rules directory, or one platform file in the context of its folder.
    public func lint(path: String) throws(LintInputError) -> LintReport {
        if (path as NSString).lastPathComponent == HarmCategories.fileName {
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw LintInputError(path: path, message: "cannot read this categories file")
            }
            let (findings, patterns) = CategoryLint.lint(path, probe: BacktrackingProbe())
            return LintReport(files: [path], findings: findings, patterns: patterns)
        }
        let scope = try LintScope(path: path)
        var findings: [LintFinding] = []
        var patternCount = 0
        let probe = BacktrackingProbe()

        func check(_ scanner: RuleFileScanner) {
            findings += scanner.findings
            guard scope.reported.contains(scanner.file) else { return }
            for scanned in scanner.patterns {
                patternCount += 1
                findings += Self.patternFindings(scanned, probe: probe)
            }
        }

        var tracking = ParamFilter()
        if let trackingFile = scope.trackingFile {
            var scanner = RuleFileScanner(file: trackingFile)
            scanner.scanTracking()
            check(scanner)
            do {
                tracking = try RuleLoader.loadTracking(trackingFile)
            } catch {
                findings += Self.loaderFinding(error, besides: scanner.findings)
            }
        }
        let loader = RuleLoader(globalTracking: tracking)
        var loaded: [PlatformRules] = []
        for file in scope.platformFiles {
            var scanner = RuleFileScanner(file: file)
            scanner.scanPlatform()
            check(scanner)
            do {
                loaded.append(try loader.loadPlatform(file))
            } catch {
                findings += Self.loaderFinding(error, besides: scanner.findings)
            }
        }
        findings += SemanticChecks(platforms: loaded, tracking: tracking, trackingFile: scope.trackingFile).run()
        var reported = findings.filter { scope.reported.contains($0.location.file) }
        var files = ([scope.trackingFile].compactMap { $0 } + scope.platformFiles).filter(scope.reported.contains)
        // A rules directory's categories.yaml is linted with it.
        let categoriesFile = (path as NSString).appendingPathComponent(HarmCategories.fileName)
        if scope.isDirectory, FileManager.default.fileExists(atPath: categoriesFile) {
            let (categoryFindings, categoryPatterns) = CategoryLint.lint(categoriesFile, probe: probe)
            reported += categoryFindings
            files.append(categoriesFile)
            patternCount += categoryPatterns
        }
        return LintReport(files: files, findings: reported, patterns: patternCount)
    }

    // MARK: - Patterns

    static func patternFindings(_ scanned: RuleFileScanner.ScannedPattern, probe: BacktrackingProbe) -> [LintFinding] {
        var findings: [LintFinding] = []
        if let subject = scanned.subject, let problem = AnchorCheck.problem(scanned.pattern.source) {
            findings.append(LintFinding(.warning, .unanchored, scanned.location,
                "\(scanned.what) is \(problem), so it also matches inside a longer \(subject); write '^…$' to match the whole \(subject)"))
        }
        if let hit = probe.probe(scanned.pattern) {
            findings.append(LintFinding(.error, .backtracking, scanned.location,
                "\(scanned.what) backtracks catastrophically: on the \(hit.input.utf8.count)-byte input \(hit.recipe) it gave up after \(hit.limit) steps, because '\(hit.piece)' can take the run in many ways; make each repeated piece match its text one way only (e.g. 'a+' for '(a+)+', or a possessive '(?:…)++')"))
        }
        return findings
    }

    /// The loader's first error, unless the scan already reported one at that line.
    private static func loaderFinding(_ error: RuleError, besides scanned: [LintFinding]) -> [LintFinding] {
        let known = scanned.contains { $0.severity == .error && $0.location.file == error.location.file && $0.location.line == error.location.line }
        return known ? [] : [LintFinding(.error, .badValue, error.location, error.message)]
    }
}

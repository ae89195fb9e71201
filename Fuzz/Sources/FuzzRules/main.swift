// The rule-file loader over arbitrary files: YAML through Yams, then every
// pattern through PCRE2's compiler, then the rules' own examples through the
// classifier; and PCRE2 compile and match on their own. Properties: a file
// either loads or gives a RuleError naming it; a loaded platform's examples run
// without trapping; a match either answers or reports a limit.
import FuzzSupport
import Foundation
@testable import TriageKit

/// One scratch rules directory per process, rewritten for every input.
let directory: String = {
    let path = NSTemporaryDirectory() + "urltriage-fuzz-rules-\(getpid())"
    try! FileManager.default.createDirectory(atPath: path + "/platforms", withIntermediateDirectories: true)
    return path
}()
let platformFile = directory + "/platforms/fuzz.yaml"
// libFuzzer calls a target from one thread only, so per-thread state can be global.
nonisolated(unsafe) let scratch = MatchScratch()
let urls = ["https://www.tiktok.com/@user/video/7234567890123456789?is_from_webapp=1",
            "https://fuzz.example/a/b?c=d#e", "http://FUZZ.example:8080/%41b/../c?x=1&utm_source=y"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRules(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let (option, bytes) = selector(fuzzBytes(data, count))
    if option & 1 == 0 {
        let (source, subject) = split(bytes, at: 0)
        let text = String(decoding: source, as: UTF8.self)
        var patternOptions: Pattern.Options = []
        if option & 2 != 0 { patternOptions.insert(.caseless) }
        if option & 4 != 0 { patternOptions.insert(.utf) }
        guard let pattern = try? Pattern(text, options: patternOptions) else { return 0 }
        // In UTF mode the subject must be valid UTF-8, as the classifier's subjects (parsed URLs) are.
        if patternOptions.contains(.utf), String(validating: subject, as: UTF8.self) == nil { return 0 }
        if (try? pattern.matches(subject, scratch: scratch)) == true {
            for group in 0...min(pattern.captureCount, MatchScratch.pairs - 1) {
                if let range = scratch.range(of: group) {
                    require(range.lowerBound >= 0 && range.upperBound <= subject.count,
                            "group \(group) of \(quoted(text)) on \(quoted(subject)) is \(range)")
                }
            }
        }
        return 0
    }

    // Foundation's String(contentsOfFile:) leaks 4 KiB reading an empty file
    // (LeakSanitizer would stop the run there), so empty files are left out.
    guard !bytes.isEmpty else { return 0 }
    _ = FileManager.default.createFile(atPath: platformFile, contents: Data(bytes))
    let loader = RuleLoader(globalTracking: ParamFilter(["utm_*", "fbclid"]))
    let platform: PlatformRules
    do {
        platform = try loader.loadPlatform(platformFile)
    } catch {
        require(error.location.file == platformFile, "error \(error) does not name the file")
        return 0
    }
    _ = try? RuleLoader.loadTracking(platformFile)
    guard let rules = try? RuleSet(platforms: [platform]) else { return 0 }
    _ = RuleTester(rules: rules).run()
    let classifier = Classifier(rules: rules)
    for url in urls {
        if let parsed = try? WebURL.parse(url) { _ = try? classifier.classify(parsed) }
    }
    return 0
}

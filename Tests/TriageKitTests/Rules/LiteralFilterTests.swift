import Testing
@testable import TriageKit

@Suite struct LiteralFilterTests {
    @Test(arguments: [
        ("^/@(?<user>[\\w.-]{1,64})/video/(?<id>\\d{6,25})/?$", "/@", "/video/"),
        ("^/video/(?<id>\\d+)/?$", "/video/", ""),
        ("^/(?:v/(?<id>\\d+)\\.html|embed/(?<id>\\d+))/?$", "/", ""),
        ("/status/(?<id>\\d+)", "", "/status/"),
        ("^/p/(?<code>[\\w-]+)\\.html$", "/p/", ".html"),
        ("^/a|^/b", "", ""),
        ("(?i)^/video/", "", ""),
        ("^/x(?i:abc)/def", "", ""),
        ("^/\\012abc", "", ""),
        ("^/wat?ch", "/wa", "ch"),
    ])
    func readsTheLiteralsEveryMatchContains(_ source: String, _ prefix: String, _ required: String) {
        let (found, other) = LiteralFilter.literals(of: source, caseless: false)
        #expect(String(decoding: found, as: UTF8.self) == prefix)
        #expect(String(decoding: other, as: UTF8.self) == required)
    }

    @Test func caselessPatternsAreNotFiltered() {
        let (prefix, required) = LiteralFilter.literals(of: "^/video/(?<id>\\d+)", caseless: true)
        #expect(prefix.isEmpty && required.isEmpty)
    }

    /// A pattern holds `none` from the start; one that fails to compile throws before any
    /// `deinit` could free it, so `none` must own nothing (the rules fuzzer found the leak).
    @Test func theFilterThatAdmitsEverythingOwnsNoMemory() {
        let none = LiteralFilter.none
        #expect(none.prefix.baseAddress == nil && none.required.baseAddress == nil)
        #expect(none.admits(UnsafeBufferPointer(start: nil, count: 0)))
        #expect(throws: PatternError.self) { try Pattern("^/ab(?<x>c") }
    }

    /// Sound on every shipped rule: for the paths of every example and
    /// counter-example (and each of them cut short and lengthened), whenever
    /// PCRE2 matches, the filter admits.
    @Test func neverRefusesWhatPCRE2Matches() throws {
        let scratch = MatchScratch()
        var paths: Set<String> = ["/", "", "/video/", "/@/video/1"]
        for platform in TestSupport.shippedRules.platforms {
            for rule in platform.content {
                for example in rule.examples + rule.counterExamples {
                    guard let url = try? WebURL.parse(example.url) else { continue }
                    paths.insert(url.path)
                    paths.insert(String(url.path.dropLast()))
                    paths.insert(url.path + "/")
                    paths.insert(String(url.path.dropFirst()))
                }
            }
        }
        var checked = 0
        for platform in TestSupport.shippedRules.platforms {
            for rule in platform.content {
                guard let pattern = rule.path else { continue }
                let filter = LiteralFilter(pattern: pattern)
                defer { filter.deallocate() }
                for path in paths {
                    var path = path
                    let admitted = path.withUTF8 { filter.admits($0) }
                    if try pattern.matches(path, scratch: scratch) {
                        #expect(admitted, "\(rule.location): \(path)")
                        checked += 1
                    }
                }
            }
        }
        #expect(checked > 100)
    }
}

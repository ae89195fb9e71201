import Testing
@testable import TriageKit

@Suite struct RegexSketchTests {
    @Test(arguments: [
        ("^/p/(?<id>\\d+)$", true, true),
        ("^/p/(?<id>\\d+)", true, false),
        ("/p/(?<id>\\d+)$", false, true),
        ("^/a$|^/b$", true, true),
        ("^/a|/b$", false, false),
        ("^(?:/a|/b)/?$", true, true),
        ("(?i)^/a$", true, true),
        ("\\A/a\\z", true, true),
        ("^/a\\$", true, false),
        ("(?=x)^/a$", false, true),
    ])
    func anchors(_ source: String, _ start: Bool, _ end: Bool) throws {
        let sketch = try #require(RegexSketch.parse(source))
        #expect(sketch.isAnchoredAtStart == start)
        #expect(sketch.isAnchoredAtEnd == end)
    }

    @Test func finiteLanguagesAreListed() throws {
        #expect(RegexSketch.parse("^/about/?$")?.finiteLanguage()?.sorted() == ["/about", "/about/"])
        #expect(RegexSketch.parse("^/(?:help|about)(?:/us)?$")?.finiteLanguage()?.sorted() == ["/about", "/about/us", "/help", "/help/us"])
        #expect(RegexSketch.parse("^/a{2}$")?.finiteLanguage() == ["/aa"])
        #expect(RegexSketch.parse("^/\\.well-known$")?.finiteLanguage() == ["/.well-known"])
    }

    @Test func classesRepeatsAndOptionsAreNotFinite() {
        #expect(RegexSketch.parse("^/[ab]$")?.finiteLanguage() == nil)
        #expect(RegexSketch.parse("^/a+$")?.finiteLanguage() == nil)
        #expect(RegexSketch.parse("(?i)^/about$")?.finiteLanguage() == nil)
        #expect(RegexSketch.parse("^/(?=a)a$")?.finiteLanguage() == nil)
    }

    @Test func repeatedPiecesKeepTheirText() throws {
        let sketch = try #require(RegexSketch.parse("^/(?:a+)+?x{2,}$"))
        guard case .sequence(let items) = sketch, case .repetition(_, 1, nil, let source) = items[2] else {
            Issue.record("unexpected sketch \(sketch)")
            return
        }
        #expect(source == "(?:a+)")
        guard case .repetition(_, 2, nil, let second) = items[3] else {
            Issue.record("unexpected sketch \(sketch)")
            return
        }
        #expect(second == "x")
    }

    @Test func unknownConstructsGiveUp() {
        #expect(RegexSketch.parse("^(?(1)a|b)$") == nil)
        #expect(RegexSketch.parse("^\\Ka$") == nil)
        #expect(RegexSketch.parse("^(a$") == nil)
    }
}

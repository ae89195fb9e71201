import Testing
@testable import TriageKit

@Suite struct PatternTests {
    @Test func namedCapturesAreFound() throws {
        let pattern = try Pattern(#"^/@(?<user>[\w.-]+)/video/(?<id>\d+)$"#)
        let scratch = MatchScratch()
        #expect(try pattern.matches("/@a.b/video/123", scratch: scratch))
        #expect(pattern.groupNumbers["user"] == [1])
        #expect(scratch.range(of: 2) == 12..<15)
        #expect(try !pattern.matches("/@a.b/photo/123", scratch: scratch))
    }

    @Test func duplicateNamesAcrossAlternatives() throws {
        let pattern = try Pattern(#"^/(?:v/(?<id>\d+)\.html|embed/(?<id>\d+))$"#)
        #expect(pattern.groupNumbers["id"]?.count == 2)
    }

    @Test func compileErrorNamesTheOffset() {
        #expect(throws: PatternError.self) { try Pattern("^/(abc$") }
        do {
            _ = try Pattern("^/ab(?<x>c")
        } catch {
            #expect(error.offset == 10)
            #expect(error.message.contains("missing closing parenthesis"))
        }
    }

    @Test func catastrophicBacktrackingHitsTheLimitInsteadOfHanging() throws {
        let pattern = try Pattern("^(a+)+$")
        let scratch = MatchScratch()
        let subject = String(repeating: "a", count: 40) + "!"
        #expect(throws: MatchLimitError.self) { try pattern.matches(subject, scratch: scratch) }
    }

    @Test func emptySubjectMatches() throws {
        #expect(try Pattern("^$").matches("", scratch: MatchScratch()))
    }

    @Test func jitIsUsedWhereAvailable() throws {
        #expect(try Pattern("^/x$").isJITCompiled)
    }

    /// Patterns are JIT-compiled on their first match: threads that all match a fresh
    /// pattern at once must each see it prepared once and get the same answers.
    @Test func firstMatchesFromManyThreadsAtOnceAgree() async throws {
        for round in 0..<20 {
            let pattern = try Pattern("^/video/(?<id>\\d+)/\(round)$")
            let results = await withTaskGroup(of: [Bool].self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        let scratch = MatchScratch()
                        return (0..<50).map { index in
                            (try? pattern.matches("/video/\(index)/\(index % 2 == 0 ? round : round + 1)", scratch: scratch)) ?? false
                        }
                    }
                }
                var all: [[Bool]] = []
                for await result in group { all.append(result) }
                return all
            }
            let expected = (0..<50).map { $0 % 2 == 0 }
            #expect(results.allSatisfy { $0 == expected })
        }
        #expect(try Pattern("^/x$").isJITCompiled)
    }

    /// A rule whose path lacks its pattern's literal text is passed over without PCRE2,
    /// and the filter is read only once the pattern is first used.
    @Test func literalFilterIsReadOnFirstUse() throws {
        let pattern = try Pattern("^/video/(?<id>\\d+)$")
        let bare = pattern.bare
        var path = "/photo/12"
        #expect(path.withUTF8 { !bare.admits($0) })
        path = "/video/12"
        #expect(path.withUTF8 { bare.admits($0) })
        #expect(Array(pattern.literalFilter.prefix) == Array("/video/".utf8))
    }
}

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
}

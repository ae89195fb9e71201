import Foundation
import Testing
@testable import TriageKit

/// The fast scan (patterns picked by the words they need, run only from where those words
/// are) must decide exactly as the straightforward one (every pattern from the start of
/// every note): same categories, same words matched, same words overruling, same reason.
@Suite struct CategoryFastPathTests {
    let categories = PrioritySupport.shippedCategories

    /// The test set's notes, every example and counter-example of the file.
    static func fixtureTexts(_ categories: HarmCategories) throws -> [String] {
        let notes = try String(contentsOfFile: CategoryNotesTests.file, encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("#") }
            .compactMap { $0.split(separator: "\t", maxSplits: 1).last.map(String.init) }
        return notes + categories.categories.flatMap { ($0.examples + $0.counterExamples).map(\.text) }
    }

    /// Notes written to catch a scan that skips or misplaces a match.
    static let tricky: [String] = [
        // Negation and the words that overrule, near and far, in quotes and curly quotes.
        "not a threat, just rude comments", "no threat", "NOT A THREAT", "not \"a threat\"", "not “threat”",
        "isn't a threat but they said they will stab him", "not a threat. threat.", "it's not threat threat",
        "they called him a liar", "called her a liar, and lies about the head", "don't think it's a real threat",
        "the school hides bullying", "the school hides bullying and bullying", "account asking kids for nudes",
        "asking for nudes of a year 9", "begging her to send nudes, year 8 girl", "not nudes of year 9",
        String(repeating: "x", count: 70) + " not a threat", "not a" + String(repeating: " ", count: 70) + "threat",
        // Several harms in one note, the most serious last.
        "they keep mocking him and now say they will stab him after school",
        "fake account of the head, spreading lies, and nudes of a year 10 girl, kys",
        "bullying bullying bullying then kys", "rumours about miss, then a fake profile, then a threat",
        // Capitals, emoji, accents and curly quotes.
        "KYS KYS KYS all over her comments 😢", "SHE SAYS SHE WANTS TO DIE", "Fake Account Of Mrs Patel",
        "😡😡 kill urself 😡😡", "naïve café “fake account” é\u{301}", "someone wrote ‘go die’ on his post",
        "ＫＹＳ in full-width letters", "kÿs", "İstanbul kys", "ſelf harm", "K\u{212A}S",
        // Caseless UTF-8 matching reads the Kelvin sign as k and the long s as s.
        "\u{212A}ys", "comments say \u{212A}YS", "\u{017F}uicide note", "un-aliveſ", "\u{212A}ill yourself", "suİcide note", "suıcide note", "SUİCİDE",
        "na\u{212A}ed pics of a year 9 girl", "upſkirt photos of pupils", "unalıve",
        // Matches at the very start and end, and words cut short.
        "kys", "threat", "nude", "nudes", "ky", "threa", "s kys", "kys s", "unalive", "un-alive", "sewer slide",
        // Long notes: the words far after the start.
        String(repeating: "the parent rang the office about it ", count: 1_800) + "and now she wants to die",
        String(repeating: "ordinary words, nothing to see. ", count: 300) + "not a threat, just rude comments",
        String(repeating: "🙂 ", count: 500) + "deepfake image of a teacher undressed",
        "", " ", "\n", "\u{0}kys", "kys\u{0}",
        // Words that run on past a window's end (patterns ending in `\w*`), near and far.
        "pupil posted suicid" + String(repeating: "a", count: 300) + "l stuff", "happy slap" + String(repeating: "p", count: 200),
        String(repeating: "nothing happened, ", count: 400) + "happy-slap" + String(repeating: "ping", count: 100) + " video",
        "cyberbull" + String(repeating: "y", count: 90) + " and humiliat" + String(repeating: "ing", count: 50),
    ]

    /// The part looked for without the whole string it belongs to ("come" without "for"),
    /// cut at the text's edges, and whole strings far apart in one long note.
    static let parts: [String] = [
        "come", "come for", "come for you", "they come over for him", "COMES FOR THE TEACHER", "coming fo", "oming for u",
        "nude", "a nud", "his nude", "sent nude pics", "kill your", "kill yourself", "kill your self", "end it", "to end it",
        "want to di", "wants to die", "wants to diet", "goodbye not", "goodbye note", "take her own lif", "take her own life",
        String(repeating: "come and go, ", count: 400) + "they will come for you", String(repeating: "want to ", count: 500) + "die",
    ]

    /// Overruling words just inside and just outside the 64 bytes before a match.
    static let nearTheWindowsEdge: [String] = (56...68).flatMap { (spaces: Int) -> [String] in
        let gap = String(repeating: " ", count: spaces)
        return ["not" + gap + "threat", "called him a" + String(gap.dropLast(9)) + "liar",
                "asking " + String(repeating: "x", count: spaces - 30) + " for nudes of a year 9"]
    }

    /// Words a pattern wants whole (`\b` at a string's edge) inside longer words, at the text's
    /// edges, and just past where a window ends: the pass drops such a place only where the text
    /// (not a window's end) goes on with a word byte, and a window never ends inside a word.
    static let wordEdges: [String] = [
        "the person who posted", "yourselves", "kysx", "xkys", "_kys", "kys_", "9kys", "kys9", "skys the limit",
        "cut yourselfish", "threatsx", "xthreat", "unaliveish", "nakedness", "nudes4u", "pikeys", "mongoose", "teapot page",
        "not kys kysz", "no threat threatz", "not a threat, threatening", "tea pages", "tea page",
        "killyou", "kill youth", "kill you", "stab urself", "stab ur", "stab urn",
    ] + (0..<48).flatMap { (gap: Int) -> [String] in
        let spaces = String(repeating: " ", count: gap)
        return ["not kys" + spaces + "kysz", "not kys" + spaces + "kys", "no threat" + spaces + "threatz",
                "not a threat" + spaces + "threat", "not naked" + spaces + "nakedz", "not naked" + spaces + "naked pics"]
    }

    /// Every text as written and changed the ways notes are: in capitals, quoted, after
    /// words of their own, negated, with emoji, two notes in one.
    static func variants(_ texts: [String]) -> [String] {
        var result: [String] = []
        for (index, text) in texts.enumerated() {
            let other = texts[(index * 7 + 3) % texts.count]
            result += [
                text, text.uppercased(), "\"\(text)\"", "“\(text)”", "from Mr Jones via tiktok #\(index): \(text)",
                "not a \(text)", "\(text) 😢😢", "\(text). \(other)", "\(other) \(text)",
            ]
        }
        return result
    }

    func expectSame(_ text: String, scratch: MatchScratch, categorizer: ItemCategorizer, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let fast = categories.decide(reported: nil, notes: text, scratch: scratch)
        var copy = text
        let plain = copy.withUTF8 { categories.decide(bytes: $0, scratch: scratch, plainly: true) { .notes(matched: $0) } } ?? categories.fallbackDecision
        #expect(fast == plain, "\(text)", sourceLocation: sourceLocation)
        #expect(fast.because == plain.because, "\(text)", sourceLocation: sourceLocation)
        let fromBytes = categorizer.decide(.init(category: nil, notes: text))
        #expect(fromBytes == plain, "\(text)", sourceLocation: sourceLocation)
        #expect(fromBytes.because == plain.because, "\(text)", sourceLocation: sourceLocation)
    }

    @Test func theFastScanDecidesEveryFixtureAsTheStraightforwardOne() throws {
        let scratch = MatchScratch()
        let categorizer = ItemCategorizer(categories: categories)
        let texts = Self.variants(try Self.fixtureTexts(categories))
        #expect(texts.count > 3_000)
        for text in texts { expectSame(text, scratch: scratch, categorizer: categorizer) }
    }

    @Test func theFastScanDecidesTrickyNotesAsTheStraightforwardOne() {
        let scratch = MatchScratch()
        let categorizer = ItemCategorizer(categories: categories)
        for text in Self.variants(Self.tricky + Self.parts + Self.nearTheWindowsEdge + Self.wordEdges) { expectSame(text, scratch: scratch, categorizer: categorizer) }
    }

    /// The same for a file of its own, whose patterns the word picking cannot read
    /// (backreferences, lookbehind first, words inside classes) beside ones it can.
    @Test func theFastScanDecidesAsTheStraightforwardOneForPatternsItCannotRead() throws {
        let text = """
            fallback: other
            negation:
              - '\\bnot'
            categories:
              - id: first
                patterns:
                  - '(\\w+) \\1 again'
                  - '(?<=\\bsaid )kys'
                  - '[k][y][s]'
                  - 'stab\\w*'
                overruled_by:
                  - '\\bjoking about'
                also_needs:
                  - '\\b(?:pupil|year \\d+)\\b'
              - id: second
                narrows: first
                patterns:
                  - '\\bstab(?:bed|bing)\\b'
                  - 'x{2,}'
              - id: other
            """
        let file = try HarmCategoriesTests.write(text)
        let own = try HarmCategories.load(from: file)
        let scratch = MatchScratch()
        let notes = ["pupil says stab stab again", "pupil said kys", "year 9 KYS", "stabbed a pupil", "not stabbing, joking about stab pupil",
                     "xxxx", "not xx", "pupil xx said kys stab", "joking about stabbed year 7", ""]
        for note in Self.variants(notes) {
            let fast = own.decide(reported: nil, notes: note, scratch: scratch)
            var copy = note
            let plain = copy.withUTF8 { own.decide(bytes: $0, scratch: scratch, plainly: true) { .notes(matched: $0) } } ?? own.fallbackDecision
            #expect(fast == plain, "\(note)")
            #expect(fast.because == plain.because, "\(note)")
        }
    }
}

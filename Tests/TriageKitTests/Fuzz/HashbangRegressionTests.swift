import Testing
@testable import TriageKit

/// Inputs FuzzNormalize found (Fuzz/README.md): normalising a canonical URL
/// must give it back unchanged, with the same key.
@Suite struct HashbangRegressionTests {
    /// A classifier of its own per call: one owns match state and is not shared between threads.
    static func normalized(_ url: String) throws -> Classification {
        try Classifier(rules: TestSupport.shippedRules).classify(try WebURL.parse(url))
    }

    /// An old `#!/` address whose route a fragment keeps as written but a path
    /// or query would not (`#`, `{`, `}`, `'`, a backslash, dot segments):
    /// copied into the path as it was, the canonical URL read back as another
    /// URL (a `#` there starts a fragment, `\` is a slash, `..` goes up).
    @Test(arguments: [
        "https://x.com/#!/sttps:/#!/so",
        "https://x.com/#!/a{b}",
        "https://x.com/#!/search?q='1'#2",
        "https://example.com/#!/a#b",
        "https://example.com/#!/a?b=c#d'e",
        #"https://x.com=#!/sttphtup\%3A%2F{{{snw.e"#,
        #"https://x.com/#!/a\b"#,
        "https://x.com/#!/a/../b",
        "https://example.com/#!/a/./b/%2e%2e/c?x=1",
    ])
    func canonicalOfAHashbangAddressIsStable(_ url: String) throws {
        let first = try Self.normalized(url)
        let again = try Self.normalized(first.canonical)
        #expect(again.canonical == first.canonical)
        #expect(again.key == first.key)
    }

    /// The line FuzzNormalize found, through the batch path as `normalize` runs it.
    @Test func foundLine() throws {
        let line: [UInt8] = Array("hwww.e".utf8) + [0, 0, 0] + Array("https://x.com/#!/sttps:/#!/so".utf8) + [0] + Array("htt=20".utf8)
        let normalizer = BatchNormalizer(rules: TestSupport.shippedRules)
        var canonicals: [String] = []
        line.withUnsafeBufferPointer { text in
            normalizer.process(line: 1, text: text) { row in
                if let classification = row.classification { canonicals.append(classification.canonical) }
            }
        }
        #expect(!canonicals.isEmpty)
        for canonical in canonicals {
            #expect(try Self.normalized(canonical).canonical == canonical)
        }
    }
}

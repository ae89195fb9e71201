import Testing
@testable import TriageKit

/// Inputs FuzzNormalize found (Fuzz/README.md): normalising a canonical URL
/// must give it back unchanged, with the same key.
@Suite struct HashbangRegressionTests {
    /// A classifier of its own per call: one owns match state and is not shared between threads.
    static func normalized(_ url: String) throws -> Classification {
        try Classifier(rules: TestSupport.shippedRules).classify(try WebURL.parse(url))
    }

    /// An old `#!/` address whose route holds bytes a fragment keeps as they are
    /// but a path or query escapes (`#`, `{`, `}`; `#`, `'`): moved into the path
    /// unescaped, the canonical URL read back as another URL (a `#` there starts a
    /// fragment, which was then dropped).
    @Test(arguments: [
        "https://x.com/#!/sttps:/#!/so",
        "https://x.com/#!/a{b}",
        "https://x.com/#!/search?q='1'#2",
        "https://example.com/#!/a#b",
        "https://example.com/#!/a?b=c#d'e",
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

import Testing
@testable import TriageKit

/// An input FuzzNormalize found (Fuzz/README.md): normalising percent-encoding
/// must give the same text when done twice.
@Suite struct PercentEncodingRegressionTests {
    /// Decoding an escape to a hex digit just after a bare `%` made a new
    /// escape (`%%42e` gave `%Be`, which the next pass read as `%BE`).
    @Test(arguments: ["/a%%42e", "/a%4%31", "/%%41%42", "/urtps%F2A%%42eFxag", "/100%25%41"])
    func normalisingTwiceChangesNothing(_ path: String) {
        let once = URLCleaner.normalizePercentEncoding(path)
        #expect(URLCleaner.normalizePercentEncoding(once) == once)
    }

    @Test func foundURL() throws {
        let classifier = Classifier(rules: TestSupport.shippedRules)
        let first = try classifier.classify(try WebURL.parse("https://sdb8w.com/urtps%F2A%%42eFxag"))
        let again = try classifier.classify(try WebURL.parse(first.canonical))
        #expect(again.canonical == first.canonical)
    }
}

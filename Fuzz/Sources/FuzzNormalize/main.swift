// The whole offline path (extract, parse, unwrap, classify with the
// project's rules) over arbitrary report lines. Property: normalising a
// canonical URL returns it unchanged, with the same key.
import FuzzSupport
import Foundation
@testable import TriageKit

let rules: RuleSet = {
    let directory = ProcessInfo.processInfo.environment["URLTRIAGE_RULES"]
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("rules").path
    do {
        return try RuleSet.load(from: directory)
    } catch {
        fatalError("cannot load the rules in \(directory): \(error)")
    }
}()
// libFuzzer calls a target from one thread only, so per-thread state can be global.
nonisolated(unsafe) let classifier = Classifier(rules: rules)
/// Reused, as a batch reuses it line after line; renewed now and then so the dedupe table stays small.
nonisolated(unsafe) var normalizer = BatchNormalizer(rules: rules)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNormalize(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let line = fuzzBytes(data, count)
    if normalizer.summary.lines >= 100_000 { normalizer = BatchNormalizer(rules: rules) }
    var found: [Classification] = []
    normalizer.process(line: 1, text: line) { row in
        if let classification = row.classification { found.append(classification) }
    }
    for first in found {
        let again: Classification
        do {
            again = try classifier.classify(try WebURL.parse(first.canonical))
        } catch {
            propertyFailed("\(quoted(line)) gives the canonical URL \(quoted(first.canonical)), which does not normalise: \(error)")
        }
        require(again.canonical == first.canonical,
                "\(quoted(line)) gives the canonical URL \(quoted(first.canonical)), which normalises to \(quoted(again.canonical))")
        require(again.key == first.key,
                "\(quoted(line)) gives the key \(quoted(first.key)) for \(quoted(first.canonical)), which then has the key \(quoted(again.key))")
    }
    return 0
}

import Foundation
public import TriageKit

/// What recording one check decides, apart from any database: the item's next state and
/// the words of its transition. `CheckRecorder` (SQLite) and the PostgreSQL store both
/// record through it, so the same results give the same statuses and transitions on either.
public enum CheckStep {
    /// The second a check was made at, as the store keeps it.
    public static func seconds(_ result: CheckResult) -> Int64 {
        Int64(result.checkedAt.timeIntervalSince1970.rounded(.down))
    }

    /// The step a check moves an item in `state` by, with the check's evidence in its reason.
    ///
    /// `upElsewhere` is the verdict (live or restricted) of another region's latest check that
    /// found the item up, read only for a removal seen by a worker with a region: then the
    /// removal is a geo-block, not a takedown, and the item goes on as the other region sees it
    /// (its last verdict too, so it stays on the escalation list); the check keeps its own verdict.
    public static func after(_ result: CheckResult, state: ItemState, region: String?, upElsewhere: Verdict?,
                             lifecycle: Lifecycle, at checkedAt: Int64) -> Lifecycle.Step {
        var step: Lifecycle.Step
        if result.verdict == .removed, let region, let upElsewhere {
            step = lifecycle.afterCheck(state, verdict: upElsewhere, at: checkedAt)
            step.why = step.why.map { "\($0); removed in \(region) only (blocked in \(region))" }
        } else {
            step = lifecycle.afterCheck(state, verdict: result.verdict, at: checkedAt)
        }
        if let why = step.why { step.why = "\(why): \(evidence(result))" }
        return step
    }

    /// Whether a check with `result` needs the other regions' latest verdicts (`after`'s `upElsewhere`).
    public static func needsOtherRegions(_ result: CheckResult, region: String?) -> Bool {
        result.verdict == .removed && region != nil
    }

    /// Of the other regions' latest verdicts, the one that says the item is up: live before restricted.
    public static func up(among verdicts: [Verdict]) -> Verdict? {
        verdicts.contains(.live) ? .live : verdicts.contains(.restricted) ? .restricted : nil
    }

    /// The evidence of a check in a few words: status, final URL, the signature that decided.
    public static func evidence(_ result: CheckResult) -> String {
        var parts: [String] = []
        if let status = result.httpStatus { parts.append("HTTP \(status)") }
        if let final = result.finalURL, final != result.url { parts.append("ended at \(final)") }
        if !result.reason.isEmpty { parts.append(result.reason) }
        return parts.isEmpty ? "no evidence recorded" : parts.joined(separator: "; ")
    }

    // MARK: - Short links

    /// Why a short link was closed as merged into the item at `key`.
    public static func mergedWhy(into key: String) -> String {
        "short link leads to \(key); its reports count there"
    }

    /// Platform, type and canonical URL for an item known only by the key a short link resolved
    /// to (`finalURL` is where it led), classified by `rules` when they know it.
    public static func describe(key: String, finalURL: String, rules: RuleSet?) -> (platform: String, type: String, canonical: String) {
        if let rules {
            var found: Classification?
            BatchNormalizer(rules: rules).process(line: 1, text: finalURL) { row in
                if found == nil, let classification = row.classification, classification.key == key { found = classification }
            }
            if let found { return (found.platform, found.type, found.canonical) }
        }
        let parts = key.split(separator: ":", maxSplits: 2)
        return parts.count == 3 ? (String(parts[0]), String(parts[1]), finalURL) : ("web", "page", finalURL)
    }
}

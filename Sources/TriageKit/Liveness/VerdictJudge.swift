import Foundation

/// Everything a verdict on one page is decided from.
struct JudgeInput: Sendable {
    let request: CheckRequest
    let outcome: TransferOutcome
    /// The rules whose signatures apply: the final URL's platform, else the item's.
    let rules: PlatformRules?
    /// Requests made for this item so far, probes and retries included.
    let attempts: Int
    /// Said before the page's own evidence: how a short link resolved, what a probe answered.
    let preface: String?
    let resolvedKey: String?
    let elapsedMilliseconds: Int
    /// The server asked for a wait beyond the cap (seconds), so the check gave up.
    let refusedWait: Int?
    let options: LivenessOptions
}

/// Turns a page's evidence into a verdict and a reason a caseworker can
/// check: the status, where redirects ended, and the signature (file:line)
/// that decided. One per thread: it owns PCRE2 match state.
final class VerdictJudge {
    private let scratch = MatchScratch()

    func judge(_ input: JudgeInput) -> CheckResult {
        let outcome = input.outcome
        let (verdict, evidence) = decide(input)
        var reason = evidence
        if let preface = input.preface { reason = preface + "; " + reason }
        return CheckResult(key: input.request.key, url: input.request.url, verdict: verdict, httpStatus: outcome.status,
                           finalURL: outcome.finalURL, redirects: outcome.redirects, reason: reason,
                           elapsedMilliseconds: input.elapsedMilliseconds, resolvedKey: input.resolvedKey,
                           attempts: input.attempts, bodyBytes: outcome.body.count)
    }

    // MARK: - Deciding

    private func decide(_ input: JudgeInput) -> (Verdict, String) {
        let outcome = input.outcome
        if let failure = outcome.failure { return Self.transportVerdict(failure, input: input) }
        guard let status = outcome.status else { return (.error, "no HTTP response: \(outcome.failureMessage)") }
        let via = Self.redirectNote(outcome)
        if let wait = input.refusedWait {
            return (.unknown, "HTTP \(status)\(via): rate-limited; the site asked to wait \(wait) s, beyond the \(Int(input.options.retryAfterCap.nanoseconds / 1_000_000_000)) s cap")
        }
        if let rules = input.rules?.liveness {
            if let (signature, part) = match(rules.removed, outcome) {
                return (.removed, "HTTP \(status)\(via): removed signature \(signature.location.brief) (\(part))")
            }
            if let (signature, part) = match(rules.restricted, outcome) {
                return (.restricted, "HTTP \(status)\(via): restricted signature \(signature.location.brief) (\(part))")
            }
        }
        return Self.statusVerdict(status, via: via, input: input)
    }

    /// The first signature whose every given part matches, and the part that says most.
    private func match(_ signatures: [LivenessSignature], _ outcome: TransferOutcome) -> (LivenessSignature, String)? {
        for signature in signatures {
            if let redirected = signature.redirected, redirected != (outcome.redirects > 0) { continue }
            if !signature.status.isEmpty {
                guard let status = outcome.status, signature.status.contains(status) else { continue }
            }
            if let pattern = signature.finalURL {
                guard let finalURL = outcome.finalURL, (try? pattern.matches(finalURL, scratch: scratch)) == true else { continue }
            }
            if let pattern = signature.body {
                let matched = outcome.body.withUnsafeBufferPointer { (try? pattern.matches($0, scratch: scratch)) == true }
                guard matched else { continue }
            }
            var parts: [String] = []
            if let pattern = signature.body { parts.append("body matches '\(Self.shorten(pattern.source))'") }
            if let pattern = signature.finalURL { parts.append("final URL matches '\(Self.shorten(pattern.source))'") }
            if !signature.status.isEmpty { parts.append("status " + signature.status.map(String.init).joined(separator: "/")) }
            if signature.redirected == true { parts.append("after a redirect") }
            return (signature, parts.joined(separator: ", "))
        }
        return nil
    }

    /// What the status says when no signature did.
    static func statusVerdict(_ status: Int, via: String, input: JudgeInput) -> (Verdict, String) {
        let read = input.outcome.bodyCapped ? "; body read to the \(byteCount(input.options.maxBodyBytes)) cap" : ""
        let signatures = input.rules?.liveness == nil ? "" : " no signature matched"
        switch status {
        case 200...299:
            return (.live, "HTTP \(status)\(via);\(signatures.isEmpty ? " up" : signatures)\(read)")
        case 404, 410:
            return (.removed, "HTTP \(status)\(via): not found (404 and 410 mean removed)")
        case 401, 407:
            return (.restricted, "HTTP \(status)\(via): login required")
        case 451:
            return (.restricted, "HTTP 451\(via): unavailable for legal reasons (a region or legal block)")
        case 403:
            return (.unknown, "HTTP 403\(via): forbidden, a bot wall or private content;\(signatures.isEmpty ? " nothing decided" : signatures)")
        case 429:
            return (.unknown, "HTTP 429\(via): still rate-limited after \(attempts(input))")
        case 500...599:
            return (.unknown, "HTTP \(status)\(via): server error after \(attempts(input))")
        case 300...399:
            return (.unknown, "HTTP \(status)\(via): a redirect that could not be followed")
        case 999:
            return (.unknown, "HTTP 999\(via): the site refuses automated checks")
        default:
            return (.unknown, "HTTP \(status)\(via): nothing decided")
        }
    }

    /// Verdicts for transfers that got no usable answer.
    static func transportVerdict(_ failure: TransferFailure, input: JudgeInput) -> (Verdict, String) {
        let outcome = input.outcome
        let message = outcome.failureMessage
        switch failure {
        case .refused:
            return (.error, "refused to connect: \(outcome.refusal ?? "a private address") (pass --allow-private to check local and private addresses)")
        case .dns:
            return (.error, "DNS: no such host (\(message)); not retried")
        case .connect:
            return (.error, "could not connect: \(message)")
        case .timeout:
            return (.error, "timed out after \(attempts(input)): \(message)")
        case .tls:
            return (.error, "TLS: \(message)")
        case .tooManyRedirects:
            return (.unknown, "more than \(input.options.maxRedirects) redirects: a redirect loop or a bot wall\(outcome.location.map { " (last Location: \(shorten($0, limit: 120)))" } ?? "")")
        case .scheme:
            if let location = outcome.location, outcome.redirects > 0 || outcome.status.map({ (300...399).contains($0) }) == true {
                return (.error, "redirect to '\(shorten(location, limit: 120))' refused: only http and https are followed")
            }
            return (.error, "only http and https URLs are checked: \(message)")
        case .reset:
            return (.error, "connection reset or closed before a full answer, after \(attempts(input)): \(message)")
        case .proxy:
            return (.error, "proxy: \(message)")
        case .headersTooLarge:
            let line = message.lowercased().contains("giant") || message.lowercased().contains("max is")
            return (.error, line ? "a response header line over 100 KiB (libcurl's limit); not retried"
                                 : "response headers over 300 KiB (libcurl's limit); not retried")
        case .hostDown:
            return (.error, message)
        case .other(let code):
            return (.error, "curl error \(code): \(message)")
        }
    }

    // MARK: - Wording

    static func redirectNote(_ outcome: TransferOutcome) -> String {
        switch outcome.redirects {
        case 0: ""
        case 1: " after 1 redirect"
        default: " after \(outcome.redirects) redirects"
        }
    }

    static func attempts(_ input: JudgeInput) -> String {
        input.attempts == 1 ? "1 attempt" : "\(input.attempts) attempts"
    }

    static func byteCount(_ bytes: Int) -> String {
        bytes % 1024 == 0 && bytes >= 1024 ? "\(bytes / 1024) KiB" : "\(bytes) bytes"
    }

    static func shorten(_ text: String, limit: Int = 60) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }
}

extension SourceLocation {
    /// `rules/platforms/x.yaml:12`: the rule file's last three path parts and the line.
    var brief: String {
        let parts = file.split(separator: "/", omittingEmptySubsequences: true)
        return parts.suffix(3).joined(separator: "/") + ":\(line)"
    }
}

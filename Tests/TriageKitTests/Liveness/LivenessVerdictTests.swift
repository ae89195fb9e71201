import Foundation
import Testing
@testable import TriageKit

/// Verdicts for each way the test server's imitated platforms answer.
@Suite(.timeLimit(.minutes(1)))
struct LivenessVerdictTests {
    @Test func livePageIsLive() async throws {
        let result = try await LivenessHarness.check("http://live.example/page")
        #expect(result.verdict == .live)
        #expect(result.httpStatus == 200)
        #expect(result.attempts == 1)
    }

    @Test(arguments: ["http://status.example/404", "http://status.example/410"])
    func notFoundAndGoneAreRemoved(url: String) async throws {
        let result = try await LivenessHarness.check(url)
        #expect(result.verdict == .removed)
        #expect(result.reason.contains("404 and 410 mean removed"))
    }

    @Test func removedPageAnsweringTwoHundredIsRemovedBySignature() async throws {
        // X style: the probe answers 500 (not mapped), the page answers 200 with a removal marker.
        let result = try await LivenessHarness.check("https://x.com/someone/status/1700000000000000002")
        #expect(result.verdict == .removed)
        #expect(result.httpStatus == 200)
        #expect(result.reason.contains("x.yaml"))
        #expect(result.reason.contains("probe answered 500"))
    }

    @Test func probeDecidesWhereItCan() async throws {
        let removed = try await LivenessHarness.check("https://x.com/someaccount/status/1734567890123456789")
        #expect(removed.verdict == .removed)
        #expect(removed.reason.contains("probe https://publish.twitter.com/oembed answered 404"))
        let deleted = try await LivenessHarness.check("https://www.youtube.com/watch?v=Deleted0001")
        #expect(deleted.verdict == .removed)
    }

    @Test func embeddingDisabledIsNotRemoval() async throws {
        // YouTube's oEmbed answers 401 when embedding is off; the watch page then decides.
        let result = try await LivenessHarness.check("https://www.youtube.com/watch?v=Ab3dEf9hIjK")
        #expect(result.verdict == .live)
        #expect(result.reason.contains("probe answered 401: the page decides"))
        let hidden = try await LivenessHarness.check("https://www.youtube.com/watch?v=PrivateVid0")
        #expect(hidden.verdict == .restricted)
    }

    @Test func loginRedirectIsRestricted() async throws {
        let result = try await LivenessHarness.check("https://www.instagram.com/oakfield_academy_official/")
        #expect(result.verdict == .restricted)
        #expect(result.redirects == 1)
        #expect(result.finalURL?.contains("/accounts/login/") == true)
        #expect(result.reason.contains("instagram.yaml"))
    }

    @Test func instagramRemovalPageIsRemoved() async throws {
        let result = try await LivenessHarness.check("https://www.instagram.com/p/C1aBcD2eFgH/")
        #expect(result.verdict == .removed)
        #expect(result.reason.contains("Sorry, this page"))
    }

    @Test func serverRejectingHeadIsCheckedWithGet() async throws {
        let server = try await LivenessHarness.server()
        let result = try await LivenessHarness.check("http://nohead.example/")
        #expect(result.verdict == .live)
        #expect(server.counters.host("nohead.example").requestsByMethod["HEAD"] == nil)
        #expect(server.counters.host("nohead.example").requestsByMethod["GET"] == 1)
    }

    @Test func redirectLoopIsUnknown() async throws {
        let result = try await LivenessHarness.check("http://loop.example/a")
        #expect(result.verdict == .unknown)
        #expect(result.reason.contains("more than 10 redirects"))
    }

    @Test func endlessBodyStopsAtTheCap() async throws {
        let result = try await LivenessHarness.check("http://endless.example/") { $0.maxBodyBytes = 64 * 1024 }
        #expect(result.verdict == .live)
        #expect(result.bodyBytes == 64 * 1024)
        #expect(result.reason.contains("64 KiB cap"))
    }

    @Test func slowDripTimesOut() async throws {
        let result = try await LivenessHarness.check("http://slow.example/") {
            $0.lowSpeedBytes = 1024
            $0.lowSpeedTime = .seconds(1)
            $0.retries = 0
        }
        #expect(result.verdict == .error)
        #expect(result.reason.contains("timed out"))
    }

    @Test func resetIsRetriedThenAnError() async throws {
        let result = try await LivenessHarness.check("http://reset.example/always") { $0.retries = 2 }
        #expect(result.verdict == .error)
        #expect(result.attempts == 3)
        #expect(result.reason.contains("reset"))
        let recovered = try await LivenessHarness.check("http://reset.example/once")
        #expect(recovered.verdict == .live)
        #expect(recovered.attempts == 2)
    }

    @Test func httpsIsVerified() async throws {
        let trusted = try await LivenessHarness.check("https://live.example/tls")
        #expect(trusted.verdict == .live)
        let untrusted = try await LivenessHarness.check("https://live.example/untrusted") { $0.caCertificate = nil }
        #expect(untrusted.verdict == .error)
        #expect(untrusted.reason.hasPrefix("TLS"))
    }
}

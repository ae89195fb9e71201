import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TriageKit
@testable import TriageStore
@testable import TriageWeb

/// The harm routes of `policy.yaml` on the pages: a sexual image of a child keeps its
/// "open" link back until a person confirms, and a risk to life is on top of the list.
@Suite struct WebHarmRouteTests {
    static let batch = """
        someone shared nudes of a year 9 girl https://www.tiktok.com/@someone/video/7300000000000000011
        she says she wants to kys https://www.tiktok.com/@another/video/7300000000000000012
        """

    @Test("A child-image item withholds its open link until a person confirms, and names the hotline")
    func childImageWithholdsTheOpenLink() async throws {
        let harness = try await WebHarness()
        try await harness.test { client in
            let browser = try await Browser.signIn(client, as: "cas")
            _ = try await browser.post(client, "/batch", [("text", Self.batch)])
            let key = "tiktok:video:7300000000000000011"
            let page = String(buffer: try await browser.get(client, "/item?key=\(key)").body)
            #expect(!page.contains("href=\"https://www.tiktok.com/@someone/video/7300000000000000011\""))
            #expect(page.contains("reveal=yes"))
            #expect(page.contains("Internet Watch Foundation"))
            let revealed = String(buffer: try await browser.get(client, "/item?key=\(key)&reveal=yes").body)
            #expect(revealed.contains("href=\"https://www.tiktok.com/@someone/video/7300000000000000011\""))
            // Another item keeps its link as before.
            let other = String(buffer: try await browser.get(client, "/item?key=tiktok:video:7300000000000000012").body)
            #expect(other.contains("href=\"https://www.tiktok.com/@another/video/7300000000000000012\""))
            #expect(other.contains("999"))
        }
    }

    @Test("Escalate: a risk to life is listed first under Act now, a child image is tagged do not open")
    func escalateShowsTheRoutes() async throws {
        let harness = try await WebHarness()
        try await harness.test { client in
            let browser = try await Browser.signIn(client, as: "cas")
            _ = try await browser.post(client, "/batch", [("text", Self.batch)])
            try await harness.execute("UPDATE items SET status = 'live', last_verdict = 'live', last_checked_at = \(StoreTime.now())")
            let page = String(buffer: try await browser.get(client, "/escalate").body)
            let actNow = try #require(page.range(of: "Act now: a risk to life"))
            let firstMention = try #require(page.range(of: "tiktok:video:7300000000000000012"))
            #expect(actNow.lowerBound < firstMention.lowerBound)
            #expect(page.contains("call the police now (999 in the UK)"))
            #expect(page.contains("do not open"))
        }
    }
}

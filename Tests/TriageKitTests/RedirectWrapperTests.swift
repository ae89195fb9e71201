import Testing
@testable import TriageKit

@Suite struct RedirectWrapperTests {
    let extractor = URLExtractor(schemelessDomains: ["tiktok.com", "facebook.com"])

    func only(_ line: String) -> Candidate? {
        let found = extractor.extract(line)
        #expect(found.count == 1)
        return found.first
    }

    // MARK: - One level

    @Test(arguments: [
        ("https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fwww.tiktok.com%2F%40a%2Fvideo%2F1&data=05%7C01%7C&reserved=0",
         "https://www.tiktok.com/@a/video/1", "Outlook Safe Links"),
        ("https://urldefense.proofpoint.com/v1/url?u=https%3A%2F%2Fexample.org%2Fa%3Fb%3D1&k=abc%3D%0A&r=x",
         "https://example.org/a?b=1", "Proofpoint URL Defense v1"),
        ("https://urldefense.proofpoint.com/v2/url?u=https-3A__www.example.org_a-5Fb_c-3Fd-3D1-26e-3D2&d=DwMFaQ&c=x&r=y",
         "https://www.example.org/a_b/c?d=1&e=2", "Proofpoint URL Defense v2"),
        ("https://urldefense.com/v3/__https://www.example.org/path__;!!ABCD!efgh-ijkl$",
         "https://www.example.org/path", "Proofpoint URL Defense v3"),
        ("https://l.facebook.com/l.php?u=https%3A%2F%2Fexample.org%2F%3Fx%3D1&h=AT0abc",
         "https://example.org/?x=1", "Facebook link shim"),
        ("https://lm.facebook.com/l.php?u=https%3A%2F%2Fexample.org%2Fm&h=AT1",
         "https://example.org/m", "Facebook link shim"),
        ("https://l.instagram.com/?u=https%3A%2F%2Fexample.org%2Fbio&e=ATM",
         "https://example.org/bio", "Instagram link shim"),
        ("https://www.google.com/url?q=https://example.org/a&sa=D&source=editors",
         "https://example.org/a", "Google redirect"),
        ("https://www.google.co.uk/url?sa=t&rct=j&url=https%3A%2F%2Fexample.org%2Fb&usg=AOv",
         "https://example.org/b", "Google redirect"),
        ("https://google.de/url?q=https%3A%2F%2Fexample.org%2Fc",
         "https://example.org/c", "Google redirect"),
        ("https://www.youtube.com/redirect?event=video_description&redir_token=abc&q=https%3A%2F%2Fexample.org%2Fd&v=xyz",
         "https://example.org/d", "YouTube redirect"),
        ("https://l.messenger.com/l.php?u=https%3A%2F%2Fexample.org%2Fe&h=AT2",
         "https://example.org/e", "Messenger link shim"),
        ("https://www.linkedin.com/redir/redirect?url=https%3A%2F%2Fexample.org%2Ff&urlhash=abc",
         "https://example.org/f", "LinkedIn redirect"),
        ("https://slack-redir.net/link?url=https%3A%2F%2Fexample.org%2Fg",
         "https://example.org/g", "Slack redirect"),
        ("https://out.reddit.com/t3_abc?url=https%3A%2F%2Fexample.org%2Fh&token=x",
         "https://example.org/h", "Reddit outbound link"),
        ("https://vk.com/away.php?to=https%3A%2F%2Fexample.org%2Fi",
         "https://example.org/i", "VK away link"),
        ("https://protect2.fireeye.com/v1/url?k=abc&q=1&e=def&u=https%3A%2F%2Fexample.org%2Fj",
         "https://example.org/j", "Trellix (FireEye) URL protection"),
        ("https://linkprotect.cudasvc.com/url?a=https%3A%2F%2Fexample.org%2Fk&c=E,1,abc",
         "https://example.org/k", "Barracuda Link Protection"),
        ("https://t.umblr.com/redirect?z=https%3A%2F%2Fexample.org%2Fl&t=abc",
         "https://example.org/l", "Tumblr redirect"),
        ("https://steamcommunity.com/linkfilter/?url=https://example.org/m",
         "https://example.org/m", "Steam link filter"),
        ("https://consent.youtube.com/m?continue=https%3A%2F%2Fwww.youtube.com%2Fwatch%3Fv%3DdQw4w9WgXcQ%26cbrd%3D1&gl=GB&m=0&pc=yt&hl=en&src=1",
         "https://www.youtube.com/watch?v=dQw4w9WgXcQ&cbrd=1", "YouTube consent page"),
        ("https://consent.google.com/ml?continue=https%3A%2F%2Fdocs.google.com%2Fdocument%2Fd%2F1AbC%2Fedit&gl=GB&hl=en",
         "https://docs.google.com/document/d/1AbC/edit", "Google consent page"),
        ("https://www.facebook.com/plugins/video.php?height=314&href=https%3A%2F%2Fwww.facebook.com%2Fpage%2Fvideos%2F987654321098765%2F&show_text=0",
         "https://www.facebook.com/page/videos/987654321098765/", "Facebook embed plugin"),
        ("https://www.facebook.com/plugins/post.php?href=https%3A%2F%2Fwww.facebook.com%2Fpage%2Fposts%2F1234567890123456&width=500",
         "https://www.facebook.com/page/posts/1234567890123456", "Facebook embed plugin"),
        ("https://m.facebook.com/flx/warn/?u=https%3A%2F%2Fexample.org%2Fn&h=AT3",
         "https://example.org/n", "Facebook link warning"),
    ])
    func wrapperIsUnwrapped(_ wrapper: String, _ target: String, _ name: String) {
        let candidate = only("Reported: \(wrapper) (from mail)")
        #expect(candidate?.text == target)
        #expect(candidate?.notes == ["unwrapped \(name)"])
        #expect(candidate?.column == 11)
        #expect(candidate?.rejection == nil)
    }

    @Test func wrapperHostsAndPathsMatchInAnyCase() {
        let candidate = only("HTTPS://NAM12.SAFELINKS.PROTECTION.OUTLOOK.COM/?url=https%3A%2F%2Fexample.org%2F&data=1")
        #expect(candidate?.text == "https://example.org/")
    }

    // MARK: - Proofpoint v3 replaced characters

    @Test func proofpointV3PutsBackASingleReplacedCharacter() {
        // "Kg" is base64 for "*", which v3 had replaced by "*".
        let candidate = only("https://urldefense.com/v3/__https://example.org/a*b?c=1__;Kg!!ABC!xyz$")
        #expect(candidate?.text == "https://example.org/a*b?c=1")
    }

    @Test func proofpointV3PutsBackReplacedCharactersInOrder() {
        // "JiM" is base64 for "&#": the first "*" is "&", the second "#".
        let candidate = only("https://urldefense.com/v3/__https://example.org/p?a=1*b=2*frag__;JiM!!ABC!xyz$")
        #expect(candidate?.text == "https://example.org/p?a=1&b=2#frag")
    }

    @Test func proofpointV3PutsBackARun() {
        // "**A" stands for two characters; "Kj8" is base64 for "*?".
        let candidate = only("https://urldefense.com/v3/__https://example.org/**Acd__;Kj8!!ABC!xyz$")
        #expect(candidate?.text == "https://example.org/*?cd")
    }

    @Test func proofpointV3PutsBackNonASCIICharacters() {
        // "w6k" is base64 for "é" (two bytes, one character).
        let candidate = only("https://urldefense.com/v3/__https://example.org/caf*__;w6k!!ABC!xyz$")
        #expect(candidate?.text == "https://example.org/café")
    }

    @Test func proofpointV3WithoutItsTerminatorIsKept() {
        let wrapper = "https://urldefense.com/v3/__https://example.org/a"
        let candidate = only(wrapper)
        #expect(candidate?.text == wrapper)
        #expect(candidate?.notes == ["Proofpoint URL Defense v3 has no \"__;\" after the embedded URL; kept the wrapper URL"])
    }

    // MARK: - Several levels

    @Test func wrappersNestedTwoDeepAreBothUnwrapped() {
        let inner = "https%3A%2F%2Furldefense.proofpoint.com%2Fv2%2Furl%3Fu%3Dhttps-3A__www.tiktok.com_-40a_video_7234567890123456789%26d%3DDwMF"
        let candidate = only("see https://eur01.safelinks.protection.outlook.com/?url=\(inner)&data=05%7C02 ok")
        #expect(candidate?.text == "https://www.tiktok.com/@a/video/7234567890123456789")
        #expect(candidate?.notes == ["unwrapped Outlook Safe Links", "unwrapped Proofpoint URL Defense v2"])
        #expect(candidate?.column == 5)
    }

    @Test func googleInsideFacebookInsideSafeLinks() {
        let google = "https://www.google.com/url?q=https%3A%2F%2Fexample.org%2Fz"
        let facebook = "https://l.facebook.com/l.php?u=" + percentEncoded(google)
        let outlook = "https://nam02.safelinks.protection.outlook.com/?url=" + percentEncoded(facebook) + "&data=x"
        let candidate = only(outlook)
        #expect(candidate?.text == "https://example.org/z")
        #expect(candidate?.notes == ["unwrapped Outlook Safe Links", "unwrapped Facebook link shim", "unwrapped Google redirect"])
    }

    @Test func unwrappingStopsAfterFiveLevels() {
        var url = "https://example.org/end"
        for _ in 0..<6 { url = "https://www.google.com/url?q=" + percentEncoded(url) }
        let candidate = only(url)
        #expect(candidate?.notes.count == 6)
        #expect(candidate?.notes.last == "stopped unwrapping after 5 levels")
        #expect(candidate?.text.hasPrefix("https://www.google.com/url?q=https%3A%2F%2Fexample.org") == true)
    }

    @Test func theWrappedValueIsPercentDecodedOnlyOnce() {
        let candidate = only("https://l.facebook.com/l.php?u=https%3A%2F%2Fexample.org%2Fa%2520b&h=x")
        #expect(candidate?.text == "https://example.org/a%20b")
    }

    // MARK: - Wrappers that are kept

    @Test func aWrappedValueThatIsNotHTTPKeepsTheWrapper() {
        let wrapper = "https://www.google.com/url?q=mailto%3Ahead%40school.example&sa=D"
        let candidate = only(wrapper)
        #expect(candidate?.text == wrapper)
        #expect(candidate?.notes == ["Google redirect holds \"mailto:head@school.example\", which is not an http(s) URL; kept the wrapper URL"])
        #expect(candidate?.rejection == nil)
    }

    @Test func aWrapperWithoutItsParameterIsKept() {
        let wrapper = "https://l.facebook.com/l.php?h=AT0"
        let candidate = only(wrapper)
        #expect(candidate?.text == wrapper)
        #expect(candidate?.notes == ["Facebook link shim has no u= parameter; kept the wrapper URL"])
    }

    @Test func facebookPagesThatAreNotWrappersAreLeftAlone() {
        for url in [
            "https://www.facebook.com/page/videos/987654321098765/",
            "https://www.facebook.com/plugins/like.php?href=https%3A%2F%2Fexample.org",
            "https://www.facebook.com/watch/?v=987654321098765",
            "https://consent.youtube.com.evil.example/m?continue=https%3A%2F%2Fx.org",
        ] {
            let candidate = only(url)
            #expect(candidate?.text == url)
            #expect(candidate?.notes == [])
        }
    }

    @Test func aConsentPageWithoutContinueKeepsTheWrapper() {
        let candidate = only("https://consent.youtube.com/m?gl=GB&hl=en")
        #expect(candidate?.text == "https://consent.youtube.com/m?gl=GB&hl=en")
        #expect(candidate?.notes == ["YouTube consent page has no continue= parameter; kept the wrapper URL"])
    }

    @Test func shortLinksAndLookalikesAreNotUnwrapped() {
        for url in [
            "https://t.co/AbCdEf123", "https://www.google.com/search?q=https%3A%2F%2Fexample.org",
            "https://www.facebook.com/l.php?u=https%3A%2F%2Fexample.org", "https://evil.example/url?q=https%3A%2F%2Fx.org",
            "https://safelinks.protection.outlook.com.evil.example/?url=https%3A%2F%2Fx.org",
            "https://www.google.evil.example/url?q=https%3A%2F%2Fx.org",
        ] {
            let candidate = only(url)
            #expect(candidate?.text == url)
            #expect(candidate?.notes == [])
        }
    }

    // MARK: - Wrappers written differently

    @Test func defangedAndSchemelessWrappersAreUnwrapped() {
        let defanged = only("hxxps://l[.]facebook[.]com/l.php?u=https%3A%2F%2Fexample.org%2Fq&h=1")
        #expect(defanged?.text == "https://example.org/q")
        #expect(defanged?.notes == ["refanged hxxps", "refanged [.]", "unwrapped Facebook link shim"])
        let schemeless = only("l.facebook.com/l.php?u=https%3A%2F%2Fexample.org%2Fr")
        #expect(schemeless?.text == "https://example.org/r")
        #expect(schemeless?.notes == ["scheme added", "unwrapped Facebook link shim"])
    }

    // MARK: - Decoders

    @Test func base64DecodingAcceptsBothAlphabetsWithoutPadding() {
        func decoded(_ text: String) -> [UInt8]? {
            Array(text.utf8).withUnsafeBufferPointer { WrapperDecoding.base64Decoded($0, 0..<$0.count) }
        }
        #expect(decoded("aGVsbG8") == Array("hello".utf8))
        #expect(decoded("aGVsbG8=") == Array("hello".utf8))
        #expect(decoded("-_8") == [0xFB, 0xFF])
        #expect(decoded("+/8") == [0xFB, 0xFF])
        #expect(decoded("a b") == nil)
    }

    private func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            if ByteClass.isAlphanumeric(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") {
                out.append(Character(UnicodeScalar(byte)))
            } else {
                out += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return out
    }
}

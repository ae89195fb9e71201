import Testing
@testable import TriageKit

@Suite struct ParamFilterTests {
    @Test func exactNamesAndPrefixesIgnoreCase() {
        let filter = ParamFilter(["utm_*", "fbclid"])
        #expect(filter.strips("utm_source"))
        #expect(filter.strips("UTM_Medium"))
        #expect(filter.strips("fbclid"))
        #expect(!filter.strips("fbclid2"))
        #expect(!filter.strips("id"))
    }

    @Test func globsMatchOneCharacterOrAnyRun() {
        let filter = ParamFilter(["?mc", "wt_*mc", "at_custom*", "id"])
        #expect(filter.strips("zmc"))
        #expect(filter.strips("AMC"))
        #expect(!filter.strips("mc"))
        #expect(!filter.strips("ammc"))
        #expect(filter.strips("wt_mc"))
        #expect(filter.strips("wt_zzmc"))
        #expect(!filter.strips("wt_mcx"))
        #expect(filter.strips("at_custom1"))
        #expect(filter.strips("id"))
        #expect(!filter.strips("ids"))
        #expect(filter.globs == ["?mc", "wt_*mc"])
        #expect(filter.prefixes == ["at_custom"])
    }

    @Test func mergedFiltersKeepTheirGlobs() {
        let merged = ParamFilter(["?mc"]).merged(with: ParamFilter(["si", "hc_*"]))
        #expect(merged.strips("xmc") && merged.strips("si") && merged.strips("hc_ref"))
    }

    @Test func patternMatchingIsTheFiltersOwn() {
        #expect(ParamFilter.pattern("utm_*", matches: "UTM_Source"))
        #expect(ParamFilter.pattern("?mc", matches: "zmc"))
        #expect(!ParamFilter.pattern("fbclid", matches: "fbclid2"))
        // A pathological glob against a long name stays linear.
        let long = Substring(String(repeating: "a", count: 5000))
        #expect(!ParamFilter.pattern("*a*a*a*a*a*b", matches: long))
    }

    @Test func keptParametersAreSortedAndStable() {
        let kept = URLCleaner.keptParameters("page=2&utm_source=x&id=12&&id=3&flag", filter: ParamFilter(["utm_*"]))
        #expect(kept.map(\.text) == ["flag", "id=12", "id=3", "page=2"])
    }

    @Test func percentEncodingOfUnreservedIsDecoded() {
        #expect(URLCleaner.normalizePercentEncoding("/%7euser/%41b%2fc") == "/~user/Ab%2Fc")
        #expect(URLCleaner.normalizePercentEncoding("/%40user/video/1%3a2") == "/@user/video/1:2")
        #expect(URLCleaner.normalizePercentEncoding("/plain") == "/plain")
        #expect(URLCleaner.normalizePercentEncoding("/bad%zz%4") == "/bad%zz%4")
    }
}

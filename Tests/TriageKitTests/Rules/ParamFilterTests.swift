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

// The WHATWG URL parser over arbitrary bytes. Property (the standard's
// idempotence): a URL that parses serialises to a string that parses to the
// same URL, and that string is its own serialisation.
import FuzzSupport
import TriageKit

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzURL(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = fuzzBytes(data, count)
    guard let url = try? WebURL.parse(utf8: bytes) else { return 0 }
    let href = url.href
    let again: WebURL
    do {
        again = try WebURL.parse(href)
    } catch {
        propertyFailed("\(quoted(bytes)) parsed to \(quoted(href)), which does not parse: \(error)")
    }
    require(again == url, "\(quoted(bytes)) parsed to \(quoted(href)), which parses to a different URL \(quoted(again.href))")
    require(again.href == href, "\(quoted(href)) serialises to \(quoted(again.href))")
    // The String entry (valid UTF-8 known) must agree with the byte entry.
    if let text = String(validating: bytes, as: UTF8.self) {
        require((try? WebURL.parse(text)) == url, "\(quoted(bytes)) parses differently as a String")
    }
    return 0
}

// The redirect wrapper decoders over arbitrary bytes. Properties: decoding
// never lengthens percent- or Proofpoint v2-encoded text; what is unwrapped is
// an http(s) URL; and the batch path, which tries only the rules the parsed
// host allows, unwraps exactly what the tool path does.
import FuzzSupport
@testable import TriageKit

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzUnwrap(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let (option, bytes) = selector(fuzzBytes(data, count))
    let whole = 0..<bytes.count

    switch option % 4 {
    case 0:
        let decoded = WrapperDecoding.percentDecoded(bytes, whole)
        require(decoded.count <= bytes.count, "\(quoted(bytes)) percent-decodes to \(decoded.count) bytes")
    case 1:
        let decoded = WrapperDecoding.proofpointV2Decoded(bytes, whole)
        require(decoded.count <= bytes.count, "\(quoted(bytes)) v2-decodes to \(decoded.count) bytes")
    case 2:
        // The URL part and the replacement part, split at the first ";".
        let split = bytes.firstIndex(of: UInt8(ascii: ";")) ?? bytes.count
        let replaced = min(split + 1, bytes.count)..<bytes.count
        _ = WrapperDecoding.base64Decoded(bytes, replaced)
        _ = WrapperDecoding.proofpointV3Decoded(bytes, url: 0..<split, replaced: replaced)
    default:
        var notes: [String] = []
        let unwrapped = RedirectWrappers.unwrapAll(bytes, notes: &notes)
        if let unwrapped {
            require(RedirectWrappers.isWebURL(unwrapped), "\(quoted(bytes)) unwrapped to \(quoted(unwrapped))")
        }
        require(notes.count <= RedirectWrappers.maxDepth + 1, "\(quoted(bytes)) gave \(notes.count) notes")
        if let url = try? WebURL.parse(utf8: bytes) {
            var host = url.host
            let rules = host.withUTF8 { RedirectWrappers.hostRules($0) }
            let batch = RedirectWrappers.unwrapAll(bytes, hostRules: rules)
            require(batch == unwrapped,
                    "\(quoted(bytes)): the batch path unwraps to \(batch.map(quoted) ?? "nothing"), the tool path to \(unwrapped.map(quoted) ?? "nothing")")
        }
    }
    return 0
}

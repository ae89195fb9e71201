// The host parser and IDNA (UTS 46, IDNA.swift) over arbitrary bytes.
// Properties: the batch entry and the string entry agree; a parsed host is
// ASCII and parses to itself (domain to ASCII is idempotent).
import FuzzSupport
@testable import TriageKit

typealias Host = WebURLParser.Host

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIDNA(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = fuzzBytes(data, count)
    guard !bytes.isEmpty else { return 0 }

    let host: String
    do {
        host = try Host.parse(bytes)
    } catch {
        var out = ByteBuffer()
        defer { out.deallocate() }
        let failed = (try? Host.parse(bytes, into: &out)) == nil
        require(failed, "\(quoted(bytes)) fails as a string but parses in a buffer to \(quoted(out.bytes))")
        return 0
    }
    var out = ByteBuffer()
    defer { out.deallocate() }
    do {
        let range = try Host.parse(bytes, into: &out)
        let serialised = String(decoding: out[range], as: UTF8.self)
        require(serialised == host, "\(quoted(bytes)) parses to \(quoted(host)) and in a buffer to \(quoted(serialised))")
    } catch {
        propertyFailed("\(quoted(bytes)) parses to \(quoted(host)) but fails in a buffer: \(error)")
    }
    require(host.utf8.allSatisfy { $0 < 0x80 }, "\(quoted(bytes)) parses to non-ASCII \(quoted(host))")
    guard !host.isEmpty else { return 0 }
    var again = host
    let reparsed = again.withUTF8 { try? Host.parse($0) }
    require(reparsed == host, "\(quoted(bytes)) parses to \(quoted(host)), which parses to \(reparsed.map(quoted) ?? "an error")")
    return 0
}

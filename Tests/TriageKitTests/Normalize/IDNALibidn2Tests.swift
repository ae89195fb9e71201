import CIDN2
import Testing
@testable import TriageKit

/// libidn2 (IDNA2008 with UTS #46 mapping, nontransitional) as a second opinion:
/// IDNA2008 allows a subset of what UTS #46 does, so wherever libidn2 accepts a
/// host our domain to ASCII must give the same answer.
@Suite struct IDNALibidn2Tests {
    static func libidn2(_ text: String) -> String? {
        var output: UnsafeMutablePointer<UInt8>?
        let status = Array((text + "\0").utf8).withUnsafeBufferPointer {
            idn2_lookup_u8($0.baseAddress, &output, Int32(IDN2_NONTRANSITIONAL.rawValue))
        }
        guard status == IDN2_OK.rawValue, let output else { return nil }
        defer { idn2_free(output) }
        return String(cString: output)
    }

    /// Where libidn2's older mapping table gives another answer, each with why.
    static let olderTable: [UInt32: String] = [
        0x1E9E: "capital sharp s maps to ß since Unicode 15.1; libidn2 2.3 still maps it to \"ss\"",
    ]

    @Test func everySingleCodePointLibidn2AcceptsGivesTheSameLabel() {
        var compared = 0
        var differences: [String] = []
        for value in UInt32(0xA0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value), Self.olderTable[value] == nil else { continue }
            let text = "a" + String(scalar) + "b"
            guard let theirs = Self.libidn2(text) else { continue }
            compared += 1
            let ours = (try? WebURLParser.IDNA.toASCII(Array(text.utf8))).map { String(decoding: $0, as: UTF8.self) }
            if ours != theirs { differences.append("U+\(String(value, radix: 16, uppercase: true)): ours \(ours ?? "failure"), libidn2 \(theirs)") }
        }
        // 126,541 code points between two letters with libidn2 2.3.3 on Debian 12.
        #expect(compared > 100_000)
        #expect(differences.isEmpty, "\(differences.prefix(80).joined(separator: "\n"))")
    }
}

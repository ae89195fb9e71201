import Foundation

extension WebURLParser {
    /// The URL Standard's "domain to ASCII": UTS #46 ToASCII, nontransitional, with
    /// CheckBidi and CheckJoiners on, and CheckHyphens, UseSTD3ASCIIRules and
    /// VerifyDnsLength off, over the tables in IDNATable.swift.
    ///
    /// This is the processing browsers apply, so symbols and emoji that IDNA2008
    /// (libidn2) refuses are hosts here as in the address bar (`☃.net` is
    /// `xn--n3h.net`); scam sites use such names. The forbidden-code-point checks
    /// around it are the host parser's.
    enum IDNA {
        /// Why a domain is not valid IDNA.
        struct Failure: Error {
            var detail: String
        }

        // MARK: - Domains

        /// Converts a valid UTF-8 domain to its ASCII form.
        ///
        /// An ASCII domain is only lower-cased: its "xn--" labels are kept as
        /// written, not decoded and checked, as in the standard's shared tests
        /// (`a.b.c.XN--pokxncvks`, `xn--` and `xn--a` are hosts there).
        static func toASCII(_ domain: [UInt8]) throws(Failure) -> [UInt8] {
            guard domain.contains(where: { $0 >= 0x80 }) else {
                return domain.map { $0 &- 0x41 < 26 ? $0 | 0x20 : $0 }
            }
            let normalized = nfc(try mapped(String(decoding: domain, as: UTF8.self).unicodeScalars))
            var labels = normalized.split(separator: ".", omittingEmptySubsequences: false).map(Array.init)
            for index in labels.indices {
                labels[index] = try checkedLabel(labels[index])
            }
            // CheckBidi applies to every label of a domain with a right-to-left label in it.
            if labels.contains(where: { $0.contains { bidiClass($0).isRightToLeftOrArabicNumber } }) {
                for label in labels where !label.isEmpty {
                    try checkBidi(label)
                }
            }
            var result: [UInt8] = []
            result.reserveCapacity(domain.count * 2)
            for (index, label) in labels.enumerated() {
                if index > 0 { result.append(UInt8(ascii: ".")) }
                if label.allSatisfy(\.isASCII) {
                    result += label.map { UInt8($0.value) }
                } else {
                    result += "xn--".utf8
                    result += Punycode.encode(label)
                }
            }
            return result
        }

        // MARK: - Processing

        /// Step 1: each code point as the mapping table says; disallowed ones fail here.
        private static func mapped(_ scalars: String.UnicodeScalarView) throws(Failure) -> [Unicode.Scalar] {
            var out: [Unicode.Scalar] = []
            out.reserveCapacity(scalars.count)
            for scalar in scalars {
                if scalar.isASCII {
                    let value = UInt8(scalar.value)
                    out.append(Unicode.Scalar(value &- 0x41 < 26 ? value | 0x20 : value))
                    continue
                }
                let entry = tables.entry(scalar.value)
                switch entry.status {
                case .valid, .deviation: out.append(scalar)
                case .ignored: break
                case .mapped: out += tables.mapping(of: entry)
                case .disallowed: throw Failure(detail: "\(describe(scalar)) is not allowed in a domain")
                }
            }
            return out
        }

        /// Step 2: Normalization Form C. Nothing below U+0300 changes under NFC, so
        /// Latin text skips Foundation.
        private static func nfc(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
            guard scalars.contains(where: { $0.value >= 0x300 }) else { return scalars }
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars)
            return Array(String(view).precomposedStringWithCanonicalMapping.unicodeScalars)
        }

        /// The most code points a label of a non-ASCII domain may have here.
        ///
        /// The standard sets no limit (VerifyDnsLength is off), but DNS takes 63 bytes
        /// a label, so a longer one names no host anyone can visit; the limit keeps
        /// Punycode, whose steps are quadratic in a label's length, to a bounded cost.
        static let maxLabelLength = 1024

        /// Step 4: decodes an "xn--" label, then checks the label against UTS #46's
        /// validity criteria and CheckJoiners.
        private static func checkedLabel(_ label: [Unicode.Scalar]) throws(Failure) -> [Unicode.Scalar] {
            guard label.count <= maxLabelLength else {
                throw Failure(detail: "a label of \(label.count) code points is longer than \(maxLabelLength)")
            }
            let isACE = label.count >= 4 && label[0] == "x" && label[1] == "n" && label[2] == "-" && label[3] == "-"
            // Messages quote the label as written, "xn--" form and all.
            let shown = String(String.UnicodeScalarView(label))
            var label = label
            if isACE {
                guard label.allSatisfy(\.isASCII),
                      let decoded = Punycode.decode(label.dropFirst(4).map { UInt8($0.value) })
                else { throw Failure(detail: "label \(quoted(shown)) is not valid Punycode") }
                guard decoded.contains(where: { !$0.isASCII }) else {
                    throw Failure(detail: "label \(quoted(shown)) decodes to no non-ASCII code point")
                }
                guard nfc(decoded) == decoded else {
                    throw Failure(detail: "label \(quoted(shown)) decodes to text not in Normalization Form C")
                }
                // With CheckHyphens off the standard still refuses a label that decodes to "xn--…".
                if decoded.count >= 4 && decoded[0] == "x" && decoded[1] == "n" && decoded[2] == "-" && decoded[3] == "-" {
                    throw Failure(detail: "label \(quoted(shown)) decodes to another \"xn--\" label")
                }
                label = decoded
            }
            guard !label.allSatisfy(\.isASCII) else { return label }
            for scalar in label where !scalar.isASCII {
                // Decoded Punycode can hold code points the mapping would have changed.
                let status = tables.entry(scalar.value).status
                guard status == .valid || status == .deviation else {
                    throw Failure(detail: "\(describe(scalar)) is not allowed in a label (in \(quoted(shown)))")
                }
            }
            if let first = label.first, isMark(first) {
                throw Failure(detail: "label \(quoted(shown)) begins with a combining mark")
            }
            try checkJoiners(label, shown: shown)
            return label
        }

        private static func isMark(_ scalar: Unicode.Scalar) -> Bool {
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark: true
            default: false
            }
        }

        // MARK: - CheckJoiners (RFC 5892, appendix A.1 and A.2)

        /// ZWJ only after a virama; ZWNJ after a virama or between joining letters.
        private static func checkJoiners(_ label: [Unicode.Scalar], shown: String) throws(Failure) {
            for index in label.indices where label[index] == "\u{200C}" || label[index] == "\u{200D}" {
                if index > 0 && label[index - 1].properties.canonicalCombiningClass == .virama { continue }
                if label[index] == "\u{200C}" && joinsBothSides(label, at: index) { continue }
                throw Failure(detail: "\(describe(label[index])) in \(quoted(shown)) is not in a context that allows it")
            }
        }

        /// (Joining_Type L or D) (T)* ZWNJ (T)* (Joining_Type R or D) around `index`.
        private static func joinsBothSides(_ label: [Unicode.Scalar], at index: Int) -> Bool {
            var before = index - 1
            while before >= 0 && tables.joiningType(label[before].value) == .transparent { before -= 1 }
            guard before >= 0, [.left, .dual].contains(tables.joiningType(label[before].value)) else { return false }
            var after = index + 1
            while after < label.count && tables.joiningType(label[after].value) == .transparent { after += 1 }
            return after < label.count && [.right, .dual].contains(tables.joiningType(label[after].value))
        }

        // MARK: - CheckBidi (RFC 5893, section 2)

        private static func bidiClass(_ scalar: Unicode.Scalar) -> BidiClass {
            scalar.isASCII ? BidiClass.ofASCII(UInt8(scalar.value)) : tables.bidiClass(scalar.value)
        }

        /// The six rules of RFC 5893 for one label of a bidi domain.
        private static func checkBidi(_ label: [Unicode.Scalar]) throws(Failure) {
            let classes = label.map(bidiClass)
            let shown = String(String.UnicodeScalarView(label))
            func fail(_ why: String) -> Failure { Failure(detail: "label \(quoted(shown)) in a right-to-left domain \(why)") }
            let last = classes.lastIndex { $0 != .nonspacingMark }.map { classes[$0] }
            switch classes[0] {
            case .rightToLeft, .arabicLetter:
                let allowed: Set<BidiClass> = [
                    .rightToLeft, .arabicLetter, .arabicNumber, .europeanNumber, .europeanSeparator,
                    .commonSeparator, .europeanTerminator, .otherNeutral, .boundaryNeutral, .nonspacingMark,
                ]
                guard classes.allSatisfy(allowed.contains) else { throw fail("mixes in left-to-right text") }
                guard let last, [.rightToLeft, .arabicLetter, .europeanNumber, .arabicNumber].contains(last) else {
                    throw fail("ends with a character of the wrong direction")
                }
                guard !(classes.contains(.europeanNumber) && classes.contains(.arabicNumber)) else {
                    throw fail("mixes European and Arabic digits")
                }
            case .leftToRight:
                let allowed: Set<BidiClass> = [
                    .leftToRight, .europeanNumber, .europeanSeparator, .commonSeparator, .europeanTerminator,
                    .otherNeutral, .boundaryNeutral, .nonspacingMark,
                ]
                guard classes.allSatisfy(allowed.contains) else { throw fail("mixes in right-to-left text") }
                guard let last, last == .leftToRight || last == .europeanNumber else {
                    throw fail("ends with a character of the wrong direction")
                }
            default:
                throw fail("begins with a character of no strong direction")
            }
        }

        // MARK: - Messages

        private static func describe(_ scalar: Unicode.Scalar) -> String {
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
    }
}

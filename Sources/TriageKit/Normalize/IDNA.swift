import CIDN2

extension WebURLParser {
    /// The standard's "domain to ASCII" (UTS 46 ToASCII, non-transitional, no STD3 rules,
    /// no hyphen or DNS-length checks), by way of libidn2 one label at a time.
    ///
    /// Labels are sent to libidn2 alone because it applies IDNA2008's hyphen and
    /// length rules, which the URL Standard turns off; plain ASCII labels never need
    /// it, and "xn--" labels go to it only so their Punycode is validated.
    enum IDNA {
        /// Why libidn2 refused a label.
        struct Failure: Error {
            var detail: String
        }

        // MARK: - Domains

        /// Converts a valid UTF-8 domain to its ASCII form.
        static func toASCII(_ domain: [UInt8]) throws(Failure) -> [UInt8] {
            var result: [UInt8] = []
            result.reserveCapacity(domain.count * 2)
            var labelStart = 0
            var index = 0
            while true {
                let atEnd = index == domain.count
                let separator = atEnd ? 0 : separatorLength(domain, at: index)
                if atEnd || separator > 0 {
                    try appendLabel(domain[labelStart..<index], to: &result)
                    if atEnd { return result }
                    result.append(UInt8(ascii: "."))
                    index += separator
                    labelStart = index
                } else {
                    index += 1
                }
            }
        }

        /// The byte length of a label separator at `index`, or 0: "." and the three
        /// code points UTS 46 maps to it (U+3002, U+FF0E, U+FF61).
        private static func separatorLength(_ bytes: [UInt8], at index: Int) -> Int {
            let byte = bytes[index]
            if byte == UInt8(ascii: ".") { return 1 }
            guard byte == 0xE3 || byte == 0xEF, index + 2 < bytes.count else { return 0 }
            switch (byte, bytes[index + 1], bytes[index + 2]) {
            case (0xE3, 0x80, 0x82), (0xEF, 0xBC, 0x8E), (0xEF, 0xBD, 0xA1): return 3
            default: return 0
            }
        }

        // MARK: - Labels

        private static func appendLabel(_ label: ArraySlice<UInt8>, to result: inout [UInt8]) throws(Failure) {
            var label = Array(label)
            if label.contains(where: { $0 >= 0x80 }) { label = patchedForLibidn2(label) }
            guard !label.isEmpty else { return }
            if label.allSatisfy({ $0 < 0x80 }) {
                label = label.map { $0 &- 0x41 < 26 ? $0 | 0x20 : $0 }
                guard label.starts(with: "xn--".utf8) else {
                    result += label
                    return
                }
            }
            result += try lookup(label)
        }

        /// Runs libidn2's UTS 46 processing on one label.
        private static func lookup(_ label: [UInt8]) throws(Failure) -> [UInt8] {
            let text = String(decoding: label, as: UTF8.self)
            var output: UnsafeMutablePointer<UInt8>?
            let flags = Int32(IDN2_NONTRANSITIONAL.rawValue)
            let status = (label + [0]).withUnsafeBufferPointer { idn2_lookup_u8($0.baseAddress, &output, flags) }
            guard status == IDN2_OK.rawValue, let output else {
                throw Failure(detail: "label \(quoted(text)): \(String(cString: idn2_strerror(status)))")
            }
            defer { idn2_free(output) }
            var length = 0
            while output[length] != 0 { length += 1 }
            return Array(UnsafeBufferPointer(start: output, count: length))
        }

        // MARK: - Unicode version skew

        /// Brings a label in line with the current UTS 46 table where libidn2 2.3's older one differs.
        ///
        /// These code points are ignored or mapped by UTS 46 today but refused by libidn2;
        /// the invisible ones matter most, as they are used to hide a domain from filters
        /// while browsers still resolve it.
        private static func patchedForLibidn2(_ label: [UInt8]) -> [UInt8] {
            let scalars = String(decoding: label, as: UTF8.self).unicodeScalars
            guard scalars.contains(where: { patched($0) != $0 }) else { return label }
            var out = String.UnicodeScalarView()
            for scalar in scalars {
                if let replacement = patched(scalar) { out.append(replacement) }
            }
            return Array(String(out).utf8)
        }

        /// The replacement for one scalar; nil when UTS 46 ignores it.
        private static func patched(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
            let value = scalar.value
            switch value {
            // Hangul fillers, Khmer inherent vowels, Mongolian vowel separator, invisible
            // operators, deprecated format controls, musical formatting controls.
            case 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E, 0x2061...0x2063, 0x206A...0x206F, 0x3164, 0xFFA0,
                 0x1D173...0x1D17A:
                return nil
            // Capital letters whose lower-case mappings libidn2 lacks or gets wrong.
            case 0x04C0: return Unicode.Scalar(0x04CF)
            case 0x10A0...0x10C5: return Unicode.Scalar(value + 0x1C60)
            case 0x1E9E: return Unicode.Scalar(0x00DF)
            case 0x2132: return Unicode.Scalar(0x214E)
            case 0x2183: return Unicode.Scalar(0x2184)
            default: return scalar
            }
        }
    }
}

extension WebURLParser {
    /// The standard's host parser for special URLs, with a fast path for plain ASCII domains.
    enum Host {
        // MARK: - Parsing

        /// Parses a non-empty host and appends its serialisation to `out`; a plain
        /// ASCII domain (nearly every host) is copied, lower-cased, without a string.
        static func parse(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout ByteBuffer) throws(URLParseError) -> Range<Int> {
            let start = out.count
            if appendPlainDomain(bytes, to: &out) { return start..<out.count }
            if bytes.first != UInt8(ascii: "[") {
                // One pass that checks and lower-cases as it copies; anything
                // unusual (non-ASCII, a forbidden byte, a number at the end) is
                // left to the general parser below.
                out.reserve(bytes.count)
                let target = out.base + start
                var index = 0
                while index < bytes.count {
                    let byte = bytes[index]
                    if byte >= 0x80 || ByteSet.forbiddenDomain.contains(byte) { break }
                    target[index] = byte &- 0x41 < 26 ? byte | 0x20 : byte
                    index += 1
                }
                if index == bytes.count && !IPv4.endsInANumber(bytes) {
                    out.commit(bytes.count)
                    return start..<out.count
                }
            }
            out.append(utf8Of: try parse(bytes))
            return start..<out.count
        }

        /// Copies a host made of letters, digits and dots only, lower-cased, sixteen
        /// bytes at a time; false (and nothing written) for any other host. Without
        /// Lower-casing is all the standard does to such a host, unless it ends in a
        /// number (an IPv4 address).
        @inline(__always)
        private static func appendPlainDomain(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout ByteBuffer) -> Bool {
            typealias Lanes = ByteSearch.Lanes
            guard let source = bytes.baseAddress, bytes.count <= 64 else { return false }
            let start = out.count
            out.reserve(bytes.count + 16)
            var offset = 0
            while offset < bytes.count {
                // Padded with letters past the end, which pass the check and are not kept.
                var v = Lanes(repeating: UInt8(ascii: "a"))
                let count = min(16, bytes.count - offset)
                withUnsafeMutableBytes(of: &v) { $0.baseAddress!.copyMemory(from: source + offset, byteCount: count) }
                let upper = (v &- Lanes(repeating: 0x41)) .< Lanes(repeating: 26)
                let lower = (v &- Lanes(repeating: 0x61)) .< Lanes(repeating: 26)
                let digit = (v &- Lanes(repeating: 0x30)) .< Lanes(repeating: 10)
                let dot = v .== Lanes(repeating: UInt8(ascii: "."))
                let plain = upper .| lower .| digit .| dot
                guard ByteSearch.allLanes(plain) else { return false }
                let lowered = v | Lanes(repeating: 0x20).replacing(with: 0, where: .!upper)
                UnsafeMutableRawPointer(out.base + start + offset).storeBytes(of: lowered, as: Lanes.self)
                offset += 16
            }
            guard !IPv4.endsInANumber(bytes) else { return false }
            out.commit(bytes.count)
            return true
        }

        /// Parses a non-empty host and returns its serialisation.
        static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(URLParseError) -> String {
            if bytes.first == UInt8(ascii: "[") {
                guard bytes.count >= 2, bytes.last == UInt8(ascii: "]"),
                      let address = IPv6.parse(UnsafeBufferPointer(rebasing: bytes.dropFirst().dropLast()))
                else { throw URLParseError(reason: "invalid IPv6 address \(quoted(bytes))") }
                return IPv6.serialize(address)
            }

            // ASCII lower-casing is all that domain to ASCII does to an ASCII domain
            // (its "xn--" labels included, see IDNA), so only other domains go to IDNA.
            // ("%" is forbidden, so a host to percent-decode takes the general path too.)
            var hasUpperCase = false
            for byte in bytes {
                // The general path also gives forbidden bytes their error, since a later
                // combining mark may still turn "<" or ">" into something valid.
                if byte >= 0x80 || ByteSet.forbiddenDomain.contains(byte) {
                    return try parseWithIDNA(bytes)
                }
                hasUpperCase = hasUpperCase || byte &- 0x41 < 26
            }
            // The IPv4 checks read hex digits and "0x" in either case, so they can run before lower-casing.
            if IPv4.endsInANumber(bytes) { return try ipv4(bytes, original: bytes) }
            guard hasUpperCase else { return String(decoding: bytes, as: UTF8.self) }
            return makeString(capacity: bytes.count) { out in
                for byte in bytes { out.append(byte &- 0x41 < 26 ? byte | 0x20 : byte) }
            }
        }

        /// The general path: percent-decode, domain to ASCII, then the same checks as the fast path.
        private static func parseWithIDNA(_ bytes: UnsafeBufferPointer<UInt8>) throws(URLParseError) -> String {
            let decoded = bytes.contains(UInt8(ascii: "%")) ? percentDecode(bytes) : Array(bytes)
            guard isValidUTF8(decoded) else {
                // The standard decodes these bytes to U+FFFD, which IDNA never allows in a domain.
                throw URLParseError(reason: "host \(quoted(bytes)) is not valid UTF-8 once percent-decoded")
            }
            // ASCII survives UTS 46 unchanged but for case, except that NFC composes "<" and ">"
            // with a following U+0338 into "≮" and "≯", so other forbidden ASCII fails here at once.
            if let byte = decoded.first(where: {
                $0 < 0x80 && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">")
                    && ByteSet.forbiddenDomain.contains($0)
            }) {
                throw forbidden(byte, in: bytes)
            }
            let ascii: [UInt8]
            do {
                ascii = try IDNA.toASCII(decoded)
            } catch {
                throw URLParseError(reason: "host \(quoted(bytes)) is not valid IDNA: \(error.detail)")
            }
            guard !ascii.isEmpty else {
                throw URLParseError(reason: "host \(quoted(bytes)) is empty after IDNA mapping")
            }
            // Mapping can produce ASCII the input did not have, such as ":" from U+2A74.
            if let byte = ascii.first(where: { ByteSet.forbiddenDomain.contains($0) }) {
                throw forbidden(byte, in: bytes)
            }
            return try ascii.withUnsafeBufferPointer { domain throws(URLParseError) in
                if IPv4.endsInANumber(domain) { return try ipv4(domain, original: bytes) }
                return String(decoding: domain, as: UTF8.self)
            }
        }

        // MARK: - Checks

        private static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
            guard bytes.contains(where: { $0 >= 0x80 }) else { return true }
            var parser = Unicode.UTF8.ForwardParser()
            var iterator = bytes.makeIterator()
            while true {
                switch parser.parseScalar(from: &iterator) {
                case .valid: continue
                case .emptyInput: return true
                case .error: return false
                }
            }
        }

        private static func ipv4(
            _ domain: UnsafeBufferPointer<UInt8>, original: UnsafeBufferPointer<UInt8>
        ) throws(URLParseError) -> String {
            guard let address = IPv4.parse(domain) else {
                throw URLParseError(reason: "invalid IPv4 address \(quoted(original))")
            }
            return IPv4.serialize(address)
        }

        private static func forbidden(_ byte: UInt8, in host: UnsafeBufferPointer<UInt8>) -> URLParseError {
            let hex = String(byte, radix: 16, uppercase: true)
            let shown =
                byte > 0x20 && byte < 0x7F
                ? "'" + String(UnicodeScalar(byte)) + "'"
                : "U+" + String(repeating: "0", count: 4 - hex.count) + hex
            return URLParseError(reason: "host \(quoted(host)) contains forbidden code point \(shown)")
        }
    }
}

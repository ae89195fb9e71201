// MARK: - IPv4

extension WebURLParser {
    /// The standard's IPv4 parser and serializer, which accept decimal, octal and hex parts.
    enum IPv4 {
        /// The "ends in a number" checker: whether the last label is decimal digits or a valid IPv4 number.
        static func endsInANumber(_ domain: UnsafeBufferPointer<UInt8>) -> Bool {
            var end = domain.count
            // A trailing dot is dropped unless it is all there is.
            if end > 0, domain[end - 1] == UInt8(ascii: ".") { end -= 1 }
            var start = end
            while start > 0, domain[start - 1] != UInt8(ascii: ".") { start -= 1 }
            // Every IPv4 number, decimal, octal or hex, starts with a digit.
            guard start < end, domain[start] &- 0x30 < 10 else { return false }
            let last = UnsafeBufferPointer(rebasing: domain[start..<end])
            return last.allSatisfy { $0 &- 0x30 < 10 } || number(last) != nil
        }

        /// Parses a domain that ends in a number; nil where the standard's IPv4 parser fails.
        static func parse(_ domain: UnsafeBufferPointer<UInt8>) -> UInt32? {
            var end = domain.count
            if end > 0, domain[end - 1] == UInt8(ascii: ".") { end -= 1 }
            var numbers = SIMD4<UInt64>()
            var count = 0
            var partStart = 0
            for index in 0...end where index == end || domain[index] == UInt8(ascii: ".") {
                guard count < 4, let value = number(UnsafeBufferPointer(rebasing: domain[partStart..<index]))
                else { return nil }
                numbers[count] = value
                count += 1
                partStart = index + 1
            }
            var address: UInt64 = 0
            for index in 0..<(count - 1) {
                guard numbers[index] <= 255 else { return nil }
                address |= numbers[index] << (8 * UInt64(3 - index))
            }
            let last = numbers[count - 1]
            guard last < 1 << (8 * UInt64(5 - count)) else { return nil }
            return UInt32(address + last)
        }

        /// The IPv4 number parser: "0x" for hex, a leading "0" for octal; nil on failure.
        ///
        /// Values past 2^32 are clamped there, since any of them fails the caller's range checks.
        static func number(_ part: UnsafeBufferPointer<UInt8>) -> UInt64? {
            guard !part.isEmpty else { return nil }
            var digits = part[...]
            var radix: UInt64 = 10
            if part.count >= 2, part[0] == UInt8(ascii: "0"), part[1] | 0x20 == UInt8(ascii: "x") {
                digits = part.dropFirst(2)
                radix = 16
            } else if part.count >= 2, part[0] == UInt8(ascii: "0") {
                digits = part.dropFirst()
                radix = 8
            }
            var value: UInt64 = 0
            for byte in digits {
                guard let digit = hexValue(byte).map(UInt64.init), digit < radix else { return nil }
                value = min(value * radix + digit, 1 << 32)
            }
            return value
        }

        /// Dotted-decimal form.
        static func serialize(_ address: UInt32) -> String {
            var text = ""
            text.reserveCapacity(15)
            for shift in stride(from: 24, through: 0, by: -8) {
                text += String((address >> UInt32(shift)) & 0xFF)
                if shift > 0 { text += "." }
            }
            return text
        }
    }
}

// MARK: - IPv6

extension WebURLParser {
    /// The standard's IPv6 parser and serializer.
    enum IPv6 {
        /// Parses the text between the brackets; nil where the standard's IPv6 parser fails.
        static func parse(_ input: UnsafeBufferPointer<UInt8>) -> SIMD8<UInt16>? {
            var address = SIMD8<UInt16>()
            var pieceIndex = 0
            var compress: Int?
            var pointer = 0
            let n = input.count
            func at(_ index: Int) -> UInt8? { index < n ? input[index] : nil }
            let colon = UInt8(ascii: ":")

            if at(0) == colon {
                guard at(1) == colon else { return nil }
                pointer = 2
                pieceIndex = 1
                compress = 1
            }
            while let c = at(pointer) {
                guard pieceIndex < 8 else { return nil }
                if c == colon {
                    guard compress == nil else { return nil }
                    pointer += 1
                    pieceIndex += 1
                    compress = pieceIndex
                    continue
                }
                var value: UInt16 = 0
                var length = 0
                while length < 4, let byte = at(pointer), let digit = hexValue(byte) {
                    value = value << 4 | UInt16(digit)
                    pointer += 1
                    length += 1
                }
                if at(pointer) == UInt8(ascii: ".") {
                    // An embedded IPv4 address fills the last two pieces.
                    guard length > 0, pieceIndex <= 6 else { return nil }
                    pointer -= length
                    var numbersSeen = 0
                    while let c = at(pointer) {
                        if numbersSeen > 0 {
                            guard c == UInt8(ascii: "."), numbersSeen < 4 else { return nil }
                            pointer += 1
                        }
                        var piece: UInt16?
                        while let byte = at(pointer), byte &- 0x30 < 10 {
                            let number = UInt16(byte &- 0x30)
                            switch piece {
                            case nil: piece = number
                            case 0: return nil  // embedded IPv4 parts may not have leading zeros
                            case let current?: piece = current * 10 + number
                            }
                            if let piece, piece > 255 { return nil }
                            pointer += 1
                        }
                        guard let piece else { return nil }
                        address[pieceIndex] = address[pieceIndex] &* 0x100 &+ piece
                        numbersSeen += 1
                        if numbersSeen == 2 || numbersSeen == 4 { pieceIndex += 1 }
                    }
                    guard numbersSeen == 4 else { return nil }
                    break
                } else if at(pointer) == colon {
                    pointer += 1
                    guard at(pointer) != nil else { return nil }
                } else if at(pointer) != nil {
                    return nil
                }
                address[pieceIndex] = value
                pieceIndex += 1
            }
            if let compress {
                var swaps = pieceIndex - compress
                pieceIndex = 7
                while pieceIndex != 0, swaps > 0 {
                    let other = compress + swaps - 1
                    let saved = address[pieceIndex]
                    address[pieceIndex] = address[other]
                    address[other] = saved
                    pieceIndex -= 1
                    swaps -= 1
                }
            } else if pieceIndex != 8 {
                return nil
            }
            return address
        }

        /// Bracketed lower-case hex, the first longest run of two or more zero pieces written "::".
        static func serialize(_ address: SIMD8<UInt16>) -> String {
            var compress = -1
            var bestLength = 1
            var runStart = 0
            var runLength = 0
            for index in 0..<8 {
                if address[index] == 0 {
                    if runLength == 0 { runStart = index }
                    runLength += 1
                    if runLength > bestLength {
                        bestLength = runLength
                        compress = runStart
                    }
                } else {
                    runLength = 0
                }
            }
            var text = "["
            text.reserveCapacity(41)
            var index = 0
            while index < 8 {
                if index == compress {
                    text += index == 0 ? "::" : ":"
                    index += bestLength
                    continue
                }
                text += String(address[index], radix: 16)
                if index != 7 { text += ":" }
                index += 1
            }
            text += "]"
            return text
        }
    }
}

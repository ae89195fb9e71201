extension WebURLParser.IDNA {
    /// Punycode (RFC 3492) with the parameters IDNA uses; labels only, no "xn--".
    enum Punycode {
        private static let base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700
        private static let initialBias = 72, initialN = 0x80
        /// RFC 3492's overflow bound; nothing in a label comes near it.
        private static let maxInt = Int(Int32.max)

        /// The code points a label's Punycode stands for; nil when it is not valid Punycode.
        static func decode(_ input: [UInt8]) -> [Unicode.Scalar]? {
            var output: [Unicode.Scalar] = []
            var rest = input[...]
            if let delimiter = input.lastIndex(of: UInt8(ascii: "-")) {
                for byte in input[..<delimiter] {
                    guard byte < 0x80 else { return nil }
                    output.append(Unicode.Scalar(byte))
                }
                rest = input[(delimiter + 1)...]
            }
            var n = initialN, i = 0, bias = initialBias
            var position = rest.startIndex
            while position < rest.endIndex {
                let oldI = i
                var w = 1
                var k = base
                while true {
                    guard position < rest.endIndex, let digit = digitValue(rest[position]) else { return nil }
                    position += 1
                    guard digit <= (maxInt - i) / w else { return nil }
                    i += digit * w
                    let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                    if digit < t { break }
                    guard w <= maxInt / (base - t) else { return nil }
                    w *= base - t
                    k += base
                }
                bias = adapt(i - oldI, output.count + 1, oldI == 0)
                guard i / (output.count + 1) <= maxInt - n else { return nil }
                n += i / (output.count + 1)
                i %= output.count + 1
                guard n >= initialN, let scalar = Unicode.Scalar(UInt32(truncatingIfNeeded: n)), n <= 0x10FFFF else {
                    return nil
                }
                output.insert(scalar, at: i)
                i += 1
            }
            return output
        }

        /// The Punycode of a label (its basic code points first, as they are).
        static func encode(_ input: [Unicode.Scalar]) -> [UInt8] {
            var output: [UInt8] = input.filter(\.isASCII).map { UInt8($0.value) }
            let basicCount = output.count
            var handled = basicCount
            if basicCount > 0 { output.append(UInt8(ascii: "-")) }
            var n = initialN, delta = 0, bias = initialBias
            while handled < input.count {
                let m = input.lazy.map { Int($0.value) }.filter { $0 >= n }.min() ?? n
                delta += (m - n) * (handled + 1)
                n = m
                for scalar in input {
                    let c = Int(scalar.value)
                    if c < n { delta += 1 }
                    if c == n {
                        var q = delta
                        var k = base
                        while true {
                            let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                            if q < t { break }
                            output.append(digitByte(t + (q - t) % (base - t)))
                            q = (q - t) / (base - t)
                            k += base
                        }
                        output.append(digitByte(q))
                        bias = adapt(delta, handled + 1, handled == basicCount)
                        delta = 0
                        handled += 1
                    }
                }
                delta += 1
                n += 1
            }
            return output
        }

        private static func adapt(_ delta: Int, _ numPoints: Int, _ firstTime: Bool) -> Int {
            var delta = firstTime ? delta / damp : delta / 2
            delta += delta / numPoints
            var k = 0
            while delta > ((base - tMin) * tMax) / 2 {
                delta /= base - tMin
                k += base
            }
            return k + (base - tMin + 1) * delta / (delta + skew)
        }

        private static func digitValue(_ byte: UInt8) -> Int? {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"): Int(byte - UInt8(ascii: "a"))
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): Int(byte - UInt8(ascii: "A"))
            case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0")) + 26
            default: nil
            }
        }

        private static func digitByte(_ digit: Int) -> UInt8 {
            digit < 26 ? UInt8(ascii: "a") + UInt8(digit) : UInt8(ascii: "0") + UInt8(digit - 26)
        }
    }
}

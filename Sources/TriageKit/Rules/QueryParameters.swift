/// A kept query parameter as byte ranges of its query: the batch path's
/// version of `QueryParameter`, which needs no strings.
struct ParameterRange {
    var name: Range<Int>
    /// Empty (at the end of `whole`) when the parameter has no `=`.
    var value: Range<Int>
    var whole: Range<Int>
}

extension URLCleaner {
    /// The parameters of `query` that are not trackers, sorted by name (ties
    /// keep their order), into `kept`; the same choice as `keptParameters`.
    static func keptParameters(_ query: UnsafeBufferPointer<UInt8>, filter: ParamFilter, into kept: inout ReusableList<ParameterRange>) {
        kept.removeAll()
        var start = 0
        while start < query.count {
            // Each parameter's end and its `=` found with memchr: tracking
            // parameters make queries long, and most of their bytes are values.
            let end = ByteSearch.offset(of: UInt8(ascii: "&"), in: query, from: start)
            let found = ByteSearch.offset(of: UInt8(ascii: "="), in: query, from: start, to: end)
            let equals = found < end ? found : nil
            let nameEnd = equals ?? end
            if nameEnd > start && !filter.strips(bytes: UnsafeBufferPointer(rebasing: query[start..<nameEnd])) {
                kept.append(ParameterRange(name: start..<nameEnd, value: equals.map { ($0 + 1)..<end } ?? end..<end, whole: start..<end))
            }
            start = end + 1
        }
        // Insertion sort: stable, and the lists are a handful long. Query
        // bytes are ASCII (the parser percent-encodes the rest), so byte
        // order is the order strings compare in.
        guard kept.count > 1 else { return }
        for index in 1..<kept.count {
            let moving = kept[index]
            var slot = index
            while slot > 0, lessThan(moving.name, kept[slot - 1].name, in: query) {
                kept[slot] = kept[slot - 1]
                slot -= 1
            }
            kept[slot] = moving
        }
    }

    private static func lessThan(_ left: Range<Int>, _ right: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        UnsafeBufferPointer(rebasing: bytes[left]).lexicographicallyPrecedes(UnsafeBufferPointer(rebasing: bytes[right]))
    }

    /// `normalizePercentEncoding` on bytes, appended to `output`.
    static func appendNormalizingPercentEncoding(_ input: UnsafeBufferPointer<UInt8>, to output: inout ByteBuffer) {
        let start = output.count
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "%"), index + 2 < input.count,
               let high = hexValue(input[index + 1]), let low = hexValue(input[index + 2]) {
                let decoded = high << 4 | low
                // A hex digit decoded just after a bare "%" (or "%" and a digit) would make a new
                // escape, which a second pass would change: "%%42e" must not become "%Be".
                let makesEscape = hexValue(decoded) != nil
                    && ((output.count > start && output[output.count - 1] == UInt8(ascii: "%"))
                        || (output.count > start + 1 && output[output.count - 2] == UInt8(ascii: "%")))
                if !makesEscape && (isUnreserved(decoded) || decoded == UInt8(ascii: "@") || decoded == UInt8(ascii: ":")) {
                    output.append(decoded)
                } else {
                    output.append(byte)
                    output.append(upperHex(high))
                    output.append(upperHex(low))
                }
                index += 3
            } else {
                output.append(byte)
                index += 1
            }
        }
    }
}

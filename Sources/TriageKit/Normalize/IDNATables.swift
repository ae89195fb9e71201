import Foundation

extension WebURLParser.IDNA {
    /// A code point's status in the IDNA Mapping Table, as nontransitional processing reads it.
    enum Status: UInt32 {
        case valid = 0, deviation, mapped, ignored, disallowed
    }

    /// The bidi classes RFC 5893 names; `other` stands for the rest.
    enum BidiClass: UInt8 {
        case leftToRight = 0, rightToLeft, arabicLetter, arabicNumber, europeanNumber, europeanSeparator
        case commonSeparator, europeanTerminator, otherNeutral, boundaryNeutral, nonspacingMark, other

        var isRightToLeftOrArabicNumber: Bool {
            self == .rightToLeft || self == .arabicLetter || self == .arabicNumber
        }

        /// ASCII's classes, which the table leaves out.
        static func ofASCII(_ byte: UInt8) -> BidiClass {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): .europeanNumber
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): .leftToRight
            case UInt8(ascii: "+"), UInt8(ascii: "-"): .europeanSeparator
            case UInt8(ascii: ","), UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: ":"): .commonSeparator
            case UInt8(ascii: "#")...UInt8(ascii: "%"): .europeanTerminator
            case 0x00...0x08, 0x0E...0x1B, 0x7F: .boundaryNeutral
            case 0x09...0x0D, 0x1C...0x20: .other
            default: .otherNeutral
            }
        }
    }

    /// The joining types the ZWNJ rule reads; `none` stands for the rest.
    enum JoiningType: UInt32 {
        case none = 0, left, dual, right, transparent
    }

    /// One range of the mapping table.
    struct Entry {
        var status: Status
        var mappingStart: Int
        var mappingCount: Int
    }

    /// The tables of IDNATable.swift, unpacked on first use (only non-ASCII hosts need them).
    struct Tables: Sendable {
        /// First code point of each mapping range, ascending.
        private let starts: [UInt32]
        /// Status (bits 0–2) and mapping length (bits 3–7) of each range, and where its mapping starts (bits 8–).
        private let info: [UInt32]
        private let mappings: [Unicode.Scalar]
        /// `start << 8 | class` of each bidi range and each joining range, ascending.
        private let bidi: [UInt32]
        private let joining: [UInt32]

        init(packed: String) {
            let data = Data(base64Encoded: packed, options: .ignoreUnknownCharacters) ?? Data()
            let words: [UInt32] = data.withUnsafeBytes { raw in
                (0..<raw.count / 4).map { UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)) }
            }
            precondition(words.count >= 4, "IDNATable.swift holds no tables; run Scripts/generate-idna-table.py")
            let counts = words[0..<4].map(Int.init)
            precondition(words.count == 4 + counts.reduce(0, +), "IDNATable.swift is truncated")
            var offset = 4
            func take(_ count: Int) -> ArraySlice<UInt32> {
                defer { offset += count }
                return words[offset..<offset + count]
            }
            let ranges = take(counts[0])
            mappings = take(counts[1]).map { Unicode.Scalar($0) ?? "\u{FFFD}" }
            bidi = Array(take(counts[2]))
            joining = Array(take(counts[3]))
            starts = ranges.map { $0 & 0x1F_FFFF }
            var mappingStart: UInt32 = 0
            info = ranges.map { word in
                let length = word >> 24
                defer { mappingStart += length }
                return word >> 21 & 0x7 | length << 3 | mappingStart << 8
            }
        }

        func entry(_ codePoint: UInt32) -> Entry {
            // The last range starting at or before the code point; the first starts at 0.
            var low = 0
            var high = starts.count
            while high - low > 1 {
                let middle = (low + high) / 2
                if starts[middle] <= codePoint { low = middle } else { high = middle }
            }
            let word = info[low]
            return Entry(
                status: Status(rawValue: word & 0x7) ?? .disallowed,
                mappingStart: Int(word >> 8), mappingCount: Int(word >> 3 & 0x1F))
        }

        func mapping(of entry: Entry) -> ArraySlice<Unicode.Scalar> {
            mappings[entry.mappingStart..<entry.mappingStart + entry.mappingCount]
        }

        func bidiClass(_ codePoint: UInt32) -> BidiClass {
            BidiClass(rawValue: UInt8(Self.rangeValue(bidi, codePoint) ?? 11)) ?? .other
        }

        func joiningType(_ codePoint: UInt32) -> JoiningType {
            JoiningType(rawValue: Self.rangeValue(joining, codePoint) ?? 0) ?? JoiningType.none
        }

        /// The value of the range holding `codePoint` in a `start << 8 | value` list.
        private static func rangeValue(_ ranges: [UInt32], _ codePoint: UInt32) -> UInt32? {
            let key = (codePoint + 1) << 8
            var low = 0
            var high = ranges.count
            // The first range starting after the code point.
            while low < high {
                let middle = (low + high) / 2
                if ranges[middle] < key { low = middle + 1 } else { high = middle }
            }
            return low == 0 ? nil : ranges[low - 1] & 0xFF
        }
    }

    static let tables = Tables(packed: packedTables)
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An RFC 4180 record parser on the engine's own byte source: records come
/// out as byte ranges in memory the parser reuses, with the number of line
/// breaks inside them, so that no string is made per field.
///
/// The grammar, and what it forgives:
/// - a record ends at `\n`, `\r\n` or a lone `\r` outside quotes, or at the
///   end of the input; the delimiter separates fields;
/// - a field that starts with `"` is quoted: `""` inside it is one quote, and
///   delimiters and line breaks are kept;
/// - a quote inside an unquoted field is kept as it is, and text after a
///   closing quote is kept too (`"ab"c` reads `abc`), as spreadsheets read them;
/// - a quoted field still open at the end of the input is reported
///   (`unterminatedQuote`): everything after its quote would otherwise vanish
///   into one cell without a word.
///
/// Only the fields the caller asks for are copied (`wants`); the others are
/// scanned for their end and their length. A field longer than
/// `maxFieldBytes` is never held: it is skipped in pieces and only its length kept.
final class CSVParser {
    /// Where one field of the current record is.
    struct Field {
        /// The unescaped bytes, in `storage`; empty when the field is not
        /// wanted or over the limit.
        var range: Range<Int>
        /// The length of the unescaped field, wanted or not.
        var length: Int
        var isOverlong: Bool
    }

    private let buffer: ChunkBuffer
    let delimiter: UInt8
    let maxFieldBytes: Int
    /// Which fields to copy, by index; nil copies all (the header row).
    // One parser belongs to one reader on one thread: the per-access
    // exclusivity checks on these would cost more than the parsing.
    @exclusivity(unchecked) var wants: [Bool]?

    /// The current record's fields.
    @exclusivity(unchecked) private(set) var fields: [Field] = []
    /// Line breaks inside the current record's quoted fields: each `\n`, and each `\r` not before `\n`.
    @exclusivity(unchecked) private(set) var lineBreaks = 0
    /// True when the current record is the last and ends inside an open quoted field.
    @exclusivity(unchecked) private(set) var unterminatedQuote = false
    @exclusivity(unchecked) private var storage: ByteBuffer
    /// A record ended with `\r`: a `\n` right after it belongs to that ending.
    @exclusivity(unchecked) private var skipsLineFeed = false
    /// Byte classes: bit 1 ends an unquoted run (delimiter, CR, LF), bit 2 ends a quoted run (quote, CR, LF).
    private let classes: UnsafeMutablePointer<UInt8>

    init(_ buffer: ChunkBuffer, delimiter: UInt8, maxFieldBytes: Int) {
        self.buffer = buffer
        self.delimiter = delimiter
        self.maxFieldBytes = maxFieldBytes
        storage = ByteBuffer(capacity: 4096)
        classes = .allocate(capacity: 256)
        classes.initialize(repeating: 0, count: 256)
        classes[Int(delimiter)] |= 1
        classes[0x0D] |= 3
        classes[0x0A] |= 3
        classes[0x22] |= 2
    }

    deinit {
        storage.deallocate()
        classes.deallocate()
    }

    /// The bytes of field `index` of the current record (empty when not copied).
    func bytes(_ index: Int) -> UnsafeBufferPointer<UInt8> { storage[fields[index].range] }

    /// The bytes of field `index` as text, with bytes that are not UTF-8 as U+FFFD.
    func string(_ index: Int) -> String { String(decoding: CSVParser.repairedUTF8(bytes(index)) ?? Array(bytes(index)), as: UTF8.self) }

    private enum State {
        case fieldStart, unquoted, quoted, quoteInQuoted, crInQuoted
    }

    /// Reads the next record; false at the end of the input.
    func next() throws(InputError) -> Bool {
        fields.removeAll(keepingCapacity: true)
        storage.removeAll()
        lineBreaks = 0
        unterminatedQuote = false
        var state = State.fieldStart
        var started = false
        // The field being read.
        var fieldStart = 0
        var length = 0
        var overlong = false
        var wanted = wants.map { !$0.isEmpty && $0[0] } ?? true
        let classes = self.classes
        let delimiter = self.delimiter
        let limit = maxFieldBytes
        let delimiterWord = UInt64(delimiter) &* 0x0101_0101_0101_0101

        @inline(__always) func keep(_ from: UnsafePointer<UInt8>, _ count: Int) {
            length += count
            guard wanted, !overlong else { return }
            if length > limit {
                overlong = true
                storage.truncate(to: fieldStart)
            } else {
                storage.append(UnsafeBufferPointer(start: from, count: count))
            }
        }
        @inline(__always) func keep(byte: UInt8) {
            var byte = byte
            keep(&byte, 1)
        }
        @inline(__always) func endField() {
            fields.append(Field(range: overlong || !wanted ? fieldStart..<fieldStart : fieldStart..<storage.count,
                                length: length, isOverlong: overlong))
            fieldStart = storage.count
            length = 0
            overlong = false
            let index = fields.count
            wanted = wants.map { index < $0.count && $0[index] } ?? true
        }

        while true {
            let unread = buffer.unread
            guard let base = unread.baseAddress, !unread.isEmpty else {
                if try buffer.refill() { continue }
                // The end of the input.
                guard started else { return false }
                if state == .quoted || state == .crInQuoted { unterminatedQuote = true }
                endField()
                return true
            }
            let count = unread.count
            var index = 0
            if skipsLineFeed {
                skipsLineFeed = false
                if base[0] == 0x0A { index = 1 }
            }
            if index < count { started = true }
            while index < count {
                switch state {
                case .fieldStart:
                    if base[index] == 0x22 {
                        state = .quoted
                        index += 1
                    } else {
                        state = .unquoted
                    }
                case .unquoted:
                    let runStart = index
                    // Eight bytes at a time while none of them ends the run.
                    while index + 8 <= count {
                        let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                        if Self.hasByte(word, delimiterWord) | Self.hasByte(word, 0x0D0D_0D0D_0D0D_0D0D)
                            | Self.hasByte(word, 0x0A0A_0A0A_0A0A_0A0A) != 0 { break }
                        index += 8
                    }
                    while index < count, classes[Int(base[index])] & 1 == 0 { index += 1 }
                    if index > runStart { keep(base + runStart, index - runStart) }
                    guard index < count else { break }
                    let byte = base[index]
                    index += 1
                    endField()
                    if byte == delimiter {
                        state = .fieldStart
                    } else {
                        // CR or LF ends the record; a LF after a CR belongs to it.
                        if byte == 0x0D {
                            if index < count {
                                if base[index] == 0x0A { index += 1 }
                            } else {
                                skipsLineFeed = true
                            }
                        }
                        buffer.start += index
                        return true
                    }
                case .quoted:
                    // Most quoted text (notes) runs to its closing quote without a
                    // carriage return: found with memchr, and its line feeds too.
                    if let found = memchr(base + index, 0x22, count - index) {
                        let end = UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) - base
                        let span = end - index
                        let returns = memchr(base + index, 0x0D, span) != nil
                        var feeds = 0
                        var from = index
                        while !returns, let feed = memchr(base + from, 0x0A, end - from) {
                            feeds += 1
                            from = UnsafePointer(feed.assumingMemoryBound(to: UInt8.self)) - base + 1
                        }
                        if !returns {
                            lineBreaks += feeds
                            if end > index { keep(base + index, end - index) }
                            index = end + 1
                            state = .quoteInQuoted
                            continue
                        }
                    }
                    let runStart = index
                    while index < count, classes[Int(base[index])] & 2 == 0 { index += 1 }
                    if index > runStart { keep(base + runStart, index - runStart) }
                    guard index < count else { break }
                    let byte = base[index]
                    index += 1
                    if byte == 0x22 {
                        state = .quoteInQuoted
                    } else {
                        keep(byte: byte)
                        lineBreaks += 1
                        if byte == 0x0D { state = .crInQuoted }
                    }
                case .crInQuoted:
                    // The LF of a CRLF inside quotes: kept, but the break is already counted.
                    if base[index] == 0x0A {
                        keep(byte: 0x0A)
                        index += 1
                    }
                    state = .quoted
                case .quoteInQuoted:
                    let byte = base[index]
                    if byte == 0x22 {
                        keep(byte: 0x22)
                        index += 1
                        state = .quoted
                    } else {
                        // The field ends here (a delimiter or a line break, read as
                        // the end of an unquoted run), or text after the closing
                        // quote follows and is kept, unquoted.
                        state = .unquoted
                    }
                }
            }
            buffer.start += count
        }
    }

    /// Nonzero when some byte of `word` equals the byte repeated in `pattern`
    /// (the classic test for a zero byte, on `word ^ pattern`).
    @inline(__always)
    static func hasByte(_ word: UInt64, _ pattern: UInt64) -> UInt64 {
        let x = word ^ pattern
        return (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
    }

    /// The bytes with every byte that is not part of valid UTF-8 replaced by
    /// U+FFFD (one per byte), or nil when they are valid already.
    static func repairedUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard UTF8Scan.firstInvalidOffset(in: bytes) != nil else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x80 {
                out.append(byte)
                index += 1
                continue
            }
            let length = UTF8Scan.decode(bytes, at: index).length
            if length > 0 {
                out.append(contentsOf: bytes[index..<(index + length)])
                index += length
            } else {
                out.append(contentsOf: [0xEF, 0xBF, 0xBD])
                index += 1
            }
        }
        return out
    }
}

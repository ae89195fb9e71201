#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits a byte stream into lines without copying them: `\n` ends a line, a
/// `\r` before it is dropped, and a line longer than the limit is skipped in
/// pieces so that it never has to fit in memory.
enum LineSplitter {
    /// Calls `body(lineNumber, bytes, overlongLength)` for every line; for a line over
    /// `maxLineBytes`, `bytes` is empty and `overlongLength` is its length.
    ///
    /// The buffer's capacity must exceed `maxLineBytes` + 2 by at least one read's worth.
    static func forEachLine(
        in buffer: ChunkBuffer, maxLineBytes: Int,
        _ body: (Int, UnsafeBufferPointer<UInt8>, Int?) throws -> Void
    ) throws {
        var lineNumber = 0
        while true {
            let unread = buffer.unread
            if let base = unread.baseAddress, let found = memchr(base, 0x0A, unread.count) {
                let newline = UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) - base
                var length = newline
                if length > 0, unread[length - 1] == 0x0D { length -= 1 }
                lineNumber += 1
                if length > maxLineBytes {
                    try body(lineNumber, UnsafeBufferPointer(start: base, count: 0), length)
                } else {
                    try body(lineNumber, UnsafeBufferPointer(start: base, count: length), nil)
                }
                buffer.start += newline + 1
                continue
            }
            if unread.count > maxLineBytes + 1 {
                lineNumber += 1
                try body(lineNumber, UnsafeBufferPointer(start: unread.baseAddress, count: 0), try skipRestOfLine(buffer))
                continue
            }
            if try buffer.refill() { continue }
            // The input ended without a final newline.
            let last = buffer.unread
            guard !last.isEmpty else { return }
            var length = last.count
            if last[length - 1] == 0x0D { length -= 1 }
            lineNumber += 1
            if length > maxLineBytes {
                try body(lineNumber, UnsafeBufferPointer(start: last.baseAddress, count: 0), length)
            } else {
                try body(lineNumber, UnsafeBufferPointer(start: last.baseAddress, count: length), nil)
            }
            buffer.start = buffer.end
            return
        }
    }

    /// Discards the line that starts at the buffer's unread bytes, reading on to its
    /// newline; returns its length without the line ending.
    private static func skipRestOfLine(_ buffer: ChunkBuffer) throws(InputError) -> Int {
        var length = 0
        var lastByte: UInt8 = 0
        while true {
            let unread = buffer.unread
            if let base = unread.baseAddress, let found = memchr(base, 0x0A, unread.count) {
                let newline = UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) - base
                length += newline
                if newline > 0 { lastByte = unread[newline - 1] }
                buffer.start += newline + 1
                return lastByte == 0x0D ? length - 1 : length
            }
            length += unread.count
            if let last = unread.last { lastByte = last }
            buffer.start = buffer.end
            guard try buffer.refill() else { return lastByte == 0x0D ? length - 1 : length }
        }
    }
}

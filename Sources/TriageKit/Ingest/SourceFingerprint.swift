#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A report file's identity for the store: the SHA-256 of its bytes and its size,
/// and the digests of chosen beginnings of it.
///
/// The beginnings are the sizes of files ingested before: when one of them is this
/// file's first bytes, ending at a line break, this file is that one with lines
/// added (the spreadsheet a school appends to), and its first lines are reports the
/// store already holds.
public struct SourceFingerprint: Sendable, Equatable {
    public var sha256: String
    public var bytes: Int
    /// How many line breaks (`\n`) the file holds: the line after the last one is where a
    /// file that extends this one starts.
    public var lineBreaks: Int
    /// The SHA-256 of the first `n` bytes, for each `n` asked for that ends at a line break.
    public var prefixes: [Int: String] = [:]

    public init(sha256: String, bytes: Int, lineBreaks: Int, prefixes: [Int: String] = [:]) {
        self.sha256 = sha256
        self.bytes = bytes
        self.lineBreaks = lineBreaks
        self.prefixes = prefixes
    }

    /// Hashes the file at `path`, and its first `n` bytes for each `n` in `prefixLengths`;
    /// `name` is used in messages.
    public static func of(path: String, name: String, prefixLengths: [Int] = []) throws(InputError) -> SourceFingerprint {
        let source: ByteSource
        do {
            source = try ByteSource(path: path)
        } catch {
            throw InputError(error.kind, file: name, message: error.message)
        }
        var hash = SHA256()
        var prefixes: [Int: String] = [:]
        var pending = prefixLengths.filter { $0 > 0 }.sorted(by: >)
        var lastByte: UInt8 = 0
        var lineBreaks = 0
        let chunk = UnsafeMutablePointer<UInt8>.allocate(capacity: 1 << 20)
        defer { chunk.deallocate() }
        while true {
            let count: Int
            do {
                count = try source.read(into: chunk, count: 1 << 20)
            } catch {
                throw InputError(error.kind, file: name, message: error.message)
            }
            if count == 0 { break }
            var offset = 0
            // Stop at each asked-for length inside this chunk and note the digest so far.
            while let next = pending.last, next <= hash.byteCount + count - offset {
                let take = next - hash.byteCount
                hash.update(UnsafeBufferPointer(start: chunk + offset, count: take))
                offset += take
                if take > 0 { lastByte = chunk[offset - 1] }
                if lastByte == 0x0A { prefixes[next] = hash.hexDigest() }
                pending.removeLast()
            }
            hash.update(UnsafeBufferPointer(start: chunk + offset, count: count - offset))
            if count > offset { lastByte = chunk[count - 1] }
            lineBreaks += countLineBreaks(UnsafeBufferPointer(start: chunk, count: count))
        }
        return SourceFingerprint(sha256: hash.hexDigest(), bytes: hash.byteCount, lineBreaks: lineBreaks, prefixes: prefixes)
    }

    private static func countLineBreaks(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        var count = 0
        var position = 0
        // memchr scans a word at a time; a byte loop costs a few tenths of a second on a big batch.
        while position < bytes.count, let found = memchr(base + position, 0x0A, bytes.count - position) {
            count += 1
            position = UnsafeRawPointer(found) - UnsafeRawPointer(base) + 1
        }
        return count
    }

    /// The size of `path` in bytes, or nil when it cannot be read (the hash will say why).
    public static func size(of path: String) -> Int? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return Int(status.st_size)
    }

    /// Copies standard input to a new file in `directory` so that it can be hashed and read
    /// like any report file; returns the file's path. The caller removes it.
    public static func spoolStandardInput(into directory: String) throws(InputError) -> String {
        var template = Array((directory + "/urltriage-stdin-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.map { mkstemp($0) } ?? -1 }
        guard descriptor >= 0 else {
            throw InputError(.cannotRead, file: "standard input",
                             message: "cannot create a temporary file in \(directory) to hold it; set TMPDIR to a writable directory")
        }
        defer { close(descriptor) }
        // mkstemp wrote the file's name over the X's.
        let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let source = try ByteSource(path: "-")
        let chunk = UnsafeMutablePointer<UInt8>.allocate(capacity: 1 << 20)
        defer { chunk.deallocate() }
        while true {
            let count = try source.read(into: chunk, count: 1 << 20)
            if count == 0 { break }
            var offset = 0
            while offset < count {
                let written = write(descriptor, chunk + offset, count - offset)
                guard written > 0 else {
                    unlink(path)
                    throw InputError(.cannotRead, file: "standard input",
                                     message: "cannot copy it to \(path): \(String(cString: strerror(errno)))")
                }
                offset += written
            }
        }
        return path
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A report file's identity for the store: the SHA-256 of its bytes and its size.
public struct SourceFingerprint: Sendable, Equatable {
    public var sha256: String
    public var bytes: Int

    /// Hashes the file at `path`; `name` is used in messages.
    public static func of(path: String, name: String) throws(InputError) -> SourceFingerprint {
        let source: ByteSource
        do {
            source = try ByteSource(path: path)
        } catch {
            throw InputError(error.kind, file: name, message: error.message)
        }
        var hash = SHA256()
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
            hash.update(UnsafeBufferPointer(start: chunk, count: count))
        }
        return SourceFingerprint(sha256: hash.hexDigest(), bytes: hash.byteCount)
    }

    /// Copies standard input to a new file in `directory` so that it can be hashed and read
    /// like any report file; returns the file's path. The caller removes it.
    public static func spoolStandardInput(into directory: String) throws(InputError) -> String {
        var template = Array((directory + "/urltriage-stdin-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw InputError(.cannotRead, file: "standard input",
                             message: "cannot create a temporary file in \(directory) to hold it; set TMPDIR to a writable directory")
        }
        defer { close(descriptor) }
        let path = String(cString: template.withUnsafeBufferPointer { $0.baseAddress! })
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

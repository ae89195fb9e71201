#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where report bytes come from: a file, standard input (`-`), or memory.
final class ByteSource {
    private enum Origin {
        case descriptor(Int32, owned: Bool)
        case memory([UInt8])
    }

    private let origin: Origin
    private var memoryPosition = 0
    /// The name used in messages: the path, or "standard input".
    let name: String

    /// Opens `path` for reading; `-` is standard input.
    init(path: String) throws(InputError) {
        if path == "-" {
            origin = .descriptor(STDIN_FILENO, owned: false)
            name = "standard input"
            return
        }
        name = path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw InputError(.cannotOpen, file: path, message: "cannot open the file: \(Self.lastError()); check the path and its permissions")
        }
        var status = stat()
        if fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFDIR {
            close(descriptor)
            throw InputError(.cannotOpen, file: path, message: "is a directory; give a report file (text, CSV or JSON Lines)")
        }
        origin = .descriptor(descriptor, owned: true)
    }

    init(bytes: [UInt8], name: String) {
        origin = .memory(bytes)
        self.name = name
    }

    deinit {
        if case .descriptor(let descriptor, owned: true) = origin { close(descriptor) }
    }

    /// Reads up to `count` bytes into `buffer`; 0 means the end of the input.
    func read(into buffer: UnsafeMutablePointer<UInt8>, count: Int) throws(InputError) -> Int {
        switch origin {
        case .memory(let bytes):
            let n = min(count, bytes.count - memoryPosition)
            bytes.withUnsafeBufferPointer { all in
                buffer.update(from: all.baseAddress! + memoryPosition, count: n)
            }
            memoryPosition += n
            return n
        case .descriptor(let descriptor, _):
            while true {
                let n = systemRead(descriptor, buffer, count)
                if n >= 0 { return n }
                if errno == EINTR { continue }
                throw InputError(.cannotRead, file: name, message: "reading failed: \(Self.lastError())")
            }
        }
    }

    private static func lastError() -> String {
        String(cString: strerror(errno))
    }
}

/// `read(2)`, named apart from `ByteSource.read` so that the call inside it is unambiguous.
@inline(__always)
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutablePointer<UInt8>, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}

// MARK: - Buffered window

/// A window on a byte source, refilled in large reads (1 MiB by default).
final class ChunkBuffer {
    let source: ByteSource
    let capacity: Int
    let storage: UnsafeMutablePointer<UInt8>
    /// Unread bytes are `storage[start..<end]`.
    var start = 0
    var end = 0
    /// True once the source has reported its end.
    private(set) var sourceEnded = false

    init(source: ByteSource, capacity: Int) {
        self.source = source
        self.capacity = capacity
        storage = .allocate(capacity: capacity)
    }

    deinit {
        storage.deallocate()
    }

    var unread: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: storage + start, count: end - start)
    }

    /// Moves the unread bytes to the front and reads once into the free space.
    /// Returns false when nothing more came (the end of the input, or no room).
    @discardableResult
    func refill() throws(InputError) -> Bool {
        if start > 0 {
            if end > start { (storage).update(from: storage + start, count: end - start) }
            end -= start
            start = 0
        }
        guard !sourceEnded, end < capacity else { return false }
        let n = try source.read(into: storage + end, count: capacity - end)
        if n == 0 { sourceEnded = true }
        end += n
        return n > 0
    }

    /// Reads until at least `count` bytes are unread, the input ends, or the buffer is full.
    func fill(atLeast count: Int) throws(InputError) {
        while end - start < count, try refill() {}
    }
}

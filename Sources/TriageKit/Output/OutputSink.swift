#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A buffered writer to a file descriptor: rows are appended as bytes and
/// written in large blocks, because a million small writes cost more than the work.
/// Without a descriptor it keeps everything in memory, for callers that want the text.
public final class OutputSink {
    /// A sink belongs to one writer on one thread; the per-append
    /// exclusivity checks would cost more than the appends.
    @exclusivity(unchecked) private var buffer: ByteBuffer
    private let descriptor: Int32?
    private let flushThreshold = 1 << 16

    /// Writes to an open file descriptor, which the caller keeps open.
    public init(descriptor: Int32) {
        self.descriptor = descriptor
        buffer = ByteBuffer(capacity: flushThreshold + 4096)
    }

    /// Keeps what is written in memory: `text` reads it back, and `flush` writes nothing.
    public init() {
        descriptor = nil
        buffer = ByteBuffer(capacity: 4096)
    }

    /// Everything written to an in-memory sink, as text.
    public var text: String { String(decoding: buffer.bytes, as: UTF8.self) }

    /// Standard output.
    public static func standardOutput() -> OutputSink { OutputSink(descriptor: 1) }

    /// Standard error.
    public static func standardError() -> OutputSink { OutputSink(descriptor: 2) }

    /// The bytes written so far but not yet flushed, for tests.
    var pending: [UInt8] { Array(buffer.bytes) }

    public func write(_ text: String) {
        buffer.append(utf8Of: text)
        if buffer.count >= flushThreshold { flush() }
    }

    public func write<S: StringProtocol>(_ text: S) {
        buffer.append(utf8Of: text)
        if buffer.count >= flushThreshold { flush() }
    }

    // Inlined: a row is a dozen appends of a few bytes each.
    @inline(__always)
    func append(byte: UInt8) { buffer.append(byte) }

    func append<S: StringProtocol>(_ text: S) { buffer.append(utf8Of: text) }

    func append(_ text: StaticString) { buffer.append(text) }

    /// Lets `body` write into the buffer with the helpers that write into any `ByteBuffer`.
    func append(_ body: (inout ByteBuffer) -> Void) { body(&buffer) }

    @inline(__always)
    func append(bytes: UnsafeBufferPointer<UInt8>) { buffer.append(bytes) }

    /// An integer in decimal, without making a string (one per row adds up).
    func append(number: Int) { buffer.append(decimal: number) }

    func endRecord() { if buffer.count >= flushThreshold { flush() } }

    /// Hands the bytes of an in-memory sink to `body` and empties it (a lane's rows, to the real output).
    func drain(into other: OutputSink) {
        other.append(bytes: buffer.bytes)
        buffer.removeAll()
        other.endRecord()
    }

    public func flush() {
        guard let descriptor, buffer.count > 0 else { return }
        do {
            let bytes = buffer.bytes
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    // A closed pipe (`| head`) ends the output; there is nobody left to tell.
                    break
                }
            }
        }
        buffer.removeAll()
    }

    deinit {
        flush()
        buffer.deallocate()
    }
}

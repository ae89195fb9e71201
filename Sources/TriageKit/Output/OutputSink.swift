#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A buffered writer to a file descriptor: rows are appended as bytes and
/// written in large blocks, because a million small writes cost more than the work.
public final class OutputSink {
    /// A sink belongs to one writer on one thread; the per-append
    /// exclusivity checks would cost more than the appends.
    @exclusivity(unchecked) private var buffer: [UInt8] = []
    private let descriptor: Int32
    private let flushThreshold = 1 << 16

    /// Writes to an open file descriptor, which the caller keeps open.
    public init(descriptor: Int32) {
        self.descriptor = descriptor
        buffer.reserveCapacity(flushThreshold + 4096)
    }

    /// Standard output.
    public static func standardOutput() -> OutputSink { OutputSink(descriptor: 1) }

    /// Standard error.
    public static func standardError() -> OutputSink { OutputSink(descriptor: 2) }

    /// The bytes written so far but not yet flushed, for tests.
    var pending: [UInt8] { buffer }

    public func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= flushThreshold { flush() }
    }

    public func write<S: StringProtocol>(_ text: S) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= flushThreshold { flush() }
    }

    func append(byte: UInt8) { buffer.append(byte) }

    func append<S: StringProtocol>(_ text: S) { buffer.append(contentsOf: text.utf8) }

    func endRecord() { if buffer.count >= flushThreshold { flush() } }

    public func flush() {
        guard !buffer.isEmpty else { return }
        buffer.withUnsafeBytes { bytes in
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
        buffer.removeAll(keepingCapacity: true)
    }

    deinit { flush() }
}

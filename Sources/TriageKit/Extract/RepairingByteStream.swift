import Foundation

/// An `InputStream` over a `ChunkBuffer` for CSV.swift, with every byte that is
/// not valid UTF-8 passed on as U+FFFD.
///
/// CSV.swift stops at the first invalid byte; one mis-encoded name in a school's
/// spreadsheet would then lose every report after it.
final class RepairingByteStream: InputStream {
    private let buffer: ChunkBuffer
    private var status: Stream.Status = .notOpen
    /// A read failure, kept because CSV.swift would only see the stream end.
    private(set) var readError: InputError?
    /// How many bytes went out as U+FFFD so far.
    private(set) var replacedBytes = 0

    init(_ buffer: ChunkBuffer) {
        self.buffer = buffer
        super.init(data: Data())
    }

    override func open() { status = .open }
    override func close() { status = .closed }
    override var streamStatus: Stream.Status { status }
    override var streamError: (any Error)? { readError }

    override var hasBytesAvailable: Bool {
        if buffer.start < buffer.end { return true }
        do {
            return try buffer.refill()
        } catch {
            readError = error
            return false
        }
    }

    override func read(_ output: UnsafeMutablePointer<UInt8>, maxLength: Int) -> Int {
        // Room for one replacement character (3 bytes) or one whole scalar (4).
        guard maxLength >= 4 else { return 0 }
        do {
            try buffer.fill(atLeast: 4)
        } catch {
            readError = error
            return -1
        }
        let input = buffer.unread
        var consumed = 0
        var written = 0
        while consumed < input.count, written + 4 <= maxLength {
            let byte = input[consumed]
            if byte < 0x80 {
                output[written] = byte
                written += 1
                consumed += 1
                continue
            }
            let length = UTF8Scan.decode(input, at: consumed).length
            if length > 0 {
                (output + written).update(from: input.baseAddress! + consumed, count: length)
                written += length
                consumed += length
            } else if input.count - consumed < 4, !buffer.sourceEnded, UTF8Scan.isTruncatedSequence(input, at: consumed) {
                // The rest of this scalar is in the next read.
                break
            } else {
                output[written] = 0xEF
                output[written + 1] = 0xBF
                output[written + 2] = 0xBD
                written += 3
                consumed += 1
                replacedBytes += 1
            }
        }
        buffer.start += consumed
        return written
    }
}

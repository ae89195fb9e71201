/// Reads report files (text, CSV, JSON Lines) record by record, streaming, and
/// hands each record's text to a closure without copying it.
///
/// Memory stays bounded whatever the file's size: it is read in 1 MiB chunks, and
/// a line longer than `maxLineBytes` is skipped in pieces, reported, and never
/// held whole. Every line is accounted for: blank lines and skipped lines are
/// records too, with an empty text (and a problem, when skipped).
public struct ReportReader: Sendable {
    /// Lines (and CSV cells) longer than this are skipped with a problem.
    public static let maxLineBytes = 1_048_576
    /// How much is read at a time.
    public static let chunkBytes = 1_048_576
    /// How much of the start of a file is looked at to tell text from binary.
    public static let sniffBytes = 8_192

    private enum Input: Sendable {
        case path(String)
        case bytes([UInt8], name: String)
    }

    private let input: Input
    /// The format to read, or nil to detect it from the name and the first bytes.
    public var format: InputFormat?
    /// Read a file even when it looks binary (NUL bytes or mostly invalid UTF-8).
    public var allowBinary: Bool

    /// A reader for the file at `path`; `-` is standard input.
    public init(path: String, format: InputFormat? = nil, allowBinary: Bool = false) {
        input = .path(path)
        self.format = format
        self.allowBinary = allowBinary
    }

    /// A reader for bytes in memory (free text pasted into a form, tests); `name` is used in
    /// messages and, for detection, like a file name.
    public init(bytes: [UInt8], name: String = "input", format: InputFormat? = nil, allowBinary: Bool = false) {
        input = .bytes(bytes, name: name)
        self.format = format
        self.allowBinary = allowBinary
    }

    // MARK: - Reading

    /// Calls `body` once per record, in order, and returns the format that was read.
    ///
    /// Throws `InputError` for a problem with the whole file (it cannot be opened, it looks
    /// binary, a CSV file has no url column), and whatever `body` throws.
    @discardableResult
    public func read(_ body: (ReportLine) throws -> Void) throws -> InputFormat {
        let source: ByteSource
        let detectionName: String
        switch input {
        case .path(let path):
            source = try ByteSource(path: path)
            detectionName = path == "-" ? "" : path
        case .bytes(let bytes, let name):
            source = ByteSource(bytes: bytes, name: name)
            detectionName = name
        }
        let buffer = ChunkBuffer(source: source, capacity: Self.chunkBytes + Self.maxLineBytes + 2)
        try buffer.fill(atLeast: Self.sniffBytes)
        var bomLength = 0
        if Self.hasUTF8BOM(buffer.unread) {
            buffer.start += 3
            bomLength = 3
        }
        let format = self.format ?? InputFormat.detect(path: detectionName, firstBytes: buffer.unread)
        guard !buffer.unread.isEmpty else { return format }
        if !allowBinary, let problem = Self.binaryProblem(buffer.unread, offset: bomLength) {
            throw InputError(.binary, file: source.name, message: problem)
        }
        switch format {
        case .text:
            try readText(buffer, body)
        case .jsonl:
            try readJSONLines(buffer, body)
        case .csv:
            let delimiter = detectionName.lowercased().hasSuffix(".tsv")
                ? 0x09 : CSVDialect.sniffDelimiter(firstLine: Self.firstLine(buffer.unread))
            try CSVRecords.read(buffer, delimiter: delimiter, maxFieldBytes: Self.maxLineBytes, body)
        }
        return format
    }

    private func readText(_ buffer: ChunkBuffer, _ body: (ReportLine) throws -> Void) throws {
        try LineSplitter.forEachLine(in: buffer, maxLineBytes: Self.maxLineBytes) { line, bytes, overlong in
            if let overlong {
                try body(ReportLine(line: line, text: bytes, problem: Self.overlongProblem(overlong)))
            } else if let bad = UTF8Scan.firstInvalidOffset(in: bytes) {
                try body(ReportLine(line: line, text: bytes, problem: Self.invalidUTF8Problem(bad)))
            } else {
                try body(ReportLine(line: line, text: bytes))
            }
        }
    }

    private func readJSONLines(_ buffer: ChunkBuffer, _ body: (ReportLine) throws -> Void) throws {
        var text: [UInt8] = []
        try LineSplitter.forEachLine(in: buffer, maxLineBytes: Self.maxLineBytes) { line, bytes, overlong in
            let empty = UnsafeBufferPointer<UInt8>(start: bytes.baseAddress, count: 0)
            if let overlong {
                try body(ReportLine(line: line, text: empty, problem: Self.overlongProblem(overlong)))
                return
            }
            text.removeAll(keepingCapacity: true)
            switch JSONLineParser.parse(bytes, into: &text) {
            case .blank:
                try body(ReportLine(line: line, text: empty))
            case .found(let problem):
                let encoding = UTF8Scan.firstInvalidOffset(in: bytes).map(Self.invalidUTF8Problem)
                let problems = [problem, encoding].compactMap { $0 }
                try text.withUnsafeBufferPointer { urls in
                    try body(ReportLine(line: line, text: urls, problem: problems.isEmpty ? nil : problems.joined(separator: "; ")))
                }
            case .noURL(let reason), .invalid(let reason, _):
                try body(ReportLine(line: line, text: empty, problem: reason))
            }
        }
    }

    // MARK: - Problems

    static func overlongProblem(_ length: Int) -> String {
        "line is \(length) bytes long; lines over \(maxLineBytes) bytes are skipped"
    }

    static func invalidUTF8Problem(_ offset: Int) -> String {
        "line is not valid UTF-8 (first bad byte at column \(offset + 1))"
    }

    /// Why the start of a file says it is not text, if it does. `offset` is where `sample` starts in the file.
    static func binaryProblem(_ sample: UnsafeBufferPointer<UInt8>, offset: Int) -> String? {
        let hint = "urltriage reads text, CSV or JSON Lines in UTF-8; "
            + "if this is a report saved in another encoding, save it as UTF-8, or pass --allow-binary to read it anyway"
        if offset == 0, sample.count >= 2,
           (sample[0] == 0xFF && sample[1] == 0xFE) || (sample[0] == 0xFE && sample[1] == 0xFF) {
            return "looks like UTF-16 text (it starts with a UTF-16 byte order mark); \(hint)"
        }
        let head = UnsafeBufferPointer(rebasing: sample.prefix(sniffBytes))
        if let nul = head.firstIndex(of: 0) {
            return "looks like a binary file (NUL byte at offset \(offset + nul)); \(hint)"
        }
        let invalid = UTF8Scan.invalidByteCount(in: head)
        if invalid * 4 > head.count {
            return "looks like a binary file (\(invalid) of the first \(head.count) bytes are not valid UTF-8); \(hint)"
        }
        return nil
    }

    // MARK: - Helpers

    static func hasUTF8BOM(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.starts(with: [0xEF, 0xBB, 0xBF])
    }

    private static func firstLine(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        Array(bytes.prefix { $0 != 0x0A })
    }
}

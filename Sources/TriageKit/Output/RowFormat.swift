/// The output formats rows can be written in.
public enum RowFormat: String, Sendable, CaseIterable {
    case tsv, csv, jsonl
}

/// Writes records with named fields as TSV (with a header), CSV (RFC 4180) or JSON Lines.
public struct RecordWriter {
    public let format: RowFormat
    public let fields: [String]
    let sink: OutputSink

    public init(format: RowFormat, fields: [String], sink: OutputSink) {
        self.format = format
        self.fields = fields
        self.sink = sink
    }

    /// The header line, for the formats that have one.
    public func writeHeader() {
        guard format != .jsonl else { return }
        write(fields.map { .text($0) })
    }

    /// A field's value; numbers stay numbers in JSON, and `none` is empty or null.
    public enum Value {
        case text(String)
        case number(Int)
        case none
        /// Bytes lent for the duration of the write (UTF-8 text).
        case bytes(UnsafeBufferPointer<UInt8>)
    }

    public func write(_ values: [Value]) {
        begin()
        for (index, value) in values.enumerated() { field(index, value) }
        end()
    }

    /// Writes one row of `urltriage normalize` without building an array per row.
    public func write(_ row: NormalizedRow) {
        begin()
        field(0, .number(row.line))
        if let classification = row.classification {
            field(1, .text(classification.key))
            field(2, .text(classification.platform))
            field(3, .text(classification.type))
            field(4, .text(classification.canonical))
        } else {
            for index in 1...4 { field(index, .none) }
        }
        field(5, row.error.map { .text($0) } ?? .none)
        end()
    }

    /// The same for a row whose key and canonical URL are lent as bytes.
    public func write(_ row: RowView) {
        if format == .tsv { return writeTSV(row) }
        begin()
        field(0, .number(row.line))
        if let classified = row.classified {
            field(1, .bytes(classified.key))
            field(2, .bytes(classified.platformName))
            field(3, .bytes(classified.typeName))
            field(4, .bytes(classified.canonical))
        } else {
            for index in 1...4 { field(index, .none) }
        }
        field(5, row.error.map { .text($0) } ?? .none)
        end()
    }

    /// TSV rows straight into the sink: the format a batch is usually
    /// written in, and a million rows of per-field dispatch add up.
    private func writeTSV(_ row: RowView) {
        sink.append(number: row.line)
        sink.append(byte: 0x09)
        if let classified = row.classified {
            // No tab or line break to replace: the URL parser removes them and
            // percent-encodes other controls, and the rule loader refuses them
            // in names and templates, which is all a key or canonical URL is made of.
            sink.append(bytes: classified.key)
            sink.append(byte: 0x09)
            sink.append(bytes: classified.platformName)
            sink.append(byte: 0x09)
            sink.append(bytes: classified.typeName)
            sink.append(byte: 0x09)
            sink.append(bytes: classified.canonical)
            sink.append(byte: 0x09)
        } else {
            sink.append(bytes: Self.emptyClassification)
            if let error = row.error { error.withBytes(appendTSV) }
        }
        sink.append(byte: 0x0A)
        sink.endRecord()
    }

    /// Four empty fields (key, platform, type, canonical), each ending in its
    /// tab; the line number's tab is already written.
    private static var emptyClassification: UnsafeBufferPointer<UInt8> {
        let tabs: StaticString = "\t\t\t\t"
        return UnsafeBufferPointer(start: tabs.utf8Start, count: tabs.utf8CodeUnitCount)
    }

    // MARK: - Records field by field

    private func begin() {
        if format == .jsonl { sink.append(byte: 0x7B) }
    }

    private func field(_ index: Int, _ value: Value) {
        switch format {
        case .tsv:
            if index > 0 { sink.append(byte: 0x09) }
            switch value {
            case .text(let text): text.withBytes(appendTSV)
            case .bytes(let bytes): appendTSV(bytes)
            case .number(let number): sink.append(number: number)
            case .none: break
            }
        case .csv:
            if index > 0 { sink.append(byte: 0x2C) }
            switch value {
            case .text(let text): text.withBytes(appendCSV)
            case .bytes(let bytes): appendCSV(bytes)
            case .number(let number): sink.append(number: number)
            case .none: break
            }
        case .jsonl:
            if index > 0 { sink.append(byte: 0x2C) }
            sink.appendJSONString(fields[index])
            sink.append(byte: 0x3A)
            switch value {
            case .text(let text): sink.appendJSONString(text)
            case .bytes(let bytes): sink.appendJSONString(bytes)
            case .number(let number): sink.append(number: number)
            case .none: sink.append("null")
            }
        }
    }

    private func end() {
        if format == .jsonl { sink.append(byte: 0x7D) }
        sink.append(byte: 0x0A)
        sink.endRecord()
    }

    // MARK: - Escaping

    /// TSV has no quoting, so tabs and line breaks inside a field become
    /// spaces, and other control characters and line separators visible escapes.
    private func appendTSV(_ text: UnsafeBufferPointer<UInt8>) {
        guard ControlCharacters.contains(text) else {
            sink.append(bytes: text)
            return
        }
        ControlCharacters.appendInert(text) { sink.append(byte: $0) }
    }

    /// RFC 4180 quoting for commas and quotes; line breaks and other controls
    /// are made inert as in TSV, since many readers of CSV split records on any
    /// CR or LF, quoted or not.
    private func appendCSV(_ text: UnsafeBufferPointer<UInt8>) {
        let quoted = text.contains { $0 == 0x2C || $0 == 0x22 }
        let controls = ControlCharacters.contains(text)
        guard quoted || controls else { sink.append(bytes: text); return }
        if quoted { sink.append(byte: 0x22) }
        ControlCharacters.appendInert(text) { byte in
            if byte == 0x22 { sink.append(byte: 0x22) }
            sink.append(byte: byte)
        }
        if quoted { sink.append(byte: 0x22) }
    }
}

extension NormalizedRow {
    /// The columns of `urltriage normalize`, a stable contract (see README).
    public static let fields = ["line", "key", "platform", "type", "canonical", "error"]

    /// This row's values in the order of `fields`.
    public var values: [RecordWriter.Value] {
        [.number(line),
         classification.map { .text($0.key) } ?? .none,
         classification.map { .text($0.platform) } ?? .none,
         classification.map { .text($0.type) } ?? .none,
         classification.map { .text($0.canonical) } ?? .none,
         error.map { .text($0) } ?? .none]
    }
}

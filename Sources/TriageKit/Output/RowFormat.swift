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

    // MARK: - Records field by field

    private func begin() {
        if format == .jsonl { sink.append(byte: 0x7B) }
    }

    private func field(_ index: Int, _ value: Value) {
        switch format {
        case .tsv:
            if index > 0 { sink.append(byte: 0x09) }
            switch value {
            case .text(let text): appendTSV(text)
            case .number(let number): sink.append(String(number))
            case .none: break
            }
        case .csv:
            if index > 0 { sink.append(byte: 0x2C) }
            switch value {
            case .text(let text): appendCSV(text)
            case .number(let number): sink.append(String(number))
            case .none: break
            }
        case .jsonl:
            if index > 0 { sink.append(byte: 0x2C) }
            appendJSONString(fields[index])
            sink.append(byte: 0x3A)
            switch value {
            case .text(let text): appendJSONString(text)
            case .number(let number): sink.append(String(number))
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

    /// TSV has no quoting, so tabs and line breaks inside a field become spaces.
    private func appendTSV(_ text: String) {
        guard text.utf8.withContiguousStorageIfAvailable({ bytes in bytes.contains { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D } }) ?? true else {
            sink.append(text)
            return
        }
        for byte in text.utf8 {
            sink.append(byte: byte == 0x09 || byte == 0x0A || byte == 0x0D ? 0x20 : byte)
        }
    }

    private static func needsCSVQuotes(_ byte: UInt8) -> Bool {
        byte == 0x2C || byte == 0x22 || byte == 0x0A || byte == 0x0D
    }

    private func appendCSV(_ text: String) {
        let needsQuotes = text.utf8.contains(where: Self.needsCSVQuotes)
        guard needsQuotes else { sink.append(text); return }
        sink.append(byte: 0x22)
        for byte in text.utf8 {
            if byte == 0x22 { sink.append(byte: 0x22) }
            sink.append(byte: byte)
        }
        sink.append(byte: 0x22)
    }

    private func appendJSONString(_ text: String) {
        sink.append(byte: 0x22)
        guard text.utf8.withContiguousStorageIfAvailable({ bytes in bytes.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C } }) ?? true else {
            sink.append(text)
            sink.append(byte: 0x22)
            return
        }
        for byte in text.utf8 {
            switch byte {
            case 0x22: sink.append("\\\"")
            case 0x5C: sink.append("\\\\")
            case 0x0A: sink.append("\\n")
            case 0x0D: sink.append("\\r")
            case 0x09: sink.append("\\t")
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                sink.append("\\u00")
                sink.append(byte: hex[Int(byte >> 4)])
                sink.append(byte: hex[Int(byte & 0xF)])
            default: sink.append(byte: byte)
            }
        }
        sink.append(byte: 0x22)
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

import Foundation

/// A property that failed: libFuzzer keeps the input that got here as
/// `crash-*` when the process dies, so the message goes to standard error
/// first and the process then traps.
public func propertyFailed(_ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    FileHandle.standardError.write(Data("property failed at \(file):\(line): \(message())\n".utf8))
    fatalError("property failed")
}

/// Checks a property of the code under test; a failure ends the run with the input saved.
public func require(_ condition: Bool, _ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line) {
    if !condition { propertyFailed(message(), file: file, line: line) }
}

/// Quotes bytes for a failure message, escaping anything that is not printable ASCII.
public func quoted(_ bytes: some Sequence<UInt8>) -> String {
    var out = "\""
    for byte in bytes {
        switch byte {
        case 0x22: out += "\\\""
        case 0x5C: out += "\\\\"
        case 0x20..<0x7F: out.append(Character(Unicode.Scalar(byte)))
        default: out += String(format: "\\x%02X", byte)
        }
    }
    return out + "\""
}

/// Quotes a string for a failure message.
public func quoted(_ text: String) -> String { quoted(text.utf8) }

import Foundation

/// Messages for the person at the terminal, kept off standard output.
enum Stderr {
    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// Messages for the person at the terminal, kept off standard output.
enum Stderr {
    static func write(_ text: String) {
        fputs(text, stderr)
    }
}

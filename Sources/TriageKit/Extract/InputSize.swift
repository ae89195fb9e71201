#if canImport(Glibc)
import Glibc
#endif

/// The size of a report file, for sizing tables before reading it.
public enum InputSize {
    /// The size in bytes of the regular file at `path`; nil for standard
    /// input (`-`), pipes and anything that cannot be read.
    public static func of(_ path: String) -> Int? {
        guard path != "-" else { return nil }
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
        return Int(status.st_size)
    }
}

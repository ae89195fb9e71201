extension WebURLParser {
    /// The path state's first pass: where the path ends, how many of its bytes
    /// are percent-encoded, and whether its serialisation could differ from the
    /// input at all (a backslash, or a segment that may be a dot segment, that
    /// is one starting with `.` or `%`).
    struct PathScan: Equatable {
        var end: Int
        var encoded = 0
        var mayChange: Bool
        /// Where the segment being scanned starts.
        var segmentStart: Int

        init(start: Int, mayChange: Bool) {
            end = start
            self.mayChange = mayChange
            segmentStart = start
        }

        /// Scans the path from `start` sixteen bytes at a time while the bytes
        /// are letters, digits, `-`, `_`, `~`, `@`, `/`, `.` and `%` (nearly every
        /// reported path), and byte by byte through anything else.
        static func scan(_ s: UnsafeBufferPointer<UInt8>, from start: Int, mayChange: Bool) -> PathScan {
            typealias Lanes = ByteSearch.Lanes
            var scan = PathScan(start: start, mayChange: mayChange)
            guard start >= 1, let base = s.baseAddress else {
                _ = scan.bytes(s, upTo: s.count)
                return scan
            }
            let raw = UnsafeRawPointer(base)
            while scan.end + 16 <= s.count {
                let v = raw.loadUnaligned(fromByteOffset: scan.end, as: Lanes.self)
                let lower = v | Lanes(repeating: 0x20)
                let plain = ((lower &- Lanes(repeating: 0x61)) .< Lanes(repeating: 26))
                    .| ((v &- Lanes(repeating: 0x30)) .< Lanes(repeating: 10))
                    .| (v .== Lanes(repeating: UInt8(ascii: "-"))) .| (v .== Lanes(repeating: UInt8(ascii: "_")))
                    .| (v .== Lanes(repeating: UInt8(ascii: "~"))) .| (v .== Lanes(repeating: UInt8(ascii: "@")))
                let slash = v .== Lanes(repeating: UInt8(ascii: "/"))
                let dotOrPercent = (v .== Lanes(repeating: UInt8(ascii: "."))) .| (v .== Lanes(repeating: UInt8(ascii: "%")))
                guard ByteSearch.allLanes(plain .| slash .| dotOrPercent) else {
                    // Something to encode, a separator other than `/`, or the path's end: byte by byte.
                    if scan.bytes(s, upTo: scan.end + 16) { return scan }
                    continue
                }
                // A dot or percent sign right after a separator may start a dot segment.
                let previous = raw.loadUnaligned(fromByteOffset: scan.end - 1, as: Lanes.self)
                let afterSeparator = (previous .== Lanes(repeating: UInt8(ascii: "/")))
                    .| (previous .== Lanes(repeating: UInt8(ascii: "\\")))
                if ByteSearch.lastLane(dotOrPercent .& afterSeparator) != nil { scan.mayChange = true }
                if let last = ByteSearch.lastLane(slash) { scan.segmentStart = scan.end + last + 1 }
                scan.end += 16
            }
            _ = scan.bytes(s, upTo: s.count)
            return scan
        }

        /// Scans byte by byte up to `limit`; true when the path ended (at `?` or `#`).
        mutating func bytes(_ s: UnsafeBufferPointer<UInt8>, upTo limit: Int) -> Bool {
            while end < limit {
                let byte = s[end]
                if ByteSet.pathAttention.contains(byte) {
                    if byte == UInt8(ascii: "?") || byte == UInt8(ascii: "#") { return true }
                    if byte == UInt8(ascii: "/") || byte == UInt8(ascii: "\\") {
                        mayChange = mayChange || byte == UInt8(ascii: "\\")
                        segmentStart = end + 1
                    } else if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "%") {
                        mayChange = mayChange || end == segmentStart
                    } else {
                        encoded &+= 1
                    }
                }
                end += 1
            }
            return false
        }
    }
}

internal import CMemory

/// SHA-256 (FIPS 180-4), streaming, for naming a report file by its content.
///
/// The store keys reports on the file's digest so that the same file ingested
/// twice (under any name) adds nothing; staff can compare the digest shown by
/// `ingest` with `sha256sum`. Foundation on Linux has no digest, and a
/// dependency for one function is not worth it. Where the CPU has SHA instructions
/// (x86-64 SHA-NI) the blocks are folded by them, in CMemory: the Swift rounds cost
/// 70 instructions a byte, 1.6 s of CPU for a 220 MB batch before its ingest starts.
struct SHA256 {
    private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
    )
    /// Bytes of an incomplete block, waiting for more input.
    private var pending: [UInt8] = []
    /// Total bytes hashed so far.
    private(set) var byteCount = 0

    /// True when blocks go to the CPU's SHA instructions; tests turn it off to hold both ways to the same digests.
    private let hardware: Bool

    /// Whether this CPU has the SHA instructions, asked once.
    static let cpuHasSHA = urltriage_sha256_hardware() != 0

    init(hardware: Bool = SHA256.cpuHasSHA) {
        self.hardware = hardware
        pending.reserveCapacity(64)
    }

    // MARK: - Input

    /// Adds bytes to the message.
    mutating func update(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        byteCount += bytes.count
        var offset = 0
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { schedule in
            guard let w = schedule.baseAddress else { return }
            if !pending.isEmpty {
                let take = min(64 - pending.count, bytes.count)
                pending.append(contentsOf: UnsafeBufferPointer(start: base, count: take))
                offset = take
                guard pending.count == 64 else { return }
                pending.withUnsafeBufferPointer { block in
                    guard let start = block.baseAddress else { return }
                    if hardware { foldInHardware(start, blocks: 1) } else { compress(start, w) }
                }
                pending.removeAll(keepingCapacity: true)
            }
            let blocks = (bytes.count - offset) / 64
            if hardware, blocks > 0 {
                foldInHardware(base + offset, blocks: blocks)
                offset += blocks * 64
            }
            while bytes.count - offset >= 64 {
                compress(base + offset, w)
                offset += 64
            }
        }
        if offset < bytes.count {
            pending.append(contentsOf: UnsafeBufferPointer(start: base + offset, count: bytes.count - offset))
        }
    }

    /// Adds bytes to the message.
    mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { update($0) }
    }

    /// The digest of everything added so far, as 64 lower-case hex digits; the hash can go on.
    func hexDigest() -> String {
        var copy = self
        let bitLength = UInt64(byteCount) &* 8
        var padding: [UInt8] = [0x80]
        let used = (byteCount + 1) % 64
        padding += [UInt8](repeating: 0, count: used <= 56 ? 56 - used : 120 - used)
        for shift in stride(from: 56, through: 0, by: -8) { padding.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
        copy.update(padding)
        let words = [copy.state.0, copy.state.1, copy.state.2, copy.state.3,
                     copy.state.4, copy.state.5, copy.state.6, copy.state.7]
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for word in words {
            for shift in stride(from: 28, through: 0, by: -4) { text.append(digits[Int((word >> UInt32(shift)) & 0xF)]) }
        }
        return String(decoding: text, as: UTF8.self)
    }

    // MARK: - Compression

    /// The round constants, in memory that lives as long as the process (read in the hot loop
    /// without array bounds checks or reference counting).
    nonisolated(unsafe) private static let roundConstants: UnsafePointer<UInt32> = {
        let values: [UInt32] = [
            0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
            0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
            0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
            0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
            0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
            0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
            0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
            0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
        ]
        let pointer = UnsafeMutablePointer<UInt32>.allocate(capacity: values.count)
        pointer.initialize(from: values, count: values.count)
        return UnsafePointer(pointer)
    }()

    @inline(__always)
    private static func rotate(_ value: UInt32, _ count: UInt32) -> UInt32 {
        (value >> count) | (value << (32 - count))
    }

    /// Folds `blocks` 64-byte blocks into the state with the CPU's SHA instructions.
    private mutating func foldInHardware(_ data: UnsafePointer<UInt8>, blocks: Int) {
        var words: [UInt32] = [state.0, state.1, state.2, state.3, state.4, state.5, state.6, state.7]
        words.withUnsafeMutableBufferPointer { urltriage_sha256_blocks($0.baseAddress, data, blocks) }
        state = (words[0], words[1], words[2], words[3], words[4], words[5], words[6], words[7])
    }

    /// Folds one 64-byte block into the state; `w` is room for the 64-word message schedule.
    private mutating func compress(_ block: UnsafePointer<UInt8>, _ w: UnsafeMutablePointer<UInt32>) {
        for i in 0..<16 {
            let b = block + i * 4
            w[i] = UInt32(b[0]) << 24 | UInt32(b[1]) << 16 | UInt32(b[2]) << 8 | UInt32(b[3])
        }
        for i in 16..<64 {
            let s0 = Self.rotate(w[i - 15], 7) ^ Self.rotate(w[i - 15], 18) ^ (w[i - 15] >> 3)
            let s1 = Self.rotate(w[i - 2], 17) ^ Self.rotate(w[i - 2], 19) ^ (w[i - 2] >> 10)
            w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
        }
        let k = Self.roundConstants
        var (a, b, c, d, e, f, g, h) = state
        for i in 0..<64 {
            let s1 = Self.rotate(e, 6) ^ Self.rotate(e, 11) ^ Self.rotate(e, 25)
            let choice = (e & f) ^ (~e & g)
            let t1 = h &+ s1 &+ choice &+ k[i] &+ w[i]
            let s0 = Self.rotate(a, 2) ^ Self.rotate(a, 13) ^ Self.rotate(a, 22)
            let majority = (a & b) ^ (a & c) ^ (b & c)
            h = g
            g = f
            f = e
            e = d &+ t1
            d = c
            c = b
            b = a
            a = t1 &+ s0 &+ majority
        }
        state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d,
                 state.4 &+ e, state.5 &+ f, state.6 &+ g, state.7 &+ h)
    }
}

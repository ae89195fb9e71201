#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// A monotonic nanosecond clock read straight from the system, cheap enough
/// to wrap a single pattern attempt of a few hundred nanoseconds.
enum MonotonicClock {
    /// Nanoseconds since an arbitrary fixed point; only differences mean anything.
    @inline(__always)
    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
    }

    /// What reading the clock twice costs, so that reports can say how much
    /// of a tiny figure is the measuring itself (the median of many tries).
    static func overhead() -> UInt64 {
        var samples: [UInt64] = []
        samples.reserveCapacity(1_001)
        for _ in 0..<1_001 {
            let start = now()
            samples.append(now() &- start)
        }
        samples.sort()
        return samples[samples.count / 2]
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// Where a host's URLs go: its platform, where its folded form starts, and
/// the content rules to try there.
struct HostRoute {
    /// Index into `RuleSet.platforms`, or -1 for a host no rule file names.
    var platform: Int32
    /// Where the host starts once `www.`, `m.` … are folded away.
    var foldOffset: Int32
    /// Indices into the platform's `content`; memory owned by its `RuleRoutes`.
    var candidates: UnsafeBufferPointer<Int32>
    /// The redirect wrappers that live on this host (`RedirectWrappers.hostRules`).
    var wrappers: RedirectWrappers.RuleSet

    /// The route of a host no rule file names.
    static func unknown(wrappers: RedirectWrappers.RuleSet = .none) -> HostRoute {
        HostRoute(platform: -1, foldOffset: 0, candidates: UnsafeBufferPointer(start: nil, count: 0), wrappers: wrappers)
    }
}

/// The routes of the hosts seen last, remembered by a classifier.
///
/// A batch names few hosts (three quarters of a helpline's URLs are on
/// TikTok's handful), and finding a host's route takes three or four table
/// lookups (exact name, wildcard domains, folding, the rules per host). Here
/// a repeat costs one hash and one comparison. Direct-mapped: a new host
/// replaces whatever was in its slot. One per classifier, so one thread.
final class HostRouteCache {
    private static let slotCount = 256
    /// Longer hosts are looked up every time; they are rare.
    static let maxHostLength = 56

    private struct Slot {
        var hash: UInt64 = 0
        var length = -1
        var route = HostRoute.unknown()
    }

    private let slots: UnsafeMutablePointer<Slot>
    private let hosts: UnsafeMutablePointer<UInt8>

    init() {
        slots = .allocate(capacity: Self.slotCount)
        slots.initialize(repeating: Slot(), count: Self.slotCount)
        hosts = .allocate(capacity: Self.slotCount * Self.maxHostLength)
    }

    deinit {
        slots.deallocate()
        hosts.deallocate()
    }

    /// The route of `host`, from the cache or from `find` (and then remembered).
    @inline(__always)
    func route(for host: UnsafeBufferPointer<UInt8>, find: (UnsafeBufferPointer<UInt8>) -> HostRoute) -> HostRoute {
        guard host.count <= Self.maxHostLength, let base = host.baseAddress else { return find(host) }
        let hash = ByteTable<Void>.hash(host)
        let index = Int(truncatingIfNeeded: hash) & (Self.slotCount - 1)
        let stored = hosts + index * Self.maxHostLength
        if slots[index].hash == hash, slots[index].length == host.count, memcmp(stored, base, host.count) == 0 {
            return slots[index].route
        }
        let route = find(host)
        stored.update(from: base, count: host.count)
        slots[index] = Slot(hash: hash, length: host.count, route: route)
        return route
    }
}

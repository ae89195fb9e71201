/// One region's view of the items it has checked, for `stats` and the report when more
/// than one region checks: a removal seen from one region alone may be a geo-block.
public struct RegionTakedowns: Sendable, Equatable, Codable {
    public var region: String
    /// Items whose latest check from this region found them removed.
    public var removed: Int
    /// Of those, items another region's latest check found up: blocked here, not taken down.
    public var blocked: Int
    /// Items whose latest check from this region found them up (live or restricted).
    public var up: Int

    public init(region: String, removed: Int, blocked: Int, up: Int) {
        self.region = region
        self.removed = removed
        self.blocked = blocked
        self.up = up
    }

    /// Removed here and nowhere up: taken down as far as this region can tell.
    public var takenDown: Int { removed - blocked }

    /// The lines `stats` and the report's text show, one per region.
    public static func lines(_ regions: [RegionTakedowns]) -> [String] {
        let width = regions.map(\.region.count).max() ?? 0
        return ["takedowns by region (each region's latest check of each item):"] + regions.map { region in
            "  \(region.region.padding(toLength: width, withPad: " ", startingAt: 0))  removed \(region.takenDown), "
                + "blocked in \(region.region) \(region.blocked) (up in another region), up \(region.up)"
        }
    }
}

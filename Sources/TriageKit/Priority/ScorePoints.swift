/// The parts a priority score is made of, in the order its reasons are shown.
public enum ScorePart: Int, Sendable, CaseIterable {
    case category, reports, verdict, age, overdue, contentType

    /// The name tools read in a reason's `part`.
    public var name: String {
        switch self {
        case .category: "category"
        case .reports: "reports"
        case .verdict: "verdict"
        case .age: "age"
        case .overdue: "overdue"
        case .contentType: "content_type"
        }
    }
}

/// Whole points for each part of an item's score, without the words that explain them:
/// a list scores every open item to order them, and writes words only for the rows it shows.
public struct ScorePoints: Sendable, Equatable {
    private var category = 0, reports = 0, verdict = 0, age = 0, overdue = 0, contentType = 0

    public init() {}

    /// The points of `part`; 0 when the part adds nothing, so it is not among the reasons.
    public subscript(part: ScorePart) -> Int {
        get {
            switch part {
            case .category: category
            case .reports: reports
            case .verdict: verdict
            case .age: age
            case .overdue: overdue
            case .contentType: contentType
            }
        }
        set {
            switch part {
            case .category: category = newValue
            case .reports: reports = newValue
            case .verdict: verdict = newValue
            case .age: age = newValue
            case .overdue: overdue = newValue
            case .contentType: contentType = newValue
            }
        }
    }

    /// The score: the sum of the parts.
    public var total: Int { category + reports + verdict + age + overdue + contentType }
}

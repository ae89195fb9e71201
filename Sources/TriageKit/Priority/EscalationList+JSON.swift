import Foundation

extension EscalationList {
    /// One JSON document: platforms with their route and rows, the items that need a
    /// person, and what was left out. Times are ISO 8601 UTC.
    func json() -> String {
        let document = Document(
            generatedAt: StoreTime.iso(generatedAt),
            platforms: platforms.map { platform in
                .init(platform: platform.platform, name: platform.name,
                      route: platform.route.map { .init(channel: $0.channel, url: $0.url, responseHours: $0.responseHours) },
                      items: platform.rows.map(Document.Item.init), omitted: platform.omitted)
            },
            needsPerson: needsPerson.map(Document.Item.init), needsPersonOmitted: needsPersonOmitted,
            notChecked: context.notChecked, awaitingResponse: context.awaitingResponse)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        // Encoding plain strings and numbers cannot fail.
        let data = (try? encoder.encode(document)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// The JSON shape, kept apart from the engine's types so that it changes only on purpose.
    struct Document: Encodable {
        struct Route: Encodable {
            var channel: String
            var url: String?
            var responseHours: Int?
        }
        struct Reason: Encodable {
            var part: String
            var points: Int
            var words: String
        }
        struct Item: Encodable {
            var key: String
            var platform: String
            var url: String
            var type: String
            var category: String
            var categoryName: String
            var categoryBecause: String
            var firstReportedAt: String
            var reports: Int
            var reporters: Int
            var verdict: String?
            var checkedAt: String?
            var checkReason: String?
            var escalations: Int
            var lastEscalatedAt: String?
            var responseDueAt: String?
            var score: Int
            var reasons: [Reason]

            init(_ row: Row) {
                let item = row.item
                key = item.key
                platform = item.platform
                url = item.canonicalURL
                type = item.type
                category = item.category.category
                categoryName = row.categoryName
                categoryBecause = item.category.because
                firstReportedAt = StoreTime.iso(item.firstReportedAt)
                reports = item.reportCount
                reporters = item.reporterCount
                verdict = item.verdict?.rawValue
                checkedAt = item.checkedAt.map(StoreTime.iso)
                checkReason = item.checkReason
                escalations = item.escalationCount
                lastEscalatedAt = item.lastEscalatedAt.map(StoreTime.iso)
                responseDueAt = item.responseDueAt.map(StoreTime.iso)
                score = row.score.total
                reasons = row.score.reasons.map { Reason(part: $0.part, points: $0.points, words: $0.words) }
            }
        }
        struct Platform: Encodable {
            var platform: String
            var name: String
            var route: Route?
            var items: [Item]
            var omitted: Int
        }
        var generatedAt: String
        var platforms: [Platform]
        var needsPerson: [Item]
        var needsPersonOmitted: Int
        var notChecked: Int
        var awaitingResponse: Int
    }
}

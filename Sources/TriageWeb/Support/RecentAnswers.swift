import Foundation
import TriageKit

/// Answers that cost a pass over the store (the escalation list, a count of matching
/// cases), kept for a few seconds and shared by the requests that ask at once: fifty
/// staff opening the escalate page make one list, not fifty. Any change made through the
/// app forgets them at once; a change made from a terminal shows within `seconds`.
actor RecentAnswers {
    private struct Entry<Value: Sendable> {
        var task: Task<Value, any Error>
        var madeAt: Double
        var generation: Int
    }

    let seconds: Double
    private var generation = 0
    private var lists: [String: Entry<EscalationList>] = [:]
    private var counts: [String: Entry<Int>] = [:]

    init(seconds: Double = 5) {
        self.seconds = seconds
    }

    /// Something changed through the app: every answer is made again when next asked for.
    func changed() {
        generation += 1
        lists = [:]
        counts = [:]
    }

    func list(_ key: String, build: @escaping @Sendable () async throws -> EscalationList) async throws -> EscalationList {
        let now = Date().timeIntervalSince1970
        if let entry = lists[key], entry.generation == generation, now - entry.madeAt < seconds {
            return try await entry.task.value
        }
        let task = Task { try await build() }
        lists[key] = Entry(task: task, madeAt: now, generation: generation)
        do {
            return try await task.value
        } catch {
            lists[key] = nil
            throw error
        }
    }

    func count(_ key: String, build: @escaping @Sendable () async throws -> Int) async throws -> Int {
        let now = Date().timeIntervalSince1970
        if let entry = counts[key], entry.generation == generation, now - entry.madeAt < seconds {
            return try await entry.task.value
        }
        let task = Task { try await build() }
        counts[key] = Entry(task: task, madeAt: now, generation: generation)
        do {
            return try await task.value
        } catch {
            counts[key] = nil
            throw error
        }
    }
}

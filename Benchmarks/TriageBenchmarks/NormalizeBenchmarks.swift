import Benchmark
import Foundation
import TriageKit

// Run with: URLTRIAGE_BENCHMARKS=1 swift package benchmark --target TriageBenchmarks
// Instruction and allocation counts are stable on a shared machine; wall
// time is reported beside them but only the script in Benchmarks/normalize
// compares against the Python peers.

/// Report lines in the helpline's shapes, made in code so the benchmark needs no data files.
private let sampleLines: [String] = {
    let shapes = [
        "Reported by parent: https://www.tiktok.com/@user.%d/video/72345678901234%05d?is_from_webapp=1&sender_device=pc fake account",
        "https://m.tiktok.com/@User.%d/video/72345678901234%05d/?_r=1&_t=8kQz",
        "see <https://www.tiktok.com/embed/v2/72345678901234%2$05d>",
        "hxxps://www[.]tiktok[.]com/@user.%d/video/72345678901234%05d",
        "https://www.instagram.com/p/C1aB%dD%05d/?igsh=abc",
        "https://youtu.be/Ab3dE%dh%05d?si=x",
        "https://www.example.org/news?id=%d&page=%d&utm_source=mail",
    ]
    return (0..<10_000).map { index in
        String(format: shapes[index % shapes.count], index % 97, index % 1_000)
    }
}()

private func loadRules() -> RuleSet {
    let path = RulesDirectory.locate(explicit: nil) ?? "rules"
    do {
        return try RuleSet.load(from: path)
    } catch {
        fatalError("rules do not load: \(error)")
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .instructions, .mallocCountTotal, .peakMemoryResident],
        maxDuration: .seconds(5))

    Benchmark("normalize 10k report lines", configuration: .init(scalingFactor: .kilo)) { benchmark in
        let normalizer = BatchNormalizer(rules: loadRules())
        var classified = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            for (number, line) in sampleLines.enumerated() {
                normalizer.process(line: number + 1, text: line) { row in
                    if row.classification != nil { classified += 1 }
                }
            }
        }
        benchmark.stopMeasurement()
        blackHole(classified)
    }

    Benchmark("WHATWG parse of a TikTok URL", configuration: .init(scalingFactor: .kilo)) { benchmark in
        let text = "https://www.tiktok.com/@some.user/video/7234567890123456789?is_from_webapp=1&sender_device=pc"
        for _ in benchmark.scaledIterations {
            blackHole(try? WebURL.parse(text))
        }
    }
}

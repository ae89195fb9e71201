import ArgumentParser
import Foundation
import TriageKit

/// `urltriage rules categorize [FILE]`: the harm category of each note, for rule authors.
struct RulesCategorizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "categorize",
        abstract: "Give the harm category of each line of notes, with the reason, as the escalation list would.",
        discussion: """
            Reads one note a line from FILE (or standard input) and prints the category and its \
            reason (every category found, and the words that overruled a match). With --expected, \
            each line is 'expected<TAB>note' and the output is the accuracy per category, the \
            confusion matrix and the notes decided otherwise. --summary prints only how many \
            notes each category took. Exit status: 0 done, 2 the categories do not load.
            """
    )

    @Argument(help: "A file of notes, one a line ('-' or nothing for standard input).")
    var file: String?

    @Flag(help: "Lines are 'expected<TAB>note': print accuracy per category and the confusion matrix.")
    var expected = false

    @Flag(help: "Print only how many notes each category took, and the time taken.")
    var summary = false

    @OptionGroup var rules: RulesOption

    func run() throws {
        guard let directory = RulesDirectory.locate(explicit: rules.rules) else {
            CLIError.exit("no rules directory found: pass --rules DIR or set \(RulesDirectory.environmentVariable)")
        }
        let categories: HarmCategories
        do {
            categories = try HarmCategories.load(from: (directory as NSString).appendingPathComponent(HarmCategories.fileName))
        } catch {
            CLIError.exit("\(error)")
        }
        let data: Data
        if let file, file != "-" {
            guard let read = FileManager.default.contents(atPath: file) else { CLIError.exit("\(file): cannot read it") }
            data = read
        } else {
            data = FileHandle.standardInput.readDataToEndOfFile()
        }
        if expected {
            let evaluation = CategoryEvaluation(tsv: String(decoding: data, as: UTF8.self), categories: categories)
            var text = evaluation.markdown
            if !evaluation.misses.isEmpty {
                text += "\nDecided otherwise:\n\n"
                for miss in evaluation.misses {
                    text += "line \(miss.line): expected \(miss.expected), got \(miss.actual): \(Self.oneLine(miss.note)) (\(miss.because))\n"
                }
            }
            print(text, terminator: "")
            return
        }
        let categorizer = ItemCategorizer(categories: categories)
        let output = OutputSink.standardOutput()
        // Counted by rank (the category's place in the file): no string hashed a note.
        var counts = [Int](repeating: 0, count: categories.categories.count)
        var lines = 0
        let started = DispatchTime.now().uptimeNanoseconds
        let startedCPU = Self.threadCPU()
        data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var start = 0
            while start < bytes.count {
                let end = memchr(bytes.baseAddress! + start, 0x0A, bytes.count - start)
                    .map { UnsafeRawPointer($0) - UnsafeRawPointer(bytes.baseAddress!) } ?? bytes.count
                let note = UnsafeBufferPointer(rebasing: bytes[start..<end])
                start = end + 1
                let decision = categorizer.decide(category: nil, notes: note)
                lines += 1
                if summary {
                    counts[decision.rank] += 1
                } else {
                    output.write("\(decision.category)\t\(Self.oneLine(decision.because))\n")
                }
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let cpu = Self.threadCPU() - startedCPU
        if summary {
            for (rank, category) in categories.categories.enumerated() where counts[rank] > 0 {
                output.write("\(category.id)\t\(counts[rank])\n")
            }
            // CPU time is what one core spent; wall time also counts waiting for a shared machine.
            output.write("\(lines) notes in \(String(format: "%.3f", cpu)) s of CPU (\(String(format: "%.3f", seconds)) s wall)\n")
        }
        output.flush()
    }

    /// This thread's CPU time in seconds.
    static func threadCPU() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// Reporter text on one line, without control characters.
    static func oneLine(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : Character($0) })
    }
}

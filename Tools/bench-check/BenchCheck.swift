import Foundation
import GMQCore

#if canImport(Glibc)
import Glibc
#endif

/// Measures the substantive check: checks per second on one core over mixed corpus texts, and whether the heap
/// grows across a million checks. Run in release: `swift run -c release gmq-bench-check [FILE.jsonl ...]`.
@main
struct BenchCheck {
    static func main() throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let files = arguments.isEmpty
            ? ["Tests/GMQCoreTests/Corpus/substantive.jsonl", "../shared/corpus/substantive-dev.jsonl"] : arguments
        var texts: [String] = []
        for file in files {
            guard let content = try? String(contentsOfFile: file, encoding: .utf8) else { continue }
            for line in content.split(separator: "\n") {
                if let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                    let text = object["text"] as? String
                {
                    texts.append(text)
                }
            }
        }
        guard !texts.isEmpty else {
            FileHandle.standardError.write(Data("no corpus texts found in \(files)\n".utf8))
            exit(1)
        }
        // Long texts too: each request followed by others up to 500 characters, the upper bound.
        let long = texts.enumerated().map { offset, text -> String in
            var result = text
            var length = text.count
            var index = offset
            while length < 450 {
                index += 7
                let next = texts[index % texts.count]
                result += ". " + next
                length += 2 + next.count
            }
            return String(result.prefix(500))
        }
        // GMQ_BENCH_SCALE=100 divides the iterations, for profilers such as callgrind.
        let scale = Int(ProcessInfo.processInfo.environment["GMQ_BENCH_SCALE"] ?? "") ?? 1
        let check = SubstantiveCheck()
        var sink = 0
        for text in texts + long { sink &+= check.evaluate(text).score }  // warm-up: lexicon loaded, tables built

        func measure(
            _ label: String, _ set: [String], iterations: Int,
            _ work: (String) -> Int = { check.evaluate($0).score }
        ) -> Double {
            let clock = ContinuousClock()
            let start = clock.now
            for i in 0..<iterations { sink &+= work(set[i % set.count]) }
            let elapsed = clock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let rate = Double(iterations) / seconds
            let averageLength = set.map(\.count).reduce(0, +) / set.count
            print("\(label): \(Int(rate)) checks/s (\(iterations) checks, average \(averageLength) characters)")
            return rate
        }

        let before = Self.heapInUse()
        let corpusRate = measure("corpus texts", texts, iterations: 1_000_000 / scale)
        let after = Self.heapInUse()
        let longRate = measure("texts of 450-500 characters", long, iterations: 200_000 / scale)
        // A category with a form (issue 12 §5): the bug form's elements are read as well.
        let formRate = measure("corpus texts as bug reports (form read)", texts, iterations: 1_000_000 / scale) {
            check.evaluate($0, category: "bug").score
        }
        // What an accepted request costs besides the check: its content words, for the duplicate comparison.
        let wordsRate = measure("content words of corpus texts", texts, iterations: 1_000_000 / scale) {
            check.contentWords(of: $0).fingerprint.count
        }
        // What a submission costs: the check and its content words in one pass (`readingContentWords`).
        let submissionRate = measure(
            "bug reports as submitted (check and content words)", texts, iterations: 1_000_000 / scale
        ) {
            guard case .accepted(let acceptance) = check.evaluate($0, category: "bug", readingContentWords: true) else {
                return 0
            }
            return acceptance.words?.count ?? 0
        }
        print("resident memory: \(before) bytes before 1,000,000 checks, \(after) after (growth \(after - before))")
        print("checks_per_second_corpus=\(Int(corpusRate)) checks_per_second_500=\(Int(longRate)) "
            + "content_words_per_second=\(Int(wordsRate)) checks_per_second_bug_form=\(Int(formRate)) "
            + "submissions_per_second=\(Int(submissionRate)) sink=\(sink % 10)")
    }

    /// Resident memory from /proc/self/statm (Swift's Glibc module does not export mallinfo2), in bytes.
    static func heapInUse() -> Int {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = statm.split(separator: " ")
        return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) : 0
    }
}

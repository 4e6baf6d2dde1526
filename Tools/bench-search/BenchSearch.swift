import Foundation
import GMQClient
import GMQCore
import GMQStore
import Synchronization

/// Measures `gmq search` (issue 13 §1) on a large history: fills a SQLite store through `TicketStore.submit` (the
/// real write path, FTS5 trigger included) with TICKETS varied requests (`SampleRequests`: six names unique to each,
/// a thing, an event and one of eight places), then times the first page (20 tickets) of searches from rare to
/// common words, each run 20 times. Run in release:
/// `swift run -c release gmq-bench-search [TICKETS] [DATABASE]` (an existing DATABASE is reused as it is).
@main
struct BenchSearch {
    static func main() async throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let tickets = arguments.first.flatMap { Int($0) } ?? 1_000_000
        let path = arguments.dropFirst().first
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("gmq-bench-search-\(tickets).sqlite").path
        let existed = FileManager.default.fileExists(atPath: path)
        let store = try SQLiteTicketStore.open(path: path)
        if !existed {
            let categories = try await store.categories().map(\.id)
            let next = SampleRequests.Counter()
            let start = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for submitter in 0..<256 {
                    group.addTask {
                        let policy = SubmitPolicy(openLimit: .max) { _, _ in false }
                        while let n = next.take(below: tickets) {
                            let player = Actor(id: Int64(n % 50_000 + 1), name: "Player\(n % 50_000 + 1)", role: .player)
                            _ = try await store.submit(
                                Submission(player: player, category: categories[n % categories.count],
                                    text: SampleRequests.text(n), context: GameContext(characterName: "Char\(n % 50_000)")),
                                policy: policy, at: Date(timeIntervalSince1970: 1_790_000_000 + Double(n)))
                        }
                        _ = submitter
                    }
                }
                try await group.waitForAll()
            }
            let seconds = (ContinuousClock.now - start) / .seconds(1)
            print("filled \(tickets) tickets in \(String(format: "%.0f", seconds)) s (\(Int(Double(tickets) / seconds))/s)")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        print("database: \(path), \(size / 1_048_576) MiB")

        // A name unique to one ticket, words in about 1 of 56 tickets, and a place in 1 of 8.
        // Request n's first name is spelled from n's digits (SampleRequests): the word after "from".
        let words = SampleRequests.text(tickets / 2).split(separator: " ")
        let rare = words[words.firstIndex(of: "from")! + 1]
        let categories = try await store.categories().map(\.id)
        let queries: [(label: String, query: SearchQuery)] = [
            ("a name (few tickets)", SearchQuery(text: String(rare))),
            ("two common words (1 in 56)", SearchQuery(text: "tanaris mount")),
            ("a place (1 in 8)", SearchQuery(text: "ironforge")),
            // Ironforge is request n's place when n % 8 == 0: categories[n % 6] and player n % 50,000 + 1 then hold it.
            ("a place in one category", SearchQuery(text: "ironforge", categories: [categories[2]])),
            ("a place, one player", SearchQuery(text: "ironforge", playerID: 4_241)),
        ]
        var worst = 0.0
        for (label, query) in queries {
            var times: [Double] = []
            var found = 0
            for _ in 0..<20 {
                let start = ContinuousClock.now
                found = try await store.search(query, view: .staff).count
                times.append((ContinuousClock.now - start) / .milliseconds(1))
            }
            times.sort()
            worst = max(worst, times[10])
            print(String(format: "%-32@ first page %3d tickets: median %7.2f ms, max %7.2f ms", label as NSString, found, times[10], times[19]))
        }
        print(String(format: "search_tickets=%d search_first_page_worst_median_ms=%.2f", tickets, worst))
    }
}

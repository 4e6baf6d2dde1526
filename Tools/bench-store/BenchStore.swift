import Foundation
import GMQClient
import GMQCore
import GMQStore
import GRDB
import Synchronization

/// Measures the store's writer alone, without the network: `--submitters` tasks each keep one submission in
/// flight through `TicketStore.submit` (group commit, WAL, synchronous=FULL) on a fresh database, as gmqd's sessions
/// do, with the duplicate check of the live server. Prints submissions per second and batch sizes; `Tools/bench/run`
/// measures the whole server. Run in release: `swift run -c release gmq-bench-store [TICKETS] [SUBMITTERS]`.
@main
struct BenchStore {
    static func main() async throws {
        let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
        let tickets = arguments.first ?? 100_000
        let submitters = arguments.dropFirst().first ?? 256
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gmq-bench-store-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("gmq.sqlite").path
        let store = try SQLiteTicketStore.open(path: path)
        // GMQ_BENCH_NO_SEARCH_INDEX=1: without the search index, to see what indexing each event costs (the writer
        // indexes each batch's events newer than search_state's: a huge number leaves none newer).
        if ProcessInfo.processInfo.environment["GMQ_BENCH_NO_SEARCH_INDEX"] == "1" {
            try await DatabaseQueue(path: path).write {
                try $0.execute(sql: "UPDATE search_state SET indexed = 9223372036854775000")
            }
            print("search index: off")
        }
        // GMQ_BENCH_DROP=name,name: without these indexes or triggers, to see what each costs the writer
        // (`Tools/bench/schema-cost`); a dropped trigger leaves its counter wrong, which this benchmark never reads.
        let drops = (ProcessInfo.processInfo.environment["GMQ_BENCH_DROP"] ?? "").split(separator: ",").map(String.init)
        if !drops.isEmpty {
            try await DatabaseQueue(path: path).write { db in
                for name in drops {
                    guard let type = try String.fetchOne(
                        db, sql: "SELECT type FROM sqlite_master WHERE name = ? AND type IN ('index', 'trigger')",
                        arguments: [name])
                    else { throw DatabaseError(message: "no index or trigger named \(name)") }
                    try db.execute(sql: "DROP \(type.uppercased()) \(name)")
                }
            }
            print("dropped: \(drops.joined(separator: ", "))")
        }
        let check = SubstantiveCheck()
        let categories = try await store.categories().map(\.id)
        // Texts and fingerprints are prepared up front: the sessions compute them outside the writer.
        let requests = (0..<tickets).map { n in
            let text = SampleRequests.text(n)
            return (text: text, words: check.contentWords(of: text))
        }
        let next = SampleRequests.Counter()
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for submitter in 0..<submitters {
                group.addTask {
                    let player = Actor(id: Int64(submitter + 1), name: "Player\(submitter + 1)", role: .player)
                    while let n = next.take(below: tickets) {
                        let words = requests[n].words
                        let policy = SubmitPolicy(openLimit: .max, comparing: words, with: check)
                        _ = try await store.submit(
                            Submission(
                                player: player, category: categories[n % categories.count], text: requests[n].text,
                                context: GameContext(realm: "Bench", characterID: 1, characterName: "Bench"),
                                fingerprint: words.fingerprint),
                            policy: policy, at: Date())
                    }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = start.duration(to: .now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let statistics = store.commitStatistics
        print(String(
            format: "store_submits_per_second=%.0f tickets=%d submitters=%d seconds=%.2f transactions=%d largest_batch=%d",
            Double(tickets) / seconds, tickets, submitters, seconds, statistics.transactions, statistics.largestBatch))
    }
}

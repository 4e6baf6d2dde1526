import Foundation
import GMQCore
@testable import GMQStore
import GRDB
import Testing

/// SQLite's search index is filled by the writer once `searchBatch` events wait, and by a search before it reads:
/// commits do not pay for a segment each, and no search misses a committed event.
@Suite struct SearchIndexTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func theWriterIndexesEventsInBatchesAndASearchIndexesWhatWaitsFirst() async throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("gmq-index-\(UUID().uuidString).sqlite")
        defer { try? FileManager.default.removeItem(at: path) }
        let store = try SQLiteTicketStore(
            writer: DatabasePool(path: path.path, configuration: SQLiteTicketStore.configuration))
        func submit(_ n: Int, _ text: String = "Quest item vanished from the bags after the patch") async throws {
            // Each its own player: no request is a repeat of another.
            _ = try await store.submit(
                Submission(player: Actor(id: Int64(n), name: "Player\(n)", role: .player), category: "bug",
                    text: text, context: GameContext()),
                at: Self.now)
        }
        func indexed() async throws -> Int64 {
            try await store.writer.read { try Int64.fetchOne($0, sql: "SELECT indexed FROM search_state") ?? -1 }
        }
        for n in 1...10 { try await submit(n) }
        #expect(try await indexed() == 0, "ten events wait for a batch of \(SQLiteTicketStore.searchBatch)")
        #expect(try await store.search(SearchQuery(text: "vanished"), view: .staff).count == 10)
        #expect(try await indexed() == 10, "the search indexed what waited")
        let more = Int(SQLiteTicketStore.searchBatch) + 44
        for n in 11..<(11 + more) { try await submit(n) }
        #expect(
            try await indexed() == 10 + SQLiteTicketStore.searchBatch,
            "the commit that made a batch indexed it; the 44 after it wait")
        try await submit(11 + more, "The zeppelin to Orgrimmar never lands")
        #expect(try await store.search(SearchQuery(text: "zeppelin"), view: .staff).count == 1)
        #expect(try await indexed() == Int64(11 + more))
    }
}

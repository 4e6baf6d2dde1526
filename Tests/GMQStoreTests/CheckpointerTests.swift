import Foundation
import GMQCore
@testable import GMQStore
import GRDB
import Testing

@Suite struct CheckpointerTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// A store as `TicketStore.open` makes it, with a log that restarts after `restartFrames` pages.
    static func store(restartFrames: Int) throws -> (SQLiteTicketStore, Checkpointer, String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gmq-ckpt-\(UUID().uuidString).sqlite").path
        let store = try SQLiteTicketStore(
            writer: DatabasePool(path: path, configuration: SQLiteTicketStore.configuration), serviceLevels: .standard, replyLimits: .standard,
            maximumQueuedWrites: 20_000, restartFrames: restartFrames)
        return (store, try #require(store.checkpointer), path)
    }

    @Test func theLogRestartsAndStaysBoundedWhileWritesKeepComing() async throws {
        let (store, checkpointer, path) = try Self.store(restartFrames: 64)
        // Each submitter measures the log after each of its writes; the largest of all is what the log reached.
        let largestLog = try await withThrowingTaskGroup(of: Int.self) { group in
            for submitter in 0..<32 {
                group.addTask {
                    var largest = 0
                    for n in 0..<60 {
                        let number = submitter * 1_000 + n
                        _ = try await store.submit(
                            .init(
                                player: Actor(id: Int64(number), name: "Player\(number)", role: .player),
                                category: "bug", text: "Quest \(number) cannot be turned in at the Ironforge bank",
                                context: GameContext()),
                            at: Self.now)
                        let attributes = try? FileManager.default.attributesOfItem(atPath: path + "-wal")
                        let size = (attributes?[.size] as? Int) ?? 0
                        largest = max(largest, size)
                    }
                    return largest
                }
            }
            return try await group.reduce(0, max)
        }
        let statistics = checkpointer.statistics
        print("checkpointer: \(statistics), largest log \(largestLog)")
        #expect(statistics.restarts > 0, "the writer completed no checkpoint: \(statistics)")
        #expect(statistics.checkpoints > 0)
        // Without restarts the log holds every page written: 1,920 tickets and their events, several MB.
        let bound = 4 * 1_024 * 1_024
        #expect(largestLog < bound, "the log grew to \(largestLog) bytes")
        // Everything committed is in the database, intact, as a separate connection reads it.
        let reader = try DatabaseQueue(path: path)
        let (count, integrity) = try await reader.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM tickets"), try String.fetchOne(db, sql: "PRAGMA integrity_check"))
        }
        #expect(count == 1_920)
        #expect(integrity == "ok")
    }
}

import Foundation
import GMQCore
@testable import GMQStore
import GRDB
import Testing

@Suite struct GroupCommitTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func store(maximumQueuedWrites: Int = 20_000) throws -> (SQLiteTicketStore, String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gmq-group-\(UUID().uuidString).sqlite").path
        var configuration = Configuration()
        configuration.prepareDatabase { try $0.execute(sql: "PRAGMA synchronous = FULL") }
        return (try SQLiteTicketStore(writer: try DatabasePool(path: path, configuration: configuration),
            maximumQueuedWrites: maximumQueuedWrites), path)
    }

    static func submission(_ n: Int) -> Submission {
        .init(player: Actor(id: Int64(n), name: "Player\(n)", role: .player), category: "bug",
            text: "Quest \(n) cannot be turned in", context: GameContext())
    }

    @Test func concurrentWritesShareTransactionsAndAllCommit() async throws {
        let (store, path) = try Self.store()
        let ids = try await withThrowingTaskGroup(of: Int64.self) { group in
            for n in 1...500 {
                group.addTask {
                    guard case .created(let ticket, _) = try await store.submit(Self.submission(n), at: Self.now) else {
                        throw Failure()
                    }
                    return ticket.id
                }
            }
            var ids: [Int64] = []
            for try await id in group { ids.append(id) }
            return ids
        }
        #expect(Set(ids).count == 500)
        let statistics = store.commitStatistics
        print("group commit: 500 concurrent writes in \(statistics.transactions) transactions, largest batch \(statistics.largestBatch)")
        #expect(statistics.writes == 500)
        #expect(statistics.transactions < 500, "500 concurrent writes took \(statistics.transactions) transactions")
        #expect(statistics.largestBatch > 1)
        // Everything acknowledged is in the file, seen by a separate connection.
        let count = try await DatabaseQueue(path: path).read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM tickets") }
        #expect(count == 500)
    }

    /// In a savepoint the failed write rolls back alone; without one its transaction rolls back and runs again.
    @Test(arguments: [true, false])
    func aWriteThatFailsAfterWritingLeavesNothingWhileItsBatchCommits(inSavepoint: Bool) async throws {
        let (store, _) = try Self.store()
        let succeeded = await withTaskGroup(of: Bool.self) { group in
            for n in 0..<60 {
                group.addTask {
                    let written = try? await store.committer.write(inSavepoint: inSavepoint) { db -> Bool in
                        try db.execute(sql: "INSERT INTO categories (id, title) VALUES (?, 'Test')", arguments: ["c\(n)"])
                        if n % 3 == 0 { throw Failure() }
                        return true
                    }
                    return written ?? false
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(succeeded == 40)
        let stored = try await store.categories().map(\.id).filter { $0.hasPrefix("c") }
        #expect(Set(stored) == Set((0..<60).filter { $0 % 3 != 0 }.map { "c\($0)" }))
        #expect(store.commitStatistics.writes == 60)
        #expect(store.commitStatistics.transactions < 60, "the writes were group committed")
    }

    @Test func aSubmissionToAnUnknownCategoryFailsAloneInsideItsBatch() async throws {
        let (store, _) = try Self.store()
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for n in 1...40 {
                group.addTask {
                    var submission = Self.submission(n)
                    if n % 4 == 0 { submission.category = "no_such_category" }
                    return (try? await store.submit(submission, at: Self.now)) != nil
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 30)
        #expect(try await store.queue(categories: nil, states: [.open], limit: 100).count == 30)
        #expect(store.commitStatistics.transactions < 40)
    }

    @Test func aRefusedWriteRollsBackAloneInsideItsBatch() async throws {
        let (store, _) = try Self.store()
        guard case .created(let ticket, _) = try await store.submit(Self.submission(1), at: Self.now) else { throw Failure() }
        let gms = (1...20).map { Actor(id: Int64($0), name: "GM\($0)", role: .gm) }
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for gm in gms {
                group.addTask { (try? await store.apply(.claim, to: ticket.id, as: Access(actor: gm), text: "", at: Self.now)) != nil }
            }
            for n in 2...21 {
                group.addTask { (try? await store.submit(Self.submission(n), at: Self.now)) != nil }
            }
            var outcomes: [Bool] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        #expect(outcomes.filter { $0 }.count == 21, "one claim and 20 submissions succeed")
        #expect(try await store.history(of: ticket.id).filter { $0.kind == .claimed }.count == 1)
        #expect(try await store.queue(categories: nil, states: [.open], limit: 100).count == 20)
    }

    @Test func pastTheQueueLimitWritesAreRefusedAsBusyAndNothingOfThemIsStored() async throws {
        let (store, path) = try Self.store(maximumQueuedWrites: 4)
        let results = await withTaskGroup(of: Result<Int64, any Error>.self) { group in
            for n in 1...300 {
                group.addTask {
                    do {
                        guard case .created(let ticket, _) = try await store.submit(Self.submission(n), at: Self.now) else {
                            return .failure(Failure())
                        }
                        return .success(ticket.id)
                    } catch {
                        return .failure(error)
                    }
                }
            }
            var results: [Result<Int64, any Error>] = []
            for await result in group { results.append(result) }
            return results
        }
        let stored = results.compactMap { try? $0.get() }
        let busy = results.filter {
            if case .failure(StoreError.busy(let delay)) = $0 { return delay > 0 }
            return false
        }
        #expect(stored.count + busy.count == 300)
        #expect(!busy.isEmpty, "300 writes at once against a queue of 4")
        let count = try await DatabaseQueue(path: path).read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM tickets") }
        #expect(count == stored.count)
    }

    struct Failure: Error {}
}

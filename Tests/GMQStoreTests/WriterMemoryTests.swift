import Foundation
import GMQCore
@testable import GMQStore
import GRDB
import Synchronization
import Testing

/// The writer remembers the chain's head and the fingerprints it stored; what it remembers must follow the
/// transactions exactly, or the chain breaks and the duplicate check compares with tickets that never were.
@Suite struct WriterMemoryTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let player = Actor(id: 42, name: "Thrall", role: .player)
    static let gm = Actor(id: 1, name: "Mirna", role: .gm)

    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("gmq-memory-\(UUID().uuidString).sqlite").path

    func submit(_ store: SQLiteTicketStore, _ text: String, fingerprint: Data? = nil) async throws -> Ticket {
        let outcome = try await store.submit(
            .init(player: Self.player, category: "bug", text: text, context: GameContext(), fingerprint: fingerprint),
            at: Self.now)
        guard case .created(let ticket, _) = outcome else { throw Failure() }
        return ticket
    }

    struct Failure: Error {}

    /// Two stores on one file take turns: each waits for the other's locks instead of failing at once.
    func open() throws -> SQLiteTicketStore {
        var configuration = SQLiteTicketStore.configuration
        configuration.busyMode = .timeout(10)
        return try SQLiteTicketStore(writer: DatabasePool(path: self.path, configuration: configuration))
    }

    func event(_ ticket: Ticket, seq: Int64) -> TicketEvent {
        TicketEvent(
            ticketID: ticket.id, seq: seq, kind: .noted, actorID: Self.gm.id, actorName: Self.gm.name, actorRole: .gm,
            at: Self.now.milliseconds, text: "Checked the logs")
    }

    /// Appends an event to `ticket` in a write that then fails: the event is rolled back with its savepoint, or with
    /// the whole transaction when the write runs without one.
    func appendAndFail(_ store: SQLiteTicketStore, on ticket: Ticket, inSavepoint: Bool) async throws {
        await #expect(throws: Failure.self) {
            try await store.committer.write(inSavepoint: inSavepoint) { db in
                _ = try store.append(self.event(ticket, seq: 2), previousInTicket: nil, in: db)
                throw Failure()
            }
        }
    }

    /// A GM's note on `ticket`, then the whole chain verified: no link broken, `events` events in all.
    func noteAndExpectAnIntactChain(_ store: SQLiteTicketStore, on ticket: Ticket, events: Int) async throws {
        _ = try await store.apply(.note, to: ticket.id, as: Access(actor: Self.gm), text: "Looking", at: Self.now)
        let verification = try await store.verifyChain()
        #expect(
            verification.broken == nil && verification.events == events, "\(String(describing: verification.broken))")
    }

    @Test func anEventRolledBackWithItsSavepointLeavesNoGapInTheChain() async throws {
        let store = try SQLiteTicketStore.open(path: self.path)
        let ticket = try await self.submit(store, "The Deadmines door does not open")
        try await self.appendAndFail(store, on: ticket, inSavepoint: true)
        try await self.noteAndExpectAnIntactChain(store, on: ticket, events: 2)
    }

    @Test func aTransactionRolledBackLeavesNoGapInTheChain() async throws {
        let store = try SQLiteTicketStore.open(path: self.path)
        let ticket = try await self.submit(store, "The Deadmines door does not open")
        // Outside a savepoint, a write that fails after writing rolls its whole transaction back.
        try await self.appendAndFail(store, on: ticket, inSavepoint: false)
        try await self.noteAndExpectAnIntactChain(store, on: ticket, events: 2)
    }

    @Test func eventsAppendedByAnotherConnectionAreFollowed() async throws {
        let first = try self.open()
        let ticket = try await self.submit(first, "The Deadmines door does not open")
        do {
            let second = try self.open()
            _ = try await self.submit(second, "Lost my hearthstone after the patch")
        }
        // The first writer's head is behind: its next event is refused by the unique position, and it reads again.
        try await self.noteAndExpectAnIntactChain(first, on: ticket, events: 3)
    }

    /// The head read again after another connection's events, in a transaction that is then rolled back: the chain
    /// goes on from the stored head.
    @Test func aHeadReadAgainInATransactionRolledBackIsForgotten() async throws {
        let first = try self.open()
        let ticket = try await self.submit(first, "The Deadmines door does not open")
        do {
            let second = try self.open()
            _ = try await self.submit(second, "Lost my hearthstone after the patch")
        }
        try await self.appendAndFail(first, on: ticket, inSavepoint: false)
        try await self.noteAndExpectAnIntactChain(first, on: ticket, events: 3)
    }

    @Test func aStoreThatDoesNotRememberATicketReadsItsFingerprint() async throws {
        let fingerprint = Data(repeating: 3, count: 16)
        let first = try await self.submit(
            try self.open(), "The Deadmines door does not open", fingerprint: fingerprint)
        let seen = Mutex<[Data?]>([])
        let policy = SubmitPolicy(openLimit: 10) { _, stored in
            seen.withLock { $0.append(stored) }
            return stored == fingerprint
        }
        let restarted = try self.open()
        let outcome = try await restarted.submit(
            .init(player: Self.player, category: "bug", text: "The door in the Deadmines stays shut",
                  context: GameContext(), fingerprint: fingerprint),
            policy: policy, at: Self.now)
        guard case .merged(let change, _) = outcome else { throw Failure() }
        #expect(change.ticket.id == first.id)
        #expect(seen.withLock { $0 } == [fingerprint])
    }

    @Test func countersOfConcurrentSubmissionsMatchTheTicketsAndEveryPlaceIsTakenOnce() async throws {
        let store = try SQLiteTicketStore.open(path: self.path)
        let categories = ["bug", "account", "payment"]
        let places = try await withThrowingTaskGroup(of: (String, Int).self) { group in
            for n in 0..<300 {
                group.addTask {
                    let category = categories[n % 3]
                    let outcome = try await store.submit(
                        .init(player: Actor(id: Int64(n % 30 + 1), name: "P\(n % 30)", role: .player),
                              category: category,
                              text: "Request \(n): quest item \(n * 7) is missing", context: GameContext()),
                        at: Self.now)
                    guard case .created(_, let position) = outcome else { throw Failure() }
                    return (category, position)
                }
            }
            return try await group.reduce(into: [String: [Int]]()) { $0[$1.0, default: []].append($1.1) }
        }
        #expect(store.commitStatistics.largestBatch > 1, "the submissions shared transactions")
        for category in categories { #expect(places[category]?.sorted() == Array(1...100)) }
        let wrong = try await DatabaseQueue(path: self.path).read { db in
            try Int.fetchAll(db, sql: """
                SELECT COUNT(*) FROM queue_depth d WHERE open != (
                    SELECT COUNT(*) FROM tickets t WHERE t.category = d.category AND state = 'open')
                UNION ALL
                SELECT COUNT(*) FROM open_tickets_by_player o WHERE open != (
                    SELECT COUNT(*) FROM tickets t WHERE t.player_id = o.player_id AND state != 'closed')
                UNION ALL
                SELECT SUM(open) - 300 FROM open_tickets_by_player
                """)
        }
        #expect(wrong == [0, 0, 0], "wrong queue depths, wrong players' counts, open tickets beyond 300")
    }

    /// A ticket inserted and closed in one transaction is closed before the writer counts it.
    @Test func aTicketInsertedAndClosedInOneTransactionIsNotCountedOpen() async throws {
        let store = try SQLiteTicketStore.open(path: self.path)
        try await store.committer.write(inSavepoint: false) { db in
            try db.execute(sql: """
                INSERT INTO tickets (category, state, player_id, player_name, text, realm, character_id, character_name,
                    map_id, zone, x, y, z, client_build, created_at, updated_at)
                VALUES ('bug', 'open', 77, 'Varian', 'Stuck in the Stockades wall', '', 0, '', 0, '', 0, 0, 0, '', 1, 1)
                """)
            store.committer.memory.inserted(player: 77, queue: "bug")
            try db.execute(sql: "UPDATE tickets SET state = 'closed', closed_at = 2 WHERE player_id = 77")
        }
        let counts = try await DatabaseQueue(path: self.path).read { db in
            try Int.fetchAll(db, sql: """
                SELECT open FROM open_tickets_by_player WHERE player_id = 77
                UNION ALL SELECT open FROM queue_depth WHERE category = 'bug'
                """)
        }
        #expect(counts == [0, 0])
    }

    @Test func aFingerprintIsRememberedOnlyOnceCommitted() {
        let memory = WriterMemory()
        let (a, b) = (Data(repeating: 1, count: 16), Data(repeating: 2, count: 136))
        memory.stored(a, of: 7)
        #expect(memory.fingerprint(of: 7) == a, "the transaction sees its own")
        memory.rolledBack()
        #expect(memory.fingerprint(of: 7) == nil)
        // A ticket id can come again after a rollback, with another text.
        memory.stored(b, of: 7)
        let mark = memory.mark()
        memory.stored(a, of: 8)
        memory.restore(mark)
        memory.committed()
        #expect(memory.fingerprint(of: 7) == b)
        #expect(memory.fingerprint(of: 8) == nil, "a savepoint rolled back takes back what it stored")
    }

    @Test func newTicketsCountUntilTheirTransactionEnds() {
        let memory = WriterMemory()
        memory.inserted(player: 7, queue: "bug")
        memory.inserted(player: 7, queue: nil)
        let mark = memory.mark()
        memory.inserted(player: 8, queue: "bug")
        #expect(memory.pending(queue: "bug") == 2 && memory.pending(player: 8) == 1)
        memory.restore(mark)
        #expect(memory.pending(queue: "bug") == 1 && memory.pending(player: 7) == 2 && memory.pending(player: 8) == 0)
        memory.rolledBack()
        #expect(memory.pending(queue: "bug") == 0 && memory.pending(player: 7) == 0)
    }

    @Test func theHeadFollowsCommitsAndRollbacks() {
        let memory = WriterMemory()
        #expect(memory.head == nil)
        let committed = EventChain.Link.head(chainSeq: 5, chainHash: Data([5]))
        memory.knowHead(committed)
        memory.rolledBack()
        #expect(memory.head == nil, "a head read in a transaction rolled back is not known")
        memory.knowHead(committed)
        memory.committed()
        memory.appended(.head(chainSeq: 6, chainHash: Data([6])))
        let mark = memory.mark()
        memory.appended(.head(chainSeq: 7, chainHash: Data([7])))
        memory.restore(mark)
        #expect(memory.head?.chainSeq == 6)
        memory.rolledBack()
        #expect(memory.head == committed)
        memory.appended(.head(chainSeq: 6, chainHash: Data([9])))
        memory.committed()
        #expect(memory.head?.chainHash == Data([9]))
    }

    @Test func rememberedFingerprintsStayBounded() {
        let memory = WriterMemory()
        let count = FingerprintRing.standardCapacity + 10
        for id in 1...Int64(count) { memory.stored(Data(repeating: UInt8(id % 200), count: 24), of: id) }
        // One longer than a slot is not kept: its ticket is read when needed.
        memory.stored(Data(repeating: 9, count: FingerprintRing.slotBytes + 8), of: Int64(count + 1))
        memory.committed()
        #expect(memory.fingerprint(of: Int64(count)) == Data(repeating: UInt8(count % 200), count: 24))
        #expect(memory.fingerprint(of: 11) == Data(repeating: 11, count: 24))
        #expect(memory.fingerprint(of: 10) == nil && memory.fingerprint(of: 1) == nil, "the oldest were replaced")
        #expect(memory.fingerprint(of: Int64(count + 1)) == nil)
        #expect(memory.rememberedFingerprints == FingerprintRing.standardCapacity)
    }
}

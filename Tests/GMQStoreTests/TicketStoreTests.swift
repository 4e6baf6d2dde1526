import Foundation
import GMQCore
@testable import GMQStore
import GRDB
import Synchronization
import Testing

@Suite struct TicketStoreTests {
    let path: String
    let store: SQLiteTicketStore
    static let player = Actor(id: 42, name: "Thrall", role: .player)
    static let mirna = Actor(id: 1, name: "Mirna", role: .gm)
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    init() throws {
        self.path = FileManager.default.temporaryDirectory.appendingPathComponent("gmq-store-\(UUID().uuidString).sqlite").path
        self.store = try SQLiteTicketStore.open(path: self.path)
    }

    func submit(_ text: String = "Stuck under the Ironforge bridge", category: String = "stuck_character") async throws -> Ticket {
        let outcome = try await self.store.submit(
            .init(player: Self.player, category: category, text: text, context: GameContext(zone: "Ironforge")),
            at: Self.now)
        guard case .created(let ticket, _) = outcome else { throw Unexpected(outcome: outcome) }
        return ticket
    }

    struct Unexpected: Error { var outcome: SubmitOutcome }

    @Test func aTicketWithAFingerprintIsComparedByItWithoutItsText() async throws {
        let fingerprint = Data([1, 2, 3, 4])
        let seen = Mutex<[(String, Data?)]>([])
        let policy = SubmitPolicy(openLimit: 10) { text, stored in
            seen.withLock { $0.append((text, stored)) }
            return stored == fingerprint
        }
        func submit(_ text: String) async throws -> SubmitOutcome {
            try await self.store.submit(
                .init(player: Self.player, category: "bug", text: text, context: GameContext(), fingerprint: fingerprint),
                policy: policy, at: Self.now)
        }
        guard case .created(let first, _) = try await submit("Chest in Scholomance won't open") else { throw Failure() }
        guard case .merged(let change, _) = try await submit("The Scholomance chest stays shut") else { throw Failure() }
        #expect(change.ticket.id == first.id)
        #expect(seen.withLock { $0.map(\.0) } == [""], "a stored fingerprint spares reading the text")
        #expect(seen.withLock { $0.map(\.1) } == [fingerprint])

        // The candidates are found through the partial index of open tickets (v18) alone, newest first, with no
        // sort.
        let plan = try await DatabaseQueue(path: self.path).read { db in
            try Row.fetchAll(
                db, sql: "EXPLAIN QUERY PLAN " + SQLiteTicketStore.duplicateCandidates, arguments: [42, "bug"]
            ).map { $0["detail"] as String }.joined(separator: "; ")
        }
        #expect(plan.contains("USING COVERING INDEX tickets_open_by_player"), "\(plan)")
        #expect(!plan.contains("TEMP B-TREE"), "\(plan)")
    }

    /// FTS5 merges nothing by itself (v19): each batch merges a bounded amount, which keeps the segments few.
    @Test func theSearchIndexIsMergedBatchByBatchAndFindsOldAndNewTickets() async throws {
        // One batch per request, each adding a segment.
        var tickets: [Ticket] = []
        for n in 0..<200 {
            let text = n == 0 ? "Marooned on Tirisfal rooftops" : "Quest number \(n) cannot be turned in"
            tickets.append(try await self.submit(text, category: n % 2 == 0 ? "bug" : "stuck_character"))
        }
        let segments = try await DatabaseQueue(path: self.path).read { db in
            try Int.fetchOne(db, sql: "SELECT count(DISTINCT segid) FROM search_idx") ?? 0
        }
        #expect(segments <= 3, "\(segments) segments after 200 batches (5 without the batches' merges)")
        #expect(try await self.store.search(SearchQuery(text: "tirisfal rooftops"), view: .staff).map(\.ticket.id)
            == [tickets[0].id])
        #expect(
            try await self.store.search(SearchQuery(text: "199"), view: .staff).map(\.ticket.id) == [tickets[199].id])
    }

    @Test func aRepeatedProblemIsAddedToTheOpenTicketAndTheOpenLimitHolds() async throws {
        // As the server does: a policy per request, knowing the new text; here "same first 10 characters".
        func submit(_ text: String, _ category: String = "bug") async throws -> SubmitOutcome {
            let policy = SubmitPolicy(openLimit: 2) { existing, _ in existing.prefix(10) == text.prefix(10) }
            return try await self.store.submit(
                .init(player: Self.player, category: category, text: text, context: GameContext()), policy: policy, at: Self.now)
        }
        guard case .created(let first, 1) = try await submit("Chest in Scholomance won't open") else { throw Failure() }
        guard case .merged(let change, 1) = try await submit("Chest in Scholomance won't open, tried twice") else {
            throw Failure()
        }
        #expect(change.ticket.id == first.id && change.event.kind == .replied)
        #expect(try await self.store.history(of: first.id).map(\.kind) == [.submitted, .replied])
        guard case .created(let second, _) = try await submit("Hogger quest cannot be turned in") else { throw Failure() }
        // The policy decides on the open tickets of the new request's category only.
        #expect(try await submit("Mail from Mirna never delivered") == .openLimitReached([first.id, second.id]))
        // The same text in another category is another problem, but still over the limit.
        #expect(try await submit("Chest in Scholomance won't open", "other") == .openLimitReached([first.id, second.id]))
    }

    @Test func reopeningCountsOnTheTicket() async throws {
        let ticket = try await self.submit()
        _ = try await self.store.apply(.claim, to: ticket.id, as: Access(actor: Self.mirna), text: "", at: Self.now)
        _ = try await self.store.apply(.close(.solved), to: ticket.id, as: Access(actor: Self.mirna), text: "", at: Self.now)
        let reopened = try await self.store.apply(
            .reply(substantive: true), to: ticket.id, as: Access(actor: Self.player), text: "stuck again", at: Self.now)
        #expect(reopened.ticket.reopenCount == 1 && reopened.ticket.state == .open && reopened.ticket.resolution == nil)
    }

    @Test func theQueueDepthFollowsEveryStateChange() async throws {
        let first = try await self.submit("Chest in Scholomance won't open")
        let second = try await self.submit("Hogger quest cannot be turned in at the board")
        func depth() async throws -> Int {
            try await DatabaseQueue(path: self.path).read {
                try Int.fetchOne($0, sql: "SELECT open FROM queue_depth WHERE category = 'stuck_character'") ?? -1
            }
        }
        #expect(try await depth() == 2)
        _ = try await self.store.apply(.claim, to: first.id, as: Access(actor: Self.mirna), text: "", at: Self.now)
        #expect(try await depth() == 1)
        _ = try await self.store.apply(.unclaim, to: first.id, as: Access(actor: Self.mirna), text: "", at: Self.now)
        #expect(try await depth() == 2)
        _ = try await self.store.apply(.claim, to: second.id, as: Access(actor: Self.mirna), text: "", at: Self.now)
        _ = try await self.store.apply(.close(.solved), to: second.id, as: Access(actor: Self.mirna), text: "", at: Self.now)
        #expect(try await depth() == 1)
        _ = try await self.store.apply(.reply(substantive: true), to: second.id, as: Access(actor: Self.player), text: "again", at: Self.now)
        #expect(try await depth() == 2)
        let counted = try await DatabaseQueue(path: self.path).read {
            try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM tickets WHERE category = 'stuck_character' AND state = 'open'")
        }
        #expect(counted == 2)
    }

    @Test func theOpenCountPerPlayerFollowsEveryStateChange() async throws {
        let first = try await self.submit("Chest in Scholomance won't open")
        let second = try await self.submit("Hogger quest cannot be turned in at the board", category: "bug")
        func open() async throws -> (kept: Int, counted: Int) {
            try await DatabaseQueue(path: self.path).read { db in
                (
                    try Int.fetchOne(db, sql: "SELECT open FROM open_tickets_by_player WHERE player_id = 42") ?? -1,
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM tickets WHERE player_id = 42 AND state != 'closed'") ?? -1
                )
            }
        }
        #expect(try await open() == (2, 2))
        // Claimed and waiting tickets are still open for the player.
        _ = try await self.store.apply(.claim, to: first.id, as: Access(actor: Self.mirna), text: "", at: Self.now)
        _ = try await self.store.apply(.ask, to: first.id, as: Access(actor: Self.mirna), text: "Which chest?", at: Self.now)
        #expect(try await open() == (2, 2))
        _ = try await self.store.apply(.close(.solved), to: first.id, as: Access(actor: Self.mirna), text: "", at: Self.now)
        #expect(try await open() == (1, 1))
        _ = try await self.store.apply(.reply(substantive: true), to: first.id, as: Access(actor: Self.player), text: "again", at: Self.now)
        #expect(try await open() == (2, 2))
        _ = try await self.store.apply(.claim, to: second.id, as: Access(actor: Self.mirna), text: "", at: Self.now)
        _ = try await self.store.apply(.close(.duplicate), to: second.id, as: Access(actor: Self.mirna), text: "", at: Self.now)
        #expect(try await open() == (1, 1))
    }

    struct Failure: Error {}

    @Test func historyCannotBeEditedOrDeletedEvenWithDirectSQL() async throws {
        let ticket = try await self.submit()
        let database = try DatabaseQueue(path: self.path)
        #expect(throws: DatabaseError.self) {
            try database.write { try $0.execute(sql: "UPDATE events SET text = 'nothing happened' WHERE ticket_id = ?", arguments: [ticket.id]) }
        }
        #expect(throws: DatabaseError.self) {
            try database.write { try $0.execute(sql: "DELETE FROM events WHERE ticket_id = ?", arguments: [ticket.id]) }
        }
        #expect(try await self.store.history(of: ticket.id).first?.text == "Stuck under the Ironforge bridge")
    }

    @Test func aRefusedCommandWritesNothing() async throws {
        let ticket = try await self.submit()
        await #expect(throws: StoreError.refused(.notClaimed, ticketID: ticket.id)) {
            try await self.store.apply(.answer, to: ticket.id, as: Access(actor: Self.mirna), text: "Done", at: Self.now)
        }
        #expect(try await self.store.history(of: ticket.id).count == 1)
        #expect(try await self.store.pendingNotifications(for: Self.player.id).isEmpty)
        #expect(try await self.store.ticket(ticket.id) == ticket)
    }

    @Test func anUnknownCategoryIsRefusedNamingTheKnownOnes() async throws {
        await #expect(throws: StoreError.unknownCategory(
            "stuck", known: ["stuck_character", "bug", "player_report", "account", "payment", "other"])) {
            try await self.submit(category: "stuck")
        }
        #expect(try await self.store.queue(categories: nil, states: TicketState.allCases, limit: 10).isEmpty)
    }

    @Test func eachStepIsOneEventAndNotesNeverReachTheOutbox() async throws {
        let ticket = try await self.submit()
        let claim = try await self.store.apply(.claim, to: ticket.id, as: Access(actor: Self.mirna), text: "", at: Self.now)
        #expect(claim.ticket.state == .claimed && claim.ticket.assigneeName == "Mirna" && claim.notification != nil)
        let note = try await self.store.apply(.note, to: ticket.id, as: Access(actor: Self.mirna), text: "internal", at: Self.now)
        #expect(note.notification == nil)
        let close = try await self.store.apply(.close(.duplicate), to: ticket.id, as: Access(actor: Self.mirna), text: "See #1", at: Self.now)
        #expect(close.ticket.resolution == .duplicate && close.ticket.assigneeID == nil && close.ticket.closedAt != nil)
        #expect(try await self.store.history(of: ticket.id).map(\.seq) == [1, 2, 3, 4])
        let pending = try await self.store.pendingNotifications(for: Self.player.id)
        #expect(pending.map(\.kind) == [.claimed, .closed])
        try await self.store.acknowledge(notification: pending[0].id!, player: Self.player.id, at: Self.now)
        try await self.store.acknowledge(notification: pending[0].id!, player: Self.player.id, at: Self.now)
        #expect(try await self.store.pendingNotifications(for: Self.player.id).map(\.kind) == [.closed])
        await #expect(throws: StoreError.notificationNotFound(pending[1].id!)) {
            try await self.store.acknowledge(notification: pending[1].id!, player: 7, at: Self.now)
        }
    }

    @Test func staffNamesAreUniqueAndKeysAreFoundByHashOnly() async throws {
        let record = try await self.store.addStaff(name: "Mirna", role: .gm, keyHash: "abc", categories: ["bug"], at: Self.now)
        #expect(record.categoryList == ["bug"])
        await #expect(throws: StoreError.staffNameTaken("mirna")) {
            try await self.store.addStaff(name: "mirna", role: .gm, keyHash: "def", categories: [], at: Self.now)
        }
        #expect(try await self.store.staff(keyHash: "abc")?.name == "Mirna")
        #expect(try await self.store.staff(keyHash: "nope") == nil)
        #expect(try await self.store.staffCategories(of: record.id!) == ["bug"])
    }

    @Test func theDatabaseRunsInWALModeWithFullSync() throws {
        let database = try DatabaseQueue(path: self.path)
        #expect(try database.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
        #expect(try database.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
    }

    /// v20 rebuilds the tickets table without AUTOINCREMENT and without IN lists in its CHECKs: the rows, the next
    /// id, the indexes, the triggers and the constraints come through.
    @Test func theTicketsTableRebuiltByV20KeepsItsRowsIndexesTriggersAndRules() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gmq-v19-\(UUID().uuidString).sqlite").path
        let queue = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(queue, upTo: "v19: the search index merged in bounded steps")
        try await queue.write { db in
            try db.execute(sql: """
                INSERT INTO tickets (category, state, player_id, player_name, text, realm, character_id, character_name,
                    map_id, zone, x, y, z, client_build, created_at, updated_at, priority, due_at)
                VALUES ('bug', 'open', 42, 'Thrall', 'Chest in Scholomance will not open', 'Argent Dawn', 7, 'Thrallin',
                        1, 'Scholomance', 1.5, -2.25, 3, '3.3.5a', 1, 1, 0, 100),
                       ('bug', 'closed', 42, 'Thrall', 'Quest item vanished after the restart', '', 0, '', 0, '', 0, 0,
                        0, '', 2, 3, 0, 200);
                UPDATE tickets SET resolution = 'answered', closed_at = 3, closed_by = 'Mirna', rating = 5 WHERE id = 2;
                """)
        }
        let table = "SELECT * FROM tickets ORDER BY id"
        let dependents = "SELECT type, name, sql FROM sqlite_schema WHERE tbl_name = 'tickets' AND type != 'table' ORDER BY name"
        let counters = "SELECT open FROM queue_depth WHERE category = 'bug' UNION ALL SELECT open FROM open_tickets_by_player"
        let (rows, indexesAndTriggers) = try await queue.read { db in (try Self.values(db, table), try Self.values(db, dependents)) }
        #expect(try await queue.read { try Int.fetchAll($0, sql: counters) } == [1, 1])

        try Schema.migrator.migrate(queue, upTo: "v20: tickets without AUTOINCREMENT and IN lists")
        try await queue.read { db in
            #expect(try Self.values(db, table) == rows)
            #expect(try Self.values(db, dependents) == indexesAndTriggers)
            let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_schema WHERE name = 'tickets'") ?? ""
            #expect(!sql.contains("AUTOINCREMENT") && !sql.contains(" IN ("), "\(sql)")
            #expect(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").isEmpty)
        }
        // The next id follows the largest, and the triggers still count the new ticket.
        let store = try SQLiteTicketStore(writer: queue)
        let outcome = try await store.submit(
            .init(player: Self.player, category: "bug", text: "The mailbox in Booty Bay eats my letters",
                  context: GameContext()),
            at: Self.now)
        guard case .created(let ticket, let position) = outcome else { throw Unexpected(outcome: outcome) }
        #expect(ticket.id == 3 && position == 2)
        #expect(try await queue.read { try Int.fetchAll($0, sql: counters) } == [2, 2])
        // The CHECKs still hold: a state outside the five, and a held state without a holder.
        for update in ["UPDATE tickets SET state = 'lost' WHERE id = 1", "UPDATE tickets SET state = 'claimed' WHERE id = 1"] {
            await #expect(throws: DatabaseError.self) { try await queue.write { try $0.execute(sql: update) } }
        }
        // And so do the foreign keys: a ticket's category must exist.
        await #expect(throws: DatabaseError.self) {
            try await queue.write { try $0.execute(sql: "UPDATE tickets SET category = 'no_such' WHERE id = 1") }
        }
    }

    static func values(_ db: Database, _ sql: String) throws -> [[DatabaseValue]] {
        try Row.fetchAll(db, sql: sql).map { Array($0.databaseValues) }
    }
}

/// Issue 18 §3: one player cannot bury a ticket's transcript.
@Suite struct ReplyLimitStoreTests {
    static let player = Actor(id: 42, name: "Thrall", role: .player)
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func store(_ limits: ReplyLimits) throws -> SQLiteTicketStore {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gmq-limits-\(UUID().uuidString).sqlite").path
        return try SQLiteTicketStore.open(path: path, replyLimits: limits)
    }

    static func open(_ store: SQLiteTicketStore) async throws -> Ticket {
        let outcome = try await store.submit(
            .init(player: Self.player, category: "bug", text: "Chest in Scholomance won't open", context: GameContext()),
            at: Self.now)
        guard case .created(let ticket, _) = outcome else { throw TicketStoreTests.Unexpected(outcome: outcome) }
        return ticket
    }

    @Test func aTicketTakesAtMostItsLimitOfRepliesFromThePlayer() async throws {
        let store = try Self.store(ReplyLimits(perTicket: 5, perWindow: 100, window: 60))
        let ticket = try await Self.open(store)
        for n in 1...5 {
            _ = try await store.apply(
                .reply(substantive: true), to: ticket.id, as: Access(actor: Self.player), text: "detail \(n)", at: Self.now)
        }
        await #expect(throws: StoreError.replyLimit(.ticketFull(limit: 5), ticketID: ticket.id)) {
            try await store.apply(
                .reply(substantive: true), to: ticket.id, as: Access(actor: Self.player), text: "one more", at: Self.now)
        }
        #expect(try await store.history(of: ticket.id).count == 6)
    }

    @Test func repliesFasterThanTheWindowAllowsWaitForIt() async throws {
        let store = try Self.store(ReplyLimits(perTicket: 100, perWindow: 3, window: 600))
        let ticket = try await Self.open(store)
        for n in 0..<3 {
            _ = try await store.apply(
                .reply(substantive: true), to: ticket.id, as: Access(actor: Self.player), text: "detail \(n)",
                at: Self.now.addingTimeInterval(Double(n) * 60))
        }
        let later = Self.now.addingTimeInterval(300)
        await #expect(throws: StoreError.replyLimit(.tooFast(limit: 3, window: 600, retryAfter: 300), ticketID: ticket.id)) {
            try await store.apply(.reply(substantive: true), to: ticket.id, as: Access(actor: Self.player), text: "x", at: later)
        }
        _ = try await store.apply(
            .reply(substantive: true), to: ticket.id, as: Access(actor: Self.player), text: "after the window",
            at: Self.now.addingTimeInterval(601))
    }

    @Test func aRepeatedOrOverTheLimitMergeIsFoldedAndWritesNothing() async throws {
        let store = try Self.store(ReplyLimits(perTicket: 2, perWindow: 100, window: 60))
        let ticket = try await Self.open(store)
        let policy = SubmitPolicy(openLimit: 10) { _, _ in true }
        func submit(_ text: String) async throws -> SubmitOutcome {
            try await store.submit(
                .init(player: Self.player, category: "bug", text: text, context: GameContext()), policy: policy, at: Self.now)
        }
        guard case .folded(let same, _) = try await submit("Chest in Scholomance won't open") else { throw TicketStoreTests.Failure() }
        #expect(same.id == ticket.id)
        guard case .merged = try await submit("The Scholomance chest stays shut") else { throw TicketStoreTests.Failure() }
        guard case .folded = try await submit("The Scholomance chest stays shut") else { throw TicketStoreTests.Failure() }
        guard case .merged = try await submit("Scholomance chest still shut after relog") else { throw TicketStoreTests.Failure() }
        guard case .folded = try await submit("Scholomance chest, third time") else { throw TicketStoreTests.Failure() }
        #expect(try await store.history(of: ticket.id).map(\.kind) == [.submitted, .replied, .replied])
    }

    @Test func historyIsReadInPagesThatSayHowManyEventsThereAre() async throws {
        let store = try Self.store(.standard)
        let ticket = try await Self.open(store)
        let gm = Access(actor: Actor(id: 1, name: "Mirna", role: .gm))
        _ = try await store.apply(.claim, to: ticket.id, as: gm, text: "", at: Self.now)
        for n in 1...20 { _ = try await store.apply(.note, to: ticket.id, as: gm, text: "note \(n)", at: Self.now) }
        let staff = try await store.history(of: ticket.id, after: 10, limit: 5, view: .staff)
        #expect(staff.total == 22 && staff.events.map(\.seq) == [11, 12, 13, 14, 15])
        let player = try await store.history(of: ticket.id, after: 0, limit: 100, view: .player)
        #expect(player.total == 2 && player.events.map(\.kind) == [.submitted, .claimed])
    }

}

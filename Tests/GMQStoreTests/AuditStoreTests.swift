import Foundation
import GMQCore
@testable import GMQStore
import GRDB
import Testing

/// The store's side of the GM console and the moderators' audit: chained history, urgency, service clocks,
/// transfers, ratings, macros, leases and the audit's filters.
@Suite struct AuditStoreTests {
    let path: String
    let store: SQLiteTicketStore
    static let thrall = Actor(id: 42, name: "Thrall", role: .player)
    static let jaina = Actor(id: 43, name: "Jaina", role: .player)
    static let mirna = Actor(id: 1, name: "Mirna", role: .gm)
    static let tharok = Actor(id: 2, name: "Tharok", role: .gm)
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    init() throws {
        self.path = FileManager.default.temporaryDirectory.appendingPathComponent("gmq-audit-\(UUID().uuidString).sqlite").path
        self.store = try SQLiteTicketStore.open(path: self.path)
    }

    func open(_ text: String, by player: Actor = thrall, category: String = "bug", at time: Date = t0) async throws
        -> Ticket
    {
        let outcome = try await self.store.submit(
            .init(player: player, category: category, text: text, context: GameContext()), at: time)
        guard case .created(let ticket, _) = outcome else { throw Failure() }
        return ticket
    }

    func step(_ command: TicketLifecycle.Command, _ id: Int64, by actor: Actor = mirna, _ text: String = "",
              at time: Date = t0) async throws -> TicketChange {
        try await self.store.apply(command, to: id, as: Access(actor: actor), text: text, at: time)
    }

    struct Failure: Error {}

    /// Runs SQL straight on the file, as someone with access to the disk could.
    func tamper(_ sql: String) throws {
        let queue = try DatabaseQueue(path: self.path)
        try queue.write { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS events_are_append_only_update")
            try db.execute(sql: "DROP TRIGGER IF EXISTS events_are_append_only_delete")
            try db.execute(sql: sql)
        }
    }

    func workedTicket() async throws -> Int64 {
        let ticket = try await self.open("Quest item vanished after the realm restart")
        _ = try await self.step(.claim, ticket.id)
        _ = try await self.step(.ask, ticket.id, "Which quest?")
        _ = try await self.step(.reply(substantive: true), ticket.id, by: Self.thrall, "The Defias Brotherhood")
        _ = try await self.step(.close(.solved), ticket.id, "Restored it")
        return ticket.id
    }

    // MARK: Hash chain

    @Test func anUntouchedHistoryVerifies() async throws {
        _ = try await self.workedTicket()
        _ = try await self.workedTicket()
        let verification = try await self.store.verifyChain()
        #expect(verification.broken == nil && verification.events == 10 && verification.head.count == 32)
    }

    @Test func anEditedEventIsNamed() async throws {
        _ = try await self.workedTicket()
        let id = try await self.workedTicket()
        try self.tamper("UPDATE events SET text = 'Nothing to see' WHERE ticket_id = \(id) AND seq = 3")
        let broken = try #require(try await self.store.verifyChain().broken)
        #expect(broken.ticketID == id && broken.seq == 3 && broken.reason.contains("edited"))
    }

    @Test func aChangedActorOrTimeIsAnEditToo() async throws {
        let id = try await self.workedTicket()
        try self.tamper("UPDATE events SET actor_name = 'Tharok' WHERE ticket_id = \(id) AND seq = 5")
        #expect(try await self.store.verifyChain().broken?.seq == 5)
        try self.tamper("UPDATE events SET actor_name = 'Mirna', at = at + 1 WHERE ticket_id = \(id) AND seq = 5")
        #expect(try await self.store.verifyChain().broken?.seq == 5)
    }

    @Test func aDeletedEventIsNamed() async throws {
        let id = try await self.workedTicket()
        _ = try await self.workedTicket()
        try self.tamper("DELETE FROM events WHERE ticket_id = \(id) AND seq = 2")
        let broken = try #require(try await self.store.verifyChain().broken)
        #expect(broken.ticketID == id && broken.reason.contains("missing"))
    }

    @Test func aRewrittenChainIsCaughtByTheGlobalLinks() async throws {
        // Someone recomputes the ticket's own hashes after an edit, but cannot fix the global chain without
        // rewriting every later event: the edit still shows.
        let id = try await self.workedTicket()
        _ = try await self.workedTicket()
        let event = try await self.store.history(of: id)[2]
        var forged = event
        forged.text = "Nothing to see"
        let link = EventChain.link(forged, previousInTicket: event.previousHash, head: .genesis)
        try self.tamper("UPDATE events SET text = 'Nothing to see', hash = x'\(link.hash.hex)' WHERE ticket_id = \(id) AND seq = 3")
        #expect(try await self.store.verifyChain().broken != nil)
    }

    @Test func anInsertedEventIsNamed() async throws {
        let id = try await self.workedTicket()
        try self.tamper("""
            INSERT INTO events (ticket_id, seq, kind, actor_id, actor_name, actor_role, at, text)
            VALUES (\(id), 6, 'answered', 1, 'Mirna', 'gm', 0, 'I never said this')
            """)
        let broken = try #require(try await self.store.verifyChain().broken)
        #expect(broken.ticketID == id && broken.seq == 6)
    }

    @Test func eventsWrittenBeforeTheChainAreChainedByTheMigration() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gmq-v4-\(UUID().uuidString).sqlite").path
        let queue = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(queue, upTo: "v4: content-word fingerprints")
        try await queue.write { db in
            try db.execute(sql: """
                INSERT INTO tickets (category, state, player_id, player_name, text, realm, character_id, character_name,
                    map_id, zone, x, y, z, client_build, created_at, updated_at)
                VALUES ('bug', 'open', 42, 'Thrall', 'Old request', '', 0, '', 0, '', 0, 0, 0, '', 1, 1);
                INSERT INTO events (ticket_id, seq, kind, actor_id, actor_name, actor_role, at, text)
                VALUES (1, 1, 'submitted', 42, 'Thrall', 'player', 1, 'Old request'),
                       (1, 2, 'noted', 1, 'Mirna', 'gm', 2, 'Old note');
                """)
        }
        let store = try SQLiteTicketStore(writer: queue)
        _ = try await store.apply(.claim, to: 1, as: Access(actor: Self.mirna), text: "", at: Self.t0)
        let verification = try await store.verifyChain()
        #expect(verification.broken == nil && verification.events == 3)
    }

    // MARK: Queue order and service clock

    @Test func theTicketASubmissionReturnsIsTheStoredRow() async throws {
        let outcome = try await self.store.submit(
            .init(player: Self.thrall, category: "payment", text: "Charged twice for the mount, order 88412",
                  context: GameContext(realm: "Argent Dawn", characterID: 7, characterName: "Thrallin", mapID: 1,
                                       zone: "Orgrimmar", x: 1.5, y: -2.25, z: 3, clientBuild: "3.3.5a")),
            at: Self.t0)
        guard case .created(let returned, _) = outcome else { throw Failure() }
        #expect(try await self.store.ticket(returned.id) == returned)
    }

    @Test func theQueueIsOrderedByPriorityThenDeadlineThenAge() async throws {
        let bug = try await self.open("Quest item vanished after the realm restart", category: "bug")
        let stuck = try await self.open("Stuck in the Deadmines wall", by: Self.jaina, category: "stuck_character")
        let account = try await self.open("Cannot change my realm password", by: Actor(id: 44, name: "Anduin", role: .player),
                                          category: "account")
        // stuck_character has priority 1 (standard levels); account's first response is due before bug's.
        let order = try await self.store.queue(categories: nil, states: [.open], limit: 10).map(\.id)
        #expect(order == [stuck.id, account.id, bug.id])
        _ = try await self.step(.escalate, bug.id, "Needs a restore")
        let escalated = try await self.store.queue(categories: nil, states: [.open], limit: 10)
        #expect(escalated.map(\.id) == [bug.id, stuck.id, account.id])
        #expect(escalated[0].priority == 2 && escalated[1].priority == 1 && escalated[2].priority == 0)
        let claimed = try await self.store.claimNext(category: "", as: Access(actor: Self.tharok), at: Self.t0)
        #expect(claimed.ticket.id == bug.id, "claim next takes the most urgent")
    }

    @Test func aPositionInTheQueueCountsInUrgencyOrder() async throws {
        let older = try await self.open("Quest item vanished after the realm restart")
        let newer = try await self.open("Cannot open the guild bank tab", by: Self.jaina)
        #expect(try await self.store.position(of: older) == 1)
        #expect(try await self.store.position(of: newer) == 2)
        let escalated = try await self.step(.escalate, newer.id, "Needs a restore").ticket
        #expect(try await self.store.position(of: escalated) == 1)
        let olderNow = try await self.store.ticket(older.id)
        #expect(try await self.store.position(of: olderNow) == 2)
    }

    @Test func waitingOnThePlayerPausesTheDeadline() async throws {
        let ticket = try await self.open("Quest item vanished after the realm restart")
        _ = try await self.step(.claim, ticket.id)
        let asked = try await self.step(.ask, ticket.id, "Which quest?", at: Self.t0.addingTimeInterval(60))
        #expect(asked.ticket.firstResponseAt == Self.t0.addingTimeInterval(60).milliseconds)
        #expect(asked.ticket.pausedSince != nil)
        let due = asked.ticket.dueAt
        let replied = try await self.step(
            .reply(substantive: true), ticket.id, by: Self.thrall, "The Defias one", at: Self.t0.addingTimeInterval(3660))
        #expect(replied.ticket.pausedMilliseconds == 3_600_000 && replied.ticket.dueAt == due + 3_600_000)
    }

    @Test func aLateCloseIsRecordedAsOverdue() async throws {
        let ticket = try await self.open("Quest item vanished after the realm restart")  // bug: 4 h first response
        _ = try await self.step(.claim, ticket.id)
        let late = try await self.step(.close(.solved), ticket.id, "Done", at: Self.t0.addingTimeInterval(5 * 3600))
        #expect(late.ticket.overdue && late.ticket.closedBy == "Mirna")
        let quick = try await self.open("Cannot open the guild bank tab", by: Self.jaina)
        _ = try await self.step(.claim, quick.id)
        #expect(try await !self.step(.close(.solved), quick.id, "Done", at: Self.t0.addingTimeInterval(60)).ticket.overdue)
    }

    // MARK: Transfer, rating, macros, leases

    @Test func aTransferMovesTheTicketUnclaimedAndTellsThePlayer() async throws {
        let ticket = try await self.open("Stuck in the Deadmines wall", category: "bug")
        _ = try await self.step(.claim, ticket.id)
        let moved = try await self.store.transfer(ticket.id, to: "stuck_character", as: Access(actor: Self.mirna), text: "Wrong queue", at: Self.t0)
        #expect(moved.ticket.category == "stuck_character" && moved.ticket.state == .open && moved.ticket.assigneeID == nil)
        #expect(moved.ticket.priority == 1 && moved.event.kind == .transferred && moved.notification?.kind == .transferred)
        await #expect(throws: StoreError.sameCategory("stuck_character")) {
            try await self.store.transfer(ticket.id, to: "stuck_character", as: Access(actor: Self.mirna), text: "", at: Self.t0)
        }
        await #expect { try await self.store.transfer(ticket.id, to: "nope", as: Access(actor: Self.mirna), text: "", at: Self.t0) } throws: {
            if case StoreError.unknownCategory("nope", _) = $0 { return true } else { return false }
        }
    }

    @Test func aTicketIsRatedOncePerCloseByItsOwner() async throws {
        let id = try await self.workedTicket()
        await #expect(throws: Access.Denial.noSuchTicket(id)) {
            try await self.store.rate(id, as: Access(actor: Self.jaina), stars: 5, comment: "", at: Self.t0)
        }
        let rated = try await self.store.rate(id, as: Access(actor: Self.thrall), stars: 4, comment: "Quick", at: Self.t0)
        #expect(rated.ticket.rating == 4 && rated.event.kind == .rated && rated.event.text == "★★★★☆ Quick")
        #expect(rated.notification == nil)
        await #expect(throws: StoreError.alreadyRated(id)) {
            try await self.store.rate(id, as: Access(actor: Self.thrall), stars: 1, comment: "", at: Self.t0)
        }
        let reopened = try await self.step(.reply(substantive: true), id, by: Self.thrall, "It vanished again after relog")
        #expect(reopened.ticket.rating == nil, "a reopened ticket is rated again after its next close")
    }

    @Test func macrosAreSavedListedAndRemoved() async throws {
        try await self.store.saveMacro(name: "unstuck", text: "Hello {player}", author: "Root", at: Self.t0)
        try await self.store.saveMacro(name: "unstuck", text: "Hi {player}", author: "Root", at: Self.t0)
        #expect(try await self.store.macros().map(\.text) == ["Hi {player}"])
        #expect(try await self.store.macro(named: "unstuck").author == "Root")
        try await self.store.removeMacro(name: "unstuck", by: "Root", at: Self.t0)
        await #expect(throws: StoreError.macroNotFound("unstuck")) { try await self.store.macro(named: "unstuck") }
        await #expect(throws: StoreError.macroNameInvalid("Bad Name")) {
            try await self.store.saveMacro(name: "Bad Name", text: "x", author: "Root", at: Self.t0)
        }
    }

    @Test func anExpiredLeaseReturnsTheTicketInTheHoldersName() async throws {
        let ticket = try await self.open("Quest item vanished after the realm restart")
        _ = try await self.step(.claim, ticket.id)
        #expect(try await self.store.claims().map(\.ticketID) == [ticket.id])
        let expired = try await self.store.expireLease(ticket.id, holder: Self.mirna, reason: "Mirna left", at: Self.t0)
        #expect(expired.ticket.state == .open && expired.event.kind == .leaseExpired && expired.event.actorName == "Mirna")
        #expect(expired.notification?.kind == .leaseExpired)
        #expect(try await self.store.claims().isEmpty)
    }

    @Test func anAdminsNewCategoryHasAQueueAndTheFallbackTargets() async throws {
        let category = try await self.store.addCategory(id: "guild_bank", title: "Guild bank")
        #expect(try await self.store.categories().last == category)
        let ticket = try await self.open("Guild bank tab 3 shows no items since the patch", category: "guild_bank")
        #expect(ticket.dueAt == ticket.createdAt + 240 * 60_000)
        await #expect(throws: StoreError.categoryExists("guild_bank")) {
            try await self.store.addCategory(id: "guild_bank", title: "Again")
        }
        await #expect(throws: StoreError.categoryIDInvalid("Guild Bank")) {
            try await self.store.addCategory(id: "Guild Bank", title: "x")
        }
    }

    // MARK: Audit and report

    @Test func theAuditFiltersClosedTickets() async throws {
        let first = try await self.workedTicket()
        let second = try await self.open("Cannot open the guild bank tab", by: Self.jaina)
        _ = try await self.step(.claim, second.id, by: Self.tharok)
        _ = try await self.step(.close(.duplicate), second.id, by: Self.tharok, "See ticket 1", at: Self.t0.addingTimeInterval(86400))
        _ = try await self.store.rate(first, as: Access(actor: Self.thrall), stars: 5, comment: "", at: Self.t0)
        _ = try await self.open("Still open: mail lost in Orgrimmar", by: Actor(id: 44, name: "Anduin", role: .player))

        func ids(_ configure: (inout AuditFilter) -> Void) async throws -> [Int64] {
            var filter = AuditFilter()
            configure(&filter)
            return try await self.store.audit(filter).map(\.id)
        }
        #expect(try await ids { _ in } == [second.id, first])
        #expect(try await ids { $0.gm = "tharok" } == [second.id])
        #expect(try await ids { $0.resolution = .solved } == [first])
        #expect(try await ids { $0.minimumRating = 4 } == [first])
        #expect(try await ids { $0.overdueOnly = true } == [second.id])
        #expect(try await ids { $0.since = Self.t0.addingTimeInterval(3600).milliseconds } == [second.id])
        #expect(try await ids { $0.until = Self.t0.addingTimeInterval(3600).milliseconds } == [first])
        #expect(try await ids { $0.reopenedOnly = true }.isEmpty)
    }

    @Test func theReportReadsEveryTicketOfThePeriod() async throws {
        _ = try await self.workedTicket()
        _ = try await self.open("Cannot open the guild bank tab", by: Self.jaina, at: Self.t0.addingTimeInterval(10))
        let tickets = try await self.store.reportTickets(
            since: Self.t0.milliseconds, until: Self.t0.addingTimeInterval(3600).milliseconds, category: nil, gm: nil,
            now: Self.t0.addingTimeInterval(60))
        #expect(tickets.count == 2 && tickets.filter { $0.closedAt != nil }.count == 1)
        #expect(try await self.store.reportTickets(
            since: Self.t0.milliseconds, until: Self.t0.addingTimeInterval(3600).milliseconds, category: nil, gm: "Mirna",
            now: Self.t0).count == 1)
    }
}

extension Data {
    var hex: String { self.map { String(format: "%02x", $0) }.joined() }
}

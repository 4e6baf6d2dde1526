import Foundation
import GMQClient
import GMQCore
import GMQProtocol
import GMQServer
import GMQStore
import GMQTestSupport
import GRDB
import Testing

/// Every staff command of the GM console and the moderators' audit, through the staff port of a real server.
@Suite(.timeLimit(.minutes(1)))
struct ConsoleAuditTests {
    static func list(_ connection: GMQConnection, _ message: Message) async throws -> [TicketSummary] {
        let response = try await connection.call(message)
        guard case .ticketList(let list) = response else { throw UnexpectedResponse(response) }
        return list.tickets
    }

    @Test func watchingStaffSeeEveryChangeOfTheirCategoriesLive() async throws {
        try await withTestServer { server in
            let mirna = try await server.staff("Mirna", categories: ["stuck_character"])
            let payments = try await server.staff("Penny", categories: ["payment"])
            _ = try await mirna.call(.watch(Watch()))
            _ = try await payments.call(.watch(Watch()))
            let changes = Mailbox(mirna.queueChanges)
            let paymentChanges = Mailbox(payments.queueChanges)
            let thrall = try await server.player(42, "Thrall")
            let id = try await thrall.submitAccepted("Stuck under the Ironforge bridge, can't move").ticketID
            let opened = try await changes.next()
            #expect(opened.kind == .submitted && opened.ticket.id == id && opened.actorName == "Thrall")
            _ = try await mirna.update(.claim(Claim(ticketID: id)))
            let claimed = try await changes.next()
            #expect(claimed.kind == .claimed && claimed.ticket.status == .claimed && claimed.ticket.assignee == "Mirna")
            await #expect(throws: Mailbox<QueueChanged>.Timeout.self) { try await paymentChanges.next(timeout: .milliseconds(300)) }
            await mirna.close()
            await payments.close()
            await thrall.close()
        }
    }

    @Test func mineListsWhatAGMHoldsAndPlayerTicketsListsAPlayersHistory() async throws {
        try await withTestServer { server in
            let seeded = try await server.seedTickets(3)
            let mirna = try await server.staff("Mirna")
            let tharok = try await server.staff("Tharok")
            _ = try await mirna.update(.claim(Claim(ticketID: seeded[0])))
            _ = try await mirna.update(.claim(Claim(ticketID: seeded[2])))
            _ = try await mirna.update(.ask(Ask(ticketID: seeded[2], text: "Which bag slot?")))
            _ = try await tharok.update(.claim(Claim(ticketID: seeded[1])))
            #expect(try await Self.list(mirna, .queue(QueueRequest(filter: .mine))).map(\.id).sorted() == [seeded[0], seeded[2]])
            #expect(try await Self.list(tharok, .queue(QueueRequest(filter: .mine))).map(\.id) == [seeded[1]])
            let holders = try await Self.list(tharok, .queue(QueueRequest(filter: .claimed)))
            #expect(Set(holders.map(\.assignee)) == ["Mirna", "Tharok"], "who holds what")

            let thrall = try await server.player(42, "Thrall")
            let first = try await thrall.submitAccepted("Stuck under the Ironforge bridge, can't move").ticketID
            let second = try await thrall.submitAccepted("My mount vanished after the realm restart in Orgrimmar",
                                                         category: "bug").ticketID
            let history = try await Self.list(mirna, .playerTickets(PlayerTickets(playerID: 42)))
            #expect(history.map(\.id) == [second, first], "newest first")
            #expect(try await thrall.refusal(.playerTickets(PlayerTickets(playerID: 42))).code == .wrongPort)
            for connection in [mirna, tharok, thrall] { await connection.close() }
        }
    }

    @Test func transferAndEscalateMoveTheTicketAndTellThePlayer() async throws {
        try await withTestServer { server in
            let thrall = try await server.player(42, "Thrall")
            let mailbox = Mailbox(thrall.notifications)
            let mirna = try await server.staff("Mirna")
            let id = try await thrall.submitAccepted("Stuck under the Ironforge bridge, can't move").ticketID
            _ = try await mirna.update(.claim(Claim(ticketID: id)))
            _ = try await mailbox.next()
            let moved = try await mirna.update(.transfer(Transfer(ticketID: id, category: "bug", text: "Map hole")))
            #expect(moved.category == "bug" && moved.status == .open && moved.assignee.isEmpty)
            #expect(try await mailbox.next().kind == .transferred)
            let same = try await mirna.refusal(.transfer(Transfer(ticketID: id, category: "bug")))
            #expect(same.code == .invalidArgument && same.message.contains("already in 'bug'"))

            let escalated = try await mirna.update(.escalate(Escalate(ticketID: id, target: .seniorGMs, text: "Needs a restore")))
            #expect(escalated.priority == 2 && escalated.status == .open)
            #expect(try await mailbox.next().kind == .escalated)

            _ = try await mirna.update(.claim(Claim(ticketID: id)))
            _ = try await mailbox.next()
            let toDevelopers = try await mirna.update(.escalate(Escalate(ticketID: id, target: .developers)))
            #expect(toDevelopers.status == .closed)
            #expect(try await mirna.detail(id).resolution == "escalated_to_dev")
            let devList = try await server.staff("Vera", role: .moderator)
            let response = try await devList.call(.audit(Audit(resolution: "escalated_to_dev")))
            guard case .auditList(let audit) = response else { throw UnexpectedResponse(response) }
            #expect(audit.rows.map(\.ticket.id) == [id], "the developers' bug list")
            await thrall.close()
            await mirna.close()
            await devList.close()
        }
    }

    @Test func macrosAreManagedByAdminsAndFilledInForTheTicket() async throws {
        try await withTestServer { server in
            let admin = try await server.staff("Root", role: .admin)
            let mirna = try await server.staff("Mirna")
            let refused = try await mirna.refusal(.macroSave(MacroSave(name: "unstuck", text: "x")))
            #expect(refused.code == .forbidden && refused.message.contains("manage macros you need the role admin"))
            _ = try await admin.call(.macroSave(MacroSave(
                name: "unstuck", text: "Hello {player}, I moved {character} to the gates. — {gm}, ticket {ticket}")))
            guard case .macros(let macros) = try await mirna.call(.macroList(MacroList())) else { throw UnexpectedResponse(.ok(Ok())) }
            #expect(macros.entries.map(\.name) == ["unstuck"] && macros.entries[0].author == "Root")

            let thrall = try await server.player(42, "Thrall")
            let mailbox = Mailbox(thrall.notifications)
            let id = try await thrall.submitAccepted("Stuck under the Ironforge bridge, can't move").ticketID
            _ = try await mirna.update(.claim(Claim(ticketID: id)))
            _ = try await mirna.update(.answer(Answer(ticketID: id, text: "@unstuck")))
            _ = try await mailbox.next()
            let answer = try await mailbox.next()
            #expect(answer.text == "Hello Thrall, I moved Thrall to the gates. — Mirna, ticket \(id)")
            let unknown = try await mirna.refusal(.answer(Answer(ticketID: id, text: "@nope")))
            #expect(unknown.code == .notFound && unknown.message.contains("gmq macro list"))
            _ = try await admin.call(.macroRemove(MacroRemove(name: "unstuck")))
            #expect(try await mirna.refusal(.answer(Answer(ticketID: id, text: "@unstuck"))).code == .notFound)
            for connection in [admin, mirna, thrall] { await connection.close() }
        }
    }

    @Test func playersRateClosedTicketsAndSeeTheirQueuePlaceAndWait() async throws {
        try await withTestServer { server in
            let thrall = try await server.player(42, "Thrall")
            let mirna = try await server.staff("Mirna")
            let first = try await thrall.submitAccepted("Stuck under the Ironforge bridge, can't move").ticketID
            #expect(try await thrall.refusal(.rate(Rate(ticketID: first, stars: 5))).message.contains("not closed yet"))
            _ = try await mirna.update(.claim(Claim(ticketID: first)))
            _ = try await mirna.update(.close(Close(ticketID: first, resolution: "solved", text: "Moved you")))
            let rated = try await thrall.update(.rate(Rate(ticketID: first, stars: 4, comment: "Quick")))
            #expect(rated.rating == 4)
            #expect(try await thrall.refusal(.rate(Rate(ticketID: first, stars: 5))).message.contains("already rated"))
            let jaina = try await server.player(43, "Jaina")
            #expect(try await jaina.refusal(.rate(Rate(ticketID: first, stars: 1))).code == .notFound)

            // Now a first response is on record for the category: the next request gets an estimate.
            let second = try await jaina.submitAccepted("Stuck in the Deadmines wall near the ship")
            #expect(second.queuePosition == 1 && second.estimatedWaitSeconds < 60)
            let mine = try await Self.list(jaina, .myTickets(MyTickets()))
            #expect(mine.first?.queuePosition == 1)
            for connection in [thrall, mirna, jaina] { await connection.close() }
        }
    }

    @Test func eachRoleIsRefusedWhatItMayNotDoAndToldWhichRoleMay() async throws {
        try await withTestServer { server in
            let seeded = try await server.seedTickets(2)
            let gm = try await server.staff("Mirna", categories: ["bug"])
            let moderator = try await server.staff("Vera", role: .moderator)
            let admin = try await server.staff("Root", role: .admin)
            let audit = try await gm.refusal(.audit(Audit()))
            #expect(audit.code == .forbidden && audit.message.contains("moderator or admin") && audit.message.contains("signed in as gm"))
            #expect(try await gm.refusal(.auditVerify(AuditVerify())).code == .forbidden)
            #expect(try await gm.refusal(.report(ReportRequest(since: 0, until: 1))).code == .forbidden)
            let outside = try await gm.refusal(.claim(Claim(ticketID: seeded[0])))
            #expect(outside.code == .forbidden && outside.message.contains("'stuck_character', which you do not work"))
            let readOnly = try await moderator.refusal(.claim(Claim(ticketID: seeded[0])))
            #expect(readOnly.code == .forbidden && readOnly.message.contains("gm or admin"))
            #expect(try await moderator.detail(seeded[0]).summary.id == seeded[0], "moderators read everything")
            // An admin may take over a claim.
            let mirna = try await server.staff("Tharok")
            _ = try await mirna.update(.claim(Claim(ticketID: seeded[1])))
            #expect(try await admin.update(.claim(Claim(ticketID: seeded[1]))).assignee == "Root")
            for connection in [gm, moderator, admin, mirna] { await connection.close() }
        }
    }

    @Test func auditVerifyFindsARowEditedInTheDatabaseFile() async throws {
        try await withTestServer { server in
            let thrall = try await server.player(42, "Thrall")
            let mirna = try await server.staff("Mirna")
            let moderator = try await server.staff("Vera", role: .moderator)
            let id = try await thrall.submitAccepted("Stuck under the Ironforge bridge, can't move").ticketID
            _ = try await mirna.update(.claim(Claim(ticketID: id)))
            _ = try await mirna.update(.note(Note(ticketID: id, text: "Player was rude")))
            _ = try await mirna.update(.close(Close(ticketID: id, resolution: "solved", text: "Done")))
            guard case .auditVerified(let before) = try await moderator.call(.auditVerify(AuditVerify())) else {
                throw UnexpectedResponse(.ok(Ok()))
            }
            #expect(before.intact && before.events == 4 && before.head.count == 32)

            let database = try DatabaseQueue(path: server.directory.appendingPathComponent("gmq.sqlite").path)
            try await database.write { db in
                try db.execute(sql: "DROP TRIGGER events_are_append_only_update")
                try db.execute(sql: "UPDATE events SET text = 'Player was polite' WHERE ticket_id = ? AND seq = 3", arguments: [id])
            }
            guard case .auditVerified(let after) = try await moderator.call(.auditVerify(AuditVerify())) else {
                throw UnexpectedResponse(.ok(Ok()))
            }
            #expect(!after.intact && after.ticketID == id && after.sequence == 3 && after.reason.contains("edited"))
            for connection in [thrall, mirna, moderator] { await connection.close() }
        }
    }

    @Test func theReportCountsTicketsPerCategoryAndGM() async throws {
        try await withTestServer { server in
            let seeded = try await server.seedTickets(3)
            let mirna = try await server.staff("Mirna")
            for id in seeded.prefix(2) {
                _ = try await mirna.update(.claim(Claim(ticketID: id)))
                _ = try await mirna.update(.close(Close(ticketID: id, resolution: "solved", text: "Done")))
            }
            let moderator = try await server.staff("Vera", role: .moderator)
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            let response = try await moderator.call(.report(ReportRequest(since: now - 60_000, until: now + 60_000)))
            guard case .reportResult(let report) = response else { throw UnexpectedResponse(response) }
            let total = try #require(report.rows.first)
            #expect(total.group == .total && total.opened == 3 && total.closed == 2 && total.firstResponseMedian >= 0)
            #expect(report.rows.contains { $0.group == .category && $0.name == "stuck_character" && $0.opened == 3 })
            #expect(report.rows.contains { $0.group == .gm && $0.name == "Mirna" && $0.closed == 2 })
            let empty = try await moderator.refusal(.report(ReportRequest(since: now, until: now)))
            #expect(empty.code == .invalidArgument && empty.message.contains("until must be after since"))
            await mirna.close()
            await moderator.close()
        }
    }

    @Test func aClaimWhoseHolderLeftReturnsToTheQueue() async throws {
        var configuration = GMQServer.Configuration.forTests
        configuration.claimLease = ClaimLease(duration: 0.3)
        configuration.leaseCheckInterval = .milliseconds(50)
        try await withTestServer(configuration: configuration) { server in
            let thrall = try await server.player(42, "Thrall")
            let mailbox = Mailbox(thrall.notifications)
            let id = try await thrall.submitAccepted("Stuck under the Ironforge bridge, can't move").ticketID
            let watcher = try await server.staff("Vera", role: .moderator)
            _ = try await watcher.call(.watch(Watch()))
            let changes = Mailbox(watcher.queueChanges)
            let mirna = try await server.staff("Mirna")
            _ = try await mirna.update(.claim(Claim(ticketID: id)))
            #expect(try await mailbox.next().kind == .claimed)
            await mirna.close()
            // The moderator's session pings keep it alive but never count as work; Mirna is gone.
            let back = try await mailbox.next()
            // "left" once her session is closed; "idle" if the sweep ran first. Either way the claim is gone.
            #expect(back.kind == .leaseExpired && back.text.contains("Mirna") && back.text.contains("back in the queue"))
            var change = try await changes.next()
            while change.kind != .leaseExpired { change = try await changes.next() }
            #expect(change.ticket.status == .open && change.ticket.assignee.isEmpty)
            #expect(try await watcher.detail(id).history.last?.kind == .leaseExpired)
            await thrall.close()
            await watcher.close()
        }
    }
}

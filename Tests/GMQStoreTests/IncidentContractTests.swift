import Foundation
import GMQCore
import GMQTestSupport
import Testing

/// Incidents (issue 12 §1, §3) on every engine: linked tickets wait outside the queue, one answer reaches them
/// all in one operation, a player's reply takes their ticket back to the queue, closing releases the rest.
@Suite(.serialized) struct IncidentContractTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let mirna = Actor(id: 1, name: "Mirna", role: .gm)

    @Test(arguments: Engine.allCases) func linkedTicketsWaitApartAndOneAnswerReachesThemAll(engine: Engine) async throws {
        try await StoreFixture.with(engine) { fixture in
            let store = fixture.store
            let opened = try await store.openIncident(
                Incident(title: "Login fails after 3.3.5b", category: "account", match: "login error 132",
                    message: "A fix is on its way; no need to do anything."),
                by: "Mirna", at: Self.t0)
            #expect(opened.id > 0 && opened.isOpen && opened.openedBy == "Mirna" && opened.linked == 0)
            await #expect(throws: StoreError.self) {
                try await store.openIncident(
                    Incident(title: "x", category: "nowhere", match: "x", message: "x"), by: "Mirna", at: Self.t0)
            }
            let unrelated = try await store.submit(
                Submission(player: Actor(id: 9, name: "Other", role: .player), category: "account",
                    text: "Someone stole my account", context: GameContext()), at: Self.t0)
            guard case .created(let free, 1) = unrelated else { Issue.record("\(unrelated)"); return }
            var linked: [Ticket] = []
            for n in 1...40 {
                let player = Actor(id: Int64(100 + n), name: "P\(n)", role: .player)
                let outcome = try await store.submit(
                    Submission(player: player, category: "account", text: "Login error 132 number \(n)",
                        context: GameContext(), incident: opened.id),
                    at: Self.t0 + Double(n))
                guard case .created(let ticket, let position) = outcome else { Issue.record("\(outcome)"); return }
                #expect(position == 0 && ticket.incidentID == opened.id, "linked: not in the queue")
                linked.append(ticket)
            }
            let queue = try await store.queue(categories: ["account"], states: [.open], limit: 100)
            #expect(queue.map(\.id) == [free.id], "the queue holds only the unlinked ticket")
            #expect(try await store.tickets(ofIncident: opened.id, limit: 100).map(\.id) == linked.map(\.id))
            #expect(try await store.incident(opened.id)?.linked == 40)
            #expect(try await store.statistics().queues.first { $0.category == "account" }?.open == 1)
            let claimed = try await store.claimNext(category: "account", as: Access(actor: Self.mirna), at: Self.t0 + 50)
            #expect(claimed.ticket.id == free.id, "claim-next skips linked tickets")

            // One player says more: their ticket goes back to the queue.
            let reply = try await store.apply(
                .reply(substantive: true), to: linked[0].id, as: Access(actor: Actor(id: 101, name: "P1", role: .player)),
                text: "Also my character list is empty", at: Self.t0 + 60)
            #expect(reply.ticket.incidentID == nil && reply.ticket.state == .open)

            let answer = try await store.answerIncident(
                opened.id, text: "Fixed by the 3.3.5c hotfix, please log in again.", close: .solved,
                as: Access(actor: Self.mirna), at: Self.t0 + 120)
            #expect(answer.changes.count == 39 && answer.skipped == 0, "the player who replied left the incident")
            #expect(answer.changes.allSatisfy { $0.ticket.state == .closed && $0.ticket.resolution == .solved })
            #expect(answer.changes.allSatisfy { $0.event.text == "Incident #\(opened.id): Fixed by the 3.3.5c hotfix, please log in again." })
            #expect(answer.changes.allSatisfy { $0.notification?.kind == .closed && $0.notification?.id != nil })
            let pending = try await store.pendingNotifications(for: 140)
            #expect(pending.last?.text.hasPrefix("Incident #\(opened.id):") == true)
            #expect(try await store.verifyChain().broken == nil)

            // A second answer finds nothing left open; closing releases what is open (here none).
            let again = try await store.answerIncident(
                opened.id, text: "Still fixed", close: nil, as: Access(actor: Self.mirna), at: Self.t0 + 130)
            #expect(again.changes.isEmpty && again.skipped == 39)
            let closed = try await store.closeIncident(opened.id, by: "Mirna", at: Self.t0 + 140)
            #expect(!closed.isOpen && closed.closedBy == "Mirna")
            await #expect(throws: StoreError.incidentClosed(opened.id)) {
                try await store.closeIncident(opened.id, by: "Mirna", at: Self.t0 + 141)
            }
            #expect(try await store.incidents(includingClosed: false).isEmpty)
            #expect(try await store.incidents(includingClosed: true).map(\.id) == [opened.id])
            let log = try await store.staffLog(StaffLogFilter()).map(\.action)
            #expect(log == [.incidentClosed, .incidentAnswered, .incidentAnswered, .incidentOpened])
        }
    }

    @Test(arguments: Engine.allCases) func closingAnIncidentPutsItsOpenTicketsBackInTheQueue(engine: Engine) async throws {
        try await StoreFixture.with(engine) { fixture in
            let store = fixture.store
            let incident = try await store.openIncident(
                Incident(title: "Mail delayed", category: "bug", match: "mail delayed", message: "Mail is slow today."),
                by: "Mirna", at: Self.t0)
            for n in 1...3 {
                _ = try await store.submit(
                    Submission(player: Actor(id: Int64(n), name: "P\(n)", role: .player), category: "bug",
                        text: "My mail is delayed \(n)", context: GameContext(), incident: incident.id), at: Self.t0)
            }
            #expect(try await store.queue(categories: ["bug"], states: [.open], limit: 10).isEmpty)
            _ = try await store.closeIncident(incident.id, by: "Mirna", at: Self.t0 + 10)
            let queue = try await store.queue(categories: ["bug"], states: [.open], limit: 10)
            #expect(queue.count == 3 && queue.allSatisfy { $0.incidentID == nil })
            #expect(try await store.statistics().queues.first { $0.category == "bug" }?.open == 3)
            #expect(try await store.position(of: queue[2]) == 3)
        }
    }

    @Test(arguments: Engine.allCases) func linkingTakesOnlyWaitingTicketsTellsTheirPlayersAndLearnsExamples(
        engine: Engine
    ) async throws {
        try await StoreFixture.with(engine) { fixture in
            let store = fixture.store
            let incident = try await store.openIncident(
                Incident(title: "Login error 132", category: "account", match: "login error 132",
                    message: "A hotfix is on its way."),
                by: "Mirna", at: Self.t0)
            func file(_ n: Int, _ category: String = "account", _ text: String) async throws -> Ticket {
                let outcome = try await store.submit(
                    Submission(player: Actor(id: Int64(200 + n), name: "P\(n)", role: .player), category: category,
                        text: text, context: GameContext()), at: Self.t0 + Double(n))
                guard case .created(let ticket, _) = outcome else { throw StoreError.ticketNotFound(0) }
                return ticket
            }
            let waiting = [
                try await file(1, "account", "Game crashes when I press Enter World since the patch"),
                try await file(2, "account", "The game crashes at Enter World after the update"),
            ]
            let held = try await file(3, "account", "Crash at Enter World, every time")
            _ = try await store.apply(.claim, to: held.id, as: Access(actor: Self.mirna), text: "", at: Self.t0 + 10)
            let elsewhere = try await file(4, "bug", "Crash at Enter World in the bug queue")
            #expect(try await store.queuedTickets(in: ["account"], since: Self.t0.milliseconds, limit: 10).map(\.id)
                == waiting.map(\.id).reversed(), "waiting tickets, newest first; the claimed one is not waiting")
            #expect(try await store.queuedTickets(in: nil, since: (Self.t0 + 2).milliseconds, limit: 10).map(\.id)
                == [elsewhere.id, waiting[1].id])

            let link = try await store.linkIncident(
                incident.id, tickets: waiting.map(\.id) + [held.id, elsewhere.id, 999_999],
                examples: ["Game crashes when I press Enter World since the patch", "  ", "login error 132"],
                as: Access(actor: Self.mirna), at: Self.t0 + 20)
            #expect(link.changes.map(\.ticket.id) == waiting.map(\.id) && link.skipped == 3)
            #expect(link.changes.allSatisfy { $0.ticket.incidentID == incident.id && $0.event.kind == .answered })
            #expect(link.changes.allSatisfy { $0.ticket.state == .open && $0.ticket.firstResponseAt != nil })
            #expect(link.changes.allSatisfy { $0.notification?.kind == .answered && $0.notification?.text == "Incident #\(incident.id): A hotfix is on its way." })
            #expect(link.incident.linked == 2)
            #expect(link.incident.match == "login error 132; Game crashes when I press Enter World since the patch",
                "a new example is added once; blanks and repeats are not")
            #expect(try await store.queue(categories: ["account"], states: [.open], limit: 10).isEmpty)
            #expect(try await store.statistics().queues.first { $0.category == "account" }?.open == 0)
            #expect(try await store.pendingNotifications(for: 201).last?.kind == .answered)
            #expect(try await store.verifyChain().broken == nil)
            _ = try await store.closeIncident(incident.id, by: "Mirna", at: Self.t0 + 30)
            await #expect(throws: StoreError.incidentClosed(incident.id)) {
                try await store.linkIncident(
                    incident.id, tickets: [elsewhere.id], examples: [], as: Access(actor: Self.mirna), at: Self.t0 + 31)
            }
            #expect(try await store.staffLog(StaffLogFilter()).map(\.action).prefix(2) == [.incidentClosed, .incidentLinked])
        }
    }
}

import Foundation
import GMQClient
import GMQCore
import GMQProtocol
import GMQServer
import GMQTestSupport
import Testing

/// Snooze and reminders (issue 13 §4), over the wire: a GM sets a ticket aside, it leaves their working list and
/// shows snoozed to staff (claimed to the player and to a version 1 console), it comes back by itself with a
/// console push to its holder, and a reminder reaches its GM once.
@Suite struct SnoozeServerTests {
    @Test(.timeLimit(.minutes(2))) func aSnoozedTicketComesBackToItsHolderAndARemindersArrives() async throws {
        var configuration = GMQServer.Configuration.forTests
        configuration.abuseLimits = .none
        configuration.snoozeCheckInterval = .milliseconds(50)
        try await withTestServer(configuration: configuration) { server in
            let thrall = try await server.player(42, "Thrall")
            let id = try await thrall.submitAccepted("Mount vanished from my collection after the patch", category: "bug").ticketID
            let mirna = try await server.staff("Mirna", role: .gm)
            let tharok = try await server.staff("Tharok", role: .gm)
            let oldieKey = try await server.staffKey("Oldie", role: .gm)
            let oldConsole = try await GMQConnection.connect(
                host: "127.0.0.1", port: server.ports.staff,
                hello: Hello(protocolVersion: 1, clientKind: .staff, credential: oldieKey))
            guard case .ok = try await mirna.call(.watch(Watch())) else { Issue.record("no OK"); return }
            var console = mirna.queueChanges.makeAsyncIterator()
            _ = try await mirna.update(.claim(Claim(ticketID: id)))

            let now = Int64(Date().timeIntervalSince1970 * 1000)
            #expect(try await mirna.refusal(.snooze(Snooze(ticketID: id, until: now - 1_000))).code == .invalidArgument)
            #expect(try await tharok.refusal(.snooze(Snooze(ticketID: id, until: now + 60_000))).code == .notAssignee)
            #expect(try await mirna.refusal(.snooze(Snooze(ticketID: id, until: 0))).message.contains("not snoozed"))
            // Snoozed for a minute, then taken back early by its holder.
            let snoozed = try await mirna.update(.snooze(Snooze(ticketID: id, until: now + 60_000, text: "hotfix 3.4.1")))
            #expect(snoozed.status == .snoozed && snoozed.assignee == "Mirna" && snoozed.dueAt == now + 60_000)
            #expect(Presentation.describe(snoozed).hasPrefix("ticket \(id) is now snoozed, held by Mirna until "))
            guard case .ticketList(let mine) = try await mirna.call(.queue(QueueRequest(filter: .mine))),
                case .ticketList(let aside) = try await mirna.call(.queue(QueueRequest(filter: .snoozed))),
                case .ticketList(let open) = try await tharok.call(.queue(QueueRequest(filter: .open)))
            else { Issue.record("no lists"); return }
            #expect(mine.tickets.map(\.status) == [.snoozed] && aside.tickets.map(\.id) == [id] && open.tickets.isEmpty)
            // The player sees it held, and nothing of the snooze; so does a version 1 console.
            let seen = try await thrall.detail(id)
            #expect(seen.summary.status == .claimed && seen.history.allSatisfy { $0.kind != .snoozed })
            let old = try await oldConsole.detail(id)
            #expect(old.summary.status == .claimed && old.history.allSatisfy { $0.kind != .snoozed })
            let history = try await mirna.detail(id).history
            #expect(history.last?.kind == .snoozed && history.last?.text.hasSuffix(": hotfix 3.4.1") == true)
            let back = try await mirna.update(.snooze(Snooze(ticketID: id, until: 0)))
            let taken = try await mirna.detail(id).history.last?.text
            #expect(back.status == .claimed && taken == "taken back by Mirna")

            // Snoozed briefly: the server wakes it, and the holder's console says so. The times below leave a few
            // seconds for the requests before them: with 1.5 s, a CI machine stalled past it ("already passed").
            _ = try await mirna.update(.snooze(Snooze(ticketID: id, until: Int64(Date().timeIntervalSince1970 * 1000) + 4_000)))
            // The console saw the early wake first, then this one.
            var wakes: [QueueChanged] = []
            while wakes.count < 2 {
                let change = try #require(await console.next())
                if change.kind == .woke { wakes.append(change) }
            }
            let change = wakes[1]
            #expect(change.ticket.status == .claimed && change.ticket.assignee == "Mirna" && change.actorName == "Mirna")
            let woke = try await mirna.detail(id).history.last
            #expect(woke?.kind == .woke && woke?.text == SnoozeText.timeCame, "\(String(describing: woke))")

            // A reminder: refused to anyone but the holder, then pushed to the holder once.
            let at = Int64(Date().timeIntervalSince1970 * 1000) + 4_000
            #expect(try await tharok.refusal(.remind(Remind(ticketID: id, at: at, text: "x"))).code == .notAssignee)
            #expect(try await mirna.refusal(.remind(Remind(ticketID: id, at: at, text: "  "))).code == .invalidArgument)
            var reminders = mirna.reminders.makeAsyncIterator()
            guard case .ok = try await mirna.call(.remind(Remind(ticketID: id, at: at, text: "call Thrall back"))) else {
                Issue.record("no OK"); return
            }
            let reminder = try #require(await reminders.next())
            #expect(reminder.ticketID == UInt64(id) && reminder.text == "call Thrall back" && reminder.at == at)
            #expect(Presentation.describe(reminder).hasSuffix("call Thrall back"))

            // A reminder set from a version 1 console (which has no REMINDER) waits for a version 2 session.
            let second = try await thrall.submitAccepted("Hearthstone vanished from my bags after the patch", category: "bug").ticketID
            _ = try await oldConsole.update(.claim(Claim(ticketID: second)))
            let due = Int64(Date().timeIntervalSince1970 * 1000) + 200
            guard case .ok = try await oldConsole.call(.remind(Remind(ticketID: second, at: due, text: "for a newer console")))
            else { Issue.record("no OK"); return }
            try await Task.sleep(for: .milliseconds(800))  // a dozen sweeps pass while only the version 1 session is there
            let newer = try await GMQConnection.connect(
                host: "127.0.0.1", port: server.ports.staff, hello: Hello(clientKind: .staff, credential: oldieKey))
            var waiting = newer.reminders.makeAsyncIterator()
            let kept = try #require(await waiting.next())
            #expect(kept.ticketID == UInt64(second) && kept.text == "for a newer console")
        }
    }
}

/// Internal tickets (issue 13 §3), over the wire: opened by staff about a player, queued and handed on like any
/// other, linked from the player's ticket, and never shown or told to the player.
@Suite struct InternalTicketServerTests {
    @Test func staffOpenWorkAndLinkAnInternalTicketThePlayerNeverSees() async throws {
        var configuration = GMQServer.Configuration.forTests
        configuration.abuseLimits = .none
        try await withTestServer(configuration: configuration) { server in
            let thrall = try await server.player(42, "Thrall")
            let reported = try await thrall.submitAccepted(
                "Gold sellers spam trade chat in Orgrimmar every minute", category: "player_report").ticketID
            let mirna = try await server.staff("Mirna", role: .gm)
            _ = try await server.staffKey("Tharok", role: .gm, categories: ["player_report"])
            let vera = try await server.staff("Vera", role: .moderator)
            guard case .ok = try await mirna.call(.watch(Watch())) else { Issue.record("no OK"); return }
            var console = mirna.queueChanges.makeAsyncIterator()
            var pushes = thrall.notifications.makeAsyncIterator()

            // A moderator opens one about Thrall; his name comes from his own ticket.
            let opened = try await vera.update(.internalOpen(InternalOpen(
                category: "player_report", aboutPlayerID: 42, text: "Refund for Thrall needs approval")))
            #expect(opened.playerID == 0 && opened.playerName == "internal, about Thrall (42)" && opened.status == .open)
            let change = try #require(await console.next())
            #expect(change.kind == .submitted && change.ticket.id == opened.id && change.actorName == "Vera")
            #expect(try await vera.refusal(.internalOpen(InternalOpen(category: "player_report", text: " "))).code == .invalidArgument)
            #expect(try await thrall.refusal(.internalOpen(InternalOpen(category: "bug", text: "x"))).code == .wrongPort)

            // Handed to Tharok, then linked from the player's ticket.
            let handed = try await mirna.update(.assign(Assign(ticketID: opened.id, gm: "Tharok")))
            #expect(handed.assignee == "Tharok")
            let linked = try await mirna.update(.internalLink(InternalLinkRequest(ticketID: reported, internalID: opened.id)))
            #expect(linked.id == opened.id)
            #expect(try await mirna.detail(reported).history.last?.text.hasPrefix("Linked to internal ticket #\(opened.id)") == true)
            #expect(try await mirna.refusal(.internalLink(InternalLinkRequest(ticketID: opened.id, internalID: reported))).code == .invalidArgument)
            guard case .ticketList(let none) = try await mirna.call(.playerTickets(PlayerTickets(playerID: 0))) else { return }
            #expect(none.tickets.isEmpty, "player id 0 is no player")

            // The player: not in their list, not readable, nothing pushed, nothing of the link.
            guard case .ticketList(let mine) = try await thrall.call(.myTickets(MyTickets())) else { return }
            #expect(mine.tickets.map(\.id) == [reported])
            #expect(try await thrall.refusal(.getTicket(GetTicket(ticketID: opened.id))).code == .notFound)
            #expect(try await thrall.detail(reported).history.allSatisfy { $0.kind != .noted })
            _ = try await mirna.update(.claim(Claim(ticketID: reported)))
            let push = try #require(await pushes.next())
            #expect(push.ticketID == reported && push.kind == .claimed, "the first push is the claim of the player's own ticket")
        }
    }
}

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
    @Test func aSnoozedTicketComesBackToItsHolderAndARemindersArrives() async throws {
        var configuration = GMQServer.Configuration(playerPort: 0, staffPort: 0)
        configuration.abuseLimits = .none
        configuration.snoozeCheckInterval = .milliseconds(50)
        try await withTestServer(configuration: configuration) { server in
            let thrall = try await server.player(42, "Thrall")
            let id = try await thrall.submitAccepted("Mount vanished from my collection after the patch", category: "bug").ticketID
            let mirna = try await server.staff("Mirna", role: .gm)
            let tharok = try await server.staff("Tharok", role: .gm)
            let oldConsole = try await GMQConnection.connect(
                host: "127.0.0.1", port: server.ports.staff,
                hello: Hello(protocolVersion: 1, clientKind: .staff, credential: try await server.staffKey("Oldie", role: .gm)))
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

            // Snoozed briefly: the server wakes it, and the holder's console says so.
            _ = try await mirna.update(.snooze(Snooze(ticketID: id, until: Int64(Date().timeIntervalSince1970 * 1000) + 1_500)))
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
            let at = Int64(Date().timeIntervalSince1970 * 1000) + 1_500
            #expect(try await tharok.refusal(.remind(Remind(ticketID: id, at: at, text: "x"))).code == .notAssignee)
            #expect(try await mirna.refusal(.remind(Remind(ticketID: id, at: at, text: "  "))).code == .invalidArgument)
            var reminders = mirna.reminders.makeAsyncIterator()
            guard case .ok = try await mirna.call(.remind(Remind(ticketID: id, at: at, text: "call Thrall back"))) else {
                Issue.record("no OK"); return
            }
            let reminder = try #require(await reminders.next())
            #expect(reminder.ticketID == UInt64(id) && reminder.text == "call Thrall back" && reminder.at == at)
            #expect(Presentation.describe(reminder).hasSuffix("call Thrall back"))
        }
    }
}

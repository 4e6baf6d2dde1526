import Foundation
import GMQClient
import GMQCore
import GMQProtocol
import GMQServer
import GMQTestSupport
import Testing

/// Hand-offs (issue 13 §2): a GM hands a ticket to a named colleague, the player is told who holds it (a version 1
/// client as a claim), the new holder's console sees it arrive, and `gmq shift end` empties a GM's hands.
@Suite struct HandOffServerTests {
    @Test func aTicketGoesToANamedColleagueAndEveryoneIsTold() async throws {
        var configuration = GMQServer.Configuration.forTests
        configuration.abuseLimits = .none
        try await withTestServer(configuration: configuration) { server in
            let thrall = try await server.player(42, "Thrall")
            let id = try await thrall.submitAccepted("Stuck under the Ironforge bridge, cannot move").ticketID
            let old = try await GMQConnection.connect(
                host: "127.0.0.1", port: server.ports.player,
                hello: Hello(protocolVersion: 1, clientKind: .player, credential: server.token(player: 42, name: "Thrall")))
            let mirna = try await server.staff("Mirna", role: .gm)
            let tharok = try await server.staff("Tharok", role: .gm, categories: ["stuck_character"])
            _ = try await server.staffKey("Bugsy", role: .gm, categories: ["bug"])
            guard case .ok = try await tharok.call(.watch(Watch())) else { Issue.record("no OK"); return }
            var console = tharok.queueChanges.makeAsyncIterator()
            _ = try await mirna.update(.claim(Claim(ticketID: id)))
            #expect(try await mirna.refusal(.assign(Assign(ticketID: id, gm: "Bugsy"))).message.contains("does not work stuck_character"))
            #expect(try await mirna.refusal(.assign(Assign(ticketID: id, gm: "Nobody"))).code == .notFound)
            #expect(try await tharok.refusal(.assign(Assign(ticketID: id, gm: "Tharok"))).code == .notAssignee)

            var pushes = thrall.notifications.makeAsyncIterator()
            var oldPushes = old.notifications.makeAsyncIterator()
            let handed = try await mirna.update(.assign(Assign(ticketID: id, gm: "tharok", text: "my shift ends")))
            #expect(handed.status == .claimed && handed.assignee == "Tharok")
            // The player: who holds it now; a version 1 client as a claim by the new holder.
            var push = try #require(await pushes.next())
            if push.kind == .claimed { push = try #require(await pushes.next()) }  // Mirna's claim came first
            #expect(push.kind == .assigned && push.actorName == "Tharok")
            #expect(Presentation.describe(push) == "[ticket \(id)] Tharok took over your request: my shift ends")
            var oldPush = try #require(await oldPushes.next())
            if oldPush.actorName == "Mirna" { oldPush = try #require(await oldPushes.next()) }
            #expect(oldPush.kind == .claimed && oldPush.actorName == "Tharok")
            // The new holder's console sees it arrive.
            var change = try #require(await console.next())
            while change.kind != .assigned { change = try #require(await console.next()) }
            #expect(change.actorName == "Mirna" && change.ticket.assignee == "Tharok")
            // The history: who handed it to whom; a version 1 client does not see the step.
            let events = try await mirna.detail(id).history
            #expect(events.last?.kind == .assigned && events.last?.actorName == "Mirna" && events.last?.text == "Tharok: my shift ends")
            #expect(try await old.detail(id).history.allSatisfy { $0.kind != .assigned })

            // Shift end: Tharok's tickets go back to the queue.
            let second = try await thrall.submitAccepted("Fell under the map in Westfall near the farm").ticketID
            _ = try await tharok.update(.claim(Claim(ticketID: second)))
            guard case .ticketList(let held) = try await tharok.call(.queue(QueueRequest(filter: .mine))) else { return }
            #expect(Set(held.tickets.map(\.id)) == [id, second])
            for ticket in held.tickets { _ = try await tharok.update(.unclaim(Unclaim(ticketID: ticket.id))) }
            guard case .ticketList(let after) = try await tharok.call(.queue(QueueRequest(filter: .mine))) else { return }
            #expect(after.tickets.isEmpty)
        }
    }
}

/// A GM's priority (issue 13 §7) reorders the queue and is kept as a staff note.
@Suite struct PriorityServerTests {
    @Test func aRealmWideProblemGoesToTheHeadOfTheQueue() async throws {
        var configuration = GMQServer.Configuration.forTests
        configuration.abuseLimits = .none
        try await withTestServer(configuration: configuration) { server in
            let thrall = try await server.player(42, "Thrall")
            let first = try await thrall.submitAccepted("Mount vanished from my collection after the patch", category: "bug").ticketID
            let second = try await thrall.submitAccepted("Nobody on Argent Dawn can loot the world boss chest", category: "bug").ticketID
            let mirna = try await server.staff("Mirna", role: .gm)
            func queue() async throws -> [UInt64] {
                guard case .ticketList(let list) = try await mirna.call(.queue(QueueRequest(category: "bug"))) else { return [] }
                return list.tickets.map(\.id)
            }
            #expect(try await queue() == [first, second])
            let raised = try await mirna.update(.priority(PriorityRequest(ticketID: second, urgency: 3, impact: 3)))
            #expect(raised.priority == 3)
            #expect(try await queue() == [second, first])
            #expect(try await mirna.detail(second).history.last?.text == "Priority 3: urgency high × impact realm")
            #expect(try await thrall.detail(second).history.allSatisfy { $0.kind != .noted }, "a staff note")
            let vera = try await server.staff("Vera", role: .moderator)
            #expect(try await vera.refusal(.priority(PriorityRequest(ticketID: first, urgency: 4, impact: 4))).code == .forbidden)
        }
    }
}

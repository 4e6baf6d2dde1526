import Foundation
import GMQClient
import GMQCore
import GMQProtocol
import GMQTestSupport
import Testing

/// Issue 18 §1: a GM created for some categories reaches no other ticket, by any message.
@Suite struct CategoryLimitTests {
    /// Every staff message that names a ticket, sent by a GM who works only `bug` about a `payment` ticket: each is
    /// refused as `forbidden`, naming the category and the GM's own, and nothing changes.
    @Test(arguments: [
        "claim", "unclaim", "ask", "answer", "note", "close", "transfer out", "transfer in", "escalate senior",
        "escalate developers", "show", "queue payment", "claim next payment",
    ])
    func aGMLimitedToBugReachesNoPaymentTicket(message name: String) async throws {
        try await withTestServer { server in
            let player = try await server.player(1, "Thrall")
            let payment = try await player.submitAccepted(
                "I was charged twice for the mount, order 4417-22, card ending 0042", category: "payment").ticketID
            let account = try await player.submitAccepted(
                "My authenticator was reset and now I cannot log in, mail thrall@example.com", category: "account").ticketID
            let bugOnly = try await server.staff("Mirna", categories: ["bug"])
            let admin = try await server.staff("Root", role: .admin)
            // A held payment ticket for the steps only a holder may take: the GM must be refused before the holder
            // rule, for the category, not because someone else holds it.
            if ["unclaim", "ask", "answer", "close"].contains(name) {
                _ = try await admin.update(.claim(Claim(ticketID: payment)))
            }
            let requests: [String: Message] = [
                "claim": .claim(Claim(ticketID: payment)),
                "unclaim": .unclaim(Unclaim(ticketID: payment)),
                "ask": .ask(Ask(ticketID: payment, text: "Which card?")),
                "answer": .answer(Answer(ticketID: payment, text: "Refunded")),
                "note": .note(Note(ticketID: payment, text: "Looks like fraud")),
                "close": .close(Close(ticketID: payment, resolution: "solved", text: "")),
                "transfer out": .transfer(Transfer(ticketID: account, category: "bug", text: "Mine now")),
                "transfer in": .transfer(Transfer(ticketID: payment, category: "account", text: "")),
                "escalate senior": .escalate(Escalate(ticketID: payment, target: .seniorGMs)),
                "escalate developers": .escalate(Escalate(ticketID: payment, target: .developers)),
                "show": .getTicket(GetTicket(ticketID: payment)),
                "queue payment": .queue(QueueRequest(category: "payment")),
                "claim next payment": .claim(.next(category: "payment")),
            ]
            let before = try await admin.detail(payment)
            let refusal = try await bugOnly.refusal(try #require(requests[name]))
            #expect(refusal.code == .forbidden, "\(name): \(refusal)")
            #expect(refusal.message.contains("which you do not work (yours: bug)"), "\(name): \(refusal.message)")
            let after = try await admin.detail(payment)
            #expect(after.history.count == before.history.count && after.summary.status == before.summary.status)
            #expect(try await admin.detail(account).summary.category == "account")
            for connection in [player, bugOnly, admin] { await connection.close() }
        }
    }

    @Test func aLimitedGMsListsHoldOnlyTheirCategories() async throws {
        try await withTestServer { server in
            let player = try await server.player(1, "Thrall")
            let payment = try await player.submitAccepted(
                "I was charged twice for the mount, order 4417-22", category: "payment").ticketID
            let bug = try await player.submitAccepted("The quest Wanted: Hogger does not complete", category: "bug").ticketID
            let bugOnly = try await server.staff("Mirna", categories: ["bug"])
            guard case .ticketList(let queue) = try await bugOnly.call(.queue(QueueRequest())) else { throw UnexpectedResponse(.ok(Ok())) }
            #expect(queue.tickets.map(\.id) == [bug])
            guard case .ticketList(let earlier) = try await bugOnly.call(.playerTickets(PlayerTickets(playerID: 1))) else {
                throw UnexpectedResponse(.ok(Ok()))
            }
            #expect(earlier.tickets.map(\.id) == [bug], "the player's payment ticket stays out of sight")
            #expect(try await bugOnly.update(.claim(.next())).id == bug)
            let empty = try await bugOnly.refusal(.claim(.next()))
            #expect(empty.code == .queueEmpty, "\(payment) stays unclaimed")
            for connection in [player, bugOnly] { await connection.close() }
        }
    }
}

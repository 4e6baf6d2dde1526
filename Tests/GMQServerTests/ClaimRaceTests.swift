import GMQClient
import GMQCore
import GMQServer
import GMQProtocol
import GMQTestSupport
import Testing

@Suite struct ClaimRaceTests {
    @Test func twoGMsRacingFor100TicketsNeverBothWinOne() async throws {
        try await withTestServer { server in
            let ids = try await server.seedTickets(100)
            let mirna = try await server.staff("Mirna")
            let tharok = try await server.staff("Tharok")

            // Both GMs claim every ticket at the same moment; the requests are pipelined on two connections.
            let results = try await withThrowingTaskGroup(of: (UInt64, String, Message).self) { group in
                for id in ids {
                    for (name, gm) in [("Mirna", mirna), ("Tharok", tharok)] {
                        group.addTask { (id, name, try await gm.send(.claim(Claim(ticketID: id)))) }
                    }
                }
                var all: [(UInt64, String, Message)] = []
                for try await result in group { all.append(result) }
                return all
            }
            for id in ids {
                let outcomes = results.filter { $0.0 == id }
                let winners = outcomes.compactMap { outcome -> String? in
                    if case .ticketUpdated(let update) = outcome.2 { return update.summary.assignee }
                    return nil
                }
                #expect(winners.count == 1, "ticket \(id) had \(winners.count) winners")
                let losers = outcomes.compactMap { outcome -> ErrorMessage? in
                    if case .error(let error) = outcome.2 { return error }
                    return nil
                }
                #expect(losers.count == 1)
                if let winner = winners.first, let loser = losers.first {
                    #expect(loser.code == .alreadyClaimed)
                    #expect(loser.message.contains("claimed by \(winner)"))
                }
                let history = try await mirna.detail(id).history
                #expect(history.filter { $0.kind == .claimed }.count == 1)
            }
            await mirna.close()
            await tharok.close()
        }
    }

    @Test func claimNextHandsEachTicketToOneGMAndThenReportsAnEmptyQueue() async throws {
        try await withTestServer { server in
            _ = try await server.seedTickets(40)
            let gms = [try await server.staff("Mirna"), try await server.staff("Tharok")]
            let claimed = try await withThrowingTaskGroup(of: [UInt64].self) { group in
                for gm in gms {
                    group.addTask {
                        var mine: [UInt64] = []
                        while true {
                            switch try await gm.send(.claim(.next())) {
                            case .ticketUpdated(let update): mine.append(update.summary.id)
                            case .error(let error) where error.code == .queueEmpty: return mine
                            case let other: throw UnexpectedResponse(other)
                            }
                        }
                    }
                }
                var all: [[UInt64]] = []
                for try await mine in group { all.append(mine) }
                return all
            }
            let every = claimed.flatMap { $0 }
            #expect(every.count == 40 && Set(every).count == 40)
            #expect(every.sorted() == Array(1...40))
            for gm in gms { await gm.close() }
        }
    }

    @Test func queueIsFirstInFirstOutPerCategory() async throws {
        try await withTestServer { server in
            let player = try await server.player(1, "Anduin")
            let a = try await player.submitAccepted("Charged twice for the mount bundle, order 55-1", category: "payment")
            let b = try await player.submitAccepted("Stuck in the Deadmines ship hull", category: "stuck_character")
            let c = try await player.submitAccepted("Refund the duplicate charge, order 55-2", category: "payment")
            #expect([a.queuePosition, b.queuePosition, c.queuePosition] == [1, 1, 2])
            let gm = try await server.staff("Mirna")
            guard case .ticketList(let payments) = try await gm.call(.queue(QueueRequest(category: "payment"))) else {
                throw UnexpectedResponse(.ok(Ok()))
            }
            #expect(payments.tickets.map(\.id) == [a.ticketID, c.ticketID])
            #expect(try await gm.update(.claim(.next(category: "payment"))).id == a.ticketID)
            await gm.close()
            await player.close()
        }
    }
}

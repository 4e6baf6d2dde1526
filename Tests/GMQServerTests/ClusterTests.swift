import Foundation
import GMQClient
import GMQCore
import GMQProtocol
import GMQTestSupport
import Testing

/// Several gmqd nodes on one PostgreSQL database, over the wire: what a change on one node does on the others.
@Suite(.serialized) struct ClusterTests {
    @Test func aPlayerOnNodeAHearsTheAnswerAGMGivesOnNodeC() async throws {
        try await withTestCluster(nodes: 3) { nodes in
            let thrall = try await nodes[0].player(42, "Thrall")
            let mailbox = Mailbox(thrall.notifications)
            let mirna = try await nodes[2].staff("Mirna")
            let id = try await thrall.submitAccepted("Stuck under the Ironforge bridge, can't move or hearth").ticketID
            #expect(try await mirna.update(.claim(.next())).id == id)
            _ = try await mirna.update(.answer(Answer(ticketID: id, text: "Teleported you to the gates.")))
            let claimed = try await mailbox.next()
            let answered = try await mailbox.next()
            #expect(claimed.kind == .claimed && claimed.ticketID == id)
            #expect(answered.kind == .answered && answered.text == "Teleported you to the gates.")
            // The player's reply on node A reaches the GM's view on node C at once: one database.
            _ = try await thrall.update(.playerReply(PlayerReply(ticketID: id, text: "Thanks, I am out")))
            #expect(try await mirna.detail(id).history.last?.text == "Thanks, I am out")
            for push in [claimed, answered] { try await thrall.acknowledge(push) }
            await thrall.close()
            await mirna.close()
        }
    }

    @Test func aConsoleOnNodeBSeesTicketsArriveOnNodeA() async throws {
        try await withTestCluster(nodes: 2) { nodes in
            let mirna = try await nodes[1].staff("Mirna")
            _ = try await mirna.call(.watch(Watch()))
            let changes = Mailbox(mirna.queueChanges)
            let thrall = try await nodes[0].player(42, "Thrall")
            let id = try await thrall.submitAccepted("Stuck under the Ironforge bridge, can't move").ticketID
            let opened = try await changes.next()
            #expect(opened.kind == .submitted && opened.ticket.id == id && opened.actorName == "Thrall")
            await thrall.close()
            await mirna.close()
        }
    }

    @Test func notificationsSentWhileAPlayerWasAwayArriveOnAnotherNode() async throws {
        try await withTestCluster(nodes: 2) { nodes in
            let thrall = try await nodes[0].player(42, "Thrall")
            let id = try await thrall.submitAccepted("Stuck under the Ironforge bridge, can't move").ticketID
            await thrall.close()
            let mirna = try await nodes[0].staff("Mirna")
            _ = try await mirna.update(.claim(Claim(ticketID: id)))
            _ = try await mirna.update(.ask(Ask(ticketID: id, text: "Which side?")))
            // The player comes back through the other node: the outbox is in the shared database.
            let again = try await nodes[1].player(42, "Thrall")
            let mailbox = Mailbox(again.notifications)
            #expect(try await mailbox.next().kind == .claimed)
            #expect(try await mailbox.next().kind == .asked)
            await again.close()
            await mirna.close()
        }
    }

    @Test func sixGMsOnThreeNodesClaimEachTicketOnce() async throws {
        try await withTestCluster(nodes: 3) { nodes in
            let ids = try await nodes[0].seedTickets(60)
            var gms: [GMQConnection] = []
            for gm in 0..<6 { gms.append(try await nodes[gm % 3].staff("GM\(gm)")) }
            let won = try await withThrowingTaskGroup(of: [UInt64].self) { group in
                for gm in gms {
                    group.addTask {
                        var mine: [UInt64] = []
                        while true {
                            do {
                                mine.append(try await gm.update(.claim(.next())).id)
                            } catch let error as ErrorMessage where error.code == .queueEmpty {
                                return mine
                            }
                        }
                    }
                }
                var all: [UInt64] = []
                for try await mine in group { all += mine }
                return all
            }
            #expect(won.count == ids.count && Set(won) == Set(ids), "every ticket claimed, none twice")
            for gm in gms { await gm.close() }
        }
    }
}

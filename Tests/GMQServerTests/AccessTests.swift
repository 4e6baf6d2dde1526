import Foundation
import GMQClient
import GMQCore
import GMQServer
import GMQProtocol
import GMQTestSupport
import Testing

@Suite struct AccessTests {
    /// Issue 18 §4: ids are sequential, so "not yours" must read exactly as "does not exist" on every message.
    @Test func anotherPlayersTicketAnswersExactlyAsAMissingOne() async throws {
        try await withTestServer { server in
            let owner = try await server.player(1, "Thrall")
            let id = try await owner.submitAccepted("Harassment by Garrosh in whispers all evening").ticketID
            let missing = id + 1000
            let stranger = try await server.player(2, "Jaina")
            let requests: [(UInt64) -> Message] = [
                { .getTicket(GetTicket(ticketID: $0)) },
                { .playerReply(PlayerReply(ticketID: $0, text: "I saw it too, near Orgrimmar")) },
                { .rate(Rate(ticketID: $0, stars: 5)) },
            ]
            for request in requests {
                let theirs = try await stranger.refusal(request(id))
                let none = try await stranger.refusal(request(missing))
                #expect(theirs.code == .notFound && none.code == .notFound)
                #expect(
                    theirs.message.replacingOccurrences(of: "\(id)", with: "N")
                        == none.message.replacingOccurrences(of: "\(missing)", with: "N"))
                #expect(!theirs.message.contains("not yours"))
            }
            guard case .ticketList(let list) = try await stranger.call(.myTickets(MyTickets())) else { throw UnexpectedResponse(.ok(Ok())) }
            #expect(list.tickets.isEmpty)
            await owner.close()
            await stranger.close()
        }
    }

    @Test func onlyTheHolderAnswersAndClosesButAnAdminMayTakeOver() async throws {
        try await withTestServer { server in
            let player = try await server.player(1, "Thrall")
            let id = try await player.submitAccepted("Guild bank tab 3 is empty since the restart").ticketID
            let mirna = try await server.staff("Mirna")
            let tharok = try await server.staff("Tharok")
            let root = try await server.staff("Root", role: .admin)
            _ = try await mirna.update(.claim(Claim(ticketID: id)))

            let answer = try await tharok.refusal(.answer(Answer(ticketID: id, text: "Restored")))
            #expect(answer.code == .notAssignee && answer.message.contains("held by Mirna"))
            let close = try await tharok.refusal(.close(Close(ticketID: id, resolution: "solved", text: "")))
            #expect(close.code == .notAssignee)

            #expect(try await root.update(.claim(Claim(ticketID: id))).assignee == "Root")
            _ = try await root.update(.close(Close(ticketID: id, resolution: "solved", text: "Tab restored from backup")))
            #expect(try await mirna.detail(id).summary.status == .closed)
            for connection in [player, mirna, tharok, root] { await connection.close() }
        }
    }

    @Test func moderatorsReadButCannotChangeTickets() async throws {
        try await withTestServer { server in
            let player = try await server.player(1, "Thrall")
            let id = try await player.submitAccepted("Stuck in the Barrens oasis rock").ticketID
            let vala = try await server.staff("Vala", role: .moderator)
            #expect(try await vala.detail(id).summary.id == id)
            let claim = try await vala.refusal(.claim(Claim(ticketID: id)))
            #expect(claim.code == .forbidden && claim.message.contains("gm or admin") && claim.message.contains("moderator"))
            let next = try await vala.refusal(.claim(.next()))
            #expect(next.code == .forbidden)
            await vala.close()
            await player.close()
        }
    }

    @Test func badRequestsGetSpecificErrors() async throws {
        try await withTestServer { server in
            let player = try await server.player(1, "Thrall")
            let gm = try await server.staff("Mirna")
            let category = try await player.refusal(submission("Stuck in the Barrens oasis rock", category: "stuck"))
            #expect(category.code == .unknownCategory && category.message.contains("stuck_character"))
            let missing = try await gm.refusal(.claim(Claim(ticketID: 999)))
            #expect(missing.code == .notFound && missing.message.contains("999"))
            let zero = try await gm.refusal(.getTicket(GetTicket(ticketID: 0)))
            #expect(zero.code == .invalidArgument)
            let id = try await player.submitAccepted("Stuck in the Barrens oasis rock").ticketID
            let early = try await gm.refusal(.answer(Answer(ticketID: id, text: "Done")))
            #expect(early.code == .invalidTransition && early.message.contains("claim it first"))
            _ = try await gm.update(.claim(Claim(ticketID: id)))
            let empty = try await gm.refusal(.answer(Answer(ticketID: id, text: "  ")))
            #expect(empty.code == .invalidArgument)
            let resolution = try await gm.refusal(.close(Close(ticketID: id, resolution: "fixed", text: "")))
            #expect(resolution.code == .invalidArgument && resolution.message.contains("solved"))
            let staffOnPlayerPort = try await player.refusal(.claim(Claim(ticketID: id)))
            #expect(staffOnPlayerPort.code == .wrongPort)
            let playerOnStaffPort = try await gm.refusal(submission("Stuck in the Barrens oasis rock"))
            #expect(playerOnStaffPort.code == .wrongPort)
            await gm.close()
            await player.close()
        }
    }

    @Test func credentialsAreCheckedAtHello() async throws {
        try await withTestServer { server in
            func hello(_ port: Int, _ hello: Hello) async -> ErrorMessage? {
                do {
                    let connection = try await GMQConnection.connect(host: "127.0.0.1", port: port, hello: hello)
                    await connection.close()
                    return nil
                } catch {
                    return error as? ErrorMessage
                }
            }
            let forged = server.token(player: 1, name: "Thrall").dropLast(2) + "AA"
            #expect(await hello(server.ports.player, Hello(clientKind: .player, credential: String(forged)))?.code == .invalidCredential)
            let expired = server.token(player: 1, name: "Thrall", expiresIn: -10)
            let late = await hello(server.ports.player, Hello(clientKind: .player, credential: expired))
            #expect(late?.code == .credentialExpired && late?.message.contains("log in") == true)
            #expect(await hello(server.ports.staff, Hello(clientKind: .staff, credential: "gmqk_wrong"))?.code == .invalidCredential)
            let key = try await server.staffKey("Mirna", role: .gm)
            #expect(await hello(server.ports.player, Hello(clientKind: .staff, credential: key))?.code == .wrongPort)
            #expect(await hello(server.ports.staff, Hello(clientKind: .player, credential: server.token(player: 1, name: "T")))?.code == .wrongPort)
            let future = await hello(server.ports.player, Hello(protocolVersion: 9, clientKind: .player, credential: ""))
            #expect(future?.code == .unsupportedVersion && future?.message.contains("speaks 1") == true)
            #expect(await hello(server.ports.staff, Hello(clientKind: .staff, credential: key)) == nil)
        }
    }

    @Test func thanksDoesNotReopenButADescriptionDoes() async throws {
        try await withTestServer { server in
            let player = try await server.player(1, "Thrall")
            let id = try await player.submitAccepted("Stuck in the Barrens oasis rock").ticketID
            let gm = try await server.staff("Mirna")
            _ = try await gm.update(.claim(Claim(ticketID: id)))
            _ = try await gm.update(.close(Close(ticketID: id, resolution: "solved", text: "Moved you out")))
            #expect(try await player.update(.playerReply(PlayerReply(ticketID: id, text: "thanks!"))).status == .closed)
            let reopened = try await player.update(.playerReply(PlayerReply(
                ticketID: id, text: "Stuck again in the same rock after relogging at the oasis")))
            #expect(reopened.status == .open && reopened.assignee.isEmpty)
            #expect(try await gm.detail(id).history.map(\.kind).suffix(2) == [.replied, .reopened])
            await gm.close()
            await player.close()
        }
    }
}

import Foundation
import GMQClient
import GMQCore
import GMQServer
import GMQProtocol
import GMQTestSupport
import Testing

/// The whole journey through real listeners: a player's request to a GM and back.
@Suite struct JourneyTests {
    @Test func requestTravelsFromPlayerToGMAndBackWithEveryStepNotified() async throws {
        try await withTestServer { server in
            let thrall = try await server.player(42, "Thrall")
            let mailbox = Mailbox(thrall.notifications)
            let mirna = try await server.staff("Mirna")

            guard case .rejected(let rejection) = try await thrall.call(submission("gm are you there?")) else {
                Issue.record("an empty plea was accepted")
                return
            }
            #expect(rejection.reason == "contact_only" && !rejection.hint.isEmpty)

            let accepted = try await thrall.submitAccepted("Stuck under the Ironforge bridge, can't move or hearth")
            #expect(accepted.queuePosition == 1)
            let id = accepted.ticketID

            guard case .ticketList(let queue) = try await mirna.call(.queue(QueueRequest())) else { throw Failure() }
            #expect(queue.tickets.map(\.id) == [id])

            let claimed = try await mirna.update(.claim(.next()))
            #expect(claimed.id == id && claimed.status == .claimed && claimed.assignee == "Mirna")
            let claimNotice = try await mailbox.next()
            #expect(claimNotice.kind == .claimed && claimNotice.actorName == "Mirna" && claimNotice.ticketID == id)

            #expect(try await mirna.update(.ask(Ask(ticketID: id, text: "Which side of the bridge?"))).status == .waitingPlayer)
            let question = try await mailbox.next()
            #expect(question.kind == .asked && question.text == "Which side of the bridge?")

            #expect(try await thrall.update(.playerReply(PlayerReply(ticketID: id, text: "North side, by the mailbox"))).status == .claimed)
            _ = try await mirna.update(.note(Note(ticketID: id, text: "Known geometry hole")))
            _ = try await mirna.update(.answer(Answer(ticketID: id, text: "Teleported you to the gates.")))
            let answer = try await mailbox.next()
            #expect(answer.kind == .answered && answer.text == "Teleported you to the gates.", "a note must not notify")

            #expect(try await mirna.update(.close(Close(ticketID: id, resolution: "solved", text: "Enjoy!"))).status == .closed)
            let closing = try await mailbox.next()
            #expect(closing.kind == .closed && closing.text == "Enjoy!")

            let playerView = try await thrall.detail(id)
            #expect(playerView.history.map(\.kind) == [.submitted, .claimed, .asked, .replied, .answered, .closed])
            #expect(playerView.resolution == "solved")
            let staffView = try await mirna.detail(id)
            #expect(staffView.history.map(\.kind) == [.submitted, .claimed, .asked, .replied, .noted, .answered, .closed])
            #expect(staffView.history.map(\.sequence) == Array(1...7))
            #expect(staffView.context.zone == "Ironforge" && staffView.context.x == -4981.25)

            for push in [claimNotice, question, answer, closing] { try await thrall.acknowledge(push) }
            await thrall.close()
            await mirna.close()
        }
    }

    @Test func notificationsMissedWhileOfflineArriveAfterTheNextWelcomeUntilAcknowledged() async throws {
        try await withTestServer { server in
            let first = try await server.player(7, "Jaina")
            let id = try await first.submitAccepted("Lost my hearthstone after the Dalaran portal").ticketID
            await first.close()

            let mirna = try await server.staff("Mirna")
            _ = try await mirna.update(.claim(Claim(ticketID: id)))
            _ = try await mirna.update(.ask(Ask(ticketID: id, text: "Did you bank it?")))

            let second = try await server.player(7, "Jaina")
            #expect(second.welcome.pendingNotifications == 2)
            let mailbox = Mailbox(second.notifications)
            let claimed = try await mailbox.next()
            let asked = try await mailbox.next()
            #expect([claimed.kind, asked.kind] == [.claimed, .asked])
            try await second.acknowledge(claimed)
            await second.close()

            let third = try await server.player(7, "Jaina")
            #expect(third.welcome.pendingNotifications == 1)
            let again = try await Mailbox(third.notifications).next()
            #expect(again.notificationID == asked.notificationID, "the unacknowledged one comes again, and only it")
            await third.close()
            await mirna.close()
        }
    }

    @Test func acknowledgedTicketsSurviveARestartOfTheServer() async throws {
        let server = try await TestServer.start()
        let player = try await server.player(9, "Varian")
        let id = try await player.submitAccepted("Mail from Mirna with 300 gold never delivered").ticketID
        await player.close()
        await server.stop()

        let restarted = try await TestServer.start(directory: server.directory)
        let again = try await restarted.player(9, "Varian")
        #expect(try await again.detail(id).text == "Mail from Mirna with 300 gold never delivered")
        await again.close()
        await restarted.stop()
    }

    struct Failure: Error {}
}

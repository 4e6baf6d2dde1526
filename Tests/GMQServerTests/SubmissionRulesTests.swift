import Foundation
import GMQClient
import GMQCore
import GMQProtocol
import GMQServer
import GMQTestSupport
import Testing

@Suite struct SubmissionRulesTests {
    @Test func aRepeatedRequestJoinsTheOpenTicketInsteadOfQueueingTwice() async throws {
        try await withTestServer { server in
            let player = try await server.player(5, "Thrall")
            let first = try await player.submitAccepted("Chest in Scholomance won't open after killing Gandling")
            guard case .accepted(let again) = try await player.call(submission(
                "Chest in Scholomance still won't open after killing Gandling", category: "stuck_character"))
            else { throw UnexpectedResponse(.ok(Ok())) }
            #expect(again.merged && again.ticketID == first.ticketID)
            let history = try await player.detail(first.ticketID).history
            #expect(history.map(\.kind) == [.submitted, .replied])
            #expect(history.last?.text == "Chest in Scholomance still won't open after killing Gandling")
            guard case .ticketList(let mine) = try await player.call(.myTickets(MyTickets())) else { throw UnexpectedResponse(.ok(Ok())) }
            #expect(mine.tickets.count == 1)
            await player.close()
        }
    }

    /// A category's form over the wire (issue 12 §5): the game context says where a character is stuck, a German
    /// client's bug report is asked in German what is missing, and a required element refuses with `missing_detail`.
    @Test func theCategoryFormReadsTheGameContextAndAsksInThePlayersLanguage() async throws {
        var configuration = GMQServer.Configuration.forTests
        configuration.abuseLimits = .none
        configuration.rules = try CategoryRules.load(json: Data(#"""
            {"stuck_character": {"requires": ["place"]}, "bug": {"suggests": ["steps", "outcome", "expected"]}}
            """#.utf8))
        try await withTestServer(configuration: configuration) { server in
            let player = try await server.player(7, "Thrall")
            let text = "My character is stuck in a wall and cannot move"
            guard case .rejected(let refused) = try await player.call(.submit(Submit(category: "stuck_character", text: text)))
            else { Issue.record("accepted without a place"); return }
            #expect(refused.reason == "missing_detail" && refused.hint.contains("where your character is"))
            guard case .accepted = try await player.call(.submit(Submit(
                category: "stuck_character", text: text, context: GMQProtocol.GameContext(zone: "Tanaris"))))
            else { Issue.record("the game context's zone should count"); return }
            let german = try await server.player(8, "Gunther", locale: "de")
            guard case .accepted(let bug) = try await german.call(.submit(Submit(
                category: "bug", text: "Das Auktionshaus stürzt mit Fehler 132 ab")))
            else { Issue.record("rejected"); return }
            #expect(bug.hint.hasPrefix("Damit der GM dir schneller helfen kann") && bug.hint.contains("erwartet"), "hint: \(bug.hint)")
        }
    }

    @Test func theOpenTicketLimitNamesTheOpenTickets() async throws {
        try await withTestServer { server in
            let player = try await server.player(6, "Jaina", locale: "en")
            let ids = [
                try await player.submitAccepted("Chest in Scholomance won't open").ticketID,
                try await player.submitAccepted("Hogger quest cannot be turned in at the board", category: "bug").ticketID,
                try await player.submitAccepted("Mail from Mirna with 300 gold never arrived", category: "other").ticketID,
            ]
            guard case .rejected(let rejection) = try await player.call(submission("Flight path to Menethil drops me in the sea"))
            else { throw UnexpectedResponse(.ok(Ok())) }
            #expect(rejection.reason == "open_limit")
            for id in ids { #expect(rejection.hint.contains("#\(id)")) }
            await player.close()
        }
    }

    @Test func aPlayerReportMustNameThePlayerAndPaymentsAreAdvisedToAddAReference() async throws {
        try await withTestServer { server in
            let player = try await server.player(7, "Anduin", locale: "ru")
            guard case .rejected(let nameless) = try await player.call(submission(
                "кто-то оскорбляет всех в общем чате уже час", category: "player_report"))
            else { throw UnexpectedResponse(.ok(Ok())) }
            #expect(nameless.reason == "missing_player" && nameless.hint.contains("ник"))
            guard case .accepted(let named) = try await player.call(submission(
                "Игрок Ганкмастер оскорбляет всех в общем чате уже час", category: "player_report"))
            else { throw UnexpectedResponse(.ok(Ok())) }
            #expect(named.hint.isEmpty)

            guard case .accepted(let payment) = try await player.call(submission(
                "Списали деньги дважды за подписку в магазине", category: "payment"))
            else { throw UnexpectedResponse(.ok(Ok())) }
            #expect(payment.hint.contains("номер заказа"))
            await player.close()
        }
    }

    @Test func thanksThatMentionsTheFixDoesNotReopen() async throws {
        try await withTestServer { server in
            let player = try await server.player(8, "Varian")
            let id = try await player.submitAccepted("Stuck in the Barrens oasis rock, unstuck does nothing").ticketID
            let gm = try await server.staff("Mirna")
            _ = try await gm.update(.claim(Claim(ticketID: id)))
            _ = try await gm.update(.close(Close(ticketID: id, resolution: "solved", text: "Moved you out")))
            for thanks in ["Thanks, the teleport worked fine!", "спасибо, всё работает", "ok"] {
                #expect(try await player.update(.playerReply(PlayerReply(ticketID: id, text: thanks))).status == .closed)
            }
            await gm.close()
            await player.close()
        }
    }
}

import Foundation
import GMQClient
import GMQCore
import GMQProtocol
import GMQServer
import GMQTestSupport
import Testing

/// The player port's abuse controls (issue 11 §4), per player id, through a real server.
@Suite struct AbuseControlServerTests {
    static func rejected(_ response: Message) -> Rejected? {
        if case .rejected(let rejected) = response { return rejected }
        return nil
    }

    @Test func aBannedPlayerIsRefusedUntilUnbannedAndTheLogSaysWho() async throws {
        try await withTestServer { server in
            let mirna = try await server.staff("Mirna", role: .gm)
            let vera = try await server.staff("Vera", role: .moderator)
            let thrall = try await server.player(42, "Thrall")
            let open = try await thrall.submitAccepted("Stuck under the Ironforge bridge, can't move or hearth").ticketID
            let until = Date().addingTimeInterval(3_600).milliseconds
            guard case .banList(let banned) = try await mirna.call(.ban(BanRequest(
                playerID: 42, until: until, reason: "Empty requests, over and over")))
            else { Issue.record("no BAN_LIST"); return }
            #expect(banned.bans.first?.bannedBy == "Mirna" && banned.bans.first?.until == until)

            let refused = try #require(Self.rejected(try await thrall.call(submission(
                "The auction house search crashes the client when filtering by item level"))))
            #expect(refused.reason == "banned" && refused.hint.contains("Empty requests, over and over"))
            #expect(refused.hint.contains(Date(milliseconds: until).formatted(.iso8601)))
            // A second connection of the same player is the same player.
            let again = try await server.player(42, "Thrall", locale: "ru")
            let russian = try #require(Self.rejected(try await again.call(submission("Персонаж застрял в стене у банка"))))
            #expect(russian.reason == "banned" && russian.hint.hasPrefix("Гейм-мастер запретил"))
            _ = try await thrall.update(.playerReply(PlayerReply(ticketID: open, text: "Still stuck by the mailbox")))

            guard case .banList(let list) = try await vera.call(.bans(BansRequest())) else { Issue.record("no list"); return }
            #expect(list.bans.map(\.playerID) == [42])
            #expect(try await vera.refusal(.ban(BanRequest(playerID: 7, until: until, reason: "x"))).code == .forbidden)
            let tooLong = try await mirna.refusal(.ban(BanRequest(
                playerID: 7, until: Date().addingTimeInterval(400 * 86_400).milliseconds, reason: "forever")))
            #expect(tooLong.code == .invalidArgument && tooLong.message.contains("within a year"))
            #expect(try await mirna.refusal(.ban(BanRequest(playerID: 7, until: until, reason: "  "))).code == .invalidArgument)

            #expect(try await mirna.call(.unban(UnbanRequest(playerID: 42))) == .ok(Ok()))
            #expect(try await mirna.refusal(.unban(UnbanRequest(playerID: 42))).code == .notFound)
            _ = try await thrall.submitAccepted("The auction house search crashes the client when filtering by item level")

            guard case .staffLogPage(let log) = try await vera.call(.staffLog(StaffLogRequest(actor: "Mirna"))) else {
                Issue.record("no log"); return
            }
            #expect(log.entries.map(\.action) == ["player_unbanned", "player_banned"])
            #expect(log.entries.last?.target == "player 42" && log.entries.last?.detail.contains("Empty requests") == true)
            for connection in [mirna, vera, thrall, again] { await connection.close() }
        }
    }

    @Test func aBanMadeElsewhereCountsWithinTheStaffCheck() async throws {
        var configuration = GMQServer.Configuration.forTests
        configuration.staffCheckInterval = .milliseconds(100)
        try await withTestServer(configuration: configuration) { server in
            let thrall = try await server.player(42, "Thrall")
            // As another node or process would: straight into the store.
            _ = try await server.store.ban(
                player: 42, until: Date().addingTimeInterval(600).milliseconds, reason: "spam", by: "Root", at: Date())
            var reason = ""
            for _ in 0..<600 {  // up to a minute: this machine stalls
                let response = try await thrall.call(submission("Personazh zastryal v stene u banka v Ironforge"))
                reason = Self.rejected(response)?.reason ?? "accepted"
                if reason == "banned" { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(reason == "banned")
            await thrall.close()
        }
    }

    @Test func repeatedEmptyRequestsCoolAPlayerDownAndFloodsAreRateLimited() async throws {
        // A fixed clock: the hint's seconds are counted from the fifth empty request, and a CI run stalled long
        // enough between the two for the wall clock to say 599 s.
        let now = Date()
        try await withTestServer(now: { now }) { server in
            let thrall = try await server.player(42, "Thrall")
            for _ in 0..<5 {
                #expect(Self.rejected(try await thrall.call(submission("gm are you there?")))?.reason == "contact_only")
            }
            let cooling = try #require(Self.rejected(try await thrall.call(submission(
                "Stuck under the Ironforge bridge, can't move or hearth"))))
            #expect(cooling.reason == "cooldown" && cooling.hint.contains("wait 10 min (600 s)"), "\(cooling)")
            // Another player is not affected; the default burst of 5 then limits them.
            let jaina = try await server.player(43, "Jaina")
            let texts = [
                "Stuck under the Ironforge bridge, can't move", "The auction house search crashes the client",
                "Mail from Mirna with 300 gold never delivered", "Quest Mankrik's wife cannot be completed, NPC missing",
                "Lost my hearthstone after the Dalaran portal", "Guild bank tab 3 shows items that are not there",
            ]
            var reasons: [String] = []
            for text in texts {
                let response = try await jaina.call(submission(text, category: "bug"))
                reasons.append(Self.rejected(response)?.reason ?? "accepted")
            }
            #expect(reasons.prefix(3) == ["accepted", "accepted", "accepted"])
            #expect(reasons.last == "rate_limited", "\(reasons)")
            await thrall.close()
            await jaina.close()
        }
    }

    /// The per-player reply bucket spans tickets: a player spreading replies over their open tickets is slowed too,
    /// with the seconds to wait.
    @Test func repliesSpreadOverTicketsAreRateLimitedPerPlayer() async throws {
        var configuration = GMQServer.Configuration.forTests
        configuration.abuseLimits.replies = AbuseLimits.Rate(burst: 4, every: 60)
        try await withTestServer(configuration: configuration) { server in
            let jaina = try await server.player(43, "Jaina")
            let first = try await jaina.submitAccepted("Stuck under the Ironforge bridge, can't move").ticketID
            let second = try await jaina.submitAccepted("Mail from Mirna with 300 gold never delivered", category: "bug")
                .ticketID
            for n in 0..<4 {
                _ = try await jaina.update(.playerReply(PlayerReply(
                    ticketID: n.isMultiple(of: 2) ? first : second, text: "More detail \(n): it happened at the bank")))
            }
            let refused = try await jaina.refusal(.playerReply(PlayerReply(ticketID: first, text: "And one more thing")))
            #expect(refused.code == .limitReached, "\(refused)")
            // The bucket refills while the test runs: up to 60 s to wait, never 0.
            let wait = refused.message.firstMatch(of: /can read them; wait (\d+) s/).flatMap { Int($0.output.1) }
            #expect((1...60).contains(wait ?? 0), "\(refused.message)")
            #expect(try await server.store.history(of: Int64(first)).count == 3, "the refused reply was not written")
            await jaina.close()
        }
    }
}

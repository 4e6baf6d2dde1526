import Foundation
import GMQClient
import GMQCore
import GMQProtocol
import GMQStore
import GMQTestSupport
import Testing

/// Issue 18 §3: a ticket's history is bounded, and every view of it says how much there is and pages through all.
@Suite struct HistoryLimitTests {
    @Test func aPlayerFloodingATicketWithRepliesIsStoppedWithAClearReason() async throws {
        try await withTestServer { server in
            let player = try await server.player(1, "Thrall")
            let id = try await player.submitAccepted("Stuck under the Ironforge bridge, can't move").ticketID
            for n in 1...ReplyLimits.standard.perWindow {
                _ = try await player.update(.playerReply(PlayerReply(ticketID: id, text: "Still stuck, try \(n)")))
            }
            let refused = try await player.refusal(.playerReply(PlayerReply(ticketID: id, text: "Still stuck!")))
            #expect(refused.code == .limitReached)
            #expect(refused.message.contains("replies to ticket \(id) within 10 minutes; wait"), "\(refused.message)")
            #expect(try await server.store.history(of: Int64(id)).count == 1 + ReplyLimits.standard.perWindow)
            await player.close()
        }
    }

    /// 300 events with an internal note in the middle: TICKET alone would show the first and the latest that fit;
    /// the tools say how many there are, page through them, and `--all` prints every one.
    @Test func aLongTranscriptIsPagedAndNothingInTheMiddleIsDropped() async throws {
        try await withTestServer { server in
            let player = try await server.player(1, "Thrall")
            let id = try await player.submitAccepted("Stuck under the Ironforge bridge, can't move").ticketID
            let admin = Access(actor: Actor(id: 1, name: "Root", role: .admin))
            _ = try await server.store.apply(.claim, to: Int64(id), as: admin, text: "", at: Date())
            let padding = String(repeating: "x", count: 3_900)
            for n in 1...300 {
                let text = n == 148 ? "INTERNAL: the player is a known exploiter" : "answer \(n) \(padding)"
                _ = try await server.store.apply(n == 148 ? .note : .answer, to: Int64(id), as: admin, text: text, at: Date())
            }
            let key = try await server.staffKey("Vera", role: .moderator)
            let first = try await TerminalSafetyTests.gmq(["show", "\(id)"], server: server, key: key)
            #expect(first.contains("History: events 1–50 of 302 (page 1 of 7):"))
            #expect(first.contains("252 later event(s) not shown: `gmq show \(id) --page 2` for the next, --all for every one"))
            let third = try await TerminalSafetyTests.gmq(["show", "\(id)", "--page", "3"], server: server, key: key)
            #expect(third.contains("History: events 101–150 of 302 (page 3 of 7):") && third.contains("INTERNAL: the player"))
            let all = try await TerminalSafetyTests.gmq(["audit", "show", "\(id)", "--all"], server: server, key: key)
            #expect(all.contains("History: all 302 events:"))
            let numbers = all.split(separator: "\n").compactMap { line -> Int? in
                guard line.hasPrefix("  #") else { return nil }
                return Int(line.dropFirst(3).prefix { $0.isNumber })
            }
            #expect(numbers == Array(1...302), "every event, in order")
            let json = try await TerminalSafetyTests.gmq(["audit", "show", "\(id)", "--all", "--json"], server: server, key: key)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            #expect((object["history"] as? [Any])?.count == 302 && object["history_total"] as? Int == 302)

            // The player pages through what they may see: every answer, not the note.
            let history = try await player.history(of: id, page: nil) { _ in "" }
            #expect(history.total == 301 && history.entries.count == 301)
            #expect(!history.entries.contains { $0.kind == .noted })
            await player.close()
        }
    }
}

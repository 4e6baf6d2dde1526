import Foundation
import GMQClient
import GMQCore
import GMQProtocol
import GMQServer
import GMQTestSupport
import Synchronization
import Testing

/// A ticket waiting on a silent player (issue 13 §5), on an injected clock: reminded, then closed `no_response`,
/// each step pushed to the player; a ticket in a category without a policy is left alone.
@Suite struct StaleTicketServerTests {
    @Test func aSilentPlayerIsRemindedThenTheTicketClosesNoResponse() async throws {
        let levels = try JSONDecoder().decode(ServiceLevels.self, from: Data("""
            {"fallback": {"first_response_minutes": 240, "resolution_minutes": 4320},
             "categories": {"bug": {"first_response_minutes": 60, "resolution_minutes": 480,
                                    "stale": {"remind_after_hours": 1, "close_after_hours": 2}}}}
            """.utf8))
        let start = Date()
        let clock = Mutex(start)
        var configuration = GMQServer.Configuration.forTests
        configuration.abuseLimits = .none
        configuration.staleCheckInterval = .milliseconds(50)
        try await withTestServer(configuration: configuration, now: { clock.withLock { $0 } }, serviceLevels: levels) { server in
            let thrall = try await server.player(42, "Thrall")
            let bug = try await thrall.submitAccepted("The auction house crashes the client with error 132", category: "bug").ticketID
            let other = try await thrall.submitAccepted("Stuck under the Ironforge bridge, cannot move").ticketID
            let mirna = try await server.staff("Mirna", role: .gm)
            for id in [bug, other] {
                _ = try await mirna.update(.claim(Claim(ticketID: id)))
                _ = try await mirna.update(.ask(Ask(ticketID: id, text: "Which client build?")))
            }
            var pushes = thrall.notifications.makeAsyncIterator()
            func next(_ kind: HistoryKind) async throws -> NotificationPush {
                while true {
                    let push = try #require(await pushes.next())
                    if push.kind == kind && push.ticketID == bug && push.text != "Which client build?" { return push }
                }
            }
            clock.withLock { $0 = start + 3_660 }
            let reminder = try await next(.asked)
            #expect(reminder.text.hasPrefix("Reminder:") && reminder.actorName == "Mirna")
            clock.withLock { $0 = start + 7_300 }
            let closed = try await next(.closed)
            #expect(closed.text.contains("2 hours"))
            #expect(try await thrall.detail(bug).resolution == "no_response")
            #expect(try await thrall.detail(other).summary.status == .waitingPlayer, "no policy for stuck_character")
            #expect(try await thrall.detail(bug).history.filter { $0.text.hasPrefix("Reminder:") }.count == 1)
        }
    }
}

/// Re-filed tickets (issue 13 §5): a request that repeats the player's ticket closed days ago gets a staff note
/// naming it; a different request does not.
@Suite struct RefilingServerTests {
    @Test func aRepeatOfARecentlyClosedTicketIsFlaggedToTheGM() async throws {
        var configuration = GMQServer.Configuration.forTests
        configuration.abuseLimits = .none
        try await withTestServer(configuration: configuration) { server in
            let thrall = try await server.player(42, "Thrall")
            let first = try await thrall.submitAccepted("My hearthstone vanished from my bags after the patch in Orgrimmar", category: "bug").ticketID
            let mirna = try await server.staff("Mirna", role: .gm)
            _ = try await mirna.update(.claim(Claim(ticketID: first)))
            _ = try await mirna.update(.close(Close(ticketID: first, resolution: "not_actionable", text: "Working as intended")))
            let again = try await thrall.submitAccepted("My hearthstone vanished from the bags after the patch, in Orgrimmar", category: "bug").ticketID
            let other = try await thrall.submitAccepted("The auction house crashes my client with error 132", category: "bug").ticketID
            var note: HistoryEntry?
            for _ in 0..<3_000 where note == nil {  // up to a minute: this machine stalls
                note = try await mirna.detail(again).history.first { $0.kind == .noted }
                if note == nil { try await Task.sleep(for: .milliseconds(20)) }
            }
            let flagged = try #require(note, "no re-filing note")
            #expect(flagged.text.hasPrefix("Re-filed: the player's ticket #\(first) (bug, closed") && flagged.text.contains("as not_actionable"))
            #expect(flagged.actorName == "gmqd")
            #expect(try await thrall.detail(again).history.allSatisfy { $0.kind != .noted }, "the player does not see it")
            try await Task.sleep(for: .milliseconds(200))
            #expect(try await mirna.detail(other).history.allSatisfy { $0.kind != .noted }, "a different problem")
        }
    }
}

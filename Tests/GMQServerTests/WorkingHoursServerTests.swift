import Foundation
import GMQClient
import GMQCore
import GMQProtocol
import GMQServer
import GMQTestSupport
import Synchronization
import Testing

/// Working hours on a running server with an injected clock (issue 13 §6): a Friday-evening request is due on
/// Monday, overdue only after Monday's working hours, and the player's wait counts to the opening.
@Suite struct WorkingHoursServerTests {
    /// Milliseconds of a local time in Berlin.
    static func at(_ text: String) -> Int64 {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Europe/Berlin")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.date(from: text)!.milliseconds
    }

    @Test func aFridayEveningRequestIsDueMondayMorning() async throws {
        let levels = try JSONDecoder().decode(ServiceLevels.self, from: Data("""
            {"fallback": {"first_response_minutes": 60, "resolution_minutes": 480},
             "hours": "mon-fri 09:00-18:00 Europe/Berlin", "holidays": ["2026-12-25"]}
            """.utf8))
        let friday = Self.at("2026-12-04 17:30")
        let clock = Mutex(Date(milliseconds: friday))
        var configuration = GMQServer.Configuration.forTests
        configuration.abuseLimits = .none
        try await withTestServer(configuration: configuration, now: { clock.withLock { $0 } }, serviceLevels: levels) { server in
            let thrall = try await server.player(42, "Thrall")
            let filed = try await thrall.submitAccepted("Charged twice for the mount bundle, order 77-1203", category: "payment")
            let summary = try await thrall.detail(filed.ticketID).summary
            #expect(summary.dueAt == Self.at("2026-12-07 09:30"), "30 minutes on Friday, 30 on Monday")
            #expect(!summary.overdue)
            // A GM answers quickly once, on Monday at 09:15: 45 working minutes after the filing.
            let mirna = try await server.staff("Mirna", role: .gm)
            clock.withLock { $0 = Date(milliseconds: Self.at("2026-12-07 09:15")) }
            _ = try await mirna.update(.claim(Claim(ticketID: filed.ticketID)))
            _ = try await mirna.update(.answer(Answer(ticketID: filed.ticketID, text: "Refunded the second charge")))
            _ = try await mirna.update(.close(Close(ticketID: filed.ticketID, resolution: "solved", text: "Done")))
            // The next Friday-evening request is told the wait to Monday, not the minutes a GM needs when at work.
            clock.withLock { $0 = Date(milliseconds: Self.at("2026-12-11 17:55")) }
            // A token that is still valid on the server's clock a week on.
            let jaina = try await GMQConnection.connect(
                host: "127.0.0.1", port: server.ports.player,
                hello: Hello(clientKind: .player, credential: server.token(player: 43, name: "Jaina", expiresIn: 6 * 86_400)))
            let next = try await jaina.submitAccepted("Charged twice for the pet bundle, order 77-1299", category: "payment")
            let expected = (Self.at("2026-12-14 09:00") + 3_600_000 * 3 / 4 - 5 * 60_000
                - Self.at("2026-12-11 17:55")) / 1_000
            #expect(Int64(next.estimatedWaitSeconds) == expected, "\(next.estimatedWaitSeconds) s")
        }
    }
}

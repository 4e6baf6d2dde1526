import Foundation
import GMQClient
import GMQCore
import GMQProtocol
import GMQServer
import GMQTestSupport
import Testing

/// `gmq audit sample` (issue 13 §8): random closed tickets per GM, each with its transcript, the same sample again
/// for the same seed.
@Suite struct AuditSampleTests {
    @Test func aModeratorDrawsAFewClosedTicketsPerGMWithTranscripts() async throws {
        var configuration = GMQServer.Configuration.forTests
        configuration.abuseLimits = .none
        try await withTestServer(configuration: configuration) { server in
            let mirna = try await server.staff("Mirna", role: .gm)
            let tharok = try await server.staff("Tharok", role: .gm)
            for n in 0..<8 {
                let player = try await server.player(Int64(100 + n), "Player\(n)")
                let id = try await player.submitAccepted("Quest item \(n) vanished from my bags in Westfall").ticketID
                let gm = n < 5 ? mirna : tharok
                _ = try await gm.update(.claim(Claim(ticketID: id)))
                _ = try await gm.update(.close(Close(ticketID: id, resolution: "solved", text: "Restored item \(n)")))
            }
            let key = try await server.staffKey("Vera", role: .moderator)
            func sample(_ seed: String) async throws -> Tool.Output {
                try await Tool.run(
                    "gmq", ["audit", "sample", "--per-gm", "2", "--seed", seed, "--server", "127.0.0.1:\(server.ports.staff)"],
                    environment: ["GMQ_KEY": key, "NO_COLOR": "1"])
            }
            let first = try await sample("7")
            #expect(first.status == 0, "\(first.standardError)")
            #expect(first.standardOutput.contains("== Mirna: 2 of 5 closed ticket(s)"), "\(first.standardOutput)")
            #expect(first.standardOutput.contains("== Tharok: 2 of 3 closed ticket(s)"))
            #expect(first.standardOutput.components(separatedBy: "Restored item").count - 1 == 4, "four transcripts")
            #expect(try await sample("7").standardOutput == first.standardOutput, "the same seed, the same sample")
        }
    }
}

import Foundation
import GMQClient
import GMQCore
import GMQProtocol
import GMQServer
import GMQTestSupport
import Testing

/// `gmq search` over the wire (issue 13 §1): a GM finds tickets of their categories by any word said on them.
@Suite struct SearchServerTests {
    @Test func staffFindPastTicketsByWhatWasSaid() async throws {
        var configuration = GMQServer.Configuration.forTests
        configuration.abuseLimits = .none
        try await withTestServer(configuration: configuration) { server in
            let thrall = try await server.player(42, "Thrall")
            let bridge = try await thrall.submitAccepted("Stuck under the Ironforge bridge, cannot move").ticketID
            let jaina = try await server.player(43, "Jaina")
            let chest = try await jaina.submitAccepted("The chest in Scholomance will not open after Gandling", category: "bug").ticketID
            let mirna = try await server.staff("Mirna", role: .gm, categories: ["bug"])
            _ = try await mirna.update(.claim(Claim(ticketID: chest)))
            _ = try await mirna.update(.note(Note(ticketID: chest, text: "Same geometry as the Ironforge bridge")))
            func search(_ connection: GMQConnection, _ request: SearchRequest) async throws -> [SearchResult.Hit] {
                guard case .searchResult(let result) = try await connection.call(.search(request)) else { return [] }
                return result.hits
            }
            // Mirna works bugs only: the stuck ticket is out of her reach, her own note is in it.
            let hits = try await search(mirna, SearchRequest(text: "ironforge"))
            #expect(hits.map(\.ticket.id) == [chest])
            #expect(hits.first?.kind == .noted && hits.first?.actorName == "Mirna")
            #expect(try await mirna.refusal(.search(SearchRequest(text: "ironforge", category: "stuck_character"))).code == .forbidden)
            let vera = try await server.staff("Vera", role: .moderator)
            #expect(Set(try await search(vera, SearchRequest(text: "ironforge")).map(\.ticket.id)) == [bridge, chest])
            #expect(try await search(vera, SearchRequest(text: "ironforge", gm: "mirna")).map(\.ticket.id) == [chest])
            #expect(try await search(vera, SearchRequest(text: "ironforge", playerID: 42)).map(\.ticket.id) == [bridge])
            #expect(try await search(vera, SearchRequest(text: "bridge", status: .open)).map(\.ticket.id) == [bridge])
            #expect(try await vera.refusal(.search(SearchRequest(text: " ?! "))).code == .invalidArgument)
            #expect(try await thrall.refusal(.search(SearchRequest(text: "bridge"))).code == .wrongPort)
            // The snippet marks the words found.
            let hit = try #require(try await search(vera, SearchRequest(text: "scholomance")).first)
            let word = String(decoding: Array(hit.snippet.utf8)[Int(hit.highlights[0])..<Int(hit.highlights[1])], as: UTF8.self)
            #expect(word == "Scholomance")
            #expect(Presentation.describe(hit).contains("»Scholomance«"))
        }
    }
}

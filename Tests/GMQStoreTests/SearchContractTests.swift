import Foundation
import GMQCore
import GMQTestSupport
import Testing

/// Search over every ticket's history (issue 13 §1) on every engine: all terms, ranked, one hit per ticket,
/// filters, notes for staff only, a snippet with the words found marked.
@Suite(.serialized) struct SearchContractTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let mirna = Actor(id: 1, name: "Mirna", role: .gm)

    @Test(arguments: Engine.allCases) func ticketsAreFoundByAnyWordOfTheirHistory(engine: Engine) async throws {
        try await StoreFixture.with(engine) { fixture in
            let store = fixture.store
            func file(_ id: Int64, _ name: String, _ text: String, category: String = "bug", character: String = "") async throws -> Ticket {
                let outcome = try await store.submit(
                    Submission(player: Actor(id: id, name: name, role: .player), category: category, text: text,
                        context: GameContext(characterName: character)),
                    at: Self.t0 + Double(id))
                guard case .created(let ticket, _) = outcome else { throw StoreError.ticketNotFound(0) }
                return ticket
            }
            let bridge = try await file(1, "Thrall", "Stuck under the Ironforge bridge, cannot move", category: "stuck_character", character: "Thrall")
            let chest = try await file(2, "Jaina", "The chest in Scholomance will not open after Gandling")
            let gank = try await file(3, "Garrosh", "Gankmaster camps the flight master in Tarren Mill", category: "player_report")
            _ = try await store.apply(.claim, to: chest.id, as: Access(actor: Self.mirna), text: "", at: Self.t0 + 10)
            _ = try await store.apply(.note, to: chest.id, as: Access(actor: Self.mirna),
                text: "Known geometry bug, see the Ironforge bridge ticket", at: Self.t0 + 11)
            _ = try await store.apply(.answer, to: chest.id, as: Access(actor: Self.mirna),
                text: "The chest respawns after the server restart", at: Self.t0 + 12)

            func ids(_ query: SearchQuery, view: HistoryView = .staff) async throws -> [Int64] {
                try await store.search(query, view: view).map(\.ticket.id)
            }
            #expect(try await ids(SearchQuery(text: "ironforge")) .sorted() == [bridge.id, chest.id], "the ticket text and a note")
            #expect(try await ids(SearchQuery(text: "Ironforge"), view: .player) == [bridge.id], "notes are for staff")
            #expect(try await ids(SearchQuery(text: "chest respawns")) == [chest.id], "every term, in any event")
            #expect(try await ids(SearchQuery(text: "chest gankmaster")).isEmpty)
            #expect(try await ids(SearchQuery(text: "gankm")) == [gank.id], "the last word is a prefix")
            #expect(try await ids(SearchQuery(text: "ironforge", categories: ["stuck_character"])) == [bridge.id])
            #expect(try await ids(SearchQuery(text: "ironforge", gm: "mirna")) == [chest.id])
            #expect(try await ids(SearchQuery(text: "ironforge", characterName: "thrall")) == [bridge.id])
            #expect(try await ids(SearchQuery(text: "ironforge", playerName: "JAINA")) == [chest.id])
            #expect(try await ids(SearchQuery(text: "ironforge", playerID: 1)) == [bridge.id])
            #expect(try await ids(SearchQuery(text: "ironforge", state: .claimed)) == [chest.id])
            #expect(try await ids(SearchQuery(text: "ironforge", since: (Self.t0 + 2).milliseconds)) == [chest.id])
            #expect(try await ids(SearchQuery(text: "\" OR * NEAR(")).isEmpty, "operators are words, never syntax")
            let hit = try #require(try await store.search(SearchQuery(text: "flight master"), view: .staff).first)
            #expect(hit.kind == .submitted && hit.seq == 1)
            let marked = hit.highlights.map { range in
                String(decoding: Array(hit.snippet.utf8)[range], as: UTF8.self).lowercased()
            }
            #expect(marked == ["flight", "master"], "\(hit.snippet) \(hit.highlights)")
        }
    }
}

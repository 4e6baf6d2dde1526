import Foundation
import GMQCore
import GMQTestSupport
import Testing

/// The knowledge base and the self-help figures (issue 12 §4) on every engine.
@Suite(.serialized) struct SelfHelpContractTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test(arguments: Engine.allCases) func articlesAreAddedEditedListedAndRemovedWithTheStaffLog(engine: Engine) async throws {
        try await StoreFixture.with(engine) { fixture in
            let store = fixture.store
            let added = try await store.saveArticle(
                Article(title: "Stuck in a wall", body: "Use Unstuck.", keywords: ["stuck", "wall; under map"],
                    category: "stuck_character", locale: "en"),
                by: "Ada", at: Self.t0)
            #expect(added.id > 0 && added.updatedBy == "Ada" && added.updatedAt == Self.t0.milliseconds)
            let any = try await store.saveArticle(Article(title: "Error 132", body: "Clear the cache."), by: "Ada", at: Self.t0)
            var edited = added
            edited.body = "Press Unstuck in the Help menu."
            edited.keywords = ["stuck in wall"]
            let saved = try await store.saveArticle(edited, by: "Bo", at: Self.t0 + 60)
            #expect(saved.id == added.id && saved.updatedBy == "Bo")
            #expect(try await store.articles() == [saved, any], "oldest first, the edit in place, keywords kept as a list")
            await #expect(throws: StoreError.unknownCategory("nowhere", known: try await store.categories().map(\.id))) {
                try await store.saveArticle(Article(title: "x", body: "y", category: "nowhere"), by: "Ada", at: Self.t0)
            }
            var missing = saved
            missing.id = 999
            await #expect(throws: StoreError.articleNotFound(999)) { try await store.saveArticle(missing, by: "Ada", at: Self.t0) }
            try await store.removeArticle(any.id, by: "Ada", at: Self.t0 + 120)
            await #expect(throws: StoreError.articleNotFound(any.id)) {
                try await store.removeArticle(any.id, by: "Ada", at: Self.t0 + 130)
            }
            #expect(try await store.articles().map(\.id) == [saved.id])
            let log = try await store.staffLog(StaffLogFilter())
            #expect(log.filter { $0.action == .articleSaved }.count == 3)
            #expect(log.contains { $0.action == .articleRemoved && $0.target == "article \(any.id)" && $0.detail == "Error 132" })
            #expect(try await store.verifyStaffLog().broken == nil)
        }
    }

    @Test(arguments: Engine.allCases) func aDraftThatEndsWithoutARequestIsDeflected(engine: Engine) async throws {
        try await StoreFixture.with(engine) { fixture in
            let store = fixture.store
            let minute: Int64 = 60_000
            let t = Self.t0.milliseconds
            func preview(_ player: Int64, _ at: Int64, articles: Int = 1, category: String = "stuck_character") async throws {
                try await store.recordPreview(PreviewRecord(playerID: player, category: category, at: at, articles: articles))
            }
            // Player 1 previews twice while writing, reads the article and files nothing: one draft, deflected.
            try await preview(1, t)
            try await preview(1, t + minute)
            // Player 2 previews, then files: one draft, not deflected.
            try await preview(2, t)
            _ = try await store.submit(
                Submission(player: Actor(id: 2, name: "P2", role: .player), category: "stuck_character",
                    text: "Stuck in the wall of the inn in Goldshire", context: GameContext()),
                at: Date(milliseconds: t + 2 * minute))
            // Player 3 is offered nothing and gives up: a draft, not offered an answer.
            try await preview(3, t, articles: 0)
            // Player 4 previews, files, and previews a second request later that they drop: two drafts.
            try await preview(4, t)
            _ = try await store.submit(
                Submission(player: Actor(id: 4, name: "P4", role: .player), category: "stuck_character",
                    text: "Fell under the map in Westfall near the farm", context: GameContext()),
                at: Date(milliseconds: t + minute))
            try await preview(4, t + 5 * minute)
            // Another category.
            try await preview(5, t, category: "payment")

            let all = try await store.selfHelp(since: t, until: t + 60 * minute, category: nil)
            #expect(all == SelfHelp(previews: 7, drafts: 6, offered: 5, deflected: 3))
            let stuck = try await store.selfHelp(since: t, until: t + 60 * minute, category: "stuck_character")
            #expect(stuck == SelfHelp(previews: 6, drafts: 5, offered: 4, deflected: 2))
            #expect(try await store.selfHelp(since: t + 60 * minute, until: t + 120 * minute, category: nil) == SelfHelp())
        }
    }
}

import Foundation
import GMQClient
import GMQCore
import GMQProtocol
import GMQServer
import GMQTestSupport
import Testing

/// Self-help over the wire (issue 12 §4): admins write articles, a player's PREVIEW gets the verdict, the articles
/// and a matching incident without filing anything, and the report counts what previews spared the queue.
@Suite struct SelfHelpServerTests {
    static func preview(_ player: GMQConnection, _ category: String, _ text: String) async throws -> PreviewResult {
        let response = try await player.call(.preview(Preview(category: category, text: text)))
        guard case .previewResult(let result) = response else { throw UnexpectedAnswer(response) }
        return result
    }

    struct UnexpectedAnswer: Error { let message: Message; init(_ message: Message) { self.message = message } }

    @Test func aPreviewShowsTheVerdictTheArticlesAndTheIncidentAndFilesNothing() async throws {
        var configuration = GMQServer.Configuration.forTests
        configuration.abuseLimits = .none
        try await withTestServer(configuration: configuration) { server in
            let ada = try await server.staff("Ada", role: .admin)
            let mirna = try await server.staff("Mirna", role: .gm)
            let vera = try await server.staff("Vera", role: .moderator)
            let unstuck = ArticleEntry(
                id: 0, title: "Stuck in a wall or under the map", body: "Use the Unstuck button in the Help menu.",
                keywords: ["stuck in wall", "fell under the map"], category: "stuck_character", locale: "en")
            #expect(try await mirna.refusal(.kbSave(KBSave(article: unstuck))).code == .forbidden, "admins write articles")
            var bad = unstuck
            bad.keywords = ["please help"]
            bad.title = "Hello"
            #expect(try await ada.refusal(.kbSave(KBSave(article: bad))).message.contains("add keywords players would write"))
            bad = unstuck
            bad.category = "nowhere"
            #expect(try await ada.refusal(.kbSave(KBSave(article: bad))).code == .unknownCategory)
            guard case .kbArticles(let saved) = try await ada.call(.kbSave(KBSave(article: unstuck))),
                let article = saved.articles.first
            else { Issue.record("no KB_ARTICLES"); return }
            #expect(article.id > 0 && article.updatedBy == "Ada")
            guard case .kbArticles(let russian) = try await ada.call(.kbSave(KBSave(article: ArticleEntry(
                id: 0, title: "Застрял в текстурах", body: "Нажмите «Выбраться» в меню помощи.", keywords: ["застрял"],
                category: "stuck_character", locale: "ru"))))
            else { Issue.record("no KB_ARTICLES"); return }
            guard case .kbArticles(let listed) = try await mirna.call(.kbList(KBList(category: "stuck_character", locale: "ru")))
            else { Issue.record("no list"); return }
            #expect(listed.articles.map(\.id) == russian.articles.map(\.id), "GMs read the articles of a language")

            let thrall = try await server.player(42, "Thrall")
            let draft = try await Self.preview(thrall, "stuck_character", "I fell under the map near the Booty Bay docks")
            #expect(draft.reason.isEmpty && draft.incidentID == 0)
            #expect(draft.articles.map(\.id) == [article.id] && draft.articles[0].body == unstuck.body)
            let empty = try await Self.preview(thrall, "stuck_character", "GM are you there?")
            #expect(!empty.reason.isEmpty && !empty.hint.isEmpty, "the verdict SUBMIT would give: \(empty)")
            let jaina = try await server.player(43, "Jaina", locale: "ru")
            let ru = try await Self.preview(jaina, "stuck_character", "Застрял в стене таверны в Златоземье, не могу выйти")
            #expect(ru.articles.map(\.id) == russian.articles.map(\.id), "a Russian player reads the Russian article")
            #expect(try await thrall.refusal(.preview(Preview(category: "nowhere", text: "x"))).code == .unknownCategory)

            // An open incident the draft matches is shown with what its players are told.
            guard case .incident(let incident) = try await mirna.call(.incidentOpen(IncidentOpen(
                title: "Login error 132", category: "account", match: "login error 132", message: "A hotfix comes tonight.")))
            else { Issue.record("no INCIDENT"); return }
            let known = try await Self.preview(thrall, "account", "Login error 132 every time since the patch")
            #expect(known.incidentID == incident.incident.id && known.incidentMessage == "A hotfix comes tonight.")
            #expect(known.hint.contains("known issue"))

            // Nothing was filed; the previews count: Thrall's drafts ended without a request, Jaina filed hers.
            guard case .ticketList(let mine) = try await thrall.call(.myTickets(MyTickets())) else { Issue.record("no list"); return }
            #expect(mine.tickets.isEmpty)
            _ = try await jaina.call(.submit(Submit(category: "stuck_character", text: "Застрял в стене таверны в Златоземье, не могу выйти")))
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            #expect(try await mirna.refusal(.selfHelp(SelfHelpRequest(since: 0, until: now + 1))).code == .forbidden)
            guard case .selfHelpResult(let figures) = try await vera.call(.selfHelp(SelfHelpRequest(since: 0, until: now + 60_000)))
            else { Issue.record("no SELF_HELP_RESULT"); return }
            // Thrall: three previews in one draft (the last offered the incident) deflected; Jaina: one draft, filed.
            #expect(figures == SelfHelpResult(previews: 4, drafts: 2, offered: 2, deflected: 1))

            #expect(try await ada.call(.kbRemove(KBRemove(articleID: article.id))) == .ok(Ok()))
            #expect(try await ada.refusal(.kbRemove(KBRemove(articleID: article.id))).code == .notFound)
            let after = try await Self.preview(thrall, "stuck_character", "I fell under the map near the Booty Bay docks")
            #expect(after.articles.isEmpty, "a removed article is offered no more")
        }
    }

    @Test func previewsAreRateLimitedPerPlayer() async throws {
        var configuration = GMQServer.Configuration.forTests
        configuration.abuseLimits = AbuseLimits(previews: AbuseLimits.Rate(burst: 2, every: 60))
        try await withTestServer(configuration: configuration) { server in
            let thrall = try await server.player(42, "Thrall")
            for _ in 0..<2 { _ = try await Self.preview(thrall, "bug", "The quest item vanished from my bags") }
            let refusal = try await thrall.refusal(.preview(Preview(category: "bug", text: "The quest item vanished")))
            #expect(refusal.code == .limitReached && refusal.message.contains("wait"))
        }
    }
}

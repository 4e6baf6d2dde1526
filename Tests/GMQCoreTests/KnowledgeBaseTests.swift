import Foundation
import GMQCore
import Testing

/// Self-help articles (issue 12 §4): what a draft is offered, and what an article must hold to be saved.
@Suite struct KnowledgeBaseTests {
    static let check = SubstantiveCheck()

    static let articles = [
        Article(id: 1, title: "Stuck in a wall or under the map", body: "Use the Unstuck button in the Help menu.",
            keywords: ["stuck in wall", "fell under the map", "cannot move"], category: "stuck_character", locale: "en"),
        Article(id: 2, title: "Застрял в текстурах", body: "Нажмите «Выбраться» в меню помощи.",
            keywords: ["застрял", "провалился под карту"], category: "stuck_character", locale: "ru"),
        Article(id: 3, title: "Login error 132 after the patch", body: "Delete the Cache folder and restart the launcher.",
            keywords: ["error 132", "cannot log in"], category: "", locale: ""),
        Article(id: 4, title: "Refund of a store purchase", body: "Refunds take up to 5 days.",
            keywords: ["refund", "charged twice"], category: "payment", locale: "en"),
        Article(id: 5, title: "Character stuck on the loading screen", body: "Log out for five minutes.",
            keywords: ["loading screen"], category: "stuck_character", locale: "en"),
    ]

    func offered(_ text: String, _ category: String, _ language: String = "en") -> [Int64] {
        ArticleMatch(articles: Self.articles, check: Self.check)
            .articles(for: IncidentWords(text, check: Self.check), category: category, language: language).map(\.id)
    }

    @Test func aDraftIsOfferedTheArticlesOfItsCategoryAndLanguageBestFirst() {
        #expect(offered("I am stuck in a wall near Booty Bay and cannot move", "stuck_character") == [1])
        #expect(offered("My character fell under the map in Stranglethorn", "stuck_character") == [1])
        #expect(offered("Stuck on the loading screen since the patch", "stuck_character").first == 5)
        // Keyword words found count more than the title's; the article for any category is offered everywhere.
        #expect(offered("Error 132 when I try to log in, cannot log in at all", "account") == [3])
        #expect(offered("Error 132 when I try to log in", "stuck_character") == [3])
        // Another category's article is not offered; nor is one for a single shared word.
        #expect(offered("I was charged twice for the mount", "account").isEmpty)
        #expect(offered("I was charged twice for the mount", "payment") == [4])
        #expect(offered("The quest wall of text is wrong", "stuck_character").isEmpty)
        #expect(offered("", "payment").isEmpty)
    }

    @Test func aRussianDraftReadsRussianArticlesAndEnglishOnesStandInWhenNoneMatch() {
        #expect(offered("Персонаж застрял в стене у моста", "stuck_character", "ru") == [2])
        #expect(offered("Я провалился под карту в Тернистой долине", "stuck_character", "ru") == [2])
        // The same words in Latin letters (oshibka-style transliteration) still find the Russian article.
        #expect(offered("zastryal v tekstrurah", "stuck_character", "ru") == [2])
        // No Russian article matches: the English ones stand in; a German player gets English too.
        #expect(offered("refund please, charged twice", "payment", "ru") == [4])
        #expect(offered("refund, charged twice for the mount", "payment", "de") == [4])
        // An English player is not offered the Russian article.
        #expect(!offered("zastryal v tekstrurah", "stuck_character", "en").contains(2))
    }

    @Test func atMostThreeAreOffered() {
        let many = (1...6).map {
            Article(id: Int64($0), title: "Mount \($0)", body: "b", keywords: ["flying mount"], category: "", locale: "")
        }
        let offered = ArticleMatch(articles: many, check: Self.check)
            .articles(for: IncidentWords("my flying mount vanished", check: Self.check), category: "bug", language: "en")
        #expect(offered.map(\.id) == [6, 5, 4], "three, the newest first among equals")
    }

    @Test func anArticleIsNormalizedOrRefusedWithWhatToChange() throws {
        let article = try Article(
            title: "  Stuck  ", body: " Use Unstuck. ", keywords: [" stuck ", "", "wall"], locale: "pt-BR"
        ).normalized(check: Self.check)
        #expect(article.title == "Stuck" && article.body == "Use Unstuck." && article.keywords == ["stuck", "wall"])
        #expect(article.locale == "pt")
        #expect(throws: Article.Problem.title) { try Article(title: " ", body: "b").normalized(check: Self.check) }
        #expect(throws: Article.Problem.body) {
            try Article(title: "t", body: String(repeating: "x", count: 4_001)).normalized(check: Self.check)
        }
        #expect(throws: Article.Problem.keywords) {
            try Article(title: "Stuck", body: "b", keywords: Array(repeating: "stuck", count: 21)).normalized(check: Self.check)
        }
        #expect(throws: Article.Problem.locale("english!")) {
            try Article(title: "Stuck", body: "b", locale: "english!").normalized(check: Self.check)
        }
        #expect(throws: Article.Problem.nothingToMatch) {
            try Article(title: "Hello GM", body: "b", keywords: ["please help"]).normalized(check: Self.check)
        }
        #expect(Article.Problem.locale("x").description.contains("two or three letters"))
    }

    @Test func selfHelpDeflectionIsOfTheDraftsOfferedAnAnswer() {
        #expect(SelfHelp().deflectionPercent == nil)
        #expect(SelfHelp(previews: 10, drafts: 6, offered: 4, deflected: 1).deflectionPercent == 25)
    }
}

import Foundation

/// A short self-help article: what a player reads before filing a request ("does this answer your question?").
/// Admins write them per category and language; PREVIEW offers the ones a draft request matches (`ArticleMatch`).
public struct Article: Sendable, Equatable, Codable {
    public var id: Int64
    public var title: String
    public var body: String
    /// Words or phrases players use for this problem; each one a phrase as an incident's match phrases.
    public var keywords: [String]
    /// The category it answers, or "" for any.
    public var category: String
    /// The language it is written in ("en", "ru", …), or "" for any.
    public var locale: String
    public var updatedBy: String
    public var updatedAt: Int64

    public init(
        id: Int64 = 0, title: String, body: String, keywords: [String] = [], category: String = "", locale: String = "",
        updatedBy: String = "", updatedAt: Int64 = 0
    ) {
        self.id = id
        self.title = title
        self.body = body
        self.keywords = keywords
        self.category = category
        self.locale = locale
        self.updatedBy = updatedBy
        self.updatedAt = updatedAt
    }

    public static let maximumTitleBytes = 200
    public static let maximumBodyBytes = 4_000
    public static let maximumKeywords = 20
    public static let maximumKeywordBytes = 200

    /// Why an article cannot be saved; its description says what to change.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case title
        case body
        case keywords
        case locale(String)
        case nothingToMatch

        public var description: String {
            switch self {
            case .title: "an article needs a title of 1 to \(Article.maximumTitleBytes) bytes"
            case .body: "an article needs a body of 1 to \(Article.maximumBodyBytes) bytes"
            case .keywords:
                "an article takes at most \(Article.maximumKeywords) keywords of at most "
                    + "\(Article.maximumKeywordBytes) bytes each"
            case .locale(let locale):
                "'\(locale)' is not a language code; use two or three letters such as en, de or ru, or none for any"
            case .nothingToMatch:
                "neither the title nor a keyword has a word that describes a problem; add keywords players would write"
            }
        }
    }

    /// The article as stored: trimmed, the locale lowercased to its language ("pt-BR" → "pt"), empty keywords
    /// dropped; or the first problem with it.
    public func normalized(check: SubstantiveCheck) throws(Problem) -> Article {
        var article = self
        article.title = self.title.trimmingCharacters(in: .whitespacesAndNewlines)
        article.body = self.body.trimmingCharacters(in: .whitespacesAndNewlines)
        article.keywords = self.keywords.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        let language = self.locale.split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map(String.init) ?? ""
        article.locale = language.lowercased()
        guard !article.title.isEmpty, article.title.utf8.count <= Self.maximumTitleBytes else { throw .title }
        guard !article.body.isEmpty, article.body.utf8.count <= Self.maximumBodyBytes else { throw .body }
        guard article.keywords.count <= Self.maximumKeywords,
            article.keywords.allSatisfy({ $0.utf8.count <= Self.maximumKeywordBytes })
        else { throw .keywords }
        guard article.locale.isEmpty
            || ((2...3).contains(article.locale.count) && article.locale.allSatisfy { $0.isASCII && $0.isLetter })
        else { throw .locale(self.locale) }
        guard ArticleMatch.Candidate(article: article, check: check).hasWords else { throw .nothingToMatch }
        return article
    }

    /// How the article reads in the staff action log.
    public var logDetail: String {
        let scope = [self.category.isEmpty ? "any category" : self.category, self.locale.isEmpty ? "any language" : self.locale]
        return "\(self.title) (\(scope.joined(separator: ", ")))"
    }
}

/// Which articles a draft request may be answered by, best first. Pure: the server keeps one per set of articles.
///
/// An article matches a draft of its category (or any) when the draft holds one of its keyword phrases (half of
/// the phrase's describing words, two at least when it has two or more, words compared as incidents compare
/// them: `IncidentWords`), or two describing words of its title. It scores three per keyword word found and one
/// per title word found; ties go to the newer article. Articles in the player's language come first, then those
/// for any language; English ones stand in when neither matches.
public struct ArticleMatch: Sendable {
    public struct Candidate: Sendable {
        public let article: Article
        let keywords: [IncidentWords]
        let title: IncidentWords

        public init(article: Article, check: SubstantiveCheck) {
            self.article = article
            self.keywords = article.keywords.map { IncidentWords($0, check: check) }.filter { $0.count > 0 }
            self.title = IncidentWords(article.title, check: check)
        }

        var hasWords: Bool { !self.keywords.isEmpty || self.title.count > 0 }

        /// The article's score for a draft's words; nil when it does not match.
        func score(_ words: IncidentWords) -> Int? {
            var score = 0
            var matched = false
            for phrase in self.keywords {
                let found = phrase.found(in: words)
                if found * 2 >= phrase.count && found >= min(2, phrase.count) {
                    matched = true
                    score += 3 * found
                }
            }
            let title = self.title.found(in: words)
            if title >= 2 { matched = true }
            return matched ? score + title : nil
        }
    }

    public static let maximumOffered = 3

    public let candidates: [Candidate]

    public init(articles: [Article], check: SubstantiveCheck) {
        self.candidates = articles.map { Candidate(article: $0, check: check) }
    }

    /// Up to `limit` articles for a draft of `category` in `language` ("en", "ru", …), best first.
    public func articles(for words: IncidentWords, category: String, language: String, limit: Int = maximumOffered)
        -> [Article]
    {
        guard words.count > 0 else { return [] }
        func best(_ locales: Set<String>) -> [Article] {
            var scored: [(article: Article, score: Int)] = []
            for candidate in self.candidates {
                let article = candidate.article
                guard article.category.isEmpty || article.category == category, locales.contains(article.locale),
                    let score = candidate.score(words)
                else { continue }
                scored.append((article, score))
            }
            scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.article.id > $1.article.id }
            return scored.prefix(limit).map(\.article)
        }
        let own = best([language, ""])
        return own.isEmpty && language != "en" ? best(["en"]) : own
    }
}

/// A PREVIEW as recorded for the self-help figures: who looked at what before (perhaps) filing.
public struct PreviewRecord: Sendable, Equatable {
    public var playerID: Int64
    public var category: String
    public var at: Int64
    /// The substantive check's reason when it would be refused; "" when it would be accepted.
    public var reason: String
    /// Articles offered.
    public var articles: Int
    /// The open incident it matched, if any.
    public var incidentID: Int64?

    public init(playerID: Int64, category: String, at: Int64, reason: String = "", articles: Int, incidentID: Int64? = nil) {
        self.playerID = playerID
        self.category = category
        self.at = at
        self.reason = reason
        self.articles = articles
        self.incidentID = incidentID
    }
}

/// What self-help did in a period: previews shown, drafts (a player's previews until one submits or stops for
/// `SelfHelp.window`), and the drafts that offered an answer (an article or an incident) and ended without a
/// request: the requests self-help spared the queue.
public struct SelfHelp: Sendable, Equatable {
    /// A draft ends at its last preview followed by no other preview or request of the player within this many ms.
    public static let window: Int64 = 30 * 60_000

    public var previews: Int
    /// Drafts: previews not followed by another of the player's within the window.
    public var drafts: Int
    /// Drafts whose last preview offered an article or an incident.
    public var offered: Int
    /// Of those, the ones the player filed no request after within the window.
    public var deflected: Int

    public init(previews: Int = 0, drafts: Int = 0, offered: Int = 0, deflected: Int = 0) {
        self.previews = previews
        self.drafts = drafts
        self.offered = offered
        self.deflected = deflected
    }

    /// Deflected drafts per hundred drafts that were offered an answer; nil when none was.
    public var deflectionPercent: Double? {
        self.offered == 0 ? nil : Double(self.deflected) * 100 / Double(self.offered)
    }
}

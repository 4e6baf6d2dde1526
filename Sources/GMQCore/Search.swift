import Foundation

/// What staff look for across every ticket's history (`gmq search`): words of the request, replies, answers and
/// (staff only) notes, narrowed by who, where and when.
public struct SearchQuery: Sendable, Equatable {
    public var text: String
    public var playerID: Int64?
    public var playerName: String?
    public var characterName: String?
    /// A GM who acted on the ticket (claimed, asked, answered, noted, closed …).
    public var gm: String?
    public var categories: [String]?
    public var state: TicketState?
    public var since: Int64?
    public var limit: Int

    public init(
        text: String, playerID: Int64? = nil, playerName: String? = nil, characterName: String? = nil, gm: String? = nil,
        categories: [String]? = nil, state: TicketState? = nil, since: Int64? = nil, limit: Int = 20
    ) {
        self.text = text
        self.playerID = playerID
        self.playerName = playerName
        self.characterName = characterName
        self.gm = gm
        self.categories = categories
        self.state = state
        self.since = since
        self.limit = limit
    }

    public static let maximumLimit = 200

    /// The words searched for: letters and digits, lower case, at most 16; every one must occur (in any event of
    /// the ticket's one event).
    public var terms: [String] {
        let words = self.text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
        var seen = Set<String>()
        return Array(words.filter { seen.insert($0).inserted }.prefix(16))
    }

    /// The terms as an FTS5 query: each a quoted string (no operator a player wrote can change the query), the
    /// last one a prefix ("inv" finds "invisible") when it has three letters or more.
    public var fts5Query: String {
        let terms = self.terms
        return terms.enumerated().map { index, term in
            "\"\(term)\"" + (index == terms.count - 1 && term.count >= 3 ? " *" : "")
        }.joined(separator: " ")
    }

    /// The terms as a PostgreSQL tsquery: all of them, the last as a prefix (three letters or more). The terms
    /// hold only letters and digits, so nothing in them is an operator.
    public var tsQuery: String {
        let terms = self.terms
        return terms.enumerated().map { index, term in
            term + (index == terms.count - 1 && term.count >= 3 ? ":*" : "")
        }.joined(separator: " & ")
    }

    /// Whether `text` holds every term (case and accents ignored, the last term also as a word's start): what the
    /// engines' indexes answer, for the few events of one player's tickets read without them.
    public func matches(_ text: String) -> Bool {
        let terms = self.terms.map { SearchHit.fold(Substring($0)) }
        guard let last = terms.last else { return false }
        var missing = Set(terms)
        for word in text.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(SearchHit.fold) {
            missing.remove(word)
            if last.count >= 3 && word.hasPrefix(last) { missing.remove(last) }
            if missing.isEmpty { return true }
        }
        return false
    }

    /// Hits by ticket, the best event of each, at most `limit`: the engines return events best first.
    public static func bestPerTicket(_ hits: [SearchHit], limit: Int) -> [SearchHit] {
        var seen = Set<Int64>()
        return Array(hits.filter { seen.insert($0.ticket.id).inserted }.prefix(limit))
    }
}

/// One ticket found: the event that matched best, and a snippet of its text with the words found marked.
public struct SearchHit: Sendable, Equatable {
    public var ticket: Ticket
    public var seq: Int64
    public var kind: EventKind
    public var actorName: String
    public var snippet: String
    /// Byte ranges (UTF-8, start and end) of the words found in `snippet`.
    public var highlights: [Range<Int>]

    public init(ticket: Ticket, seq: Int64, kind: EventKind, actorName: String, snippet: String, highlights: [Range<Int>]) {
        self.ticket = ticket
        self.seq = seq
        self.kind = kind
        self.actorName = actorName
        self.snippet = snippet
        self.highlights = highlights
    }

    /// A word as searches compare it: lower case, accents removed.
    static func fold(_ word: Substring) -> String {
        word.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased()
    }

    /// A snippet of `text` around the first word found: up to `words` words, "…" where it is cut, and where the
    /// query's terms are in it (case and accents ignored, the last term also as a word's start). The same on every
    /// engine, so both mark the same words.
    public static func snippet(of text: String, for query: SearchQuery, words limit: Int = 16) -> (text: String, highlights: [Range<Int>]) {
        let fold = Self.fold
        let terms = query.terms.map { fold(Substring($0)) }
        guard let lastTerm = terms.last else { return (text, []) }
        let prefix = lastTerm.count >= 3
        // Words and whether each is found.
        var words: [(range: Range<String.Index>, found: Bool)] = []
        var index = text.startIndex
        while index < text.endIndex {
            guard text[index].isLetter || text[index].isNumber else {
                index = text.index(after: index)
                continue
            }
            var end = index
            while end < text.endIndex, text[end].isLetter || text[end].isNumber { end = text.index(after: end) }
            let word = fold(text[index..<end])
            let found = terms.contains(word) || (prefix && word.hasPrefix(lastTerm))
            words.append((index..<end, found))
            index = end
        }
        guard !words.isEmpty else { return (text, []) }
        let first = words.firstIndex(where: \.found) ?? 0
        let from = max(0, min(first - 3, words.count - limit))
        let to = min(words.count, from + limit)
        let start = from == 0 ? text.startIndex : words[from].range.lowerBound
        let end = to == words.count ? text.endIndex : words[to - 1].range.upperBound
        let lead = from == 0 ? "" : "…"
        let snippet = lead + text[start..<end] + (to == words.count ? "" : "…")
        let offset = lead.utf8.count - text.utf8.distance(from: text.startIndex, to: start)
        let highlights = words[from..<to].filter(\.found).map { word -> Range<Int> in
            let lower = text.utf8.distance(from: text.startIndex, to: word.range.lowerBound) + offset
            let upper = text.utf8.distance(from: text.startIndex, to: word.range.upperBound) + offset
            return lower..<upper
        }
        return (snippet, highlights)
    }
}

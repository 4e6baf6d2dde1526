import Foundation
import GMQCore

import Synchronization

/// Each player's standing against `AbuseLimits` on this node, by player id (a player reconnecting or opening
/// several connections is the same player). Players who have nothing left to remember are forgotten, so memory
/// stays with the players who are sending.
final class AbuseLimiter: Sendable {
    let limits: AbuseLimits
    private let states = Mutex<(players: [Int64: PlayerAbuseState], operations: Int)>(([:], 0))
    /// Past this many players remembered, idle ones are dropped (checked every `sweepEvery` operations).
    static let forgetAbove = 10_000
    static let sweepEvery = 4_096

    init(limits: AbuseLimits) { self.limits = limits }

    private func withState<T>(_ player: Int64, at now: Date, _ body: (inout PlayerAbuseState) -> T) -> T {
        let seconds = now.timeIntervalSince1970
        return self.states.withLock { states in
            states.operations += 1
            if states.operations % Self.sweepEvery == 0, states.players.count > Self.forgetAbove {
                states.players = states.players.filter { !$0.value.isIdle(at: seconds) }
            }
            return body(&states.players[player, default: PlayerAbuseState(limits: self.limits, now: seconds)])
        }
    }

    func submit(_ player: Int64, at now: Date) -> PlayerAbuseState.Decision {
        self.withState(player, at: now) { $0.submit(at: now.timeIntervalSince1970) }
    }

    func reply(_ player: Int64, at now: Date) -> PlayerAbuseState.Decision {
        self.withState(player, at: now) { $0.reply(at: now.timeIntervalSince1970) }
    }

    func preview(_ player: Int64, at now: Date) -> PlayerAbuseState.Decision {
        self.withState(player, at: now) { $0.preview(at: now.timeIntervalSince1970) }
    }

    func rejected(_ player: Int64, at now: Date) {
        self.withState(player, at: now) { $0.rejected(at: now.timeIntervalSince1970, limits: self.limits) }
    }
}

/// The help bans in force, read from the store by `StaffGuard` every second (so a ban made on another node counts
/// within a second) and changed at once by a ban made here: a submission checks memory, not the database.
///
/// A read that began before a change made here would put back what that change undid (a ban lifted here
/// would return until the next read): each change here counts a generation, and a read taken before it is dropped.
final class BanCache: Sendable {
    private struct State {
        var bans: [Int64: HelpBan] = [:]
        var generation: UInt64 = 0
    }

    private let state = Mutex(State())

    /// The generation to hand back to `replace` with what is read after this call.
    var generation: UInt64 { self.state.withLock { $0.generation } }

    /// Replaces every ban with what the store held, unless a change was made here since `generation`.
    func replace(with bans: [HelpBan], readAfter generation: UInt64) {
        let byPlayer = Dictionary(bans.map { ($0.playerID, $0) }) { first, _ in first }
        self.state.withLock { state in
            if state.generation == generation { state.bans = byPlayer }
        }
    }

    func set(_ ban: HelpBan) {
        self.state.withLock { state in
            state.bans[ban.playerID] = ban
            state.generation += 1
        }
    }

    func remove(_ player: Int64) {
        self.state.withLock { state in
            state.bans.removeValue(forKey: player)
            state.generation += 1
        }
    }

    func ban(of player: Int64, at now: Int64) -> HelpBan? {
        self.state.withLock { state in state.bans[player].flatMap { $0.until > now ? $0 : nil } }
    }
}

/// The open incidents and their match words, read from the store by `StaffGuard` every second (so that one opened
/// on another node counts within a second) and changed at once by an incident opened or closed here: a submission
/// matches against memory, not the database. A read taken before a change made here is dropped, as in `BanCache`.
final class IncidentCache: Sendable {
    private struct State {
        var match: IncidentMatch?
        var generation: UInt64 = 0
    }

    private let state = Mutex(State())
    private let check: SubstantiveCheck

    init(check: SubstantiveCheck) { self.check = check }

    var generation: UInt64 { self.state.withLock { $0.generation } }

    func replace(with incidents: [Incident], readAfter generation: UInt64) {
        let match = IncidentMatch(incidents: incidents, check: self.check)
        self.state.withLock { state in
            if state.generation == generation { state.match = match }
        }
    }

    /// Adds or replaces `incident` (dropped when closed).
    func update(_ incident: Incident) {
        self.state.withLock { state in
            var incidents = (state.match?.candidates.map(\.incident) ?? []).filter { $0.id != incident.id }
            if incident.isOpen { incidents.append(incident) }
            state.match = IncidentMatch(incidents: incidents, check: self.check)
            state.generation += 1
        }
    }

    /// The open incident a request matches, if any (its words are read only when an incident takes its category).
    func incident(for text: String, category: String, context: GameContext) -> Incident? {
        guard let match = self.state.withLock({ $0.match }), match.covers(category) else { return nil }
        return match.incident(for: IncidentWords(text, check: self.check), category: category, context: context)
    }
}

/// The knowledge base's articles and their match words, read from the store by `StaffGuard` every second (so that
/// an article saved on another node is offered within a second) and changed at once by one saved here: a PREVIEW
/// matches against memory, not the database. A read taken before a change made here is dropped, as in `BanCache`.
final class ArticleCache: Sendable {
    private struct State {
        var articles: [Article] = []
        var match: ArticleMatch?
        var generation: UInt64 = 0
    }

    private let state = Mutex(State())
    private let check: SubstantiveCheck

    init(check: SubstantiveCheck) { self.check = check }

    var generation: UInt64 { self.state.withLock { $0.generation } }

    func replace(with articles: [Article], readAfter generation: UInt64) {
        guard articles != self.state.withLock({ $0.articles }) else { return }
        let match = ArticleMatch(articles: articles, check: self.check)
        self.state.withLock { state in
            if state.generation == generation { (state.articles, state.match) = (articles, match) }
        }
    }

    /// Adds or replaces `article`, or drops article `removed`.
    func update(_ article: Article? = nil, removed: Int64? = nil) {
        self.state.withLock { state in
            var articles = state.articles.filter { $0.id != article?.id && $0.id != removed }
            if let article { articles.append(article) }
            articles.sort { $0.id < $1.id }
            state.articles = articles
            state.match = ArticleMatch(articles: articles, check: self.check)
            state.generation += 1
        }
    }

    /// The articles a draft's words may be answered by, best first.
    func articles(for words: IncidentWords, category: String, language: String) -> [Article] {
        self.state.withLock { $0.match }?.articles(for: words, category: category, language: language) ?? []
    }
}

/// The bytes of uploads in progress on this node (ATTACH … ATTACH_END), held in memory until stored: each upload
/// reserves its announced size, so that many connections uploading at once cannot exhaust memory.
final class UploadBudget: Sendable {
    let limit: Int
    private let reserved = Mutex(0)

    init(limit: Int = 256 * 1_048_576) { self.limit = limit }

    /// Reserves `bytes`, or returns false when the node holds too many uploads already.
    func reserve(_ bytes: Int) -> Bool {
        self.reserved.withLock { reserved in
            guard reserved + bytes <= self.limit else { return false }
            reserved += bytes
            return true
        }
    }

    func release(_ bytes: Int) { self.reserved.withLock { $0 -= bytes } }

    var inUse: Int { self.reserved.withLock { $0 } }
}

import Foundation

/// How much a player may send on the player port (issue 11 §4), per player id: token buckets for SUBMIT and
/// PLAYER_REPLY, and a cooldown after repeated rejected submissions. Defaults leave every real player alone (a
/// request every half minute, a reply every six seconds, in bursts) and stop a script flooding the queue. The reply
/// burst (20) is above one ticket's reply window (`ReplyLimits`, 10 in 10 minutes), so a player writing to one
/// ticket meets that ticket's own, more telling limit first.
public struct AbuseLimits: Sendable, Equatable {
    /// A bucket of `burst` tokens, one more every `every` seconds.
    public struct Rate: Sendable, Equatable {
        public var burst: Int
        public var every: TimeInterval

        public init(burst: Int, every: TimeInterval) {
            self.burst = burst
            self.every = every
        }
    }

    /// nil: no limit (a load test, or a trusted game server proxying its players).
    public var submissions: Rate?
    public var replies: Rate?
    /// PREVIEW requests (a game may preview as the player types; each one runs the check and is recorded).
    public var previews: Rate?
    /// This many rejected submissions within `rejectionWindow` seconds start a cooldown of `cooldown` seconds;
    /// 0: no cooldown.
    public var rejections: Int
    public var rejectionWindow: TimeInterval
    public var cooldown: TimeInterval

    public init(
        submissions: Rate? = Rate(burst: 5, every: 30), replies: Rate? = Rate(burst: 20, every: 6), rejections: Int = 5,
        rejectionWindow: TimeInterval = 600, cooldown: TimeInterval = 600, previews: Rate? = Rate(burst: 20, every: 3)
    ) {
        self.submissions = submissions
        self.replies = replies
        self.previews = previews
        self.rejections = rejections
        self.rejectionWindow = rejectionWindow
        self.cooldown = cooldown
    }

    public static let standard = AbuseLimits()
    /// Nothing limited.
    public static let none = AbuseLimits(submissions: nil, replies: nil, rejections: 0, previews: nil)

    /// Why an operator's text for a limit cannot be read.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public let text: String
        public let form: String
        public var description: String { "'\(self.text)' is not \(self.form), or off" }
    }

    /// A rate as an operator writes it: `BURST/SECONDS` (`5/30`: a burst of 5, then one per 30 s), or `off`.
    public static func rate(_ text: String) throws(ParseError) -> Rate? {
        if text == "off" { return nil }
        let parts = Self.numbers(text)
        guard parts.count == 2, let burst = Int(exactly: parts[0]), burst >= 1, parts[1] > 0 else {
            throw ParseError(text: text, form: "BURST/SECONDS with a whole burst of at least 1, e.g. 5/30")
        }
        return Rate(burst: burst, every: parts[1])
    }

    /// The cooldown as an operator writes it: `COUNT/WINDOW/WAIT` (COUNT rejected requests within WINDOW seconds make
    /// the player wait WAIT seconds), or `off`; sets `rejections`, `rejectionWindow` and `cooldown`.
    public mutating func setCooldown(_ text: String) throws(ParseError) {
        if text == "off" {
            self.rejections = 0
            return
        }
        let parts = Self.numbers(text)
        guard parts.count == 3, let count = Int(exactly: parts[0]), count >= 1, parts[1] > 0, parts[2] > 0 else {
            throw ParseError(text: text, form: "COUNT/WINDOW/WAIT with a whole count of at least 1, e.g. 5/600/600")
        }
        (self.rejections, self.rejectionWindow, self.cooldown) = (count, parts[1], parts[2])
    }

    private static func numbers(_ text: String) -> [Double] {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map { Double($0) }
        return parts.contains(nil) ? [] : parts.compactMap { $0 }
    }
}

/// A token bucket over seconds: full at first, `take` spends one token or says how long until there is one.
public struct TokenBucket: Sendable, Equatable {
    public let rate: AbuseLimits.Rate
    private var tokens: Double
    private var updated: TimeInterval

    public init(_ rate: AbuseLimits.Rate, now: TimeInterval) {
        self.rate = rate
        self.tokens = Double(rate.burst)
        self.updated = now
    }

    private mutating func refill(_ now: TimeInterval) {
        guard now > self.updated else { return }
        self.tokens = min(Double(self.rate.burst), self.tokens + (now - self.updated) / self.rate.every)
        self.updated = now
    }

    /// Spends a token and returns nil, or returns the whole seconds until one is there (nothing spent).
    public mutating func take(at now: TimeInterval) -> Int? {
        self.refill(now)
        if self.tokens >= 1 {
            self.tokens -= 1
            return nil
        }
        return max(1, Int(((1 - self.tokens) * self.rate.every).rounded(.up)))
    }

    /// Whether the bucket is full at `now`: a player who may as well be forgotten.
    public func isFull(at now: TimeInterval) -> Bool {
        self.tokens + max(0, now - self.updated) / self.rate.every >= Double(self.rate.burst)
    }
}

/// One player's standing against `AbuseLimits`, and the decisions over it. Pure: the server keeps one per player
/// id and passes the time in.
public struct PlayerAbuseState: Sendable, Equatable {
    public enum Decision: Sendable, Equatable {
        case allowed
        /// Too fast: try again in this many seconds.
        case rateLimited(retryAfter: Int)
        /// Too many rejected requests lately: wait this many seconds.
        case coolingDown(retryAfter: Int)
    }

    private var submissions: TokenBucket?
    private var replies: TokenBucket?
    private var previews: TokenBucket?
    /// Times of recent rejected submissions, oldest first, within the window.
    private var rejected: [TimeInterval] = []
    private var coolingUntil: TimeInterval = 0

    public init(limits: AbuseLimits, now: TimeInterval) {
        self.submissions = limits.submissions.map { TokenBucket($0, now: now) }
        self.replies = limits.replies.map { TokenBucket($0, now: now) }
        self.previews = limits.previews.map { TokenBucket($0, now: now) }
    }

    /// A SUBMIT: refused while cooling down, else by the submission bucket.
    public mutating func submit(at now: TimeInterval) -> Decision {
        if now < self.coolingUntil { return .coolingDown(retryAfter: max(1, Int((self.coolingUntil - now).rounded(.up)))) }
        return self.submissions?.take(at: now).map { .rateLimited(retryAfter: $0) } ?? .allowed
    }

    /// A PLAYER_REPLY: only the reply bucket.
    public mutating func reply(at now: TimeInterval) -> Decision {
        self.replies?.take(at: now).map { .rateLimited(retryAfter: $0) } ?? .allowed
    }

    /// A PREVIEW: only the preview bucket.
    public mutating func preview(at now: TimeInterval) -> Decision {
        self.previews?.take(at: now).map { .rateLimited(retryAfter: $0) } ?? .allowed
    }

    /// A submission the substantive check rejected; the `limits.rejections`-th within the window starts a cooldown.
    public mutating func rejected(at now: TimeInterval, limits: AbuseLimits) {
        guard limits.rejections > 0 else { return }
        self.rejected.removeAll { $0 <= now - limits.rejectionWindow }
        self.rejected.append(now)
        if self.rejected.count >= limits.rejections {
            self.coolingUntil = now + limits.cooldown
            self.rejected.removeAll()
        }
    }

    /// Nothing left to remember: both buckets full, no cooldown, no recent rejection.
    public func isIdle(at now: TimeInterval) -> Bool {
        now >= self.coolingUntil && self.rejected.allSatisfy { $0 <= now - 3_600 }
            && self.submissions?.isFull(at: now) ?? true && self.replies?.isFull(at: now) ?? true
            && self.previews?.isFull(at: now) ?? true
    }
}

/// A help ban: the player may not file new requests until `until` (ms); replies to their open tickets go on.
public struct HelpBan: Sendable, Equatable {
    public var playerID: Int64
    public var until: Int64
    public var reason: String
    /// Who banned them.
    public var by: String
    public var at: Int64

    public init(playerID: Int64, until: Int64, reason: String, by: String, at: Int64) {
        self.playerID = playerID
        self.until = until
        self.reason = reason
        self.by = by
        self.at = at
    }

    /// The longest a ban lasts: a year. Longer is an account action for the game's own tools.
    public static let maximumDuration: Int64 = 366 * 86_400_000
}

/// How a ban reads in the staff log and in a refused player's hint.
public enum HelpBanText {
    public static func logDetail(_ ban: HelpBan) -> String {
        "until \(Date(milliseconds: ban.until).formatted(.iso8601)); reason: \(ban.reason)"
    }
}

/// What the substantive check says of a text.
public enum Verdict: Sendable, Equatable {
    case accepted(Acceptance)
    case rejected(Rejection)

    public var isAccepted: Bool {
        if case .accepted = self { return true }
        return false
    }

    /// Content words found: what `gmq validate` prints as the score.
    public var score: Int {
        switch self {
        case .accepted(let acceptance): acceptance.contentWords
        case .rejected(let rejection): rejection.contentWords
        }
    }
}

/// An accepted text, perhaps with advice to improve it (a payment request without an order number).
public struct Acceptance: Sendable, Equatable {
    /// Distinct words that describe something, numbers included.
    public var contentWords: Int
    /// A stable code such as `add_reference`, when the category suggests something the text lacks.
    public var advice: String?
    /// The advice as a sentence in the player's language.
    public var hint: String?
    /// The text's content words as `SubstantiveCheck.contentWords(of:)` gives them (the duplicate check's and the
    /// fingerprint's), read by the check's own pass when `evaluate` was asked to (`readingContentWords`).
    public var words: SubstantiveCheck.ContentWords?

    public init(
        contentWords: Int, words: SubstantiveCheck.ContentWords? = nil, advice: String? = nil, hint: String? = nil
    ) {
        self.contentWords = contentWords
        self.words = words
        self.advice = advice
        self.hint = hint
    }
}

/// Why a text was turned away, and what to tell the player.
public struct Rejection: Sendable, Equatable {
    public var reason: RejectionReason
    /// A sentence in the player's language telling them what to write instead.
    public var hint: String
    /// How many content words the check found, for tuning and explain mode.
    public var contentWords: Int

    public init(reason: RejectionReason, hint: String, contentWords: Int) {
        self.reason = reason
        self.hint = hint
        self.contentWords = contentWords
    }
}

/// Stable reason codes, sent on the wire in REJECTED (PROTOCOL.md §7). Never renamed; new ones may be added.
public enum RejectionReason: String, Sendable, CaseIterable {
    /// Nothing, or a word or two that say nothing about the problem.
    case tooShort = "too_short"
    /// Only greetings, addressing staff and pleas for contact or help: "gm are you there", "pm me".
    case contactOnly = "contact_only"
    /// Text that says there is a problem but not which.
    case noDescription = "no_description"
    /// Keyboard mash, filler, punctuation or emoji instead of words.
    case gibberish
    /// The same word or two repeated to pad the text.
    case repetition
    /// A player report that does not name the player.
    case missingPlayer = "missing_player"
    /// A request without what its category's form requires (an order number, a place), named in the hint.
    case missingDetail = "missing_detail"
    /// The player already has the most open requests allowed (decided by the server, not the text).
    case openLimit = "open_limit"
    /// A GM or admin barred the player from filing requests for a while (decided by the server).
    case banned
    /// Too many rejected requests lately: the player waits before the next (decided by the server).
    case cooldown
    /// Requests sent faster than the server takes them from one player (decided by the server).
    case rateLimited = "rate_limited"
}

/// What a player's reply to their ticket means.
public enum ReplyIntent: Sendable, Equatable {
    /// "thanks", "ok", "it worked": recorded, never reopens a closed ticket.
    case acknowledgement
    /// Describes something: reopens a closed ticket within the reopen window.
    case substance
}

/// What the substantive check says of a text.
public enum Verdict: Sendable, Equatable {
    /// The text describes something a GM can act on. `contentWords` counts the distinct words that carry it.
    case accepted(contentWords: Int)
    case rejected(Rejection)

    public var isAccepted: Bool {
        if case .accepted = self { return true }
        return false
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
    /// Longer text that still does not say what happened.
    case noDescription = "no_description"
    /// Keyboard mash, punctuation or emoji instead of words.
    case gibberish
    /// The same word or two repeated to pad the text.
    case repetition
}

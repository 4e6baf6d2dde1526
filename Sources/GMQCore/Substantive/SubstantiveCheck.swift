import Foundation

/// Decides whether a request describes a problem a GM can act on, and if not, why and what to tell the player.
/// Pure and synchronous: the same text and locale always give the same verdict.
///
/// v1 judges content, not length: after normalising, words that only greet, address staff, plead, ask for
/// contact or say "I have a problem" are set aside; what remains must hold at least
/// `minimumContentWords` distinct words that are not keyboard mash.
public struct SubstantiveCheck: Sendable {
    /// Two content words name a thing and what happened to it ("Stuck in Undercity sewers" has three);
    /// the corpus in `../shared/corpus` has no real problem described in fewer.
    public static let minimumContentWords = 2

    private let lexicon: Lexicon

    public init() {
        self.lexicon = .builtIn
    }

    public func evaluate(_ text: String, locale: String = "") -> Verdict {
        let normalized = Self.normalize(text)
        let tokens = Self.tokenize(normalized)
        let cyrillic = normalized.unicodeScalars.contains { (0x0400...0x04FF).contains($0.value) }

        func reject(_ reason: RejectionReason, _ contentWords: Int) -> Verdict {
            .rejected(Rejection(
                reason: reason, hint: Hints.text(for: reason, locale: locale, textIsCyrillic: cyrillic),
                contentWords: contentWords))
        }

        if tokens.isEmpty {
            let visible = normalized.unicodeScalars.contains { !$0.properties.isWhitespace }
            return reject(visible ? .gibberish : .tooShort, 0)
        }

        var content = Set<String>()
        var mash = 0
        var contact = 0
        for token in tokens {
            let word = token.word
            if self.lexicon.contact.contains(word) || (token.elongated && self.lexicon.contact.contains(token.collapsed)) {
                contact += 1
            } else if self.lexicon.empty.contains(word) || (token.elongated && self.lexicon.empty.contains(token.collapsed)) {
                continue
            } else if Keyboard.isMash(word) {
                mash += 1
            } else if word.unicodeScalars.contains(where: { $0.properties.isAlphabetic }) {
                content.insert(token.collapsed)
            }
        }

        if content.count >= Self.minimumContentWords && mash * 2 < tokens.count {
            return .accepted(contentWords: content.count)
        }
        if mash > 0 && mash * 2 >= tokens.count - contact {
            return reject(.gibberish, content.count)
        }
        let distinct = Set(tokens.map(\.collapsed)).count
        if tokens.count >= 4 && distinct * 3 <= tokens.count {
            return reject(.repetition, content.count)
        }
        if contact > 0 {
            return reject(.contactOnly, content.count)
        }
        return reject(tokens.count <= 2 ? .tooShort : .noDescription, content.count)
    }

    /// A word of the text, lower-cased, apostrophes removed, and the same with every run of one letter cut to one.
    struct Token {
        var word: String
        var collapsed: String
        /// The word had a letter three or more times in a row ("pleeease"), so it is also matched collapsed.
        var elongated: Bool
    }

    /// Unicode NFKC, case folding, and removal of invisible format characters (zero-width, bidi controls).
    static func normalize(_ text: String) -> String {
        let folded = text.precomposedStringWithCompatibilityMapping.lowercased()
        return String(String.UnicodeScalarView(folded.unicodeScalars.filter { !Self.isInvisible($0) }))
    }

    private static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00AD, 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2069, 0xFEFF: true
        default: false
        }
    }

    /// Splits on everything that is neither a letter, a digit nor an apostrophe inside a word. Emoji and
    /// punctuation are not content and vanish here.
    static func tokenize(_ normalized: String) -> [Token] {
        var tokens: [Token] = []
        var current = String.UnicodeScalarView()
        func flush() {
            let word = String(current).replacingApostrophes()
            current = String.UnicodeScalarView()
            guard !word.isEmpty else { return }
            var collapsed = String.UnicodeScalarView()
            var run = 0
            var longest = 0
            var previous: Unicode.Scalar?
            for scalar in word.unicodeScalars {
                if scalar == previous {
                    run += 1
                } else {
                    run = 1
                    collapsed.append(scalar)
                }
                longest = max(longest, run)
                previous = scalar
            }
            tokens.append(Token(word: word, collapsed: String(collapsed), elongated: longest >= 3))
        }
        for scalar in normalized.unicodeScalars {
            let properties = scalar.properties
            if properties.isAlphabetic || properties.numericType != nil || scalar == "'" || scalar == "\u{2019}" {
                current.append(scalar)
            } else {
                flush()
            }
        }
        flush()
        return tokens
    }
}

/// Which characters a string field may carry (PROTOCOL.md §4.1), and how a tool shows text it must not print as
/// it is.
///
/// A player's text reaches staff terminals: an escape sequence in it could clear the screen, forge coloured lines,
/// write the clipboard (OSC 52) or plant links (OSC 8), and bidi overrides or zero-width characters could make a
/// line read as something else. The server refuses such characters where no honest client sends them, and the
/// tools neutralise whatever is stored anyway (older data, other writers).
public enum TextRules {
    /// The two kinds of string field.
    public enum Field: Sendable {
        /// Free text (`text`, `comment`): line feeds, carriage returns and tabs are allowed; no other control.
        case text
        /// Names and context (`character_name`, `realm`, `zone`, `client_build`, `locale`, `client_name`, staff
        /// names): printable characters only, no control and no bidi or zero-width character.
        case name
    }

    /// C0 controls, DEL and C1 controls.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// Characters that change how a line reads without showing themselves: bidi embeddings, overrides, isolates
    /// and marks, zero-width spaces and joiners, word joiners and invisible operators, the byte-order mark, and
    /// the line and paragraph separators.
    public static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x061C, 0x180E, 0x200B...0x200F, 0x2028...0x202E, 0x2060...0x2064, 0x2066...0x2069, 0xFEFF: true
        default: false
        }
    }

    /// The first character `field` may not hold, or nil when `text` is acceptable.
    public static func firstForbidden(in text: String, field: Field) -> Unicode.Scalar? {
        switch field {
        case .text:
            text.unicodeScalars.first { self.isControl($0) && $0 != "\n" && $0 != "\r" && $0 != "\t" }
        case .name:
            text.unicodeScalars.first { self.isControl($0) || self.isInvisible($0) }
        }
    }

    /// `U+001B`: how a character is named in messages and shown in place of itself.
    public static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// "the control character U+001B" or "the invisible character U+202E": for messages that name what was
    /// refused without repeating the text.
    public static func describe(_ scalar: Unicode.Scalar) -> String {
        (self.isControl(scalar) ? "the control character " : "the invisible character ") + self.codePoint(scalar)
    }

    /// `text` safe to print on a terminal: every control and invisible character is replaced by `<U+XXXX>`, a tab
    /// by a space, and a line feed by a space unless `keepingLineFeeds` (a multi-line body).
    public static func printable(_ text: String, keepingLineFeeds: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: { self.isControl($0) || self.isInvisible($0) }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                out.append(keepingLineFeeds ? "\n" : " ")
            } else if scalar == "\t" {
                out.append(" ")
            } else if self.isControl(scalar) || self.isInvisible(scalar) {
                out.append(contentsOf: "<\(self.codePoint(scalar))>".unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }
}

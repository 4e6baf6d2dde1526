import Foundation

/// A canned response: a named text with placeholders, used as `answer ID @name` (issue "GM console" §2).
public struct Macro: Sendable, Equatable {
    public var name: String
    public var text: String

    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }

    /// The placeholders a macro may use, each filled from the ticket and the GM.
    public static let placeholders = ["{player}", "{character}", "{gm}", "{ticket}"]

    /// Whether a GM's text calls a macro: the whole text is `@name`.
    public static func reference(in text: String) -> String? {
        guard text.first == "@", text.count > 1, !text.contains(where: \.isWhitespace) else { return nil }
        return String(text.dropFirst())
    }

    /// A valid name: 1 to 32 of a–z, 0–9, '-' and '_'.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 32
            && name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }
    }

    /// The staff log's detail for a saved macro: its whole text, so that the log shows what players will read.
    public static func logDetail(text: String, replaced: Bool) -> String {
        (replaced ? "replaced; text: " : "added; text: ") + text
    }

    /// The text with its placeholders filled. A character name that is empty reads as the player's name.
    public func expand(player: String, character: String, gm: String, ticket: Int64) -> String {
        self.text
            .replacingOccurrences(of: "{player}", with: player)
            .replacingOccurrences(of: "{character}", with: character.isEmpty ? player : character)
            .replacingOccurrences(of: "{gm}", with: gm)
            .replacingOccurrences(of: "{ticket}", with: String(ticket))
    }
}

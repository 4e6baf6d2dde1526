import Foundation

/// What each category's form asks of a request, from configuration (`gmqd --rules FILE`, JSON):
///
/// ```json
/// { "player_report": { "requires": ["named_player"] }, "payment": { "suggests": ["reference"] },
///   "bug": { "suggests": ["steps", "outcome", "expected"] }, "stuck_character": { "suggests": ["place"] } }
/// ```
/// A requirement rejects a request without it (`missing_player`, or `missing_detail` naming what is missing); a
/// suggestion accepts it with a hint naming what to add, in the player's language (`FormElements`).
public struct CategoryRules: Sendable, Equatable, Codable {
    public enum Element: String, Sendable, Codable, CaseIterable {
        /// The request names the player it is about: a capitalised name, or a word after "player"/"игрок"/"named".
        case namedPlayer = "named_player"
        /// The request carries an order or transaction reference: a number of four or more digits.
        case reference
        /// What the player did just before ("when I clicked", "nachdem", "после того как").
        case steps
        /// What happened: a fault, an error number or code, a crash.
        case outcome
        /// What the player expected instead ("should", "sollte", "вместо").
        case expected
        /// Where the character is: the game context's zone or map counts, or a place in the text.
        case place
    }

    public struct Rule: Sendable, Equatable, Codable {
        public var requires: [Element]
        public var suggests: [Element]

        public init(requires: [Element] = [], suggests: [Element] = []) {
            self.requires = requires
            self.suggests = suggests
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.requires = try container.decodeIfPresent([Element].self, forKey: .requires) ?? []
            self.suggests = try container.decodeIfPresent([Element].self, forKey: .suggests) ?? []
        }
    }

    public var byCategory: [String: Rule]

    public init(_ byCategory: [String: Rule]) {
        self.byCategory = byCategory
    }

    /// The defaults: a player report must name the player; a payment request should carry a reference, a bug
    /// report say what the player did, what happened and what they expected, a stuck character where it is.
    public static let standard = CategoryRules([
        "player_report": Rule(requires: [.namedPlayer]),
        "payment": Rule(suggests: [.reference]),
        "bug": Rule(suggests: [.steps, .outcome, .expected]),
        "stuck_character": Rule(suggests: [.place]),
    ])

    public init(from decoder: any Decoder) throws {
        self.byCategory = try decoder.singleValueContainer().decode([String: Rule].self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.byCategory)
    }

    /// Reads rules from JSON, saying which part is wrong when it cannot.
    public static func load(json data: Data) throws -> CategoryRules {
        do {
            return try JSONDecoder().decode(CategoryRules.self, from: data)
        } catch {
            let elements = Element.allCases.map(\.rawValue).joined(separator: ", ")
            throw RulesError(
                description: "category rules are not valid JSON of the form "
                    + "{\"category\": {\"requires\": [...], \"suggests\": [...]}} with elements \(elements): \(error)")
        }
    }

    /// Reads rules from a JSON file, or the standard rules when `path` is nil.
    public static func load(path: String?) throws -> CategoryRules {
        guard let path else { return .standard }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RulesError(description: "cannot read the rules file \(path); check the path")
        }
        return try self.load(json: data)
    }

    public struct RulesError: Error, CustomStringConvertible {
        public var description: String
    }
}

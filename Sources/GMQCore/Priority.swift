import Foundation

/// A priority a GM sets from how urgent a problem is and how many players it touches, as OTRS's priority matrix:
/// one player's lost mount is less pressing than a realm that cannot log in. The queue orders by priority first
/// (then the service deadline); a category's own priority is where a ticket starts, escalation raises it further.
public enum Priority {
    public enum Urgency: Int, Sendable, CaseIterable {
        case low = 1, medium, high, critical

        public var name: String { "\(self)" }
    }

    public enum Impact: Int, Sendable, CaseIterable {
        /// One player.
        case player = 1
        /// A group or guild.
        case group
        /// A whole realm.
        case realm
        /// Every realm.
        case all

        public var name: String { "\(self)" }
    }

    /// Urgency × impact, 0 (normal) to 4:
    ///
    /// | | player | group | realm | all |
    /// |---|---|---|---|---|
    /// | low | 0 | 0 | 1 | 2 |
    /// | medium | 0 | 1 | 2 | 3 |
    /// | high | 1 | 2 | 3 | 4 |
    /// | critical | 2 | 3 | 4 | 4 |
    public static func matrix(urgency: Urgency, impact: Impact) -> Int {
        min(4, max(0, urgency.rawValue + impact.rawValue - 3))
    }

    /// The internal note a priority change records.
    public static func noteText(urgency: Urgency, impact: Impact) -> String {
        "Priority \(self.matrix(urgency: urgency, impact: impact)): urgency \(urgency.name) × impact \(impact.name)"
    }
}

/// Who someone is to GMQueue. Stored by raw value.
public enum Role: String, Sendable, CaseIterable, Codable {
    case player
    case gm
    case moderator
    case admin

    /// Staff roles that may change tickets: claim, ask, answer, note, close.
    public var worksTickets: Bool { self == .gm || self == .admin }
    public var isStaff: Bool { self != .player }
}

/// A person acting on a ticket: a player (id from the token) or a staff account.
public struct Actor: Sendable, Hashable, Codable {
    public var id: Int64
    public var name: String
    public var role: Role

    public init(id: Int64, name: String, role: Role) {
        self.id = id
        self.name = name
        self.role = role
    }
}

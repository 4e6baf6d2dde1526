/// Who someone is to GMQueue. Stored by raw value.
public enum Role: String, Sendable, CaseIterable, Codable {
    case player
    case gm
    case moderator
    case admin
    /// A trusted game server: attaches server-side evidence (a chat log) to tickets on the staff port, nothing
    /// else (PROTOCOL.md §5.24).
    case game

    /// Staff roles that may change tickets: claim, ask, answer, note, close.
    public var worksTickets: Bool { self == .gm || self == .admin }
    /// Accounts of the staff port: the people, and game servers.
    public var isStaff: Bool { self != .player }

    /// Whether this role may do `action` (issue "GM console": gm works tickets in their categories; moderator reads
    /// everything and audits; admin manages staff, categories and macros and may take over a claim).
    public func may(_ action: StaffAction) -> Bool { action.roles.contains(self) }
}

/// What staff do besides the ticket steps of `TicketLifecycle`, and which roles may.
public enum StaffAction: String, Sendable, CaseIterable {
    /// Read the queue and tickets.
    case readTickets = "read tickets"
    /// List closed tickets with filters, read transcripts, verify the hash chain, run reports.
    case audit = "audit"
    /// Use canned responses.
    case useMacros = "use macros"
    /// Add and remove canned responses.
    case manageMacros = "manage macros"
    /// Follow queue changes live.
    case watchQueue = "watch the queue"
    /// Add, disable, enable, re-key and change staff accounts.
    case manageStaff = "manage staff accounts"
    /// Ban a player from filing requests for a while, and lift it.
    case banPlayers = "ban players from the help queue"
    /// See who is banned.
    case readBans = "list help bans"
    /// Open, close and answer incidents (known issues).
    case manageIncidents = "open, close and answer incidents"
    /// See incidents and their tickets.
    case readIncidents = "list incidents"
    /// Add, edit and remove self-help articles.
    case manageArticles = "manage self-help articles"

    public var roles: [Role] {
        switch self {
        case .readTickets, .watchQueue: [.gm, .moderator, .admin]
        case .audit: [.moderator, .admin]
        case .useMacros: [.gm, .admin]
        case .manageMacros, .manageStaff, .manageArticles: [.admin]
        case .banPlayers: [.gm, .admin]
        case .readBans: [.gm, .moderator, .admin]
        case .manageIncidents: [.gm, .admin]
        case .readIncidents: [.gm, .moderator, .admin]
        }
    }
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

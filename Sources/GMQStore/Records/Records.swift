import Foundation
import GMQCore
import GRDB

/// A row of `tickets`: the ticket's current state, derived from and stored beside its events.
public struct TicketRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "tickets"

    public var id: Int64
    public var category: String
    public var state: TicketState
    public var playerID: Int64
    public var playerName: String
    public var text: String
    public var realm: String
    public var characterID: Int64
    public var characterName: String
    public var mapID: Int64
    public var zone: String
    public var x: Double
    public var y: Double
    public var z: Double
    public var clientBuild: String
    public var assigneeID: Int64?
    public var assigneeName: String?
    public var assigneeRole: Role?
    public var resolution: Resolution?
    /// Milliseconds since the Unix epoch.
    public var createdAt: Int64
    public var updatedAt: Int64
    public var closedAt: Int64?
    /// How often a player's reply reopened the ticket after it was closed.
    public var reopenCount: Int
    /// 0 normal; higher is worked first (category target, escalation).
    public var priority: Int
    /// The next service deadline, which the queue orders by (ms).
    public var dueAt: Int64
    public var firstResponseAt: Int64?
    /// Milliseconds the service clock stood still (waiting on the player, closed before a reopen).
    public var pausedMilliseconds: Int64
    public var pausedSince: Int64?
    /// Whether a service deadline was missed, as of the close.
    public var overdue: Bool
    /// The GM who closed it last.
    public var closedBy: String?
    /// The player's rating of the help after the latest close, 1–5.
    public var rating: Int?

    enum CodingKeys: String, CodingKey {
        case id, category, state, text, realm, zone, x, y, z, resolution, priority, overdue, rating
        case reopenCount = "reopen_count", dueAt = "due_at", firstResponseAt = "first_response_at"
        case pausedMilliseconds = "paused_ms", pausedSince = "paused_since", closedBy = "closed_by"
        case playerID = "player_id", playerName = "player_name", characterID = "character_id"
        case characterName = "character_name", mapID = "map_id", clientBuild = "client_build"
        case assigneeID = "assignee_id", assigneeName = "assignee_name", assigneeRole = "assignee_role"
        case createdAt = "created_at", updatedAt = "updated_at", closedAt = "closed_at"
    }

    public var context: GameContext {
        GameContext(
            realm: self.realm, characterID: self.characterID, characterName: self.characterName, mapID: self.mapID,
            zone: self.zone, x: self.x, y: self.y, z: self.z, clientBuild: self.clientBuild)
    }

    public var assignee: Actor? {
        guard let id = self.assigneeID, let name = self.assigneeName, let role = self.assigneeRole else { return nil }
        return Actor(id: id, name: name, role: role)
    }

    public var serviceTimes: ServiceTimes {
        get {
            ServiceTimes(
                createdAt: self.createdAt, firstResponseAt: self.firstResponseAt,
                pausedMilliseconds: self.pausedMilliseconds, pausedSince: self.pausedSince)
        }
        set {
            self.firstResponseAt = newValue.firstResponseAt
            self.pausedMilliseconds = newValue.pausedMilliseconds
            self.pausedSince = newValue.pausedSince
        }
    }

    /// What access checks look at.
    public var target: Access.Target { Access.Target(id: self.id, category: self.category, owner: self.playerID) }

    var lifecycle: TicketLifecycle {
        TicketLifecycle(
            state: self.state, assignee: self.assignee, owner: self.playerID,
            closedAt: self.closedAt.map(Date.init(milliseconds:)))
    }
}

/// A row of `events`: one step of a ticket's append-only history. The schema refuses UPDATE and DELETE.
public struct EventRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "events"

    public var ticketID: Int64
    /// 1-based position in the ticket's history.
    public var seq: Int64
    public var kind: EventKind
    public var actorID: Int64
    public var actorName: String
    public var actorRole: Role
    public var at: Int64
    public var text: String
    /// Position in the global chain of every event (1-based), and the links (`EventChain`).
    public var chainSeq: Int64?
    public var previousHash: Data?
    public var hash: Data?
    public var chainHash: Data?

    public init(
        ticketID: Int64, seq: Int64, kind: EventKind, actorID: Int64, actorName: String, actorRole: Role, at: Int64,
        text: String
    ) {
        self.ticketID = ticketID
        self.seq = seq
        self.kind = kind
        self.actorID = actorID
        self.actorName = actorName
        self.actorRole = actorRole
        self.at = at
        self.text = text
    }

    enum CodingKeys: String, CodingKey {
        case seq, kind, at, text, hash
        case ticketID = "ticket_id", actorID = "actor_id", actorName = "actor_name", actorRole = "actor_role"
        case chainSeq = "chain_seq", previousHash = "prev_hash", chainHash = "chain_hash"
    }
}

/// A row of `macros`: a canned response.
public struct MacroRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "macros"
    public var name: String
    public var text: String
    public var author: String
    public var createdAt: Int64

    enum CodingKeys: String, CodingKey {
        case name, text, author
        case createdAt = "created_at"
    }
}

/// A row of `notifications`: the outbox of what a player must hear, kept until they acknowledge it.
public struct NotificationRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "notifications"

    public var id: Int64?
    public var playerID: Int64
    public var ticketID: Int64
    public var kind: EventKind
    public var actorName: String
    public var text: String
    public var createdAt: Int64
    public var ackedAt: Int64?

    enum CodingKeys: String, CodingKey {
        case id, kind, text
        case playerID = "player_id", ticketID = "ticket_id", actorName = "actor_name"
        case createdAt = "created_at", ackedAt = "acked_at"
    }
}

/// A row of `staff`: a GM, moderator or admin account. The API key is kept only as its SHA-256.
public struct StaffRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "staff"

    public var id: Int64?
    public var name: String
    public var role: Role
    /// Hex SHA-256 of the API key.
    public var keyHash: String
    /// Category ids this account works, comma-separated; empty for all.
    public var categories: String
    public var createdAt: Int64

    enum CodingKeys: String, CodingKey {
        case id, name, role, categories
        case keyHash = "key_hash", createdAt = "created_at"
    }

    public var actor: Actor { Actor(id: self.id ?? 0, name: self.name, role: self.role) }

    /// The categories this account works; nil means all of them.
    public var categoryList: [String]? {
        let list = self.categories.split(separator: ",").map(String.init)
        return list.isEmpty ? nil : list
    }
}

extension TicketState: DatabaseValueConvertible {}
extension Role: DatabaseValueConvertible {}
extension Resolution: DatabaseValueConvertible {}
extension EventKind: DatabaseValueConvertible {}

extension Date {
    public init(milliseconds: Int64) { self.init(timeIntervalSince1970: Double(milliseconds) / 1000) }
    public var milliseconds: Int64 { Int64((self.timeIntervalSince1970 * 1000).rounded()) }
}

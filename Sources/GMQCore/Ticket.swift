import Foundation

/// A ticket's current state, derived from and stored beside its events. Times are milliseconds since the Unix
/// epoch, as every store keeps them.
public struct Ticket: Sendable, Equatable {
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
    /// The incident (known issue) the ticket is linked to: out of the normal queue, answered with the incident.
    public var incidentID: Int64?
    /// When a snoozed ticket wakes (ms); nil unless it is snoozed.
    public var snoozedUntil: Int64?
    /// For an internal ticket, the player it is about (`InternalRequest`).
    public var aboutPlayerID: Int64?

    public init(
        id: Int64, category: String, state: TicketState, playerID: Int64, playerName: String, text: String,
        realm: String, characterID: Int64, characterName: String, mapID: Int64, zone: String, x: Double, y: Double,
        z: Double, clientBuild: String, assigneeID: Int64?, assigneeName: String?, assigneeRole: Role?,
        resolution: Resolution?, createdAt: Int64, updatedAt: Int64, closedAt: Int64?, reopenCount: Int,
        priority: Int, dueAt: Int64, firstResponseAt: Int64? = nil, pausedMilliseconds: Int64,
        pausedSince: Int64? = nil, overdue: Bool, closedBy: String? = nil, rating: Int? = nil, incidentID: Int64? = nil,
        snoozedUntil: Int64? = nil, aboutPlayerID: Int64? = nil
    ) {
        self.id = id
        self.category = category
        self.state = state
        self.playerID = playerID
        self.playerName = playerName
        self.text = text
        self.realm = realm
        self.characterID = characterID
        self.characterName = characterName
        self.mapID = mapID
        self.zone = zone
        self.x = x
        self.y = y
        self.z = z
        self.clientBuild = clientBuild
        self.assigneeID = assigneeID
        self.assigneeName = assigneeName
        self.assigneeRole = assigneeRole
        self.resolution = resolution
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.closedAt = closedAt
        self.reopenCount = reopenCount
        self.priority = priority
        self.dueAt = dueAt
        self.firstResponseAt = firstResponseAt
        self.pausedMilliseconds = pausedMilliseconds
        self.pausedSince = pausedSince
        self.overdue = overdue
        self.closedBy = closedBy
        self.rating = rating
        self.incidentID = incidentID
        self.snoozedUntil = snoozedUntil
        self.aboutPlayerID = aboutPlayerID
    }

    /// A new, open ticket for `submission`, with the category's priority and first deadline.
    public init(id: Int64, submission: Submission, target: ServiceLevels.Target, at ms: Int64) {
        let context = submission.context
        self.init(
            id: id, category: submission.category, state: .open, playerID: submission.player.id,
            playerName: submission.player.name, text: submission.text, realm: context.realm,
            characterID: context.characterID, characterName: context.characterName, mapID: context.mapID,
            zone: context.zone, x: context.x, y: context.y, z: context.z, clientBuild: context.clientBuild,
            assigneeID: nil, assigneeName: nil, assigneeRole: nil, resolution: nil, createdAt: ms, updatedAt: ms,
            closedAt: nil, reopenCount: 0, priority: target.priority,
            dueAt: ServiceClock(target: target).nextDue(ServiceTimes(createdAt: ms)), firstResponseAt: nil,
            pausedMilliseconds: 0, pausedSince: nil, overdue: false, closedBy: nil, rating: nil,
            incidentID: submission.incident)
    }

    /// The `playerID` of an internal ticket, which belongs to no player (player ids start at 1).
    public static let internalPlayerID: Int64 = 0

    /// Whether staff opened it for staff (`InternalRequest`): no player sees it or is told of it.
    public var isInternal: Bool { self.playerID == Self.internalPlayerID }

    /// Whether the ticket waits in its category's queue: open and not set aside with an incident.
    public var isQueued: Bool { self.state == .open && self.incidentID == nil }

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

    public var lifecycle: TicketLifecycle {
        TicketLifecycle(
            state: self.state, assignee: self.assignee, owner: self.playerID,
            closedAt: self.closedAt.map(Date.init(milliseconds:)))
    }
}

/// One step of a ticket's append-only history, with its links in the hash chain (`EventChain`) once stored.
public struct TicketEvent: Sendable, Equatable {
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
        text: String, chainSeq: Int64? = nil, previousHash: Data? = nil, hash: Data? = nil, chainHash: Data? = nil
    ) {
        self.ticketID = ticketID
        self.seq = seq
        self.kind = kind
        self.actorID = actorID
        self.actorName = actorName
        self.actorRole = actorRole
        self.at = at
        self.text = text
        self.chainSeq = chainSeq
        self.previousHash = previousHash
        self.hash = hash
        self.chainHash = chainHash
    }

    /// The event with `link`'s chain position and hashes.
    public func linked(_ link: EventChain.Link) -> TicketEvent {
        var event = self
        event.chainSeq = link.chainSeq
        event.previousHash = link.previousHash
        event.hash = link.hash
        event.chainHash = link.chainHash
        return event
    }
}

/// What a player must hear about their ticket, kept until they acknowledge it.
public struct PlayerNotification: Sendable, Equatable {
    /// Nil until stored.
    public var id: Int64?
    public var playerID: Int64
    public var ticketID: Int64
    public var kind: EventKind
    public var actorName: String
    public var text: String
    public var createdAt: Int64
    public var ackedAt: Int64?

    public init(
        id: Int64?, playerID: Int64, ticketID: Int64, kind: EventKind, actorName: String, text: String,
        createdAt: Int64, ackedAt: Int64?
    ) {
        self.id = id
        self.playerID = playerID
        self.ticketID = ticketID
        self.kind = kind
        self.actorName = actorName
        self.text = text
        self.createdAt = createdAt
        self.ackedAt = ackedAt
    }
}

/// A GM, moderator or admin account. The API key is kept only as its SHA-256.
public struct StaffAccount: Sendable, Equatable {
    public var id: Int64?
    public var name: String
    public var role: Role
    /// Hex SHA-256 of the API key.
    public var keyHash: String
    /// Category ids this account works, comma-separated; empty for all.
    public var categories: String
    public var createdAt: Int64
    /// When an admin disabled the account (ms); nil while it may work.
    public var disabledAt: Int64?
    /// When the key stops working (ms); nil for never.
    public var expiresAt: Int64?

    public init(
        id: Int64?, name: String, role: Role, keyHash: String, categories: String, createdAt: Int64,
        disabledAt: Int64? = nil, expiresAt: Int64? = nil
    ) {
        self.id = id
        self.name = name
        self.role = role
        self.keyHash = keyHash
        self.categories = categories
        self.createdAt = createdAt
        self.disabledAt = disabledAt
        self.expiresAt = expiresAt
    }

    public var actor: Actor { Actor(id: self.id ?? 0, name: self.name, role: self.role) }

    /// The categories this account works; nil means all of them.
    public var categoryList: [String]? {
        let list = self.categories.split(separator: ",").map(String.init)
        return list.isEmpty ? nil : list
    }
}

/// A stored canned response and who saved it.
public struct SavedMacro: Sendable, Equatable {
    public var name: String
    public var text: String
    public var author: String
    public var createdAt: Int64

    public init(name: String, text: String, author: String, createdAt: Int64) {
        self.name = name
        self.text = text
        self.author = author
        self.createdAt = createdAt
    }
}

extension Date {
    public init(milliseconds: Int64) { self.init(timeIntervalSince1970: Double(milliseconds) / 1000) }
    public var milliseconds: Int64 { Int64((self.timeIntervalSince1970 * 1000).rounded()) }
}

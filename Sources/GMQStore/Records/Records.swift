import Foundation
import GMQCore
import GRDB

// GRDB's view of the domain values: one record per table, mapped column by column here so that the domain types
// in GMQCore carry no database naming. Nothing outside this target sees these conformances.

extension Ticket: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "tickets"

    public init(row: Row) {
        self.init(
            id: row["id"], category: row["category"], state: row["state"], playerID: row["player_id"],
            playerName: row["player_name"], text: row["text"], realm: row["realm"], characterID: row["character_id"],
            characterName: row["character_name"], mapID: row["map_id"], zone: row["zone"], x: row["x"], y: row["y"],
            z: row["z"], clientBuild: row["client_build"], assigneeID: row["assignee_id"],
            assigneeName: row["assignee_name"], assigneeRole: row["assignee_role"], resolution: row["resolution"],
            createdAt: row["created_at"], updatedAt: row["updated_at"], closedAt: row["closed_at"],
            reopenCount: row["reopen_count"], priority: row["priority"], dueAt: row["due_at"],
            firstResponseAt: row["first_response_at"], pausedMilliseconds: row["paused_ms"],
            pausedSince: row["paused_since"], overdue: row["overdue"], closedBy: row["closed_by"], rating: row["rating"],
            incidentID: row["incident_id"], snoozedUntil: row["snoozed_until"],
            aboutPlayerID: row["about_player_id"])
    }

    /// Every column but `content_words`, which only a submission writes.
    public func encode(to container: inout PersistenceContainer) {
        container["id"] = self.id
        container["category"] = self.category
        container["state"] = self.state
        container["player_id"] = self.playerID
        container["player_name"] = self.playerName
        container["text"] = self.text
        container["realm"] = self.realm
        container["character_id"] = self.characterID
        container["character_name"] = self.characterName
        container["map_id"] = self.mapID
        container["zone"] = self.zone
        container["x"] = self.x
        container["y"] = self.y
        container["z"] = self.z
        container["client_build"] = self.clientBuild
        container["assignee_id"] = self.assigneeID
        container["assignee_name"] = self.assigneeName
        container["assignee_role"] = self.assigneeRole
        container["resolution"] = self.resolution
        container["created_at"] = self.createdAt
        container["updated_at"] = self.updatedAt
        container["closed_at"] = self.closedAt
        container["reopen_count"] = self.reopenCount
        container["priority"] = self.priority
        container["due_at"] = self.dueAt
        container["first_response_at"] = self.firstResponseAt
        container["paused_ms"] = self.pausedMilliseconds
        container["paused_since"] = self.pausedSince
        container["overdue"] = self.overdue
        container["closed_by"] = self.closedBy
        container["rating"] = self.rating
        container["incident_id"] = self.incidentID
        container["snoozed_until"] = self.snoozedUntil
        container["about_player_id"] = self.aboutPlayerID
    }
}

/// The schema refuses UPDATE and DELETE of events.
extension TicketEvent: FetchableRecord {
    public init(row: Row) {
        self.init(
            ticketID: row["ticket_id"], seq: row["seq"], kind: row["kind"], actorID: row["actor_id"],
            actorName: row["actor_name"], actorRole: row["actor_role"], at: row["at"], text: row["text"],
            chainSeq: row["chain_seq"], previousHash: row["prev_hash"], hash: row["hash"],
            chainHash: row["chain_hash"])
    }
}

extension SavedMacro: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "macros"

    public init(row: Row) {
        self.init(name: row["name"], text: row["text"], author: row["author"], createdAt: row["created_at"])
    }

    public func encode(to container: inout PersistenceContainer) {
        container["name"] = self.name
        container["text"] = self.text
        container["author"] = self.author
        container["created_at"] = self.createdAt
    }
}

extension PlayerNotification: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "notifications"

    public init(row: Row) {
        self.init(
            id: row["id"], playerID: row["player_id"], ticketID: row["ticket_id"], kind: row["kind"],
            actorName: row["actor_name"], text: row["text"], createdAt: row["created_at"], ackedAt: row["acked_at"])
    }

    public func encode(to container: inout PersistenceContainer) {
        container["id"] = self.id
        container["player_id"] = self.playerID
        container["ticket_id"] = self.ticketID
        container["kind"] = self.kind
        container["actor_name"] = self.actorName
        container["text"] = self.text
        container["created_at"] = self.createdAt
        container["acked_at"] = self.ackedAt
    }
}

extension StaffAccount: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "staff"

    public init(row: Row) {
        self.init(
            id: row["id"], name: row["name"], role: row["role"], keyHash: row["key_hash"],
            categories: row["categories"], createdAt: row["created_at"], disabledAt: row["disabled_at"],
            expiresAt: row["expires_at"])
    }

    public func encode(to container: inout PersistenceContainer) {
        container["id"] = self.id
        container["name"] = self.name
        container["role"] = self.role
        container["key_hash"] = self.keyHash
        container["categories"] = self.categories
        container["created_at"] = self.createdAt
        container["disabled_at"] = self.disabledAt
        container["expires_at"] = self.expiresAt
    }
}

extension StaffLogEntry: FetchableRecord {
    public init(row: Row) throws {
        guard let action = StaffLogAction(rawValue: row["action"]) else {
            throw DatabaseError(message: "staff log entry \(row["seq"] ?? 0) has an unknown action")
        }
        self.init(
            seq: row["seq"], at: row["at"], actor: row["actor"], action: action, target: row["target"],
            detail: row["detail"], previousHash: row["prev_hash"], hash: row["hash"])
    }
}

extension TicketState: DatabaseValueConvertible {}
extension Role: DatabaseValueConvertible {}
extension Resolution: DatabaseValueConvertible {}
extension EventKind: DatabaseValueConvertible {}

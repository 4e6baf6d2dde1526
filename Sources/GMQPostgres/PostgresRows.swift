import Foundation
import GMQCore
import PostgresNIO

// Rows to domain values, column by column by name. Enums are stored as their raw strings.

enum Columns {
    static let ticket = """
        id, category, state, player_id, player_name, text, realm, character_id, character_name, map_id, zone, x, y, z,
        client_build, assignee_id, assignee_name, assignee_role, resolution, created_at, updated_at, closed_at,
        reopen_count, priority, due_at, first_response_at, paused_ms, paused_since, overdue, closed_by, rating,
        incident_id, snoozed_until, about_player_id
        """
    static let event = """
        ticket_id, seq, kind, actor_id, actor_name, actor_role, at, text, prev_hash, hash
        """
    static let notification = "id, player_id, ticket_id, kind, actor_name, text, created_at, acked_at"
    static let staff = "id, name, role, key_hash, categories, created_at, disabled_at, expires_at"
    static let staffLog = "seq, at, actor, action, target, detail, prev_hash, hash"
}

/// A stored string that is not a value of the enum: the database holds something this version cannot read.
struct UnreadableValue: Error, CustomStringConvertible {
    var column: String
    var value: String
    var description: String { "column \(self.column) holds '\(self.value)', which this gmqd does not know" }
}

extension PostgresRandomAccessRow {
    func value<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        try self[column].decode(T.self)
    }

    func enumValue<T: RawRepresentable>(_ column: String, as type: T.Type = T.self) throws -> T where T.RawValue == String {
        let raw = try self[column].decode(String.self)
        guard let value = T(rawValue: raw) else { throw UnreadableValue(column: column, value: raw) }
        return value
    }

    func optionalEnum<T: RawRepresentable>(_ column: String, as type: T.Type = T.self) throws -> T? where T.RawValue == String {
        guard let raw = try self[column].decode(String?.self) else { return nil }
        guard let value = T(rawValue: raw) else { throw UnreadableValue(column: column, value: raw) }
        return value
    }
}

extension Ticket {
    init(_ row: PostgresRow) throws {
        let r = row.makeRandomAccess()
        self.init(
            id: try r.value("id"), category: try r.value("category"), state: try r.enumValue("state"),
            playerID: try r.value("player_id"), playerName: try r.value("player_name"), text: try r.value("text"),
            realm: try r.value("realm"), characterID: try r.value("character_id"),
            characterName: try r.value("character_name"), mapID: try r.value("map_id"), zone: try r.value("zone"),
            x: try r.value("x"), y: try r.value("y"), z: try r.value("z"), clientBuild: try r.value("client_build"),
            assigneeID: try r.value("assignee_id"), assigneeName: try r.value("assignee_name"),
            assigneeRole: try r.optionalEnum("assignee_role"), resolution: try r.optionalEnum("resolution"),
            createdAt: try r.value("created_at"), updatedAt: try r.value("updated_at"),
            closedAt: try r.value("closed_at"), reopenCount: try r.value("reopen_count"),
            priority: try r.value("priority"), dueAt: try r.value("due_at"),
            firstResponseAt: try r.value("first_response_at"), pausedMilliseconds: try r.value("paused_ms"),
            pausedSince: try r.value("paused_since"), overdue: try r.value("overdue"),
            closedBy: try r.value("closed_by"), rating: try r.value("rating"), incidentID: try r.value("incident_id"),
            snoozedUntil: try r.value("snoozed_until"), aboutPlayerID: try r.value("about_player_id"))
    }
}

extension TicketEvent {
    init(_ row: PostgresRow) throws {
        let r = row.makeRandomAccess()
        self.init(
            ticketID: try r.value("ticket_id"), seq: try r.value("seq"), kind: try r.enumValue("kind"),
            actorID: try r.value("actor_id"), actorName: try r.value("actor_name"),
            actorRole: try r.enumValue("actor_role"), at: try r.value("at"), text: try r.value("text"),
            chainSeq: r.contains("chain_seq") ? try r.value("chain_seq") : nil, previousHash: try r.value("prev_hash"),
            hash: try r.value("hash"), chainHash: r.contains("chain_hash") ? try r.value("chain_hash") : nil)
    }
}

extension PlayerNotification {
    init(_ row: PostgresRow) throws {
        let r = row.makeRandomAccess()
        self.init(
            id: try r.value("id"), playerID: try r.value("player_id"), ticketID: try r.value("ticket_id"),
            kind: try r.enumValue("kind"), actorName: try r.value("actor_name"), text: try r.value("text"),
            createdAt: try r.value("created_at"), ackedAt: try r.value("acked_at"))
    }
}

extension StaffAccount {
    init(_ row: PostgresRow) throws {
        let r = row.makeRandomAccess()
        self.init(
            id: try r.value("id"), name: try r.value("name"), role: try r.enumValue("role"),
            keyHash: try r.value("key_hash"), categories: try r.value("categories"),
            createdAt: try r.value("created_at"), disabledAt: try r.value("disabled_at"),
            expiresAt: try r.value("expires_at"))
    }
}

extension StaffLogEntry {
    init(_ row: PostgresRow) throws {
        let r = row.makeRandomAccess()
        self.init(
            seq: try r.value("seq"), at: try r.value("at"), actor: try r.value("actor"),
            action: try r.enumValue("action"), target: try r.value("target"), detail: try r.value("detail"),
            previousHash: try r.value("prev_hash"), hash: try r.value("hash"))
    }
}

extension PostgresRowSequence {
    /// Every row, mapped.
    func all<T>(_ transform: (PostgresRow) throws -> T) async throws -> [T] {
        var values: [T] = []
        for try await row in self { values.append(try transform(row)) }
        return values
    }

    func first<T>(_ transform: (PostgresRow) throws -> T) async throws -> T? {
        for try await row in self { return try transform(row) }
        return nil
    }
}

extension AsyncSequence {
    /// Every element, in order (a prepared statement's decoded rows).
    func collected() async throws -> [Element] {
        var elements: [Element] = []
        for try await element in self { elements.append(element) }
        return elements
    }
}

extension PSQLError {
    /// The SQLSTATE the server sent, if it sent one.
    var sqlState: String? { self.serverInfo?[.sqlState] }
}

extension Array where Element == PostgresRow {
    func all<T>(_ transform: (PostgresRow) throws -> T) throws -> [T] { try self.map(transform) }
    func first<T>(_ transform: (PostgresRow) throws -> T) throws -> T? { try self.first.map(transform) }
}

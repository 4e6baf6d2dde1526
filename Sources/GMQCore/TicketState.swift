/// Where a ticket is in its life (DESIGN.md "Ticket lifecycle"). Stored by raw value.
public enum TicketState: String, Sendable, CaseIterable, Codable {
    /// Queued, nobody holds it.
    case open
    /// One GM holds it.
    case claimed
    /// The GM asked the player for details and waits for the reply.
    case waitingPlayer = "waiting_player"
    /// Its holder set it aside until a time (`Ticket.snoozedUntil`): out of their working list, the service clock
    /// paused; it wakes (back to `claimed`) then, or earlier by the holder or by a player's reply.
    case snoozed
    case closed

    /// Whether a GM holds the ticket in this state.
    public var isHeld: Bool { self == .claimed || self == .waitingPlayer || self == .snoozed }
}

/// How a ticket ended. Stored and sent by raw value.
public enum Resolution: String, Sendable, CaseIterable, Codable {
    case solved
    case duplicate
    case notActionable = "not_actionable"
    case escalatedToDev = "escalated_to_dev"
    case noResponse = "no_response"
}

/// What an event of a ticket's append-only history records. Stored by raw value.
public enum EventKind: String, Sendable, CaseIterable, Codable {
    case submitted
    case claimed
    case unclaimed
    case asked
    case replied
    case answered
    case noted
    case closed
    case reopened
    /// Moved to another category's queue (text: why), unclaimed.
    case transferred
    /// Handed to senior GMs: back in the queue with a higher priority.
    case escalated
    /// The player rated the help after the close (text: stars and comment).
    case rated
    /// The holder was gone longer than the claim lease: back in the queue.
    case leaseExpired = "lease_expired"
    /// A file was attached (text: its number, name, type, size and SHA-256); the state is unchanged.
    case attached
    /// Handed to another GM (text: the new holder's name, then what the GM wrote); the player is told who holds it.
    case assigned
    /// Set aside by its holder (text: until when, then why); staff only.
    case snoozed
    /// Back from a snooze, in its holder's hands (text: how: its time came, or the holder's or the player's step);
    /// staff only.
    case woke

    /// Internal notes are for staff only: never shown to or sent to the player (nor a game server's attachments:
    /// `HistoryView`).
    public var isVisibleToPlayer: Bool { !self.isStaffOnly }

    /// Steps for staff eyes only: internal notes, and a holder setting a ticket aside (`snoozed`, `woke`).
    public var isStaffOnly: Bool { self == .noted || self == .snoozed || self == .woke }

    /// Kinds protocol version 1 does not have (PROTOCOL.md §3.2): never sent to a version 1 session.
    public var isVersion2: Bool { self == .attached || self == .assigned || self == .snoozed || self == .woke }

    /// Steps that staff take and the player must hear about, live or at next login (PROTOCOL.md §3.3). The
    /// player's own steps (submitted, replied, reopened by their reply, rated) are answered to them directly and
    /// notify nobody; internal notes never reach the player.
    public var notifiesPlayer: Bool {
        switch self {
        case .claimed, .unclaimed, .asked, .answered, .closed, .transferred, .escalated, .leaseExpired, .assigned: true
        case .submitted, .replied, .reopened, .noted, .rated, .attached, .snoozed, .woke: false
        }
    }
}

/// A queue a request is filed in. The store holds the list; the first start creates the defaults of issue 2.
public struct Category: Sendable, Hashable, Codable {
    /// A stable snake_case id used on the wire and on the command line.
    public var id: String
    public var title: String

    public init(id: String, title: String) {
        self.id = id
        self.title = title
    }

    /// 1 to 64 of a–z, 0–9 and '_', starting with a letter: safe on the wire, in file names and on command lines.
    public static func isValidID(_ id: String) -> Bool {
        guard let first = id.unicodeScalars.first, ("a"..."z").contains(first), id.utf8.count <= 64 else { return false }
        return id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

}

/// Which of a ticket's events a reader sees: staff every one; a player neither internal notes nor the files a
/// game server attached; a client of protocol version 1 no `attached` event at all (v1 has no such kind:
/// PROTOCOL.md §3.2).
public struct HistoryView: Sendable, Equatable {
    public var notes: Bool
    public var attachments: Attachments

    public enum Attachments: Sendable, Equatable {
        case all
        /// Only those the player attached.
        case players
        case none
    }

    public init(notes: Bool, attachments: Attachments) {
        self.notes = notes
        self.attachments = attachments
    }

    public static let staff = HistoryView(notes: true, attachments: .all)
    public static let player = HistoryView(notes: false, attachments: .players)

    /// Whether the kinds protocol version 2 added are shown (`EventKind.isVersion2`): version 1 has none of them.
    public var version2Kinds = true

    /// What `role` sees on a session of protocol `version`.
    public static func of(_ role: Role, version: UInt16) -> HistoryView {
        var view = role.isStaff ? Self.staff : Self.player
        if version < 2 { (view.attachments, view.version2Kinds) = (.none, false) }
        return view
    }

    public func shows(_ event: TicketEvent) -> Bool {
        if event.kind.isStaffOnly && !self.notes { return false }
        if event.kind.isVersion2 && !self.version2Kinds && event.kind != .attached { return false }
        return switch event.kind {
        case .attached:
            switch self.attachments {
            case .all: true
            case .players: event.actorRole == .player
            case .none: false
            }
        default: true
        }
    }

    /// `shows` as an SQL condition on the events table (`kind`, `actor_role`), the same on both engines.
    public var sqlCondition: String { self.sqlCondition(on: nil) }

    /// `shows` as an SQL condition on the events table named `alias` in the query.
    public func sqlCondition(on alias: String?) -> String {
        let table = alias.map { "\($0)." } ?? ""
        var conditions: [String] = []
        func excluded(_ kinds: [EventKind]) -> String {
            "\(table)kind NOT IN (" + kinds.map { "'\($0.rawValue)'" }.joined(separator: ", ") + ")"
        }
        if !self.notes { conditions.append(excluded(EventKind.allCases.filter(\.isStaffOnly))) }
        switch self.attachments {
        case .all: break
        case .players: conditions.append("(\(table)kind <> 'attached' OR \(table)actor_role = 'player')")
        case .none: conditions.append("\(table)kind <> 'attached'")
        }
        if !self.version2Kinds {
            conditions.append(excluded(EventKind.allCases.filter { $0.isVersion2 && $0 != .attached }))
        }
        return conditions.isEmpty ? "" : "AND " + conditions.joined(separator: " AND ")
    }
}

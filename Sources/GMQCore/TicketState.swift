/// Where a ticket is in its life (DESIGN.md "Ticket lifecycle"). Stored by raw value.
public enum TicketState: String, Sendable, CaseIterable, Codable {
    /// Queued, nobody holds it.
    case open
    /// One GM holds it.
    case claimed
    /// The GM asked the player for details and waits for the reply.
    case waitingPlayer = "waiting_player"
    case closed
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

    /// Internal notes are for staff only: never shown to or sent to the player.
    public var isVisibleToPlayer: Bool { self != .noted }

    /// Steps that staff take and the player must hear about, live or at next login (PROTOCOL.md §3.3). The
    /// player's own steps (submitted, replied, reopened by their reply, rated) are answered to them directly and
    /// notify nobody; internal notes never reach the player.
    public var notifiesPlayer: Bool {
        switch self {
        case .claimed, .unclaimed, .asked, .answered, .closed, .transferred, .escalated, .leaseExpired: true
        case .submitted, .replied, .reopened, .noted, .rated: false
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

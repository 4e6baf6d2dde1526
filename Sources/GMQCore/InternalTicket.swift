import Foundation

/// A ticket staff open for staff (issue 13 §3): "bot farm in the Barrens", "refund needs approval". It flows
/// through the same queues, deadlines, lifecycle and audit as a player's request, but belongs to no player: its
/// `playerID` is `Ticket.internalPlayerID` (0; player ids start at 1), so no player can read it, list it, reply to
/// it or be notified of it. It may be about a player (`aboutPlayerID`), and a player's ticket may be linked to it.
public struct InternalRequest: Sendable, Equatable {
    public var category: String
    public var text: String
    /// The player it concerns, if any, and a name to show for them (empty when unknown).
    public var aboutPlayerID: Int64?
    public var aboutPlayerName: String
    /// Who opens it: staff who work tickets or audit them.
    public var opener: Actor

    public init(category: String, text: String, aboutPlayerID: Int64? = nil, aboutPlayerName: String = "", opener: Actor) {
        self.category = category
        self.text = text
        self.aboutPlayerID = aboutPlayerID
        self.aboutPlayerName = aboutPlayerName
        self.opener = opener
    }

    /// Refuses an opener who may not read tickets (a player, a game server's account).
    public func checkOpener() throws(StoreError) {
        guard self.opener.role.may(.readTickets) else {
            throw .refused(.roleNotAllowed(allowed: StaffAction.readTickets.roles), ticketID: 0)
        }
    }

    /// What the ticket shows in place of a player's name: "internal", or "internal, about Thrall (42)".
    public var label: String {
        guard let id = self.aboutPlayerID else { return "internal" }
        return self.aboutPlayerName.isEmpty ? "internal, about player \(id)" : "internal, about \(self.aboutPlayerName) (\(id))"
    }

    /// The new, open ticket, with its category's priority and first deadline.
    public func ticket(id: Int64, target: ServiceLevels.Target, at ms: Int64) -> Ticket {
        var ticket = Ticket(
            id: id,
            submission: Submission(
                player: Actor(id: Ticket.internalPlayerID, name: self.label, role: .player), category: self.category,
                text: self.text, context: GameContext(
                    realm: "", characterID: 0, characterName: "", mapID: 0, zone: "", x: 0, y: 0, z: 0, clientBuild: "")),
            target: target, at: ms)
        ticket.aboutPlayerID = self.aboutPlayerID
        return ticket
    }

    /// Its first event: `submitted` by the staff member who opened it.
    public func event(ticketID: Int64, at ms: Int64) -> TicketEvent {
        TicketEvent(
            ticketID: ticketID, seq: 1, kind: .submitted, actorID: self.opener.id, actorName: self.opener.name,
            actorRole: self.opener.role, at: ms, text: self.text)
    }
}

/// A player's ticket linked to an internal one: a staff note on each, naming the other.
public enum InternalLink {
    /// Refuses a link that is not from a player's ticket to an internal one.
    public static func check(_ ticket: Ticket, to staffTicket: Ticket) throws(StoreError) {
        guard !ticket.isInternal else { throw .notAPlayersTicket(ticket.id) }
        guard staffTicket.isInternal else { throw .notInternal(staffTicket.id) }
    }

    /// The note on the player's ticket.
    public static func noteOnTicket(linkedTo staffTicket: Ticket) -> String {
        "Linked to internal ticket #\(staffTicket.id) (\(staffTicket.category)): \(Self.preview(staffTicket.text))"
    }

    /// The note on the internal ticket.
    public static func noteOnInternal(linkedFrom ticket: Ticket) -> String {
        "Linked from ticket #\(ticket.id) of \(ticket.playerName) (\(ticket.playerID)): \(Self.preview(ticket.text))"
    }

    private static func preview(_ text: String) -> String {
        text.count <= 80 ? text : String(text.prefix(79)) + "…"
    }
}

import Foundation

/// The ticket lifecycle as a pure state machine: a command and its actor go in, the transition to record comes
/// out, or a typed error saying why the command is not allowed now. Persisting the transition is the store's job.
///
/// ```
/// open ──claim──▶ claimed ──ask──▶ waiting_player
///  ▲               │  ▲ ◀──reply / answer──┘
///  └───unclaim─────┘  │
///                close (from claimed or waiting_player) ──▶ closed ──substantive reply in window──▶ open
/// ```
/// Transfer and escalate put a ticket back in the queue (of another category, or with a higher priority); an
/// expired claim lease does too. A rating is recorded on a closed ticket and changes nothing else. A held ticket
/// can be snoozed (set aside until a time) and wakes back to claimed; every step its holder may take on a claimed
/// ticket (answer, ask, close, transfer, …) also works on a snoozed one.
public struct TicketLifecycle: Sendable, Equatable {
    public private(set) var state: TicketState
    /// The GM holding the ticket in `claimed`, `waitingPlayer` and `snoozed`; nil otherwise. Staff ids are unique across roles.
    public private(set) var assignee: Actor?
    /// The player who opened the ticket.
    public let owner: Int64
    /// When the ticket was closed; the reopen window counts from here.
    public private(set) var closedAt: Date?

    /// How long after closing a substantive player reply reopens a ticket (issue "substantive-text engine": 7 days).
    public static let reopenWindow: TimeInterval = 7 * 24 * 3600

    public init(state: TicketState, assignee: Actor?, owner: Int64, closedAt: Date? = nil) {
        self.state = state
        self.assignee = assignee
        self.owner = owner
        self.closedAt = closedAt
    }

    /// A request to change the ticket.
    public enum Command: Sendable, Equatable {
        case claim
        case unclaim
        case ask
        case answer
        case note
        case close(Resolution)
        /// A player's reply; `substantive` says whether the text describes something (a bare "thanks" does not).
        case reply(substantive: Bool)
        /// Move to another category's queue; the store checks that the category exists.
        case transfer
        /// Hand to senior GMs: back in the queue with a higher priority.
        case escalate
        /// The owner rates the help of a closed ticket.
        case rate
        /// The holder's claim lease ran out (they disconnected or went idle); recorded in the holder's name.
        case expireLease
        /// The answer to an incident reaches a linked ticket without a claim: answered (the state stays, a ticket
        /// waiting on the player is back in hand), or closed with the resolution. A ticket another GM holds is
        /// left to them unless the actor is an admin.
        case answerIncident(close: Resolution?)
        /// Staff link a ticket waiting in the queue (open, held by nobody) to an incident: recorded as an answer (the
        /// incident's message), which tells the player; the ticket stays open, with the incident.
        case linkIncident
        /// A file is attached: by the ticket's player while it is not closed, or by a game server at any time.
        case attach
        /// A GM sets the ticket's priority (`Priority.matrix`); recorded as an internal note, the state unchanged.
        case prioritize(Int)
        /// Hand the ticket to another GM (`to`, one who may work tickets): its holder (or an admin) while held, any
        /// GM while it is open. The new holder holds it; a ticket waiting on the player still waits.
        case assign(to: Actor)
        /// Its holder (or an admin) sets a held ticket aside until `until`, which must be later than now: out of the
        /// working list, the service clock paused. Snoozing a snoozed ticket moves its time.
        case snooze(until: Date)
        /// A snoozed ticket is back in its holder's hands: by the holder or an admin, or by the server when its time
        /// comes (recorded in the holder's name, like an expired lease).
        case wake
    }

    /// What to record: the event kind and the state after it.
    public struct Transition: Sendable, Equatable {
        public var event: EventKind
        public var from: TicketState
        public var to: TicketState
        public var assignee: Actor?
        public var notifiesPlayer: Bool { self.event.notifiesPlayer }

        public init(event: EventKind, from: TicketState, to: TicketState, assignee: Actor? = nil) {
            self.event = event
            self.from = from
            self.to = to
            self.assignee = assignee
        }
    }

    /// Why a command is refused. Each case carries what a message to a person needs.
    public enum Refusal: Error, Sendable, Equatable {
        /// Someone else holds the ticket; `by` is their name.
        case alreadyClaimed(by: String)
        /// The acting GM already holds the ticket.
        case alreadyYours
        /// Only the holder may do this; `holder` is nil when nobody holds it.
        case notAssignee(holder: String?)
        /// The ticket must be claimed first.
        case notClaimed
        case closed
        /// The actor's role may not do this; `allowed` are the roles that may.
        case roleNotAllowed(allowed: [Role])
        /// A player may act only on their own tickets.
        case notOwner
        /// A closed ticket can be reopened only within `TicketLifecycle.reopenWindow`.
        case reopenWindowPassed
        /// Only a closed ticket can be rated.
        case notClosed
        /// Only a snoozed ticket can be woken.
        case notSnoozed
        /// A snooze or a reminder must end later than now.
        case notInFuture
    }

    /// Applies `command` by `actor` at `now`, or throws why not. The machine is unchanged when it throws.
    @discardableResult
    public mutating func apply(_ command: Command, by actor: Actor, at now: Date) throws(Refusal) -> Transition {
        let from = self.state
        switch command {
        case .reply(let substantive):
            guard actor.role == .player else { throw .roleNotAllowed(allowed: [.player]) }
            guard actor.id == self.owner else { throw .notOwner }
            switch self.state {
            case .open, .claimed:
                return Transition(event: .replied, from: from, to: from, assignee: self.assignee)
            case .waitingPlayer, .snoozed:
                // An answer back, or news on a ticket set aside: in the holder's hands again.
                self.state = .claimed
                return Transition(event: .replied, from: from, to: .claimed, assignee: self.assignee)
            case .closed:
                guard substantive else {
                    return Transition(event: .replied, from: from, to: .closed, assignee: nil)
                }
                if let closedAt = self.closedAt, now.timeIntervalSince(closedAt) > Self.reopenWindow {
                    throw .reopenWindowPassed
                }
                self.state = .open
                self.assignee = nil
                self.closedAt = nil
                return Transition(event: .reopened, from: from, to: .open, assignee: nil)
            }

        case .note:
            try Self.requireTicketWorker(actor)
            return Transition(event: .noted, from: from, to: from, assignee: self.assignee)

        case .prioritize:
            try Self.requireTicketWorker(actor)
            guard self.state != .closed else { throw .closed }
            return Transition(event: .noted, from: from, to: from, assignee: self.assignee)

        case .assign(let target):
            try Self.requireTicketWorker(actor)
            guard target.role.worksTickets else { throw .roleNotAllowed(allowed: [.gm, .admin]) }
            switch self.state {
            case .closed: throw .closed
            case .open: break
            case .claimed, .waitingPlayer, .snoozed:
                if self.assignee?.id == target.id { throw .alreadyClaimed(by: target.name) }
                try self.requireHolderOrAdmin(actor)
            }
            self.assignee = target
            if self.state == .open { self.state = .claimed }
            return Transition(event: .assigned, from: from, to: self.state, assignee: target)

        case .attach:
            switch actor.role {
            case .player:
                guard actor.id == self.owner else { throw .notOwner }
                guard self.state != .closed else { throw .closed }
            case .game:
                break
            case .gm, .moderator, .admin:
                throw .roleNotAllowed(allowed: [.player, .game])
            }
            return Transition(event: .attached, from: from, to: from, assignee: self.assignee)

        case .claim:
            try Self.requireTicketWorker(actor)
            switch self.state {
            case .closed:
                throw .closed
            case .claimed, .waitingPlayer, .snoozed:
                guard let holder = self.assignee else { break }
                if holder.id == actor.id { throw .alreadyYours }
                // An admin may take over a claimed ticket; a GM may not.
                guard actor.role == .admin else { throw .alreadyClaimed(by: holder.name) }
            case .open:
                break
            }
            self.assignee = actor
            if self.state == .open { self.state = .claimed }
            return Transition(event: .claimed, from: from, to: self.state, assignee: actor)

        case .unclaim:
            try Self.requireTicketWorker(actor)
            try self.requireHolderOrAdmin(actor)
            self.state = .open
            self.assignee = nil
            return Transition(event: .unclaimed, from: from, to: .open, assignee: nil)

        case .ask:
            try Self.requireTicketWorker(actor)
            try self.requireHolder(actor)
            self.state = .waitingPlayer
            return Transition(event: .asked, from: from, to: .waitingPlayer, assignee: self.assignee)

        case .answer:
            try Self.requireTicketWorker(actor)
            try self.requireHolder(actor)
            self.state = .claimed
            return Transition(event: .answered, from: from, to: .claimed, assignee: self.assignee)

        case .close:
            try Self.requireTicketWorker(actor)
            try self.requireHolder(actor)
            self.state = .closed
            self.assignee = nil
            self.closedAt = now
            return Transition(event: .closed, from: from, to: .closed, assignee: nil)

        case .transfer, .escalate:
            try Self.requireTicketWorker(actor)
            // An open ticket may be moved by any GM who sees it; a claimed one only by its holder (or an admin).
            if self.state != .open { try self.requireHolderOrAdmin(actor) }
            self.state = .open
            self.assignee = nil
            return Transition(
                event: command == .transfer ? .transferred : .escalated, from: from, to: .open, assignee: nil)

        case .rate:
            guard actor.role == .player else { throw .roleNotAllowed(allowed: [.player]) }
            guard actor.id == self.owner else { throw .notOwner }
            guard self.state == .closed else { throw .notClosed }
            return Transition(event: .rated, from: from, to: from, assignee: nil)

        case .answerIncident(let resolution):
            try Self.requireTicketWorker(actor)
            switch self.state {
            case .closed:
                throw .closed
            case .claimed, .waitingPlayer, .snoozed:
                if let holder = self.assignee, holder.id != actor.id, actor.role != .admin {
                    throw .alreadyClaimed(by: holder.name)
                }
            case .open:
                break
            }
            guard resolution != nil else {
                if self.state == .waitingPlayer || self.state == .snoozed { self.state = .claimed }
                return Transition(event: .answered, from: from, to: self.state, assignee: self.assignee)
            }
            self.state = .closed
            self.assignee = nil
            self.closedAt = now
            return Transition(event: .closed, from: from, to: .closed, assignee: nil)

        case .linkIncident:
            try Self.requireTicketWorker(actor)
            switch self.state {
            case .open: return Transition(event: .answered, from: from, to: .open, assignee: nil)
            case .closed: throw .closed
            case .claimed, .waitingPlayer, .snoozed: throw .alreadyClaimed(by: self.assignee?.name ?? "")
            }

        case .snooze(let until):
            try Self.requireTicketWorker(actor)
            try self.requireHolderOrAdmin(actor)
            guard until > now else { throw .notInFuture }
            self.state = .snoozed
            return Transition(event: .snoozed, from: from, to: .snoozed, assignee: self.assignee)

        case .wake:
            try Self.requireTicketWorker(actor)
            guard self.state == .snoozed else { throw .notSnoozed }
            try self.requireHolderOrAdmin(actor)
            self.state = .claimed
            return Transition(event: .woke, from: from, to: .claimed, assignee: self.assignee)

        case .expireLease:
            guard self.state == .claimed, let holder = self.assignee, holder.id == actor.id else {
                throw .notAssignee(holder: self.assignee?.name)
            }
            self.state = .open
            self.assignee = nil
            return Transition(event: .leaseExpired, from: from, to: .open, assignee: nil)
        }
    }

    private static func requireTicketWorker(_ actor: Actor) throws(Refusal) {
        guard actor.role.worksTickets else { throw .roleNotAllowed(allowed: [.gm, .admin]) }
    }

    private func requireHolder(_ actor: Actor) throws(Refusal) {
        switch self.state {
        case .closed: throw .closed
        case .open: throw .notClaimed
        case .claimed, .waitingPlayer, .snoozed:
            guard let holder = self.assignee, holder.id == actor.id else {
                throw .notAssignee(holder: self.assignee?.name)
            }
        }
    }

    /// Refuses unless `actor` holds the ticket, or is an admin and somebody holds it (what reminders need).
    public func requireHolderOrAdmin(_ actor: Actor) throws(Refusal) {
        if actor.role == .admin, self.state.isHeld { return }
        try self.requireHolder(actor)
    }
}

import Foundation

/// What a step does to a ticket, decided once for every store: the lifecycle's transition and everything it
/// implies for the stored ticket (state and holder, service clock and deadline, priority after escalation or
/// transfer, resolution and closed-by, reopen count, the rating's reset and record, overdue at close) and whether
/// the player is notified. A store reads the ticket, calls `step`, and persists the result.
public enum TicketEffects {
    /// The outcome of one accepted step.
    public struct Step: Sendable, Equatable {
        /// The ticket after the step.
        public var ticket: Ticket
        /// The event to append, without its sequence number and chain links (the store's).
        public var event: EventKind
        /// Whether the owner is told (an outbox row).
        public var notifiesPlayer: Bool
        /// Whether any stored column changed.
        public var changed: Bool
    }

    /// What a step asks beyond the lifecycle's command.
    public enum Detail: Sendable, Equatable {
        case none
        /// Moving to `category`, whose target priority is `priority`.
        case transfer(to: String, priority: Int)
        case rating(stars: Int)
        /// Linking to incident `id`.
        case incident(Int64)
    }

    /// Applies `command` by `actor` to `ticket` at `now`, or throws the `StoreError` that says why not.
    public static func step(
        _ command: TicketLifecycle.Command, detail: Detail = .none, to ticket: Ticket, by actor: Actor, at now: Date,
        levels: ServiceLevels
    ) throws(StoreError) -> Step {
        switch detail {
        case .transfer(let category, _) where category == ticket.category:
            throw .sameCategory(category)
        case .rating where ticket.state == .closed && ticket.rating != nil:
            throw .alreadyRated(ticket.id)
        default:
            break
        }
        var lifecycle = ticket.lifecycle
        let transition: TicketLifecycle.Transition
        do {
            transition = try lifecycle.apply(command, by: actor, at: now)
        } catch {
            throw .refused(error, ticketID: ticket.id)
        }
        let ms = now.milliseconds
        var updated = ticket
        updated.state = lifecycle.state
        updated.assigneeID = lifecycle.assignee?.id
        updated.assigneeName = lifecycle.assignee?.name
        updated.assigneeRole = lifecycle.assignee?.role
        updated.closedAt = lifecycle.closedAt?.milliseconds
        updated.updatedAt = ms
        updated.serviceTimes = ticket.serviceTimes.after(
            transition, at: ms, working: levels.target(for: ticket.category).working)
        if case .prioritize(let priority) = command { updated.priority = priority }
        if case .snooze(let until) = command { updated.snoozedUntil = until.milliseconds }
        if updated.state != .snoozed { updated.snoozedUntil = nil }
        switch command {
        case .claim, .transfer, .escalate, .reply(substantive: true):
            // A GM who takes a linked ticket, or a player who says more, works it alone: back in the queue.
            updated.incidentID = nil
        default:
            break
        }
        switch transition.event {
        case .closed:
            if case .close(let resolution) = command { updated.resolution = resolution }
            if case .answerIncident(let resolution?) = command { updated.resolution = resolution }
            updated.closedBy = actor.name
        case .reopened:
            updated.resolution = nil
            updated.reopenCount += 1
            updated.rating = nil
        case .escalated:
            // Senior GMs take escalations before any category's own priority (the standard levels top at 1).
            updated.priority = max(updated.priority, 1) + 1
        default:
            break
        }
        switch detail {
        case .transfer(let category, let priority):
            updated.category = category
            updated.priority = max(updated.priority, priority)
        case .rating(let stars):
            updated.rating = stars
        case .incident(let id):
            updated.incidentID = id
        case .none:
            break
        }
        let clock = ServiceClock(target: levels.target(for: updated.category))
        updated.dueAt = clock.nextDue(updated.serviceTimes)
        if transition.event == .closed { updated.overdue = clock.isOverdue(updated.serviceTimes, now: ms) }
        // An internal ticket has no player to tell.
        return Step(
            ticket: updated, event: transition.event, notifiesPlayer: transition.notifiesPlayer && !ticket.isInternal,
            changed: updated != ticket)
    }

    /// The event text of a hand-off: the new holder, then what the GM wrote.
    public static func handOffText(to holder: String, _ text: String) -> String {
        text.isEmpty ? holder : "\(holder): \(text)"
    }

    /// The new holder's name, from a hand-off's event text (`handOffText`; staff names hold no ": ").
    public static func handedTo(in eventText: String) -> String {
        eventText.range(of: ": ").map { String(eventText[..<$0.lowerBound]) } ?? eventText
    }

    /// What the GM wrote, from a hand-off's event text (`handOffText`).
    static func handOffMessage(in eventText: String, to holder: String) -> String {
        guard eventText.hasPrefix(holder) else { return eventText }
        let rest = eventText.dropFirst(holder.count)
        return rest.hasPrefix(": ") ? String(rest.dropFirst(2)) : String(rest)
    }

    /// The event text of a rating: stars, then the comment.
    public static func ratingText(stars: Int, comment: String) -> String {
        String(repeating: "★", count: stars) + String(repeating: "☆", count: 5 - stars)
            + (comment.isEmpty ? "" : " \(comment)")
    }

    /// The event and, if the step notifies, the notification a store appends for `step` by `actor`; `seq` is the
    /// event's place in its ticket's history.
    public static func records(
        of step: Step, by actor: Actor, text: String, seq: Int64, at now: Date
    ) -> (event: TicketEvent, notification: PlayerNotification?) {
        let ms = now.milliseconds
        let event = TicketEvent(
            ticketID: step.ticket.id, seq: seq, kind: step.event, actorID: actor.id, actorName: actor.name,
            actorRole: actor.role, at: ms, text: text)
        // A hand-off is told in the new holder's name (who holds the request now is what the player needs), with
        // what the GM wrote: the history's text also names the new holder.
        let handedTo = step.event == .assigned ? step.ticket.assigneeName : nil
        let told = handedTo ?? actor.name
        let toldText = handedTo.map { Self.handOffMessage(in: text, to: $0) } ?? text
        let notification = step.notifiesPlayer
            ? PlayerNotification(
                id: nil, playerID: step.ticket.playerID, ticketID: step.ticket.id, kind: step.event,
                actorName: told, text: toldText, createdAt: ms, ackedAt: nil)
            : nil
        return (event, notification)
    }
}

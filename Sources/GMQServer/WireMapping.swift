import Foundation
import GMQCore
import GMQProtocol
import GMQStore

/// Translations between stored domain values and their wire forms.
enum WireMapping {
    static func summary(_ ticket: TicketRecord) -> TicketSummary {
        TicketSummary(
            id: UInt64(ticket.id), category: ticket.category, status: self.status(ticket.state),
            playerID: UInt64(ticket.playerID), playerName: ticket.playerName, assignee: ticket.assigneeName ?? "",
            createdAt: ticket.createdAt, updatedAt: ticket.updatedAt, preview: TicketSummary.preview(of: ticket.text))
    }

    static func detail(_ ticket: TicketRecord, history: [EventRecord]) -> TicketDetail {
        let context = ticket.context
        return TicketDetail(
            summary: self.summary(ticket), text: ticket.text,
            context: GMQProtocol.GameContext(
                realm: context.realm, characterID: UInt64(clamping: context.characterID),
                characterName: context.characterName, mapID: UInt32(clamping: context.mapID), zone: context.zone,
                x: Float(context.x), y: Float(context.y), z: Float(context.z), clientBuild: context.clientBuild),
            resolution: ticket.resolution?.rawValue ?? "",
            history: self.fitting(history).map {
                HistoryEntry(
                    sequence: UInt32(clamping: $0.seq), kind: self.kind($0.kind), actorRole: self.role($0.actorRole),
                    actorName: $0.actorName, at: $0.at, text: $0.text)
            })
    }

    /// Bytes of history a TICKET frame may carry: the frame limit less room for the summary, text and context
    /// (at most about 4.5 KB, PROTOCOL.md §4).
    static let historyBudget = Int(ProtocolLimits.maximumFrameLength) - 16 * 1024

    /// The history that fits one frame: the first event (the request) and as many of the latest as fit,
    /// at most `maximumListCount` (PROTOCOL.md §5.8). Sequence numbers show what was left out.
    static func fitting(_ history: [EventRecord]) -> [EventRecord] {
        func size(_ event: EventRecord) -> Int { 20 + event.actorName.utf8.count + event.text.utf8.count }
        guard let first = history.first else { return [] }
        var budget = self.historyBudget - size(first)
        var latest: [EventRecord] = []
        for event in history.dropFirst().reversed() {
            budget -= size(event)
            guard budget >= 0, latest.count + 1 < ProtocolLimits.maximumListCount else { break }
            latest.append(event)
        }
        return [first] + latest.reversed()
    }

    static func context(_ wire: GMQProtocol.GameContext) -> GMQCore.GameContext {
        GMQCore.GameContext(
            realm: wire.realm, characterID: Int64(clamping: wire.characterID), characterName: wire.characterName,
            mapID: Int64(wire.mapID), zone: wire.zone, x: Double(wire.x), y: Double(wire.y), z: Double(wire.z),
            clientBuild: wire.clientBuild)
    }

    static func push(_ notification: NotificationRecord) -> NotificationPush {
        NotificationPush(
            notificationID: UInt64(notification.id ?? 0), ticketID: UInt64(notification.ticketID),
            kind: self.kind(notification.kind), actorName: notification.actorName, at: notification.createdAt,
            text: notification.text)
    }

    static func status(_ state: TicketState) -> TicketStatus {
        switch state {
        case .open: .open
        case .claimed: .claimed
        case .waitingPlayer: .waitingPlayer
        case .closed: .closed
        }
    }

    static func states(_ filter: QueueFilter) -> [TicketState] {
        switch filter {
        case .active: [.open, .claimed, .waitingPlayer]
        case .open: [.open]
        case .claimed: [.claimed]
        case .waitingPlayer: [.waitingPlayer]
        case .closed: [.closed]
        }
    }

    static func role(_ role: Role) -> SessionRole {
        switch role {
        case .player: .player
        case .gm: .gm
        case .moderator: .moderator
        case .admin: .admin
        }
    }

    static func kind(_ kind: EventKind) -> HistoryKind {
        switch kind {
        case .submitted: .submitted
        case .claimed: .claimed
        case .unclaimed: .unclaimed
        case .asked: .asked
        case .replied: .replied
        case .answered: .answered
        case .noted: .noted
        case .closed: .closed
        case .reopened: .reopened
        }
    }

    /// The ERROR a store refusal becomes: what was wrong and what to do, naming the ticket and people involved.
    static func error(_ error: StoreError, actor: Actor) -> ErrorMessage {
        switch error {
        case .ticketNotFound(let id):
            return ErrorMessage(.notFound, "ticket \(id) does not exist; list tickets to find its id")
        case .unknownCategory(let category, let known):
            return ErrorMessage(
                .unknownCategory, "unknown category '\(category)'; use one of: \(known.joined(separator: ", "))")
        case .queueEmpty(let categories):
            let scope = categories.map { "in \($0.joined(separator: ", "))" } ?? "in any category"
            return ErrorMessage(.queueEmpty, "no open ticket \(scope); the queue is empty, try again later")
        case .staffNameTaken(let name):
            return ErrorMessage(.invalidArgument, "a staff account named '\(name)' already exists; pick another name")
        case .notificationNotFound(let id):
            return ErrorMessage(.notFound, "notification \(id) does not exist or is not yours")
        case .busy(let milliseconds):
            return ErrorMessage(.busy, "the server is busy and stored nothing; retry after \(milliseconds) ms")
        case .refused(let refusal, let id):
            switch refusal {
            case .alreadyClaimed(let holder):
                return ErrorMessage(
                    .alreadyClaimed, "ticket \(id) is already claimed by \(holder); claim the next one instead")
            case .alreadyYours:
                return ErrorMessage(.alreadyClaimed, "you already hold ticket \(id)")
            case .notAssignee(let holder?):
                return ErrorMessage(
                    .notAssignee,
                    "ticket \(id) is held by \(holder); only the holder can do this (an admin can take it over with claim)")
            case .notAssignee(nil), .notClaimed:
                return ErrorMessage(.invalidTransition, "ticket \(id) is open and held by nobody; claim it first")
            case .closed:
                return ErrorMessage(.invalidTransition, "ticket \(id) is closed; nothing more can be done on it")
            case .roleNotAllowed(let allowed):
                let roles = allowed.map(\.rawValue).joined(separator: " or ")
                return ErrorMessage(.forbidden, "this needs the role \(roles); you are signed in as \(actor.role.rawValue)")
            case .notOwner:
                return ErrorMessage(.forbidden, "ticket \(id) is not yours; you can act only on your own tickets")
            case .reopenWindowPassed:
                let days = Int(TicketLifecycle.reopenWindow / 86400)
                return ErrorMessage(
                    .invalidTransition,
                    "ticket \(id) was closed more than \(days) days ago and cannot be reopened; submit a new request")
            }
        }
    }
}

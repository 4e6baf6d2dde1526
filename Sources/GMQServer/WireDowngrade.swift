import GMQProtocol

/// Messages as a session that must not see what protocol version 2 added reads them (PROTOCOL.md §3.2): a version 1
/// client gets no new enum value, and a player never sees a ticket as snoozed (a GM's way of setting it aside:
/// to the player it is held, as it is). One place for every response and push.
enum WireDowngrade {
    /// `message` for a version 1 session: a hand-off told as a claim by the new holder, attachments, snoozes and
    /// reminders left out, a snoozed ticket shown claimed. Nil when nothing of it may be sent.
    static func forVersion1(_ message: Message) -> Message? {
        switch message {
        case .notification(var notification) where notification.kind == .assigned:
            notification.kind = .claimed
            return .notification(notification)
        case .notification(let notification) where Self.version2Only.contains(notification.kind): return nil
        case .queueChanged(var change) where change.kind == .assigned:
            change.kind = .claimed
            return .queueChanged(Self.unsnoozed(change))
        case .queueChanged(let change) where Self.version2Only.contains(change.kind): return nil
        case .reminder: return nil
        default: return Self.withoutSnoozed(message)
        }
    }

    /// Kinds a version 1 session is never sent (a hand-off is told as a claim instead).
    private static let version2Only: Set<HistoryKind> = [.attached, .snoozed, .woke]

    /// `message` with every snoozed ticket shown as claimed (for players, and version 1).
    static func withoutSnoozed(_ message: Message) -> Message {
        switch message {
        case .ticketList(var list):
            list.tickets = list.tickets.map(Self.unsnoozed)
            return .ticketList(list)
        case .ticket(var detail):
            detail.summary = Self.unsnoozed(detail.summary)
            return .ticket(detail)
        case .ticketUpdated(var updated):
            updated.summary = Self.unsnoozed(updated.summary)
            return .ticketUpdated(updated)
        case .queueChanged(let change):
            return .queueChanged(Self.unsnoozed(change))
        case .auditList(var list):
            for index in list.rows.indices { list.rows[index].ticket = Self.unsnoozed(list.rows[index].ticket) }
            return .auditList(list)
        case .searchResult(var result):
            for index in result.hits.indices { result.hits[index].ticket = Self.unsnoozed(result.hits[index].ticket) }
            return .searchResult(result)
        default:
            return message
        }
    }

    private static func unsnoozed(_ change: QueueChanged) -> QueueChanged {
        var change = change
        change.ticket = Self.unsnoozed(change.ticket)
        return change
    }

    private static func unsnoozed(_ summary: TicketSummary) -> TicketSummary {
        var summary = summary
        if summary.status == .snoozed { summary.status = .claimed }
        return summary
    }
}

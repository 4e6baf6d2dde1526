import Foundation

/// A player who files again what was just closed (issue 13 §5): perhaps shopping for a different answer, perhaps
/// a fix that did not hold. The new ticket gets a staff note naming the earlier one, so the GM sees both.
public enum Refiling {
    /// How long after a close a repeat counts.
    public static let window: Int64 = 7 * 86_400_000
    /// How many of the player's tickets closed within the window are compared, the most recently closed first.
    public static let candidates = 20

    /// The player's ticket closed within the window before `now` (other than `ticket` itself) that the new request
    /// repeats (the duplicate check's similarity), the most recently closed first.
    public static func earlier(
        than ticket: Ticket, among tickets: [Ticket], check: SubstantiveCheck, now: Int64
    ) -> Ticket? {
        let closed = tickets
            .filter { $0.id != ticket.id && $0.state == .closed && ($0.closedAt ?? 0) >= now - Self.window }
            .sorted { ($0.closedAt ?? 0) > ($1.closedAt ?? 0) }
        // Most players have closed nothing lately: the new text is not read then (perf: reading it for nothing
        // was 3% of gmqd's CPU under gmq-load).
        guard !closed.isEmpty else { return nil }
        let words = check.contentWords(of: ticket.text)
        return closed.first { check.similarity(words, $0.text) >= SubstantiveCheck.duplicateSimilarity }
    }

    /// The staff note on the new ticket.
    public static func noteText(earlier: Ticket) -> String {
        let closed = Date(milliseconds: earlier.closedAt ?? 0).formatted(.iso8601)
        return "Re-filed: the player's ticket #\(earlier.id) (\(earlier.category), closed \(closed)"
            + (earlier.resolution.map { " as \($0.rawValue)" } ?? "") + ") described the same problem; they may be "
            + "looking for a different answer, or the fix did not hold."
    }

    /// Who writes the note: the server itself, as an admin may (notes need a role that works tickets).
    public static let noter = Actor(id: 0, name: "gmqd", role: .admin)

    /// Whether `event` is the note that flags a re-filed ticket.
    public static func isFlag(_ event: TicketEvent) -> Bool {
        event.kind == .noted && event.actorID == Self.noter.id && event.actorName == Self.noter.name
            && event.text.hasPrefix("Re-filed: ")
    }
}

import Foundation

/// What happens to a ticket that waits on a silent player (issue 13 §5), per category in the SLA file:
/// `"stale": {"remind_after_hours": 72, "close_after_hours": 168}`. After the first span the player is reminded
/// (an `asked` step in the holder's name, so the reminder reaches them like any question); after the second the
/// ticket is closed `no_response` (the player may still reply within the reopen window). A reply in between
/// resumes the ticket as any reply does. Without a policy nothing is done.
public struct StalePolicy: Sendable, Equatable, Codable {
    public var remindAfterHours: Double
    public var closeAfterHours: Double

    public init(remindAfterHours: Double, closeAfterHours: Double) {
        self.remindAfterHours = remindAfterHours
        self.closeAfterHours = closeAfterHours
    }

    enum CodingKeys: String, CodingKey {
        case remindAfterHours = "remind_after_hours", closeAfterHours = "close_after_hours"
    }

    public enum Action: Sendable, Equatable {
        case none
        case remind(text: String)
        case close(text: String)
    }

    /// The text a reminder starts with: how a ticket already reminded is known.
    public static let reminderPrefix = "Reminder:"

    /// What to do with `ticket` at `now`, its newest event being `last`: only a ticket waiting on the player, counted
    /// from when it started waiting.
    public func action(for ticket: Ticket, last: TicketEvent?, now: Int64) -> Action {
        guard ticket.state == .waitingPlayer, let since = ticket.pausedSince else { return .none }
        let waited = Double(now - since) / 3_600_000
        if waited >= self.closeAfterHours {
            return .close(text: "Closed after \(Self.hours(self.closeAfterHours)) without an answer from you. If the "
                + "problem is still there, reply to this request and it opens again.")
        }
        let reminded = last?.kind == .asked && last?.text.hasPrefix(Self.reminderPrefix) == true
        if waited >= self.remindAfterHours && !reminded {
            let closes = Date(milliseconds: since + Int64(self.closeAfterHours * 3_600_000)).formatted(.iso8601)
            return .remind(text: "\(Self.reminderPrefix) a game master is waiting for your answer to the question above. "
                + "Without one, this request closes on \(closes) (UTC).")
        }
        return .none
    }

    static func hours(_ hours: Double) -> String {
        hours >= 48 && hours.truncatingRemainder(dividingBy: 24) == 0 ? "\(Int(hours / 24)) days" : "\(Int(hours)) hours"
    }
}

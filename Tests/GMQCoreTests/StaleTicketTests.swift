import Foundation
import GMQCore
import Testing

/// Tickets waiting on a silent player (issue 13 §5): reminded once, then closed.
@Suite struct StaleTicketTests {
    static let hour: Int64 = 3_600_000
    let policy = StalePolicy(remindAfterHours: 72, closeAfterHours: 168)

    func ticket(_ state: TicketState, waitingSince: Int64?) -> Ticket {
        var ticket = Ticket(
            id: 1,
            submission: Submission(
                player: Actor(id: 42, name: "Thrall", role: .player), category: "bug", text: "x", context: GameContext()),
            target: ServiceLevels.standard.target(for: "bug"), at: 0)
        ticket.state = state
        ticket.pausedSince = waitingSince
        return ticket
    }

    @Test func aSilentPlayerIsRemindedOnceThenTheTicketCloses() {
        let waiting = self.ticket(.waitingPlayer, waitingSince: 0)
        #expect(self.policy.action(for: waiting, last: nil, now: 71 * Self.hour) == .none)
        guard case .remind(let text) = self.policy.action(for: waiting, last: nil, now: 72 * Self.hour) else {
            Issue.record("no reminder"); return
        }
        #expect(text.hasPrefix(StalePolicy.reminderPrefix) && text.contains("1970-01-08T00:00:00Z"))
        let reminder = TicketEvent(
            ticketID: 1, seq: 3, kind: .asked, actorID: 1, actorName: "Mirna", actorRole: .gm, at: 72 * Self.hour, text: text)
        #expect(self.policy.action(for: waiting, last: reminder, now: 100 * Self.hour) == .none, "reminded once")
        guard case .close(let closing) = self.policy.action(for: waiting, last: reminder, now: 168 * Self.hour) else {
            Issue.record("not closed"); return
        }
        #expect(closing.contains("7 days"))
        #expect(self.policy.action(for: self.ticket(.claimed, waitingSince: nil), last: nil, now: 500 * Self.hour) == .none,
            "a ticket the player answered is not stale")
    }
}

import Foundation
import GMQCore
import Testing

/// The moderators' shift figures (issue 13 §8): handle time per GM from a ticket's events, first-contact
/// resolution, re-filed tickets, and the page's distributions.
@Suite struct ReportFiguresTests {
    static let t0: Int64 = 1_800_000_000_000

    static func event(_ kind: EventKind, _ actor: String, at seconds: Int64, _ text: String = "") -> TicketEvent {
        TicketEvent(
            ticketID: 1, seq: 0, kind: kind, actorID: actor == "Thrall" ? 42 : 1, actorName: actor,
            actorRole: actor == "Thrall" ? .player : .gm, at: t0 + seconds * 1000, text: text)
    }

    @Test func handleTimeCountsOnlyTimeAGMHeldAndWorkedTheTicket() {
        let events = [
            Self.event(.submitted, "Thrall", at: 0),
            Self.event(.claimed, "Mirna", at: 100),  // Mirna works 100…160
            Self.event(.asked, "Mirna", at: 160),  // waiting on the player: nobody's time
            Self.event(.replied, "Thrall", at: 400),  // back in Mirna's hands 400…460
            Self.event(.assigned, "Mirna", at: 460, "Tharok: my shift ends"),  // Tharok 460…500
            Self.event(.snoozed, "Tharok", at: 500, "until …"),  // aside 500…900
            Self.event(.noted, "Vera", at: 600, "a moderator's note changes nothing"),
            Self.event(.woke, "Tharok", at: 900),  // Tharok 900…960
            Self.event(.closed, "Tharok", at: 960),
            Self.event(.reopened, "Thrall", at: 2000),  // open again, nobody holds it
            Self.event(.claimed, "Mirna", at: 3000),  // Mirna 3000…3030
            Self.event(.unclaimed, "Mirna", at: 3030),
        ]
        #expect(Report.handleTime(events) == ["Mirna": 150_000, "Tharok": 100_000])
        // A hand-off of a ticket waiting on the player starts nobody's clock until the player answers.
        let waiting = [
            Self.event(.claimed, "Mirna", at: 0), Self.event(.asked, "Mirna", at: 10),
            Self.event(.assigned, "Mirna", at: 20, "Tharok"), Self.event(.replied, "Thrall", at: 50),
            Self.event(.answered, "Tharok", at: 80), Self.event(.closed, "Tharok", at: 90),
        ]
        #expect(Report.handleTime(waiting) == ["Mirna": 10_000, "Tharok": 40_000])
    }

    static func ticket(
        _ category: String, _ gm: String?, created: Int64, response: Int64?, closed: Bool, rating: Int? = nil,
        handled: [String: Int64] = [:], refiled: Bool = false, asked: Bool = false, reopens: Int = 0
    ) -> Report.Ticket {
        Report.Ticket(
            category: category, gm: gm, createdAt: t0 + created * 1000, firstResponseAt: response.map { t0 + (created + $0) * 1000 },
            closedAt: closed ? t0 + (created + 3600) * 1000 : nil, overdue: false, reopenCount: reopens, rating: rating,
            handled: handled, refiled: refiled, asked: asked)
    }

    @Test func rowsCountHandleTimeFirstContactAndRefiling() {
        let tickets = [
            Self.ticket("bug", "Mirna", created: 0, response: 60, closed: true, rating: 5, handled: ["Mirna": 120_000]),
            Self.ticket("bug", "Tharok", created: 10, response: 600, closed: true, rating: 3,
                handled: ["Mirna": 30_000, "Tharok": 90_000], asked: true),
            Self.ticket("bug", "Mirna", created: 20, response: 7_200, closed: true, handled: ["Mirna": 60_000], reopens: 1),
            Self.ticket("payment", nil, created: 90_000, response: nil, closed: false, refiled: true),
        ]
        let rows = Report.build(tickets)
        let total = rows[0]
        #expect(total.handleSeconds == 300 && total.firstContact == 1 && total.refiled == 1 && total.closed == 3)
        let mirna = rows.first { $0.group == .gm && $0.name == "Mirna" }
        #expect(mirna?.handleSeconds == 210, "her own time on any ticket: 120 + 30 on Tharok's + 60")
        #expect(mirna?.opened == 2, "her row's tickets are those she closed")
        let tharok = rows.first { $0.group == .gm && $0.name == "Tharok" }
        #expect(tharok?.handleSeconds == 90 && tharok?.firstContact == 0)
        #expect(rows.first { $0.group == .category && $0.name == "payment" }?.refiled == 1)

        let distribution = Report.distribution(tickets)
        #expect(distribution.opened.map(\.count) == [3, 1] && distribution.opened.map(\.category) == ["bug", "payment"])
        let second = Self.t0 + 90_000_000
        #expect(distribution.opened[1].day == second - second % 86_400_000)
        #expect(distribution.firstResponses.map(\.count) == [1, 1, 0, 1, 0, 0], "60 s, 600 s, 2 h")
        #expect(distribution.ratings == [0, 0, 1, 0, 1])
    }
}

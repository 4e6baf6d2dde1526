import GMQClient
import GMQProtocol
import Testing

/// What staff read after a step: the words must say where a ticket went, not only its state.
@Suite struct PresentationTests {
    static func summary(_ status: TicketStatus, priority: UInt8, assignee: String) -> TicketSummary {
        TicketSummary(
            id: 7, category: "bug", status: status, playerID: 42, playerName: "Thrall", assignee: assignee,
            createdAt: 0, updatedAt: 0, preview: "Hogger", priority: priority)
    }

    @Test func anEscalationToSeniorGMsSaysTheTicketIsQueuedForThemAtItsPriority() {
        let text = Presentation.describe(Self.summary(.open, priority: 2, assignee: ""), escalatedTo: .seniorGMs)
        #expect(text == "ticket 7 is with the senior GMs: back in the queue at priority 2, unclaimed")
    }

    @Test func anEscalationToTheDevelopersSaysItClosedAsEscalated() {
        let text = Presentation.describe(Self.summary(.closed, priority: 0, assignee: "Mirna"), escalatedTo: .developers)
        #expect(text == "ticket 7 is on the developers' bug list: closed as escalated_to_dev")
        #expect(Presentation.describe(Self.summary(.closed, priority: 0, assignee: "Mirna")) == "ticket 7 is now closed by Mirna",
            "the generic line, which said only this")
    }
}

import Foundation
import GMQCore
import Testing

/// What a step does to the stored ticket, decided once for every engine.
@Suite struct TicketEffectsTests {
    static let player = Actor(id: 42, name: "Thrall", role: .player)
    static let mirna = Actor(id: 1, name: "Mirna", role: .gm)
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let levels = ServiceLevels.standard

    static func open(_ category: String = "bug") -> Ticket {
        Ticket(
            id: 7, submission: Submission(player: player, category: category, text: "Chest in Scholomance is empty",
                context: GameContext(realm: "", characterID: 0, characterName: "", mapID: 0, zone: "", x: 0, y: 0, z: 0,
                    clientBuild: "")),
            target: levels.target(for: category), at: now.milliseconds - 60_000)
    }

    func step(_ command: TicketLifecycle.Command, _ detail: TicketEffects.Detail = .none, on ticket: Ticket,
        by actor: Actor = mirna, at offset: TimeInterval = 0) throws -> TicketEffects.Step
    {
        try TicketEffects.step(command, detail: detail, to: ticket, by: actor, at: Self.now + offset, levels: Self.levels)
    }

    @Test func claimingRecordsTheHolderAndNotifies() throws {
        let claimed = try step(.claim, on: Self.open())
        #expect(claimed.ticket.state == .claimed && claimed.ticket.assigneeName == "Mirna")
        #expect(claimed.event == .claimed && claimed.notifiesPlayer && claimed.changed)
        #expect(claimed.ticket.updatedAt == Self.now.milliseconds)
    }

    @Test func closingSetsResolutionClosedByAndOverdue() throws {
        let claimed = try step(.claim, on: Self.open()).ticket
        let closed = try step(.close(.solved), on: claimed, at: 60).ticket
        #expect(closed.state == .closed && closed.resolution == .solved && closed.closedBy == "Mirna")
        #expect(closed.closedAt == (Self.now + 60).milliseconds)
        #expect(!closed.overdue)
        // Three days later the resolution target (3 days for a bug) has passed.
        let late = try step(.close(.solved), on: claimed, at: 4 * 24 * 3600).ticket
        #expect(late.overdue)
    }

    @Test func aReopenCountsClearsTheResolutionAndTheRating() throws {
        var closed = try step(.close(.solved), on: try step(.claim, on: Self.open()).ticket).ticket
        closed = try step(.rate, .rating(stars: 2), on: closed, by: Self.player).ticket
        #expect(closed.rating == 2)
        let reopened = try step(.reply(substantive: true), on: closed, by: Self.player, at: 3600)
        #expect(reopened.event == .reopened && reopened.ticket.state == .open)
        #expect(reopened.ticket.reopenCount == 1 && reopened.ticket.rating == nil && reopened.ticket.resolution == nil)
    }

    @Test func aTicketIsRatedOncePerClose() throws {
        let closed = try step(.close(.solved), on: try step(.claim, on: Self.open()).ticket).ticket
        let rated = try step(.rate, .rating(stars: 5), on: closed, by: Self.player).ticket
        #expect(throws: StoreError.alreadyRated(7)) { try step(.rate, .rating(stars: 1), on: rated, by: Self.player) }
    }

    @Test func escalationRaisesPriorityAboveEveryCategory() throws {
        let claimed = try step(.claim, on: Self.open("payment")).ticket
        let highest = Self.levels.target(for: "payment").priority
        let escalated = try step(.escalate, on: claimed)
        #expect(escalated.ticket.priority == max(highest, 1) + 1)
        #expect(escalated.ticket.state == .open && escalated.ticket.assigneeID == nil)
    }

    @Test func aTransferMovesTheTicketAndKeepsTheHigherPriority() throws {
        let claimed = try step(.claim, on: Self.open("bug")).ticket
        let moved = try step(.transfer, .transfer(to: "payment", priority: 1), on: claimed).ticket
        #expect(moved.category == "payment" && moved.priority == 1 && moved.state == .open)
        let back = try step(.transfer, .transfer(to: "bug", priority: 0), on: moved).ticket
        #expect(back.priority == 1, "a transfer never lowers the priority")
        #expect(throws: StoreError.sameCategory("payment")) {
            try step(.transfer, .transfer(to: "payment", priority: 1), on: moved)
        }
    }

    @Test func aRefusedStepNamesTheTicket() throws {
        #expect(throws: StoreError.refused(.notClaimed, ticketID: 7)) { try step(.answer, on: Self.open()) }
    }

    @Test func recordsCarryTheStepAndOnlyNotifyingStepsMakeANotification() throws {
        let claimed = try step(.claim, on: Self.open())
        let records = TicketEffects.records(of: claimed, by: Self.mirna, text: "", seq: 2, at: Self.now)
        #expect(records.event.seq == 2 && records.event.kind == .claimed && records.event.actorName == "Mirna")
        #expect(records.notification?.playerID == 42 && records.notification?.kind == .claimed)
        let noted = try step(.note, on: claimed.ticket)
        #expect(TicketEffects.records(of: noted, by: Self.mirna, text: "x", seq: 3, at: Self.now).notification == nil)
        #expect(!noted.changed || noted.ticket.updatedAt != claimed.ticket.updatedAt)
    }
}

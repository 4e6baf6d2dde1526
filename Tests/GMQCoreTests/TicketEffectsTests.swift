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

    @Test func aSnoozePausesTheServiceClockAndWakingResumesIt() throws {
        let levels = Self.levels.target(for: "bug")
        let clock = ServiceClock(target: levels)
        let claimed = try step(.claim, on: Self.open()).ticket
        let firstDue = claimed.dueAt
        let snoozed = try step(.snooze(until: Self.now + 86_400), on: claimed, at: 60)
        #expect(snoozed.event == .snoozed && !snoozed.notifiesPlayer)
        #expect(snoozed.ticket.state == .snoozed && snoozed.ticket.assigneeName == "Mirna")
        #expect(snoozed.ticket.snoozedUntil == (Self.now + 86_400).milliseconds)
        // Long past the first-response target (an hour for a bug), nobody having answered: not overdue while
        // snoozed, the clock stands.
        let later = (Self.now + 20 * 3600).milliseconds
        #expect(!clock.isOverdue(snoozed.ticket.serviceTimes, now: later))
        #expect(clock.isOverdue(claimed.serviceTimes, now: later), "the same ticket not snoozed is overdue")
        // Woken a day later: the deadlines move by the day it stood, and the snooze's time is gone.
        let woke = try step(.wake, on: snoozed.ticket, at: 60 + 86_400)
        #expect(woke.event == .woke && woke.ticket.state == .claimed && woke.ticket.snoozedUntil == nil)
        #expect(woke.ticket.pausedMilliseconds == 86_400_000)
        #expect(woke.ticket.dueAt == firstDue + 86_400_000)
        // The player's reply wakes it too.
        let replied = try step(.reply(substantive: true), on: snoozed.ticket, by: Self.player, at: 3600)
        #expect(replied.ticket.state == .claimed && replied.ticket.snoozedUntil == nil)
        #expect(replied.ticket.pausedMilliseconds == 3600_000 - 60_000)
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

import Foundation
import GMQCore
import Testing

@Suite struct TicketLifecycleTests {
    static let player = Actor(id: 42, name: "Thrall", role: .player)
    static let stranger = Actor(id: 43, name: "Jaina", role: .player)
    static let mirna = Actor(id: 1, name: "Mirna", role: .gm)
    static let tharok = Actor(id: 2, name: "Tharok", role: .gm)
    static let moderator = Actor(id: 3, name: "Vala", role: .moderator)
    static let admin = Actor(id: 4, name: "Root", role: .admin)
    static let realm = Actor(id: 5, name: "realm-1", role: .game)
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// A machine in `state`, held by Mirna where the state has a holder.
    static func machine(_ state: TicketState, closedAt: Date? = nil) -> TicketLifecycle {
        let holder: Actor? = state.isHeld ? mirna : nil
        return TicketLifecycle(state: state, assignee: holder, owner: player.id, closedAt: closedAt)
    }

    typealias Outcome = Result<TicketState, TicketLifecycle.Refusal>

    /// Every state × command × kind of actor, with what must happen. Rows not listed cannot occur.
    static let table: [(TicketState, TicketLifecycle.Command, Actor, Outcome)] = [
        // claim
        (.open, .claim, mirna, .success(.claimed)),
        (.open, .claim, admin, .success(.claimed)),
        (.open, .claim, moderator, .failure(.roleNotAllowed(allowed: [.gm, .admin]))),
        (.open, .claim, player, .failure(.roleNotAllowed(allowed: [.gm, .admin]))),
        (.claimed, .claim, tharok, .failure(.alreadyClaimed(by: "Mirna"))),
        (.claimed, .claim, mirna, .failure(.alreadyYours)),
        (.claimed, .claim, admin, .success(.claimed)),
        (.waitingPlayer, .claim, tharok, .failure(.alreadyClaimed(by: "Mirna"))),
        (.waitingPlayer, .claim, admin, .success(.waitingPlayer)),
        (.closed, .claim, mirna, .failure(.closed)),
        // unclaim
        (.open, .unclaim, mirna, .failure(.notClaimed)),
        (.claimed, .unclaim, mirna, .success(.open)),
        (.claimed, .unclaim, tharok, .failure(.notAssignee(holder: "Mirna"))),
        (.claimed, .unclaim, admin, .success(.open)),
        (.waitingPlayer, .unclaim, mirna, .success(.open)),
        (.closed, .unclaim, mirna, .failure(.closed)),
        (.claimed, .unclaim, moderator, .failure(.roleNotAllowed(allowed: [.gm, .admin]))),
        // ask
        (.open, .ask, mirna, .failure(.notClaimed)),
        (.claimed, .ask, mirna, .success(.waitingPlayer)),
        (.claimed, .ask, tharok, .failure(.notAssignee(holder: "Mirna"))),
        (.claimed, .ask, admin, .failure(.notAssignee(holder: "Mirna"))),
        (.waitingPlayer, .ask, mirna, .success(.waitingPlayer)),
        (.closed, .ask, mirna, .failure(.closed)),
        // answer
        (.open, .answer, mirna, .failure(.notClaimed)),
        (.claimed, .answer, mirna, .success(.claimed)),
        (.waitingPlayer, .answer, mirna, .success(.claimed)),
        (.claimed, .answer, tharok, .failure(.notAssignee(holder: "Mirna"))),
        (.closed, .answer, mirna, .failure(.closed)),
        (.claimed, .answer, player, .failure(.roleNotAllowed(allowed: [.gm, .admin]))),
        // note: any GM, any state, never a moderator or player
        (.open, .note, tharok, .success(.open)),
        (.claimed, .note, tharok, .success(.claimed)),
        (.waitingPlayer, .note, mirna, .success(.waitingPlayer)),
        (.closed, .note, mirna, .success(.closed)),
        (.open, .note, moderator, .failure(.roleNotAllowed(allowed: [.gm, .admin]))),
        // close
        (.open, .close(.solved), mirna, .failure(.notClaimed)),
        (.claimed, .close(.solved), mirna, .success(.closed)),
        (.waitingPlayer, .close(.noResponse), mirna, .success(.closed)),
        (.claimed, .close(.solved), tharok, .failure(.notAssignee(holder: "Mirna"))),
        (.closed, .close(.solved), mirna, .failure(.closed)),
        // player replies
        (.open, .reply(substantive: true), player, .success(.open)),
        (.claimed, .reply(substantive: false), player, .success(.claimed)),
        (.waitingPlayer, .reply(substantive: true), player, .success(.claimed)),
        (.closed, .reply(substantive: false), player, .success(.closed)),
        (.closed, .reply(substantive: true), player, .success(.open)),
        (.claimed, .reply(substantive: true), stranger, .failure(.notOwner)),
        (.claimed, .reply(substantive: true), mirna, .failure(.roleNotAllowed(allowed: [.player]))),
        // transfer and escalate: any GM on an open ticket, the holder (or an admin) on a held one; back to open
        (.open, .transfer, tharok, .success(.open)),
        (.claimed, .transfer, mirna, .success(.open)),
        (.claimed, .transfer, tharok, .failure(.notAssignee(holder: "Mirna"))),
        (.claimed, .transfer, admin, .success(.open)),
        (.waitingPlayer, .transfer, mirna, .success(.open)),
        (.closed, .transfer, mirna, .failure(.closed)),
        (.open, .transfer, moderator, .failure(.roleNotAllowed(allowed: [.gm, .admin]))),
        (.open, .escalate, mirna, .success(.open)),
        (.claimed, .escalate, mirna, .success(.open)),
        (.waitingPlayer, .escalate, tharok, .failure(.notAssignee(holder: "Mirna"))),
        (.closed, .escalate, admin, .failure(.closed)),
        (.claimed, .escalate, player, .failure(.roleNotAllowed(allowed: [.gm, .admin]))),
        // rate: the owner, once closed
        (.closed, .rate, player, .success(.closed)),
        (.closed, .rate, stranger, .failure(.notOwner)),
        (.claimed, .rate, player, .failure(.notClosed)),
        (.open, .rate, player, .failure(.notClosed)),
        (.waitingPlayer, .rate, player, .failure(.notClosed)),
        (.closed, .rate, mirna, .failure(.roleNotAllowed(allowed: [.player]))),
        // lease expiry: only a claimed ticket, in its holder's name
        (.claimed, .expireLease, mirna, .success(.open)),
        (.claimed, .expireLease, tharok, .failure(.notAssignee(holder: "Mirna"))),
        (.waitingPlayer, .expireLease, mirna, .failure(.notAssignee(holder: "Mirna"))),
        (.open, .expireLease, mirna, .failure(.notAssignee(holder: nil))),
        (.closed, .expireLease, mirna, .failure(.notAssignee(holder: nil))),
        // prioritize: any GM on a ticket not closed, as a note
        (.open, .prioritize(3), mirna, .success(.open)),
        (.claimed, .prioritize(3), tharok, .success(.claimed)),
        (.closed, .prioritize(3), mirna, .failure(.closed)),
        (.open, .prioritize(3), moderator, .failure(.roleNotAllowed(allowed: [.gm, .admin]))),
        // assign: the holder (or an admin) hands a held ticket on, any GM an open one; the new holder holds it
        (.claimed, .assign(to: tharok), mirna, .success(.claimed)),
        (.waitingPlayer, .assign(to: tharok), mirna, .success(.waitingPlayer)),
        (.open, .assign(to: tharok), mirna, .success(.claimed)),
        (.claimed, .assign(to: mirna), mirna, .failure(.alreadyClaimed(by: "Mirna"))),
        (.claimed, .assign(to: admin), tharok, .failure(.notAssignee(holder: "Mirna"))),
        (.claimed, .assign(to: tharok), admin, .success(.claimed)),
        (.closed, .assign(to: tharok), mirna, .failure(.closed)),
        (.open, .assign(to: moderator), mirna, .failure(.roleNotAllowed(allowed: [.gm, .admin]))),
        (.open, .assign(to: tharok), moderator, .failure(.roleNotAllowed(allowed: [.gm, .admin]))),
        // attach: the owner while not closed, a game server always; the state stays
        (.open, .attach, player, .success(.open)),
        (.waitingPlayer, .attach, player, .success(.waitingPlayer)),
        (.closed, .attach, player, .failure(.closed)),
        (.open, .attach, stranger, .failure(.notOwner)),
        (.closed, .attach, realm, .success(.closed)),
        (.claimed, .attach, realm, .success(.claimed)),
        (.claimed, .attach, mirna, .failure(.roleNotAllowed(allowed: [.player, .game]))),
        (.open, .attach, admin, .failure(.roleNotAllowed(allowed: [.player, .game]))),
        // snooze: the holder (or an admin) sets a held ticket aside, for a time still to come
        (.claimed, .snooze(until: later), mirna, .success(.snoozed)),
        (.waitingPlayer, .snooze(until: later), mirna, .success(.snoozed)),
        (.snoozed, .snooze(until: later), mirna, .success(.snoozed)),
        (.claimed, .snooze(until: later), admin, .success(.snoozed)),
        (.claimed, .snooze(until: later), tharok, .failure(.notAssignee(holder: "Mirna"))),
        (.claimed, .snooze(until: now), mirna, .failure(.notInFuture)),
        (.open, .snooze(until: later), mirna, .failure(.notClaimed)),
        (.closed, .snooze(until: later), mirna, .failure(.closed)),
        (.claimed, .snooze(until: later), moderator, .failure(.roleNotAllowed(allowed: [.gm, .admin]))),
        // wake: a snoozed ticket back in its holder's hands
        (.snoozed, .wake, mirna, .success(.claimed)),
        (.snoozed, .wake, admin, .success(.claimed)),
        (.snoozed, .wake, tharok, .failure(.notAssignee(holder: "Mirna"))),
        (.claimed, .wake, mirna, .failure(.notSnoozed)),
        (.open, .wake, mirna, .failure(.notSnoozed)),
        // a snoozed ticket takes every step a claimed one does; the player's reply wakes it
        (.snoozed, .claim, tharok, .failure(.alreadyClaimed(by: "Mirna"))),
        (.snoozed, .claim, admin, .success(.snoozed)),
        (.snoozed, .unclaim, mirna, .success(.open)),
        (.snoozed, .ask, mirna, .success(.waitingPlayer)),
        (.snoozed, .answer, mirna, .success(.claimed)),
        (.snoozed, .answer, tharok, .failure(.notAssignee(holder: "Mirna"))),
        (.snoozed, .note, tharok, .success(.snoozed)),
        (.snoozed, .close(.solved), mirna, .success(.closed)),
        (.snoozed, .reply(substantive: true), player, .success(.claimed)),
        (.snoozed, .reply(substantive: false), stranger, .failure(.notOwner)),
        (.snoozed, .transfer, mirna, .success(.open)),
        (.snoozed, .escalate, tharok, .failure(.notAssignee(holder: "Mirna"))),
        (.snoozed, .rate, player, .failure(.notClosed)),
        (.snoozed, .expireLease, mirna, .failure(.notAssignee(holder: "Mirna"))),
        (.snoozed, .assign(to: tharok), mirna, .success(.snoozed)),
        (.snoozed, .linkIncident, mirna, .failure(.alreadyClaimed(by: "Mirna"))),
    ]

    static let later = now.addingTimeInterval(3600)

    @Test(arguments: table.indices)
    func transitionFollowsTheTable(row: Int) {
        let (state, command, actor, expected) = Self.table[row]
        var machine = Self.machine(state, closedAt: state == .closed ? Self.now : nil)
        let before = machine
        do {
            let transition = try machine.apply(command, by: actor, at: Self.now)
            #expect(expected == .success(transition.to), "row \(row)")
            #expect(machine.state == transition.to)
            #expect(transition.from == state)
        } catch {
            #expect(expected == .failure(error), "row \(row)")
            #expect(machine == before, "a refused command leaves the machine unchanged")
        }
    }

    @Test func tableCoversEveryStateAndCommand() {
        for state in TicketState.allCases {
            for command in [
                "claim", "unclaim", "ask", "answer", "note", "close", "reply", "transfer", "escalate", "rate",
                "expireLease",
            ] {
                #expect(Self.table.contains { $0.0 == state && "\($0.1)".hasPrefix(command) }, "\(state) \(command)")
            }
        }
    }

    @Test func claimingRecordsTheHolderAndClosingReleasesIt() throws {
        var machine = Self.machine(.open)
        let claim = try machine.apply(.claim, by: Self.mirna, at: Self.now)
        #expect(claim.event == .claimed && claim.assignee == Self.mirna && claim.notifiesPlayer)
        let takeover = try machine.apply(.claim, by: Self.admin, at: Self.now)
        #expect(takeover.assignee == Self.admin && machine.assignee == Self.admin)
        let close = try machine.apply(.close(.solved), by: Self.admin, at: Self.now)
        #expect(close.event == .closed && machine.assignee == nil && machine.closedAt == Self.now)
    }

    @Test func substantiveReplyReopensOnlyWithinTheWindow() throws {
        var inside = Self.machine(.closed, closedAt: Self.now)
        let reopened = try inside.apply(
            .reply(substantive: true), by: Self.player, at: Self.now.addingTimeInterval(TicketLifecycle.reopenWindow))
        // The player's own reply reopened it: they get TICKET_UPDATED, not a notification about themselves.
        #expect(reopened.event == .reopened && inside.state == .open && !reopened.notifiesPlayer)

        var outside = Self.machine(.closed, closedAt: Self.now)
        #expect(throws: TicketLifecycle.Refusal.reopenWindowPassed) {
            try outside.apply(
                .reply(substantive: true), by: Self.player,
                at: Self.now.addingTimeInterval(TicketLifecycle.reopenWindow + 1))
        }

        var thanks = Self.machine(.closed, closedAt: Self.now)
        let recorded = try thanks.apply(.reply(substantive: false), by: Self.player, at: Self.now.addingTimeInterval(60))
        #expect(recorded.event == .replied && thanks.state == .closed && !recorded.notifiesPlayer)
    }

    @Test func notesAreNeverShownToPlayers() {
        #expect(!EventKind.noted.isVisibleToPlayer)
        #expect(!EventKind.noted.notifiesPlayer)
        #expect(EventKind.allCases.filter { !$0.isVisibleToPlayer } == [.noted, .snoozed, .woke])
    }
}

import Foundation
import GMQCore
import GMQPostgres
import GMQTestSupport
import GRDB
import Synchronization
import Testing

/// The `TicketStore` contract, run against every engine: SQLite (embedded) and a real PostgreSQL server.
@Suite(.serialized) struct StoreContractTests {
    static let player = Actor(id: 42, name: "Thrall", role: .player)
    static let other = Actor(id: 43, name: "Jaina", role: .player)
    static let mirna = Actor(id: 1, name: "Mirna", role: .gm)
    static let tharok = Actor(id: 2, name: "Tharok", role: .gm)
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    static func submission(_ text: String, _ category: String = "bug", by player: Actor = player) -> Submission {
        Submission(player: player, category: category, text: text, context: GameContext(zone: "Ironforge"))
    }

    @discardableResult
    static func open(
        _ store: any TicketStore, _ text: String, _ category: String = "bug", by player: Actor = player,
        at time: Date = t0
    ) async throws -> Ticket {
        let outcome = try await store.submit(submission(text, category, by: player), at: time)
        guard case .created(let ticket, _) = outcome else { throw Unexpected("\(outcome)") }
        return ticket
    }

    struct Unexpected: Error { var what: String; init(_ what: String) { self.what = what } }

    @Test(arguments: Engine.allCases) func categoriesAndStaffAccounts(engine: Engine) async throws {
        try await StoreFixture.with(engine) { fixture in
            let store = fixture.store
            #expect(try await store.categories().map(\.id) == [
                "stuck_character", "bug", "player_report", "account", "payment", "other",
            ])
            #expect(try await store.addCategory(id: "quest", title: "Quest").id == "quest")
            #expect(try await store.categories().last?.id == "quest")
            await #expect(throws: StoreError.categoryExists("quest")) { try await store.addCategory(id: "quest", title: "Q") }
            await #expect(throws: StoreError.categoryIDInvalid("Bad Id")) { try await store.addCategory(id: "Bad Id", title: "") }

            let added = try await store.addStaff(name: "Mirna", role: .gm, keyHash: "abc", categories: ["bug"], at: Self.t0)
            #expect(added.id != nil && added.categoryList == ["bug"])
            #expect(try await store.staff(keyHash: "abc") == added)
            #expect(try await store.staff(keyHash: "nope") == nil)
            #expect(try await store.staffCategories(of: added.id!) == ["bug"])
            await #expect(throws: StoreError.staffNameTaken("mirna")) {
                try await store.addStaff(name: "mirna", role: .admin, keyHash: "def", categories: [], at: Self.t0)
            }
            await #expect(throws: StoreError.self) {
                try await store.addStaff(name: "Vala", role: .gm, keyHash: "ghi", categories: ["nowhere"], at: Self.t0)
            }
            let all = try await store.addStaff(name: "Root", role: .admin, keyHash: "xyz", categories: [], at: Self.t0)
            #expect(try await store.staffCategories(of: all.id!) == nil)
            #expect(try await store.staffAccounts() == [added, all], "every account, by name")
        }
    }

    @Test(arguments: Engine.allCases) func submissionsAreCreatedMergedFoldedAndLimited(engine: Engine) async throws {
        try await StoreFixture.with(engine) { fixture in
            let store = fixture.store
            // As the server does: a policy per request, knowing the new text; here "both are about the chest".
            func submit(_ text: String, _ category: String = "bug") async throws -> SubmitOutcome {
                let policy = SubmitPolicy(openLimit: 2) { existing, _ in existing.hasPrefix("Chest") && text.hasPrefix("Chest") }
                return try await store.submit(Self.submission(text, category), policy: policy, at: Self.t0)
            }
            guard case .created(let first, 1) = try await submit("Chest in Scholomance won't open") else { throw Unexpected("create") }
            #expect(try await store.ticket(first.id) == first, "the returned ticket is the stored row")
            guard case .merged(let merged, 1) = try await submit("Chest in Scholomance still shut") else { throw Unexpected("merge") }
            #expect(merged.ticket.id == first.id && merged.event.kind == .replied && merged.event.seq == 2)
            guard case .folded(let folded, _) = try await submit("Chest in Scholomance still shut") else { throw Unexpected("fold") }
            #expect(folded.id == first.id)
            #expect(try await store.history(of: first.id).map(\.kind) == [.submitted, .replied], "a fold writes nothing")
            guard case .created(let second, _) = try await submit("Hogger quest cannot be turned in") else { throw Unexpected("second") }
            #expect(try await submit("Mail never delivered", "other") == .openLimitReached([first.id, second.id]))
            // The open count follows every state change: a close frees a slot, a reopening takes one again.
            let gm = Access(actor: Self.mirna)
            _ = try await store.apply(.claim, to: second.id, as: gm, text: "", at: Self.t0)
            _ = try await store.apply(.close(.solved), to: second.id, as: gm, text: "Turned in for you", at: Self.t0)
            guard case .created(let third, _) = try await submit("Mail never delivered", "other") else {
                throw Unexpected("freed")
            }
            let reopened = try await store.apply(
                .reply(substantive: true), to: second.id, as: Access(actor: Self.player),
                text: "Hogger refuses the quest turn-in again after relog", at: Self.t0 + 1)
            #expect(reopened.ticket.state != .closed)
            #expect(
                try await submit("Auction house lost my listing", "other")
                    == .openLimitReached([first.id, second.id, third.id]))
            await #expect(throws: StoreError.unknownCategory("nowhere", known: [
                "stuck_character", "bug", "player_report", "account", "payment", "other",
            ])) { try await submit("Anything at all here", "nowhere") }
            #expect(try await store.tickets(ofPlayer: Self.player.id).map(\.id) == [third.id, second.id, first.id])
        }
    }

    /// Many submissions at once, as a busy server sends them (PostgreSQL then decides a whole batch together): each
    /// player's open limit holds, a repeated text is merged into its first ticket, an unknown category is refused
    /// alone, and every created ticket takes its own place in the queue.
    @Test(arguments: Engine.allCases) func submissionsAtOnceKeepEveryRule(engine: Engine) async throws {
        try await StoreFixture.with(engine) { fixture in
            let store = fixture.store
            let players = (1...6).map { Actor(id: Int64(100 + $0), name: "Player\($0)", role: .player) }
            let outcomes = try await withThrowingTaskGroup(of: (Actor, String, SubmitOutcome?).self) { group in
                for player in players {
                    for n in 0..<6 {
                        let text = n == 4 ? "Chest in Scholomance will not open"
                            : n == 5 ? "Chest in Scholomance still shut" : "Problem \(n) of \(player.name) in Westfall"
                        let category = n == 3 && player.id == 101 ? "nowhere" : "bug"
                        // As the server's policy: this submission's text against an open one's.
                        let policy = SubmitPolicy(openLimit: 3) { existing, _ in
                            text.hasPrefix("Chest") && existing.hasPrefix("Chest")
                        }
                        group.addTask {
                            do {
                                let outcome = try await store.submit(
                                    Self.submission(text, category, by: player), policy: policy, at: Self.t0)
                                return (player, text, outcome)
                            } catch StoreError.unknownCategory {
                                return (player, text, nil)
                            }
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter { $0.2 == nil }.count == 1, "only the unknown category is refused")
            var positions: [Int] = []
            for player in players {
                let open = try await store.tickets(ofPlayer: player.id).filter { $0.state != .closed }
                let mine = outcomes.filter { $0.0 == player }.compactMap(\.2)
                #expect(open.count == 3, "\(player.name): \(open.count) open")
                let created = mine.compactMap { outcome -> Int? in
                    if case .created(_, let position) = outcome { return position }
                    return nil
                }
                positions += created
                #expect(created.count == open.count, "\(player.name): \(mine)")
                #expect(open.filter { $0.text.hasPrefix("Chest") }.count <= 1, "a repeated text is not a second ticket")
                #expect(mine.allSatisfy { outcome in
                    switch outcome {
                    case .created, .openLimitReached: true
                    case .merged(let change, _): change.ticket.text.hasPrefix("Chest")
                    case .folded(let ticket, _): ticket.text.hasPrefix("Chest")
                    }
                }, "\(mine)")
            }
            #expect(Set(positions).count == positions.count && positions.max() == 18, "\(positions.sorted())")
            #expect(try await store.verifyChain().broken == nil)
        }
    }

    @Test(arguments: Engine.allCases) func aSnoozedTicketWaitsAsideAndARemindersIsDeliveredOnce(engine: Engine) async throws {
        try await StoreFixture.with(engine) { fixture in
            let store = fixture.store
            let gm = Access(actor: Self.mirna)
            let ticket = try await Self.open(store, "Stuck under the Ironforge bridge", "stuck_character")
            _ = try await store.apply(.claim, to: ticket.id, as: gm, text: "", at: Self.t0 + 60)
            let until = Self.t0 + 86_400
            let snoozed = try await store.apply(
                .snooze(until: until), to: ticket.id, as: gm, text: SnoozeText.snoozed(until: until.milliseconds, "hotfix"),
                at: Self.t0 + 120)
            #expect(snoozed.ticket.state == .snoozed && snoozed.notification == nil)
            let read = try await store.ticket(ticket.id)
            #expect(read.state == .snoozed && read.snoozedUntil == until.milliseconds && read.assigneeName == "Mirna")
            #expect(read.pausedSince == (Self.t0 + 120).milliseconds)
            #expect(try await store.queue(categories: nil, states: [.snoozed], holder: nil, limit: 10).map(\.id) == [ticket.id])
            #expect(try await store.queue(categories: nil, states: [.open, .claimed], holder: nil, limit: 10).isEmpty)
            #expect(try await store.queue(categories: nil, states: [.snoozed], holder: Self.mirna.id, limit: 10).count == 1)
            let seen = try await store.history(of: ticket.id, after: 0, limit: 50, view: .player).events
            #expect(seen.map(\.kind) == [.submitted, .claimed], "the player's view leaves the snooze out")
            let woke = try await store.apply(.wake, to: ticket.id, as: gm, text: SnoozeText.timeCame, at: until)
            #expect(woke.ticket.state == .claimed && woke.ticket.snoozedUntil == nil)
            #expect(try await store.ticket(ticket.id).pausedMilliseconds == 86_400_000 - 120_000)

            // A reminder: only the holder sets one; it is due once, delivered once.
            let due = (Self.t0 + 90_000).milliseconds
            let reminder = try await store.addReminder(
                ticket: ticket.id, as: gm, due: due, text: "call back", at: Self.t0 + 86_500)
            await #expect(throws: StoreError.refused(.notAssignee(holder: "Mirna"), ticketID: ticket.id)) {
                try await store.addReminder(
                    ticket: ticket.id, as: Access(actor: Self.tharok), due: due, text: "mine too", at: Self.t0 + 86_500)
            }
            await #expect(throws: StoreError.refused(.notInFuture, ticketID: ticket.id)) {
                try await store.addReminder(ticket: ticket.id, as: gm, due: 0, text: "late", at: Self.t0 + 86_500)
            }
            #expect(try await store.dueReminders(for: [Self.mirna.id], at: due - 1).isEmpty)
            #expect(try await store.dueReminders(for: [Self.tharok.id], at: due).isEmpty)
            let found = try await store.dueReminders(for: [Self.mirna.id, Self.tharok.id], at: due)
            #expect(found == [reminder] && reminder.text == "call back" && reminder.staffName == "Mirna")
            #expect(try await store.markDelivered(reminder: reminder.id, at: due))
            #expect(try await !store.markDelivered(reminder: reminder.id, at: due + 1), "delivered once")
            #expect(try await store.dueReminders(for: [Self.mirna.id], at: due + 1).isEmpty)
            #expect(try await store.verifyChain().broken == nil)
        }
    }

    @Test(arguments: Engine.allCases) func aPlayersRecentlyClosedTicketsAreReadByCloseTime(engine: Engine) async throws {
        try await StoreFixture.with(engine) { fixture in
            let store = fixture.store
            let gm = Access(actor: Self.mirna)
            var ids: [Int64] = []
            for (n, text) in ["Mount vanished after the patch", "Hearthstone lost after the patch", "Bags empty today"].enumerated() {
                let ticket = try await Self.open(store, text, "bug")
                ids.append(ticket.id)
                guard n < 2 else { continue }
                _ = try await store.apply(.claim, to: ticket.id, as: gm, text: "", at: Self.t0 + Double(60 * n))
                _ = try await store.apply(
                    .close(.solved), to: ticket.id, as: gm, text: "Restored", at: Self.t0 + Double(1_000 * (2 - n)))
            }
            let others = try await Self.open(store, "Someone else's closed ticket", "bug", by: Self.other)
            let nobody: Int64 = 9_999
            // The second closed first (t0 + 1000), the first later (t0 + 2000); the third is open.
            let closed = try await store.closedTickets(ofPlayers: [Self.player.id], since: 0, limit: 20)
            #expect(closed.map(\.id) == [ids[0], ids[1]])
            #expect(try await store.closedTickets(ofPlayers: [Self.player.id], since: (Self.t0 + 1_500).milliseconds, limit: 20)
                .map(\.id) == [ids[0]])
            #expect(try await store.closedTickets(ofPlayers: [Self.player.id], since: 0, limit: 1).map(\.id) == [ids[0]])
            #expect(try await store.closedTickets(ofPlayers: [Self.other.id, nobody], since: 0, limit: 20).isEmpty)
            // Several players at once: the limit is each player's.
            _ = try await store.apply(.claim, to: others.id, as: gm, text: "", at: Self.t0)
            _ = try await store.apply(.close(.solved), to: others.id, as: gm, text: "Done", at: Self.t0 + 500)
            let both = try await store.closedTickets(ofPlayers: [Self.player.id, nobody, Self.other.id], since: 0, limit: 1)
            #expect(Set(both.map(\.id)) == [ids[0], others.id])
        }
    }

    @Test(arguments: Engine.allCases) func anInternalTicketIsQueuedForStaffAndNoPlayerSeesIt(engine: Engine) async throws {
        try await StoreFixture.with(engine) { fixture in
            let store = fixture.store
            let gm = Access(actor: Self.mirna)
            let players = try await Self.open(store, "Gold sellers spam trade chat in Orgrimmar", "player_report")
            let request = InternalRequest(
                category: "player_report", text: "Bot farm in the Barrens: 40 level-1 rogues", aboutPlayerID: 42,
                aboutPlayerName: "Thrall", opener: Self.mirna)
            let opened = try await store.openInternal(request, as: gm, at: Self.t0 + 60)
            let ticket = opened.ticket
            #expect(ticket.isInternal && ticket.aboutPlayerID == 42 && ticket.playerName == "internal, about Thrall (42)")
            #expect(opened.event.kind == .submitted && opened.event.actorName == "Mirna" && opened.event.actorRole == .gm)
            #expect(opened.notification == nil)
            let read = try await store.ticket(ticket.id)
            #expect(read == ticket, "stored as opened")
            // In the queue like a player's request, behind it.
            let queue = try await store.queue(categories: ["player_report"], states: [.open], holder: nil, limit: 10)
            #expect(queue.map(\.id) == [players.id, ticket.id])
            #expect(try await store.position(of: read) == 2)
            // No player reaches it: not in the player's list, not readable, not theirs to reply to.
            #expect(try await store.tickets(ofPlayer: Self.player.id, limit: 20).map(\.id) == [players.id])
            await #expect(throws: Access.Denial.noSuchTicket(ticket.id)) {
                try await store.ticket(ticket.id, as: Access(actor: Self.player))
            }
            // Worked like any other; nobody is notified.
            let claimed = try await store.apply(.claim, to: ticket.id, as: gm, text: "", at: Self.t0 + 120)
            #expect(claimed.notification == nil && claimed.ticket.state == .claimed)
            let answered = try await store.apply(.answer, to: ticket.id, as: gm, text: "Banned 40 accounts", at: Self.t0 + 180)
            #expect(answered.notification == nil)
            #expect(try await store.pendingNotifications(for: Self.player.id).isEmpty)
            // A player's ticket links to it: a staff note on each.
            let linked = try await store.linkInternal(players.id, to: ticket.id, as: gm, at: Self.t0 + 240)
            #expect(linked.ticket.id == ticket.id && linked.event.kind == .noted)
            #expect(linked.event.text.hasPrefix("Linked from ticket #\(players.id) of Thrall (42)"))
            let note = try await store.history(of: players.id).last
            #expect(note?.kind == .noted && note?.text.hasPrefix("Linked to internal ticket #\(ticket.id) (player_report)") == true)
            await #expect(throws: StoreError.notInternal(players.id)) {
                try await store.linkInternal(players.id, to: players.id, as: gm, at: Self.t0 + 300)
            }
            await #expect(throws: StoreError.notAPlayersTicket(ticket.id)) {
                try await store.linkInternal(ticket.id, to: ticket.id, as: gm, at: Self.t0 + 300)
            }
            // Only staff open one, in a category that exists and they work.
            await #expect(throws: StoreError.self) {
                try await store.openInternal(
                    InternalRequest(category: "nowhere", text: "x", opener: Self.mirna), as: gm, at: Self.t0)
            }
            await #expect(throws: StoreError.refused(.roleNotAllowed(allowed: [.gm, .moderator, .admin]), ticketID: 0)) {
                try await store.openInternal(
                    InternalRequest(category: "bug", text: "x", opener: Self.player), as: Access(actor: Self.player),
                    at: Self.t0)
            }
            #expect(try await store.verifyChain().broken == nil)
        }
    }

    @Test(arguments: Engine.allCases) func aTicketWalksItsLifecycleAndThePlayerHearsEachStep(engine: Engine) async throws {
        try await StoreFixture.with(engine) { fixture in
            let store = fixture.store
            let gm = Access(actor: Self.mirna)
            let owner = Access(actor: Self.player)
            let ticket = try await Self.open(store, "Stuck under the Ironforge bridge", "stuck_character")
            let claimed = try await store.apply(.claim, to: ticket.id, as: gm, text: "", at: Self.t0 + 60)
            #expect(claimed.ticket.state == .claimed && claimed.ticket.assigneeName == "Mirna")
            #expect(claimed.notification?.id != nil && claimed.notification?.kind == .claimed)
            _ = try await store.apply(.ask, to: ticket.id, as: gm, text: "Which side?", at: Self.t0 + 120)
            _ = try await store.apply(.reply(substantive: true), to: ticket.id, as: owner, text: "North side", at: Self.t0 + 180)
            _ = try await store.apply(.note, to: ticket.id, as: gm, text: "Known spot", at: Self.t0 + 200)
            let answered = try await store.apply(.answer, to: ticket.id, as: gm, text: "Moved you", at: Self.t0 + 240)
            // The id a step returns is the stored notification's (PostgreSQL draws it with the ticket's lock).
            let stored = try await store.notification(try #require(answered.notification?.id))
            #expect(stored == answered.notification && stored?.text == "Moved you")
            let closed = try await store.apply(.close(.solved), to: ticket.id, as: gm, text: "Enjoy", at: Self.t0 + 300)
            #expect(closed.ticket.state == .closed && closed.ticket.resolution == .solved && closed.ticket.closedBy == "Mirna")
            let rated = try await store.rate(ticket.id, as: owner, stars: 4, comment: "quick", at: Self.t0 + 400)
            #expect(rated.ticket.rating == 4 && rated.event.text == "★★★★☆ quick")
            await #expect(throws: StoreError.alreadyRated(ticket.id)) {
                try await store.rate(ticket.id, as: owner, stars: 1, comment: "", at: Self.t0 + 500)
            }
            let reopened = try await store.apply(
                .reply(substantive: true), to: ticket.id, as: owner, text: "Stuck again", at: Self.t0 + 600)
            #expect(reopened.event.kind == .reopened && reopened.ticket.reopenCount == 1 && reopened.ticket.rating == nil)
            #expect(try await store.ticket(ticket.id) == reopened.ticket, "what a step returns is what it stored")

            let history = try await store.history(of: ticket.id)
            #expect(history.map(\.kind) == [
                .submitted, .claimed, .asked, .replied, .noted, .answered, .closed, .rated, .reopened,
            ])
            #expect(history.map(\.seq) == Array(1...9))
            let pending = try await store.pendingNotifications(for: Self.player.id)
            #expect(pending.map(\.kind) == [.claimed, .asked, .answered, .closed], "the reopening reply is the player's own: no notification")
            #expect(try await store.notification(pending[0].id!) == pending[0])
            #expect(try await store.pendingNotifications(forPlayers: [Self.player.id, 99]) == pending)
            for notification in pending {
                try await store.acknowledge(notification: notification.id!, player: Self.player.id, at: Self.t0 + 700)
            }
            try await store.acknowledge(notification: pending[0].id!, player: Self.player.id, at: Self.t0 + 800)
            #expect(try await store.pendingNotifications(for: Self.player.id).isEmpty)
            await #expect(throws: StoreError.notificationNotFound(pending[0].id!)) {
                try await store.acknowledge(notification: pending[0].id!, player: Self.other.id, at: Self.t0)
            }
        }
    }

    @Test(arguments: Engine.allCases) func refusalsNameTheReasonAndWriteNothing(engine: Engine) async throws {
        try await StoreFixture.with(engine) { fixture in
            let store = fixture.store
            let ticket = try await Self.open(store, "Chest in Scholomance won't open")
            await #expect(throws: StoreError.refused(.notClaimed, ticketID: ticket.id)) {
                try await store.apply(.answer, to: ticket.id, as: Access(actor: Self.mirna), text: "x", at: Self.t0)
            }
            await #expect(throws: Access.Denial.noSuchTicket(ticket.id)) {
                try await store.apply(.reply(substantive: true), to: ticket.id, as: Access(actor: Self.other), text: "x", at: Self.t0)
            }
            await #expect(throws: Access.Denial.noSuchTicket(999)) { try await store.ticket(999, as: Access(actor: Self.player)) }
            await #expect(throws: StoreError.ticketNotFound(999)) { try await store.ticket(999, as: Access(actor: Self.mirna)) }
            let narrow = Access(actor: Self.tharok, categories: ["payment"])
            await #expect(throws: Access.Denial.self) { try await store.ticket(ticket.id, as: narrow) }
            await #expect(throws: Access.Denial.self) { try await store.claimNext(category: "bug", as: narrow, at: Self.t0) }
            await #expect(throws: StoreError.queueEmpty(categories: ["payment"])) {
                try await store.claimNext(category: "", as: narrow, at: Self.t0)
            }
            #expect(try await store.history(of: ticket.id).count == 1)
            #expect(try await store.ticket(ticket.id) == ticket)
        }
    }

    @Test(arguments: Engine.allCases) func theQueueIsOrderedByUrgencyAndClaimNextTakesItsHead(engine: Engine) async throws {
        try await StoreFixture.with(engine) { fixture in
            let store = fixture.store
            let gm = Access(actor: Self.mirna)
            let bug = try await Self.open(store, "Chest in Scholomance won't open", "bug", at: Self.t0)
            let stuck = try await Self.open(store, "Stuck under the bridge", "stuck_character", by: Self.other, at: Self.t0 + 1)
            let payment = try await Self.open(
                store, "Charged twice for gold, order 1234", "payment", by: Actor(id: 44, name: "Rexxar", role: .player),
                at: Self.t0 + 2)
            // Priority 1 first (stuck characters due in 15 min before payments due in an hour), then the bug.
            #expect(try await store.queue(categories: nil, states: [.open], limit: 10).map(\.id) == [stuck.id, payment.id, bug.id])
            #expect(try await store.queue(categories: ["bug"], states: [.open], limit: 10).map(\.id) == [bug.id])
            #expect(try await store.position(of: bug) == 1)
            _ = try await store.apply(.claim, to: bug.id, as: gm, text: "", at: Self.t0 + 10)
            let escalated = try await store.apply(.escalate, to: bug.id, as: gm, text: "Needs a restore", at: Self.t0 + 20)
            #expect(escalated.ticket.priority == 2 && escalated.ticket.state == .open)
            #expect(try await store.queue(categories: nil, states: [.open], limit: 10).first?.id == bug.id)
            let next = try await store.claimNext(category: "", as: Access(actor: Self.tharok), at: Self.t0 + 30)
            #expect(next.ticket.id == bug.id && next.ticket.assigneeName == "Tharok")
            // A claim of the queue's head locks no row by id first: its notification's id is drawn on its own.
            #expect(try await store.notification(try #require(next.notification?.id)) == next.notification)
            #expect(try await store.queue(categories: nil, states: [.claimed], holder: Self.tharok.id, limit: 10).map(\.id) == [bug.id])
            #expect(try await store.claims().map(\.ticketID) == [bug.id])
            let expired = try await store.expireLease(bug.id, holder: Self.tharok, reason: "left", at: Self.t0 + 40)
            #expect(expired.ticket.state == .open && expired.event.kind == .leaseExpired && expired.notification != nil)
            #expect(try await store.claims().isEmpty)
            _ = try await store.claimNext(category: "stuck_character", as: gm, at: Self.t0 + 50)
            _ = try await store.apply(.answer, to: stuck.id, as: gm, text: "Moved you", at: Self.t0 + 110)
            #expect(try await store.recentFirstResponseDelays(in: "stuck_character", limit: 5) == [109])
        }
    }

    @Test(arguments: Engine.allCases) func aNewTicketIsPlacedBehindItsCategorysOpenTickets(engine: Engine) async throws {
        try await StoreFixture.with(engine) { fixture in
            let store = fixture.store
            func place(_ n: Int64) async throws -> Int {
                let player = Actor(id: 500 + n, name: "P\(n)", role: .player)
                guard case .created(_, let position) = try await store.submit(Self.submission("Chest \(n) is empty", by: player), at: Self.t0)
                else { throw Unexpected("create") }
                return position
            }
            #expect(try await place(1) == 1)
            #expect(try await place(2) == 2)
            #expect(try await place(3) == 3)
            let claimed = try await store.claimNext(category: "bug", as: Access(actor: Self.mirna), at: Self.t0)
            #expect(try await place(4) == 3, "a claimed ticket left the queue")
            _ = try await store.apply(.unclaim, to: claimed.ticket.id, as: Access(actor: Self.mirna), text: "", at: Self.t0)
            #expect(try await place(5) == 5, "an unclaimed ticket is back in it")
            _ = try await store.transfer(claimed.ticket.id, to: "payment", as: Access(actor: Self.mirna), text: "", at: Self.t0)
            #expect(try await place(6) == 5, "a transferred ticket left its old queue")
        }
    }

    @Test(arguments: Engine.allCases) func aTransferMovesTheTicketToAnotherQueue(engine: Engine) async throws {
        try await StoreFixture.with(engine) { fixture in
            let store = fixture.store
            let gm = Access(actor: Self.mirna)
            let ticket = try await Self.open(store, "Charged twice for the mount")
            await #expect(throws: StoreError.self) { try await store.transfer(ticket.id, to: "nowhere", as: gm, text: "", at: Self.t0) }
            await #expect(throws: StoreError.sameCategory("bug")) { try await store.transfer(ticket.id, to: "bug", as: gm, text: "", at: Self.t0) }
            await #expect(throws: Access.Denial.self) {
                try await store.transfer(ticket.id, to: "payment", as: Access(actor: Self.tharok, categories: ["bug"]), text: "", at: Self.t0)
            }
            let moved = try await store.transfer(ticket.id, to: "payment", as: gm, text: "billing", at: Self.t0 + 5)
            #expect(moved.ticket.category == "payment" && moved.ticket.priority == 1 && moved.event.kind == .transferred)
            #expect(try await store.ticket(ticket.id).category == "payment")
        }
    }

    @Test(arguments: Engine.allCases) func historyPagesSkipNotesForPlayersAndRepliesAreLimited(engine: Engine) async throws {
        try await StoreFixture.with(engine, replyLimits: ReplyLimits(perTicket: 5, perWindow: 3, window: 600)) { fixture in
            let store = fixture.store
            let gm = Access(actor: Self.mirna)
            let owner = Access(actor: Self.player)
            let ticket = try await Self.open(store, "Chest in Scholomance won't open")
            _ = try await store.apply(.claim, to: ticket.id, as: gm, text: "", at: Self.t0)
            _ = try await store.apply(.note, to: ticket.id, as: gm, text: "internal", at: Self.t0)
            for i in 1...3 {
                _ = try await store.apply(.reply(substantive: true), to: ticket.id, as: owner, text: "more \(i)", at: Self.t0 + Double(i))
            }
            await #expect(throws: StoreError.self) {
                try await store.apply(.reply(substantive: true), to: ticket.id, as: owner, text: "more 4", at: Self.t0 + 10)
            }
            let all = try await store.history(of: ticket.id, after: 0, limit: 3, view: .staff)
            #expect(all.total == 6 && all.events.map(\.seq) == [1, 2, 3])
            let rest = try await store.history(of: ticket.id, after: 3, limit: 10, view: .staff)
            #expect(rest.events.map(\.seq) == [4, 5, 6])
            let visible = try await store.history(of: ticket.id, after: 0, limit: 10, view: .player)
            #expect(visible.total == 5 && !visible.events.contains { $0.kind == .noted })
            // An hour later the window has passed.
            _ = try await store.apply(.reply(substantive: true), to: ticket.id, as: owner, text: "later", at: Self.t0 + 3600)
        }
    }

    @Test(arguments: Engine.allCases) func moderatorsAuditReportAndVerify(engine: Engine) async throws {
        try await StoreFixture.with(engine) { fixture in
            let store = fixture.store
            let gm = Access(actor: Self.mirna)
            for i in 0..<3 {
                let player = Actor(id: 100 + Int64(i), name: "P\(i)", role: .player)
                let ticket = try await Self.open(store, "Chest \(i) in Scholomance won't open", by: player, at: Self.t0 + Double(i))
                _ = try await store.apply(.claim, to: ticket.id, as: gm, text: "", at: Self.t0 + 60)
                _ = try await store.apply(.close(i == 0 ? .duplicate : .solved), to: ticket.id, as: gm, text: "", at: Self.t0 + 120 + Double(i))
                _ = try await store.rate(ticket.id, as: Access(actor: player), stars: i + 3, comment: "", at: Self.t0 + 200)
            }
            var filter = AuditFilter()
            #expect(try await store.audit(filter).count == 3)
            filter.gm = "mirna"
            filter.resolution = .solved
            filter.minimumRating = 5
            #expect(try await store.audit(filter).map(\.rating) == [5])
            filter = AuditFilter()
            filter.category = "payment"
            #expect(try await store.audit(filter).isEmpty)
            let rows = try await store.reportTickets(
                since: Self.t0.milliseconds - 1, until: Self.t0.milliseconds + 10_000, category: "bug", gm: "Mirna", now: Self.t0 + 300)
            #expect(rows.count == 3 && rows.allSatisfy { $0.gm == "Mirna" && $0.closedAt != nil })
            let verification = try await store.verifyChain()
            #expect(verification.broken == nil && verification.events == 12)
        }
    }

    @Test(arguments: Engine.allCases) func historyIsAppendOnlyAndAnEditIsNamed(engine: Engine) async throws {
        try await StoreFixture.with(engine) { fixture in
            let store = fixture.store
            let ticket = try await Self.open(store, "Chest in Scholomance won't open")
            _ = try await store.apply(.claim, to: ticket.id, as: Access(actor: Self.mirna), text: "", at: Self.t0)
            _ = try await store.apply(.note, to: ticket.id, as: Access(actor: Self.mirna), text: "a note", at: Self.t0)
            let edit = "UPDATE events SET text = 'nothing here' WHERE ticket_id = \(ticket.id) AND seq = 3"
            switch fixture.engine {
            case .sqlite:
                let queue = try DatabaseQueue(path: fixture.path!)
                #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: edit) } }
                #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "DELETE FROM events") } }
                try await queue.write { db in
                    try db.execute(sql: "DROP TRIGGER events_are_append_only_update")
                    try db.execute(sql: edit)
                }
            case .postgres:
                let location = fixture.location!
                await #expect(throws: (any Error).self) { try await TestPostgres.execute(edit, on: location) }
                await #expect(throws: (any Error).self) { try await TestPostgres.execute("DELETE FROM events", on: location) }
                await #expect(throws: (any Error).self) { try await TestPostgres.execute("TRUNCATE events", on: location) }
                // The chain's links, kept apart from the events, are as guarded.
                let changes = ["UPDATE event_chain SET chain_hash = ''", "DELETE FROM event_chain", "TRUNCATE event_chain"]
                for change in changes {
                    await #expect(throws: (any Error).self) { try await TestPostgres.execute(change, on: location) }
                }
                try await TestPostgres.execute("ALTER TABLE events DISABLE TRIGGER events_are_append_only", on: location)
                try await TestPostgres.execute(edit, on: location)
            }
            let broken = try #require(try await store.verifyChain().broken)
            #expect(broken.ticketID == ticket.id && broken.seq == 3)
        }
    }

    @Test(arguments: Engine.allCases) func macrosAreSavedReplacedAndRemoved(engine: Engine) async throws {
        try await StoreFixture.with(engine) { fixture in
            let store = fixture.store
            try await store.saveMacro(name: "unstuck", text: "Moved you, {player}", author: "Root", at: Self.t0)
            try await store.saveMacro(name: "refund", text: "Refunded", author: "Root", at: Self.t0)
            try await store.saveMacro(name: "unstuck", text: "Moved you again", author: "Mirna", at: Self.t0 + 1)
            #expect(try await store.macros().map(\.name) == ["refund", "unstuck"])
            #expect(try await store.macro(named: "unstuck").text == "Moved you again")
            try await store.removeMacro(name: "refund", by: "Root", at: Self.t0)
            await #expect(throws: StoreError.macroNotFound("refund")) { try await store.removeMacro(name: "refund", by: "Root", at: Self.t0) }
            await #expect(throws: StoreError.macroNotFound("refund")) { try await store.macro(named: "refund") }
            await #expect(throws: StoreError.macroNameInvalid("Bad Name")) {
                try await store.saveMacro(name: "Bad Name", text: "", author: "", at: Self.t0)
            }
        }
    }

    /// Many GMs racing for one queue (on PostgreSQL: on three nodes): every ticket is claimed exactly once.
    @Test(arguments: Engine.allCases) func racingGMsNeverClaimATicketTwice(engine: Engine) async throws {
        let nodes = engine == .postgres ? 3 : 1
        try await StoreFixture.with(engine, nodes: nodes) { fixture in
            let count = 100
            for i in 0..<count {
                try await Self.open(
                    fixture.store, "Chest \(i) in Scholomance won't open", by: Actor(id: 1000 + Int64(i), name: "P\(i)", role: .player))
            }
            let byTicket = try await withThrowingTaskGroup(of: [(Int64, Int64)].self) { group in
                for gm in 1...6 {
                    let store = fixture.stores[gm % nodes]
                    let access = Access(actor: Actor(id: Int64(gm), name: "GM\(gm)", role: .gm))
                    group.addTask {
                        var won: [(Int64, Int64)] = []
                        while true {
                            do {
                                let change = try await store.claimNext(category: "", as: access, at: Self.t0)
                                won.append((change.ticket.id, access.actor.id))
                            } catch StoreError.queueEmpty {
                                return won
                            }
                        }
                    }
                }
                var byTicket: [Int64: [Int64]] = [:]
                for try await won in group { for (ticket, gm) in won { byTicket[ticket, default: []].append(gm) } }
                return byTicket
            }
            #expect(byTicket.count == count)
            #expect(byTicket.values.allSatisfy { $0.count == 1 }, "no ticket claimed twice")
            for store in fixture.stores {
                #expect(try await store.queue(categories: nil, states: [.open], limit: 10).isEmpty)
            }
            let verification = try await fixture.store.verifyChain()
            #expect(verification.broken == nil && verification.events == 2 * count)
        }
    }
}

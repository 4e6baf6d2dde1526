import Foundation
import GMQCore
import GMQPostgres
import GMQTestSupport
import Synchronization
import Testing

/// What only a shared store does: several nodes hear each other's changes, share staff presence and survive a
/// lost listener connection.
@Suite(.serialized) struct PostgresNodeTests {
    static let player = Actor(id: 42, name: "Thrall", role: .player)
    static let mirna = Actor(id: 1, name: "Mirna", role: .gm)
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    /// The first change in `stream` that `matches`, within `seconds`.
    static func first(
        _ stream: AsyncStream<StoreChange>, within seconds: Double = 10, where matches: @escaping @Sendable (StoreChange) -> Bool
    ) async -> StoreChange? {
        await withTaskGroup(of: StoreChange?.self) { group in
            group.addTask {
                for await change in stream where matches(change) { return change }
                return nil
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(seconds))
                return nil
            }
            let result = await group.next() ?? nil
            group.cancelAll()
            return result
        }
    }

    @Test func aStepOnOneNodeReachesTheOthersFeedByIds() async throws {
        try await StoreFixture.with(.postgres, nodes: 2) { fixture in
            let (a, b) = (fixture.stores[0], fixture.stores[1])
            let feed = a.changes()
            let ownFeed = b.changes()
            // Node A's listener is subscribed (it says so with a resync): a notice sent before would be lost.
            _ = await Self.first(feed) { $0 == .resync }
            let outcome = try await b.submit(
                Submission(player: Self.player, category: "bug", text: "Chest won't open", context: GameContext()), at: Self.t0)
            guard case .created(let ticket, _) = outcome else { throw CancellationError() }
            let change = try await b.apply(.claim, to: ticket.id, as: Access(actor: Self.mirna), text: "", at: Self.t0)
            let notificationID = try #require(change.notification?.id)
            let heard = await Self.first(feed) { $0 == .notification(notificationID, player: 42) }
            #expect(heard == .notification(notificationID, player: 42))
            #expect(try await a.notification(notificationID)?.kind == .claimed)
            let ticketChange = await Self.first(feed) { $0 == .ticket(ticket.id, seq: 2) }
            #expect(ticketChange != nil)
            // A node does not hear itself: it published its own changes directly.
            let echo = await Self.first(ownFeed, within: 1) { if case .notification = $0 { true } else { false } }
            #expect(echo == nil)
        }
    }

    @Test func aRepeatOnOneNodeIsComparedWithTheFingerprintAnotherNodeStored() async throws {
        try await StoreFixture.with(.postgres, nodes: 2) { fixture in
            let (a, b) = (fixture.stores[0], fixture.stores[1])
            let fingerprint = Data([7, 7, 7])
            // Compared by fingerprint alone: node A neither stored nor read the first ticket, so it must read it.
            let policy = SubmitPolicy(openLimit: 5) { _, stored in stored == fingerprint }
            func submit(_ text: String, on store: any TicketStore) async throws -> SubmitOutcome {
                let submission = Submission(
                    player: Self.player, category: "bug", text: text, context: GameContext(), fingerprint: fingerprint)
                return try await store.submit(submission, policy: policy, at: Self.t0)
            }
            guard case .created(let first, _) = try await submit("Chest won't open", on: b) else {
                throw CancellationError()
            }
            guard case .merged(let merged, _) = try await submit("The chest in Scholomance is still shut", on: a) else {
                Issue.record("the repeat on node A was not merged")
                return
            }
            #expect(merged.ticket.id == first.id)
            guard case .merged(let again, _) = try await submit("Still shut after relogging, chest in Scholomance", on: a)
            else {
                Issue.record("the second repeat on node A was not merged")
                return
            }
            #expect(again.ticket.id == first.id)
        }
    }

    @Test func aListenerWhoseConnectionIsKilledReconnectsAndResyncs() async throws {
        try await StoreFixture.with(.postgres, nodes: 2) { fixture in
            let (a, b) = (fixture.stores[0], fixture.stores[1])
            let feed = a.changes()
            _ = await Self.first(feed) { $0 == .resync }
            // Every LISTENing backend of the database is terminated (node A's and B's listeners).
            try await TestPostgres.execute("""
                SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'LISTEN%'
                """, on: fixture.location!)
            #expect(await Self.first(feed) { $0 == .resync } == .resync, "the listener says it may have missed something")
            let outcome = try await b.submit(
                Submission(player: Self.player, category: "bug", text: "Chest won't open", context: GameContext()), at: Self.t0)
            guard case .created(let ticket, _) = outcome else { throw CancellationError() }
            let change = try await b.apply(.claim, to: ticket.id, as: Access(actor: Self.mirna), text: "", at: Self.t0)
            let id = try #require(change.notification?.id)
            #expect(await Self.first(feed) { $0 == .notification(id, player: 42) } != nil, "notices flow again after the reconnect")
        }
    }

    /// The chain is linked after the writers commit (PostgreSQL migration 18): the nodes' chainers link every
    /// event exactly once, in one order, without anyone asking, and new tickets still get distinct places.
    @Test func eventsWrittenOnThreeNodesAreLinkedOnceByTheChainers() async throws {
        try await StoreFixture.with(.postgres, nodes: 3) { fixture in
            let location = try #require(fixture.location)
            // Three rounds, each a chance for two nodes' batches to overlap. In a round all are submitted before any
            // is claimed: a claim takes its ticket out of the queue, and a ticket placed after it may then be given
            // the place that ticket had. The claims empty the queue, so every round's places are 1…90.
            for round in 0..<3 {
                let placed = try await withThrowingTaskGroup(of: (ticket: Int64, place: Int).self) { group in
                    for n in 0..<90 {
                        let store = fixture.stores[n % 3]
                        group.addTask {
                            let player = Actor(id: Int64(1_000 + 90 * round + n), name: "Player\(n)", role: .player)
                            let text = "Chest \(n) in Scholomance will not open after the patch, round \(round)"
                            let submission = Submission(
                                player: player, category: "bug", text: text, context: GameContext())
                            let outcome = try await store.submit(submission, at: Self.t0)
                            guard case .created(let ticket, let place) = outcome else { throw CancellationError() }
                            return (ticket.id, place)
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(placed.map(\.place).sorted() == Array(1...90), "distinct places across nodes, round \(round)")
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (n, ticket) in placed.map(\.ticket).enumerated() {
                        let store = fixture.stores[n % 3]
                        let gm = Access(actor: Self.mirna)
                        group.addTask { _ = try await store.apply(.claim, to: ticket, as: gm, text: "", at: Self.t0) }
                    }
                    try await group.waitForAll()
                }
            }
            var pending = -1
            for _ in 0..<200 where pending != 0 {
                pending = try await TestPostgres.integer("SELECT count(*) FROM chain_pending", on: location)
                if pending != 0 { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(pending == 0, "the chainers linked every filed event")
            let links = try await TestPostgres.integer(
                "SELECT count(DISTINCT (ticket_id, seq)) FROM event_chain WHERE chain_seq BETWEEN 1 AND 540",
                on: location)
            #expect(try await TestPostgres.integer("SELECT count(*) FROM event_chain", on: location) == 540)
            #expect(links == 540, "positions 1…540, one per event")
            let verification = try await fixture.store.verifyChain()
            #expect(verification.broken == nil && verification.events == 540)
        }
    }

    @Test func staffPresenceIsSharedAcrossNodes() async throws {
        try await StoreFixture.with(.postgres, nodes: 2) { fixture in
            let (a, b) = (fixture.stores[0], fixture.stores[1])
            _ = try await a.sharePresence(
                node: "node-1", local: [1: StaffPresenceEntry(lastActivity: Self.t0, connected: true)], at: Self.t0)
            let seenByB = try await b.sharePresence(
                node: "node-2", local: [2: StaffPresenceEntry(lastActivity: Self.t0 + 5, connected: false)], at: Self.t0 + 10)
            #expect(seenByB[1] == StaffPresenceEntry(lastActivity: Self.t0, connected: true), "B sees A's GM as connected")
            #expect(seenByB[2]?.connected == false)
            // A node that stopped refreshing its rows no longer counts as holding sessions.
            let later = try await b.sharePresence(node: "node-2", local: [:], at: Self.t0 + 120)
            #expect(later[1] == StaffPresenceEntry(lastActivity: Self.t0, connected: false))
        }
    }

    @Test func everyNodeSharesOneTokenSecret() async throws {
        try await StoreFixture.with(.postgres, nodes: 2) { fixture in
            let a = try #require(fixture.stores[0] as? PostgresTicketStore)
            let b = try #require(fixture.stores[1] as? PostgresTicketStore)
            let first = try await a.sharedTokenSecret(candidate: Data(repeating: 1, count: 32))
            let second = try await b.sharedTokenSecret(candidate: Data(repeating: 2, count: 32))
            #expect(first == Data(repeating: 1, count: 32) && second == first)
        }
    }

    @Test func aURLIsParsedAndItsPasswordNeverPrinted() throws {
        let location = try PostgresLocation(url: "postgres://gmq:s3cret@db.example:6543/desk")
        #expect(location == PostgresLocation(host: "db.example", port: 6543, username: "gmq", password: "s3cret", database: "desk"))
        #expect(!location.description.contains("s3cret"))
        #expect(throws: PostgresLocation.Invalid.self) { try PostgresLocation(url: "mysql://x@y/z") }
        do {
            _ = try PostgresLocation(url: "postgres://:hunter2@host/")
            Issue.record("accepted a URL without user or database")
        } catch {
            #expect(!error.description.contains("hunter2"))
        }
    }
}

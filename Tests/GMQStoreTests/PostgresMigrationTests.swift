import Foundation
import GMQCore
@testable import GMQPostgres
import GMQTestSupport
import Logging
import PostgresNIO
import Testing

/// A database an earlier version wrote keeps its history verifiable and its rules after the migrations since.
@Suite struct PostgresMigrationTests {
    static let mirna = Actor(id: 1, name: "Mirna", role: .gm)
    static let text = "Chest in Scholomance won't open after the patch"

    /// Two tickets and their events as version 14 wrote them: each event's chain position and hash inline, linked
    /// by that version's batch end (`gmq_finish_batch`, migration 13).
    static func writeAsVersion14(_ location: PostgresLocation, logger: Logger) async throws {
        let client = PostgresClient(
            configuration: .init(
                host: location.host, port: location.port, username: location.username, password: location.password,
                database: location.database, tls: .disable),
            backgroundLogger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await PostgresSchema.migrate(client, through: 14, logger: logger)
            let events = (Int64(1)...2).map { id in
                let event = TicketEvent(
                    ticketID: id, seq: 1, kind: .submitted, actorID: 42, actorName: "Thrall", actorRole: .player, at: 1,
                    text: Self.text)
                return event.linked(EventChain.link(event, previousInTicket: nil, head: .genesis))
            }
            for event in events {
                try await client.query("""
                    INSERT INTO tickets (id, category, state, player_id, player_name, text, realm, character_id,
                        character_name, map_id, zone, x, y, z, client_build, created_at, updated_at, due_at, last_seq, last_hash)
                    VALUES (\(event.ticketID), 'bug', 'open', 42, 'Thrall', \(Self.text), '', 0, '', 0, '', 0, 0, 0, '', 1, 1, 1,
                        1, \(ByteBuffer(bytes: event.hash!)))
                    """, logger: logger)
            }
            try await client.query("SELECT setval('tickets_id_seq', 2)", logger: logger)
            let hashes = events.map { ByteBuffer(bytes: $0.hash!) }
            let previous = events.map { ByteBuffer(bytes: $0.previousHash!) }
            try await client.query("""
                SELECT * FROM gmq_finish_batch('old/0', '{}'::TEXT[], '{}'::TEXT[], '{}'::BIGINT[], 'gmq_test', '{}'::TEXT[],
                    \(events.map(\.ticketID))::BIGINT[], \(events.map(\.seq))::BIGINT[], \(events.map(\.kind.rawValue))::TEXT[],
                    \(events.map(\.actorID))::BIGINT[], \(events.map(\.actorName))::TEXT[],
                    \(events.map(\.actorRole.rawValue))::TEXT[], \(events.map(\.at))::BIGINT[], \(events.map(\.text))::TEXT[],
                    \(previous)::BYTEA[], \(hashes)::BYTEA[])
                """, logger: logger)
        }
    }

    @Test func historyChainedInlineVerifiesAfterTheMigrationAndTheChainGoesOn() async throws {
        let location = try await TestPostgres.freshDatabase()
        var logger = Logger(label: "gmq-test-postgres")
        logger.logLevel = .critical
        try await Self.writeAsVersion14(location, logger: logger)
        let store = PostgresTicketStore(location: location, node: "new", maximumConnections: 4, logger: logger)
        try await store.withRunning { store in
            let before = try await store.verifyChain()
            #expect(before.broken == nil && before.events == 2, "the links were copied out of the events")
            _ = try await store.apply(.claim, to: 1, as: Access(actor: Self.mirna), text: "", at: Date(milliseconds: 2))
            let after = try await store.verifyChain()
            #expect(after.broken == nil && after.events == 3, "a new event links onto the old head")
            // The player's open count was taken from the tickets already there.
            let limited = try await store.submit(
                Submission(player: Actor(id: 42, name: "Thrall", role: .player), category: "other",
                    text: "Mail from the auction house never arrived", context: GameContext()),
                policy: SubmitPolicy(openLimit: 2) { _, _ in false }, at: Date(milliseconds: 3))
            #expect(limited == .openLimitReached([1, 2]))
        }
        // A link changed behind the triggers' back is found.
        try await TestPostgres.execute(
            "ALTER TABLE event_chain DISABLE TRIGGER event_chain_is_append_only", on: location)
        try await TestPostgres.execute(
            "UPDATE event_chain SET chain_hash = decode(repeat('ab', 32), 'hex') WHERE chain_seq = 2", on: location)
        let store2 = PostgresTicketStore(location: location, node: "new", maximumConnections: 4, logger: logger)
        let broken = try await store2.withRunning { try await $0.verifyChain().broken }
        #expect(broken?.ticketID == 2 && broken?.chainSeq == 2)
    }
}

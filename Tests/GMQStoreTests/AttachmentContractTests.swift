import Crypto
import Foundation
import GMQCore
import GMQTestSupport
import GRDB
import Testing

/// Attachments (issue 12 §6) on every engine: stored once per content with a chained event, at most the limit
/// per ticket, append-only, and `verifyChain` covers their bytes.
@Suite(.serialized) struct AttachmentContractTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let thrall = Actor(id: 42, name: "Thrall", role: .player)
    static let realm = Actor(id: 9, name: "realm-1", role: .game)

    static func file(_ name: String, _ text: String) -> AttachmentFile {
        let bytes = Data(text.utf8)
        return AttachmentFile(name: name, type: .text, bytes: bytes, sha256: Data(SHA256.hash(data: bytes)))
    }

    @Test(arguments: Engine.allCases) func filesAreChainedCountedAndCoveredByVerify(engine: Engine) async throws {
        try await StoreFixture.with(engine) { fixture in
            let store = fixture.store
            guard case .created(let ticket, _) = try await store.submit(
                Submission(player: Self.thrall, category: "player_report", text: "Gankmaster insults me in trade chat",
                    context: GameContext()), at: Self.t0)
            else { Issue.record("not created"); return }
            let log = Self.file("chat.txt", "[Trade] Gankmaster: ...\n")
            let (first, change) = try await store.attach(
                log, to: ticket.id, as: Access(actor: Self.realm), limit: 3, at: Self.t0 + 1)
            #expect(first.number == 1 && first.uploaderRole == .game && first.sha256 == log.sha256)
            #expect(change.event.kind == .attached && change.event.text.contains(log.sha256.hex) && change.notification == nil)
            #expect(change.ticket.state == ticket.state, "attaching changes no state")
            // The same bytes again: a second attachment, the bytes stored once.
            let (second, _) = try await store.attach(
                Self.file("again.txt", "[Trade] Gankmaster: ...\n"), to: ticket.id, as: Access(actor: Self.thrall),
                limit: 3, at: Self.t0 + 2)
            #expect(second.number == 2 && second.uploaderRole == .player)
            #expect(try await store.attachmentBytes(log.sha256, offset: 0, length: 1_000)?.bytes == log.bytes)
            let part = try await store.attachmentBytes(log.sha256, offset: 8, length: 10)
            #expect(part?.size == log.bytes.count && part?.bytes == log.bytes.subdata(in: 8..<18), "only the part asked for")
            #expect(try await store.attachmentBytes(log.sha256, offset: log.bytes.count, length: 10)?.bytes.isEmpty == true)
            // Another player may not; a GM may not; the limit holds.
            await #expect(throws: Access.Denial.self) {
                try await store.attach(log, to: ticket.id, as: Access(actor: Actor(id: 7, name: "X", role: .player)),
                    limit: 3, at: Self.t0 + 3)
            }
            await #expect(throws: StoreError.self) {
                try await store.attach(log, to: ticket.id, as: Access(actor: Actor(id: 1, name: "Mirna", role: .gm)),
                    limit: 3, at: Self.t0 + 3)
            }
            _ = try await store.attach(Self.file("3.txt", "three"), to: ticket.id, as: Access(actor: Self.realm), limit: 3, at: Self.t0 + 4)
            await #expect(throws: StoreError.attachmentLimit(ticketID: ticket.id, limit: 3)) {
                try await store.attach(Self.file("4.txt", "four"), to: ticket.id, as: Access(actor: Self.realm), limit: 3, at: Self.t0 + 5)
            }
            #expect(try await store.attachments(of: ticket.id).map(\.number) == [1, 2, 3])
            // The player's history shows their own file, not the game server's; staff see both.
            let staff = try await store.history(of: ticket.id, after: 0, limit: 100, view: .staff).events
            let player = try await store.history(of: ticket.id, after: 0, limit: 100, view: .player).events
            let v1 = try await store.history(of: ticket.id, after: 0, limit: 100, view: HistoryView.of(.player, version: 1)).events
            #expect(staff.filter { $0.kind == .attached }.count == 3)
            #expect(player.filter { $0.kind == .attached }.map(\.actorRole) == [.player])
            #expect(v1.allSatisfy { $0.kind != .attached })
            #expect(try await store.verifyChain().broken == nil)

            // Evidence is append-only in the schema; changed bytes break the verification.
            let swap = "UPDATE blobs SET bytes = \(engine == .sqlite ? "x'00'" : "'\\x00'::bytea")"
            switch fixture.engine {
            case .sqlite:
                let queue = try DatabaseQueue(path: fixture.path!)
                #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: swap) } }
                #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "DELETE FROM attachments") } }
                try await queue.write { db in
                    try db.execute(sql: "DROP TRIGGER blobs_are_append_only_update")
                    try db.execute(sql: swap)
                }
            case .postgres:
                let location = fixture.location!
                await #expect(throws: (any Error).self) { try await TestPostgres.execute(swap, on: location) }
                await #expect(throws: (any Error).self) { try await TestPostgres.execute("DELETE FROM attachments", on: location) }
                try await TestPostgres.execute("ALTER TABLE blobs DISABLE TRIGGER blobs_are_append_only", on: location)
                try await TestPostgres.execute(swap, on: location)
            }
            let verified = try await store.verifyChain()
            #expect(verified.broken?.ticketID == ticket.id)
            #expect(verified.broken?.reason.contains("bytes were changed") == true, "\(String(describing: verified.broken))")
        }
    }
}

import Foundation
import GMQClient
import GMQCore
import GMQProtocol
import GMQServer
import GMQTestSupport
import GRDB
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 11 §8: `gmqd backup` copies the database while gmqd serves under load; `gmqd restore` takes the copy only
/// when its integrity and history verify, and never over an existing database.
@Suite(.timeLimit(.minutes(2)))
struct BackupTests {
    final class Load: Sendable {
        let acknowledged = Mutex<[UInt64]>([])
        let stop = Mutex(false)
    }

    @Test func aBackupUnderLoadHoldsEveryTicketAcknowledgedBeforeItAndRestoresVerified() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("gmq-backup-\(UUID().uuidString)")
        let data = root.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let running = try await ReadmeWalkthroughTests.startGMQD(
            arguments: [
                "--data", data.path, "--open-limit", "1000000", "--submit-rate", "off", "--cooldown", "off",
                "--log-level", "error",
            ], in: root)
        defer { kill(running.process.processIdentifier, SIGKILL) }
        let signer = PlayerTokenSigner(secret: try TokenSecret.loadOrCreate(in: data))
        let load = Load()
        let clients = Task {
            await withTaskGroup(of: Void.self) { group in
                for client in 1...4 {
                    group.addTask {
                        guard let connection = try? await GMQConnection.connect(
                            host: "127.0.0.1", port: running.playerPort,
                            hello: Hello(clientKind: .player, credential: signer.sign(
                                playerID: Int64(client), name: "Player\(client)", expiresAt: Date().addingTimeInterval(600))))
                        else { return }
                        var n = client * 100_000
                        while !load.stop.withLock({ $0 }) {
                            n += 1
                            guard case .accepted(let accepted)? = try? await connection.send(.submit(Submit(
                                category: "bug", text: SampleRequests.text(n), context: GameContext(zone: "Ironforge"))))
                            else { break }
                            load.acknowledged.withLock { $0.append(accepted.ticketID) }
                        }
                        await connection.close()
                    }
                }
            }
        }
        while load.acknowledged.withLock({ $0.count }) < 300 { try await Task.sleep(for: .milliseconds(10)) }
        let before = load.acknowledged.withLock { $0 }
        let file = root.appendingPathComponent("backup.sqlite").path
        let backup = try await Tool.run("gmqd", ["backup", "--data", data.path, "--to", file])
        let during = load.acknowledged.withLock { $0.count }
        load.stop.withLock { $0 = true }
        await clients.value
        #expect(backup.status == 0, "\(backup.standardError)")
        #expect(backup.standardOutput.contains("integrity ok"))
        #expect(during > before.count, "the load went on while the backup ran")

        let restored = root.appendingPathComponent("restored")
        let restore = try await Tool.run("gmqd", ["restore", "--from", file, "--data", restored.path])
        #expect(restore.status == 0, "\(restore.standardError)")
        #expect(restore.standardOutput.contains("history verified"), "\(restore.standardOutput)")
        let database = try DatabaseQueue(path: restored.appendingPathComponent("gmq.sqlite").path)
        let stored = Set(try await database.read { try Int64.fetchAll($0, sql: "SELECT id FROM tickets") })
        let missing = Set(before.map { Int64($0) }).subtracting(stored)
        #expect(missing.isEmpty, "acknowledged before the backup began, but not in it: \(missing.sorted().prefix(5))")
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600, "a backup holds every ticket: private to gmqd's account")
        print("backup under load: \(before.count) acknowledged before it, \(stored.count) in it, \(during) by its end")

        let again = try await Tool.run("gmqd", ["restore", "--from", file, "--data", restored.path])
        #expect(again.status != 0 && again.standardError.contains("already holds a database"), "\(again.standardError)")
    }

    @Test func aBackupWhoseHistoryWasEditedOrThatIsDamagedIsNotRestored() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("gmq-backup-\(UUID().uuidString)")
        let data = root.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let running = try await ReadmeWalkthroughTests.startGMQD(
            arguments: ["--data", data.path, "--log-level", "error"], in: root)
        let signer = PlayerTokenSigner(secret: try TokenSecret.loadOrCreate(in: data))
        let player = try await GMQConnection.connect(
            host: "127.0.0.1", port: running.playerPort,
            hello: Hello(clientKind: .player, credential: signer.sign(
                playerID: 42, name: "Thrall", expiresAt: Date().addingTimeInterval(600))))
        for text in ["Stuck under the Ironforge bridge, can't move", "Mail with 300 gold never delivered"] {
            guard case .accepted = try await player.call(.submit(Submit(category: "bug", text: text))) else {
                Issue.record("not accepted: \(text)")
                return
            }
        }
        await player.close()
        let file = root.appendingPathComponent("backup.sqlite").path
        #expect(try await Tool.run("gmqd", ["backup", "--data", data.path, "--to", file]).status == 0)
        running.process.terminate()
        _ = await running.exit.value

        // Someone rewrote what the player said, in the backup.
        let edited = root.appendingPathComponent("edited.sqlite").path
        try FileManager.default.copyItem(atPath: file, toPath: edited)
        let queue = try DatabaseQueue(path: edited)
        try await queue.write { db in
            try db.execute(sql: "DROP TRIGGER events_are_append_only_update")
            try db.execute(sql: "UPDATE events SET text = 'Nothing happened' WHERE ticket_id = 2 AND seq = 1")
        }
        try queue.close()
        let refused = try await Tool.run("gmqd", ["restore", "--from", edited, "--data", root.appendingPathComponent("r1").path])
        #expect(refused.status != 0)
        #expect(refused.standardError.contains("does not verify (ticket 2 event 1"), "\(refused.standardError)")
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("r1/gmq.sqlite").path))

        // A backup cut short on its way to the backup host.
        let cut = root.appendingPathComponent("cut.sqlite").path
        let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: cut))
        let damaged = try await Tool.run("gmqd", ["restore", "--from", cut, "--data", root.appendingPathComponent("r2").path])
        #expect(damaged.status != 0)
        #expect(damaged.standardError.contains("fails SQLite's integrity check"), "\(damaged.standardError)")
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("r2/gmq.sqlite").path))
    }
}

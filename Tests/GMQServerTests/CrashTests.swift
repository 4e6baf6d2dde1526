import Foundation
import GMQClient
import GMQProtocol
import GMQServer
import GMQTestSupport
import GRDB
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Ticket ids the server acknowledged, from several clients at once.
final class Acknowledged: Sendable {
    let ids = Mutex<[UInt64]>([])
    /// Clients told SERVER_CLOSING.
    let told = Mutex(0)
}

/// The small crash test of issue "durable at speed": gmqd under load is killed with SIGKILL; after a restart every
/// acknowledged ticket is there exactly once and the database is intact.
@Suite(.timeLimit(.minutes(2)))
struct CrashTests {
    /// Starts the gmqd binary on `directory` and returns it with its player port.
    static func start(_ directory: URL) async throws -> (ChildProcess, Int) {
        let running = try await ReadmeWalkthroughTests.startGMQD(
            arguments: [
                "--data", directory.path, "--open-limit", "1000000", "--submit-rate", "off", "--cooldown", "off",
                "--log-level", "error",
            ], in: directory)
        return (running.process, running.playerPort)
    }

    @Test func everyAcknowledgedTicketSurvivesAKill() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gmq-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let (server, port) = try await Self.start(directory)
        let signer = PlayerTokenSigner(secret: try TokenSecret.loadOrCreate(in: directory))
        let acknowledged = Acknowledged()
        let pid = server.processIdentifier

        await withTaskGroup(of: Void.self) { group in
            for client in 1...8 {
                group.addTask {
                    guard let connection = try? await GMQConnection.connect(
                        host: "127.0.0.1", port: port,
                        hello: Hello(clientKind: .player, credential: signer.sign(
                            playerID: Int64(client), name: "Player\(client)", expiresAt: Date().addingTimeInterval(600))))
                    else { return }
                    var n = client * 100_000
                    while true {
                        n += 1
                        // Once the server is gone, the request fails and this client stops.
                        guard case .accepted(let accepted)? = try? await connection.send(.submit(Submit(
                            category: "bug", text: SampleRequests.text(n), context: GameContext(zone: "Ironforge"))))
                        else { break }
                        #expect(!accepted.merged, "\(SampleRequests.text(n)) was merged: the test needs one new ticket per request")
                        let count = acknowledged.ids.withLock { ids in
                            ids.append(accepted.ticketID)
                            return ids.count
                        }
                        if count == 200 { kill(pid, SIGKILL) }  // mid-load, other writes in flight
                    }
                    await connection.close()
                }
            }
        }
        // Every client stops once the server is gone; if they stopped before the kill (a refusal), the test fails
        // here instead of waiting for ever.
        if server.isRunning, acknowledged.ids.withLock({ $0.count }) < 200 {
            kill(pid, SIGKILL)
            Issue.record("the clients stopped after \(acknowledged.ids.withLock { $0.count }) acknowledged tickets, before the kill")
        }
        server.waitUntilExit()
        #expect(server.terminationReason == .uncaughtSignal)

        let ids = acknowledged.ids.withLock { $0 }
        #expect(ids.count >= 200)
        let (restarted, _) = try await Self.start(directory)
        defer { kill(restarted.processIdentifier, SIGKILL) }
        let database = try DatabaseQueue(path: directory.appendingPathComponent("gmq.sqlite").path)
        let found = try await database.read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM tickets WHERE id IN (\(ids.map(String.init).joined(separator: ",")))")
        }
        #expect(Set(found) == Set(ids.map { Int64($0) }), "acknowledged tickets lost: \(Set(ids.map { Int64($0) }).subtracting(found))")
        #expect(Set(ids).count == ids.count, "a ticket id was acknowledged twice")
        #expect(try await database.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
        print("crash test: \(ids.count) acknowledged before SIGKILL, all present after restart")
        try? FileManager.default.removeItem(at: directory)
    }

    /// SIGTERM under load: gmqd drains (PROTOCOL.md §1.2) and exits 0; each client is told with SERVER_CLOSING,
    /// every acknowledged ticket is stored once, and nothing unacknowledged was stored.
    @Test func sigtermDrainsTellsClientsAndLosesNothingAcknowledged() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gmq-term-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let running = try await ReadmeWalkthroughTests.startGMQD(
            arguments: [
                "--data", directory.path, "--open-limit", "1000000", "--submit-rate", "off", "--cooldown", "off",
                "--log-level", "error",
            ], in: directory)
        let signer = PlayerTokenSigner(secret: try TokenSecret.loadOrCreate(in: directory))
        let acknowledged = Acknowledged()
        let pid = running.process.processIdentifier
        await withTaskGroup(of: Void.self) { group in
            for client in 1...8 {
                group.addTask {
                    guard let connection = try? await GMQConnection.connect(
                        host: "127.0.0.1", port: running.playerPort,
                        hello: Hello(clientKind: .player, credential: signer.sign(
                            playerID: Int64(client), name: "Player\(client)", expiresAt: Date().addingTimeInterval(600))))
                    else { return }
                    var n = client * 100_000
                    while true {
                        n += 1
                        do {
                            guard case .accepted(let accepted) = try await connection.send(.submit(Submit(
                                category: "bug", text: SampleRequests.text(n), context: GameContext(zone: "Ironforge"))))
                            else { break }
                            let count = acknowledged.ids.withLock { ids in
                                ids.append(accepted.ticketID)
                                return ids.count
                            }
                            if count == 200 { kill(pid, SIGTERM) }  // mid-load
                        } catch {
                            if connection.serverClosing != nil { acknowledged.told.withLock { $0 += 1 } }
                            break
                        }
                    }
                    await connection.close()
                }
            }
        }
        #expect(await running.exit.value == 0, "a drained shutdown exits 0")
        #expect(acknowledged.told.withLock { $0 } == 8, "every client was told why its connection closed")
        let ids = acknowledged.ids.withLock { $0 }
        let database = try DatabaseQueue(path: directory.appendingPathComponent("gmq.sqlite").path)
        let stored = try await database.read { try Int64.fetchAll($0, sql: "SELECT id FROM tickets") }
        #expect(stored.count == ids.count && Set(stored) == Set(ids.map { Int64($0) }),
            "stored: \(stored.count), acknowledged: \(ids.count)")
        print("SIGTERM under load: \(ids.count) acknowledged, all stored, none stored unacknowledged; 8 of 8 clients told")
    }
}

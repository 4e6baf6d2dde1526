import Foundation
import GMQClient
import GMQCore
import GMQProtocol
import GMQServer
import GMQTestSupport
import GRDB
import Synchronization
import Testing

/// A graceful shutdown (PROTOCOL.md §1.2, issue 11 §9): every request the server took is answered, every client is
/// told with SERVER_CLOSING, and what was not answered was not done.
@Suite struct ShutdownTests {
    final class Outcomes: Sendable {
        let accepted = Mutex<[UInt64]>([])
        let notTaken = Mutex(0)
        let other = Mutex<[String]>([])
    }

    @Test func aShutdownUnderLoadAnswersWhatItTookAndTellsEveryClient() async throws {
        var configuration = GMQServer.Configuration.forTests
        configuration.abuseLimits = .none
        configuration.openTicketLimit = 1_000_000
        configuration.reconnectAfter = 3
        // Not about the drain deadline: a CI run stalled this test for 50 s, and the default 10 s expired.
        configuration.drainTimeout = .seconds(120)
        let server = try await TestServer.start(configuration: configuration)
        let players = try await (1...4).asyncMap { try await server.player(Int64($0), "Player\($0)") }
        let gm = try await server.staff("Mirna")
        let outcomes = Outcomes()
        let requests = Task {
            await withTaskGroup(of: Void.self) { group in
                for (index, player) in players.enumerated() {
                    for n in 0..<150 {
                        group.addTask {
                            let text = SampleRequests.text(index * 1_000 + n)
                            do {
                                switch try await player.send(.submit(Submit(category: "bug", text: text))) {
                                case .accepted(let accepted): outcomes.accepted.withLock { $0.append(accepted.ticketID) }
                                case let other: outcomes.other.withLock { $0.append("\(other)") }
                                }
                            } catch GMQClientError.serverClosing {
                                outcomes.notTaken.withLock { $0 += 1 }
                            } catch {
                                outcomes.other.withLock { $0.append("\(error)") }
                            }
                        }
                    }
                }
            }
        }
        // Mid-load: some answered, more in flight.
        while outcomes.accepted.withLock({ $0.count }) < 20 { try await Task.sleep(for: .milliseconds(5)) }
        try await server.shutDownGracefully()
        await requests.value

        let accepted = outcomes.accepted.withLock { $0 }
        #expect(outcomes.other.withLock { $0 }.isEmpty, "every request was answered or told it was not taken")
        #expect(accepted.count + outcomes.notTaken.withLock { $0 } == 600)
        let database = try DatabaseQueue(path: server.directory.appendingPathComponent("gmq.sqlite").path)
        let stored = try await database.read { try Int64.fetchAll($0, sql: "SELECT id FROM tickets") }
        #expect(Set(stored) == Set(accepted.map { Int64($0) }), "what was acknowledged is stored, and nothing else")
        for connection in players + [gm] {
            #expect(connection.serverClosing?.retryAfterSeconds == 3, "each client, busy or idle, was told")
        }
        print("shutdown under load: \(accepted.count) acknowledged and stored, \(600 - accepted.count) not taken")
    }

    @Test func aNewConnectionIsRefusedOnceTheShutdownBegan() async throws {
        let server = try await TestServer.start()
        let player = try await server.player(42, "Thrall")
        try await server.shutDownGracefully()
        #expect(player.serverClosing != nil)
        await #expect(throws: (any Error).self) { _ = try await server.player(43, "Jaina") }
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}

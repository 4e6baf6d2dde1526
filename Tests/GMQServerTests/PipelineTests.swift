import Foundation
import GMQClient
import GMQCore
import GMQProtocol
import GMQServer
import GMQStore
import GMQTestSupport
import Synchronization
import Testing

/// One connection's pipelined requests (PROTOCOL.md §1, issue 14 §3): a player's requests run together and are
/// answered in request order; requests that change the session run alone.
@Suite struct PipelineTests {
    /// 32 SUBMITs written at once on one connection. Served one at a time, each would wait for its own durable
    /// commit before the next is read, so no group transaction would hold two; served together, they share commits.
    @Test func pipelinedSubmissionsShareCommitsAndAreAnsweredInOrder() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gmq-pipeline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let largest = Mutex(0)
        let monitor = StoreMonitor { writes, _, _, failed in
            if !failed { largest.withLock { $0 = max($0, writes) } }
        }
        let (store, secret) = try await offThePool {
            (try SQLiteTicketStore.open(path: directory.appendingPathComponent("gmq.sqlite").path, monitor: monitor),
             try TokenSecret.loadOrCreate(in: directory))
        }
        var configuration = GMQServer.Configuration.forTests
        configuration.abuseLimits = .none
        configuration.openTicketLimit = 1_000
        let server = try await TestServer.start(store: store, secret: secret, configuration: configuration)
        defer { try? FileManager.default.removeItem(at: directory) }

        let raw = try await RawConnection.connect(port: server.ports.player)
        var frames = raw.received.makeAsyncIterator()
        try await raw.write(Envelope(requestID: 1, message: .hello(Hello(
            clientKind: .player, credential: server.token(player: 7, name: "Varian")))))
        guard case .welcome = try #require(await frames.next()).message() else { Issue.record("no WELCOME"); return }
        let requests = UInt32(2)...UInt32(33)
        for id in requests {
            raw.send(Envelope(requestID: id, message: .submit(Submit(
                category: "bug", text: SampleRequests.text(Int(id) * 7)))))
        }
        var answered: [UInt32] = []
        var tickets: [UInt64] = []
        while answered.count < requests.count, let frame = await frames.next() {
            answered.append(frame.requestID)
            guard case .accepted(let accepted) = try frame.message() else {
                Issue.record("request \(frame.requestID): \(try frame.message())")
                continue
            }
            tickets.append(accepted.ticketID)
        }
        #expect(answered == Array(requests), "answered in the order sent")
        #expect(Set(tickets).count == requests.count, "each is a ticket of its own")
        let stored = try await store.tickets(ofPlayer: 7).map { UInt64($0.id) }
        #expect(Set(stored) == Set(tickets))
        #expect(largest.withLock { $0 } > 1, "the connection's submissions were committed together")
        await raw.close()
        await server.stop()
    }

    /// A request that is served alone waits for the pipelined ones before it: an ATTACH sent right after a SUBMIT
    /// whose ticket it names would fail if it ran first. And what follows it starts only after it.
    @Test func aSerialRequestRunsAfterEverythingBeforeIt() async throws {
        try await withTestServer { server in
            let raw = try await RawConnection.connect(port: server.ports.player)
            var frames = raw.received.makeAsyncIterator()
            try await raw.write(Envelope(requestID: 1, message: .hello(Hello(
                clientKind: .player, credential: server.token(player: 8, name: "Anduin")))))
            guard case .welcome = try #require(await frames.next()).message() else { Issue.record("no WELCOME"); return }
            // The first ticket of a fresh database is #1: the ATTACH can name it before its SUBMIT is answered.
            raw.send(Envelope(requestID: 2, message: .submit(Submit(
                category: "bug", text: "The guild bank shows items in tab 3 that are not there after the patch"))))
            raw.send(Envelope(requestID: 3, message: .attach(AttachRequest(ticketID: 1, name: "screenshot.png", size: 4))))
            raw.send(Envelope(requestID: 4, message: .myTickets(MyTickets())))
                guard case .accepted(let accepted) = try #require(await frames.next()).message() else { Issue.record("no ACCEPTED"); return }
            #expect(accepted.ticketID == 1)
            let attach = try #require(await frames.next())
            #expect(attach.requestID == 3)
            guard case .attachReady = try attach.message() else { Issue.record("ATTACH: \(try attach.message())"); return }
            let list = try #require(await frames.next())
            #expect(list.requestID == 4)
            guard case .ticketList(let tickets) = try list.message() else { Issue.record("no TICKET_LIST"); return }
            #expect(tickets.tickets.map(\.id) == [1])
            await raw.close()
        }
    }
}

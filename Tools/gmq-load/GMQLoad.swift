import ArgumentParser
import Foundation
import GMQClient
import GMQProtocol
import GMQServer
import Histogram
import Synchronization

/// Load generator: many players submitting at once, latency into an HdrHistogram.
@main
struct GMQLoad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gmq-load",
        abstract: "Submit requests to gmqd from many players and measure throughput and latency.",
        discussion: """
            Closed loop (--inflight K): every connection keeps K submissions in flight. Open loop (--rate R): R \
            submissions per second in all, latency counted from when each was due, so a stalled server is not \
            hidden (coordinated omission). Tokens are minted with the secret in gmqd's data directory; run gmqd \
            with a high --open-limit, since each connection is one player.
            """)

    @Option(help: "The player port as HOST:PORT; several, comma-separated, spread the connections over nodes.")
    var server: String = "127.0.0.1:7070"
    @Option(help: "gmqd's data directory (its secret.key signs the players' tokens).") var data: String = "./gmq-data"
    @Option(help: "Connections, one player each.") var connections: Int = 16
    @Option(help: "Seconds to run.") var duration: Double = 10
    @Option(help: "Closed loop: submissions in flight per connection.") var inflight: Int?
    @Option(help: "Open loop: submissions per second in all.") var rate: Double?
    @Option(name: .customLong("acked-log"), help: "Append every acknowledged ticket id to this file, one a line, as it arrives.")
    var ackedLog: String?
    @Option(name: .customLong("first-request"), help: "Number of the first request's text; runs against one database give different starts so that no text repeats.")
    var firstRequest: Int = 1
    @Option(name: .customLong("queue-pages"), help: "Instead of submitting: fetch QUEUE's first page this many times, one after another, as staff (--server is then the staff port).")
    var queuePages: Int?
    @Option(help: "Staff key for --queue-pages and --notify (default: GMQ_KEY).") var key: String?
    @Option(name: .customLong("notify"), help: "Instead of submitting: a GM on --staff-server answers one ticket this many times, one after another, and the time until the push reaches its player on the first --server is measured (cross-node notification latency).")
    var notify: Int?
    @Option(name: .customLong("staff-server"), help: "The staff port for --notify, HOST:PORT.") var staffServer: String?
    @Flag(help: "Speak TLS and check the server's certificate (default: GMQ_TLS=1).") var tls = false
    @Option(help: "PEM certificate of a private authority to trust for --tls (default: GMQ_CA).") var ca: String?
    @Flag(help: "Print JSON.") var json = false

    func clientTLS() throws -> ClientTLS? {
        do {
            return try TLSArguments.client(flag: self.tls, ca: self.ca)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func validate() throws {
        guard self.inflight == nil || self.rate == nil else { throw ValidationError("give --inflight or --rate, not both") }
        guard self.connections > 0, self.duration > 0 else { throw ValidationError("--connections and --duration must be positive") }
        if let rate = self.rate, rate <= 0 { throw ValidationError("--rate must be positive") }
        if let inflight = self.inflight, inflight <= 0 { throw ValidationError("--inflight must be positive") }
        for server in self.servers where ServerAddress(server) == nil {
            throw ValidationError("'\(server)' is not HOST:PORT")
        }
    }

    var servers: [String] { self.server.split(separator: ",").map(String.init) }

    func run() async throws {
        let addresses = self.servers.map { ServerAddress($0)! }
        let address = addresses[0]
        if let pages = self.queuePages {
            return try await self.fetchQueue(pages: pages, at: address)
        }
        if let count = self.notify {
            return try await self.measureNotifications(count: count, player: address)
        }
        let signer = PlayerTokenSigner(
            secret: try TokenSecret.loadOrCreate(in: URL(fileURLWithPath: self.data, isDirectory: true)))
        let recorder = try Recorder(ackedLog: self.ackedLog)
        var sessions: [GMQConnection] = []
        let tls = try self.clientTLS()
        for player in 1...self.connections {
            let token = signer.sign(
                playerID: Int64(player), name: "Load\(player)", expiresAt: Date().addingTimeInterval(self.duration + 3600))
            let node = addresses[(player - 1) % addresses.count]
            sessions.append(try await GMQConnection.connect(
                host: node.host, port: node.port, hello: Hello(clientKind: .player, credential: token), tls: tls))
        }
        let clock = ContinuousClock()
        let start = clock.now
        let driver = LoadDriver(
            sessions: sessions, recorder: recorder, counter: Counter(first: self.firstRequest), clock: clock,
            start: start, end: start + .milliseconds(Int(self.duration * 1000)))
        if let rate = self.rate {
            try await driver.openLoop(rate: rate)
        } else {
            try await driver.closedLoop(inflight: self.inflight ?? 8)
        }
        let elapsed = clock.now - start
        for session in sessions { await session.close() }
        print(recorder.report(seconds: elapsed.seconds,
            json: self.json, mode: self.rate.map { "open loop, \($0)/s" } ?? "closed loop, \(self.inflight ?? 8) in flight",
            connections: self.connections))
    }
}

extension GMQLoad {
    /// Times QUEUE's first page (the server's default page, every category) `pages` times on one staff session.
    func fetchQueue(pages: Int, at address: ServerAddress) async throws {
        guard let key = self.key ?? ProcessInfo.processInfo.environment["GMQ_KEY"], !key.isEmpty else {
            throw ValidationError("--queue-pages needs a staff key: pass --key or set GMQ_KEY (gmqd staff add)")
        }
        let session = try await GMQConnection.connect(
            host: address.host, port: address.port, hello: Hello(clientKind: .staff, credential: key),
            tls: try self.clientTLS())
        let recorder = try Recorder(ackedLog: nil)
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<pages {
            let sent = clock.now
            let response = try? await session.send(.queue(QueueRequest()))
            let outcome: Recorder.Outcome = if case .ticketList(let list)? = response, !list.tickets.isEmpty { .accepted } else { .failed }
            recorder.record(outcome, latency: clock.now - sent)
        }
        let elapsed = clock.now - start
        await session.close()
        print(recorder.report(seconds: elapsed.seconds, json: self.json, mode: "queue first page", connections: 1))
    }
}

extension GMQLoad {
    /// One player on `player`'s node, one GM on --staff-server: the GM claims the player's ticket and answers it
    /// `count` times, each after the previous push arrived; each latency runs from sending ANSWER to the push.
    func measureNotifications(count: Int, player address: ServerAddress) async throws {
        guard let key = self.key ?? ProcessInfo.processInfo.environment["GMQ_KEY"], !key.isEmpty,
            let staff = self.staffServer.flatMap(ServerAddress.init)
        else { throw ValidationError("--notify needs --staff-server HOST:PORT and a staff key (--key or GMQ_KEY)") }
        let signer = PlayerTokenSigner(
            secret: try TokenSecret.loadOrCreate(in: URL(fileURLWithPath: self.data, isDirectory: true)))
        let playerID = Int64(9_000_000 + self.firstRequest)
        let token = signer.sign(playerID: playerID, name: "Listener", expiresAt: Date().addingTimeInterval(3600))
        let player = try await GMQConnection.connect(
            host: address.host, port: address.port, hello: Hello(clientKind: .player, credential: token),
            tls: try self.clientTLS())
        let gm = try await GMQConnection.connect(
            host: staff.host, port: staff.port, hello: Hello(clientKind: .staff, credential: key), tls: try self.clientTLS())
        var pushes = player.notifications.makeAsyncIterator()
        let submit = try await player.call(.submit(Submit(
            category: "bug", text: "Notification probe \(self.firstRequest): the mailbox in Ironforge eats my letters",
            context: GameContext(realm: "", characterID: 0, characterName: "", mapID: 0, zone: "", x: 0, y: 0, z: 0, clientBuild: ""))))
        guard case .accepted(let accepted) = submit else { throw ValidationError("the probe ticket was not accepted: \(submit)") }
        _ = try await gm.call(.claim(Claim(ticketID: accepted.ticketID)))
        if let claimed = await pushes.next() { try await player.acknowledge(claimed) }
        let recorder = try Recorder(ackedLog: nil)
        // The answer's own write on the GM's node, apart from the push's way to the player's node.
        let answered = try Recorder(ackedLog: nil)
        let clock = ContinuousClock()
        let start = clock.now
        for n in 0..<count {
            let sent = clock.now
            _ = try await gm.call(.answer(Answer(ticketID: accepted.ticketID, text: "Probe answer \(n)")))
            answered.record(.accepted, latency: clock.now - sent)
            guard let push = await pushes.next() else { break }
            recorder.record(.accepted, latency: clock.now - sent)
            try await player.acknowledge(push)
        }
        let elapsed = clock.now - start
        await player.close()
        await gm.close()
        print(recorder.report(
            seconds: elapsed.seconds, json: self.json, mode: "notification latency", connections: 2,
            extra: [("answer_p50_ms", answered.milliseconds(at: 50)), ("answer_p99_ms", answered.milliseconds(at: 99))]))
    }
}

extension Duration {
    var seconds: Double { Double(self.components.seconds) + Double(self.components.attoseconds) / 1e18 }
}

/// Numbers the requests, so that each text is different.
final class Counter: Sendable {
    private let value: Mutex<Int>
    init(first: Int) { self.value = Mutex(first - 1) }
    func next() -> Int { self.value.withLock { $0 += 1; return $0 } }
}

/// Sends submissions and records their outcome and latency.
final class Recorder: Sendable {
    private struct State {
        var histogram = Histogram<UInt64>(highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: .three)
        var accepted = 0
        var rejected = 0
        var busy = 0
        var failed = 0
    }

    private let state = Mutex(State())
    private let log: FileHandle?

    init(ackedLog: String?) throws {
        if let path = ackedLog {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            guard let handle = FileHandle(forWritingAtPath: path) else {
                throw ValidationError("cannot write the acked log \(path)")
            }
            handle.seekToEndOfFile()
            self.log = handle
        } else {
            self.log = nil
        }
    }

    /// Records a submission's answer: its outcome, its latency and, when accepted, its ticket id in the acked log.
    func record(_ response: Result<Message, any Error>, latency: Duration) {
        let answer = try? response.get()
        if case .accepted(let accepted)? = answer, let log = self.log {
            log.write(Data("\(accepted.ticketID)\n".utf8))  // one write call per id: durable as soon as it returns
        }
        let outcome: Outcome = switch answer {
        case .accepted?: .accepted
        case .rejected?: .rejected
        case .error(let error)? where error.code == .busy: .busy
        default: .failed
        }
        self.record(outcome, latency: latency)
    }

    enum Outcome { case accepted, rejected, busy, failed }

    func record(_ outcome: Outcome, latency: Duration) {
        let microseconds = UInt64(max(0, latency.components.seconds * 1_000_000 + latency.components.attoseconds / 1_000_000_000_000))
        self.state.withLock { state in
            _ = state.histogram.record(microseconds)
            switch outcome {
            case .accepted: state.accepted += 1
            case .rejected: state.rejected += 1
            case .busy: state.busy += 1
            case .failed: state.failed += 1
            }
        }
    }

    /// The latency at `percentile` (ms).
    func milliseconds(at percentile: Double) -> Double {
        self.state.withLock { Double($0.histogram.valueAtPercentile(percentile)) / 1000 }
    }

    /// The figures as a line of text or JSON; `extra` figures (ms) are added to either.
    func report(seconds: Double, json: Bool, mode: String, connections: Int, extra: [(String, Double)] = []) -> String {
        self.state.withLock { state in
            let h = state.histogram
            func ms(_ percentile: Double) -> Double { Double(h.valueAtPercentile(percentile)) / 1000 }
            let throughput = Double(state.accepted) / seconds
            if json {
                var object: [String: Any] = [
                    "mode": mode, "connections": connections, "seconds": seconds, "accepted": state.accepted,
                    "rejected": state.rejected, "busy": state.busy, "failed": state.failed,
                    "accepted_per_second": throughput, "p50_ms": ms(50), "p90_ms": ms(90), "p99_ms": ms(99),
                    "p999_ms": ms(99.9), "max_ms": Double(h.max) / 1000,
                ]
                for (name, value) in extra { object[name] = value }
                return Presentation.line(object)
            }
            return String(
                format: "%@, %d connections, %.1f s: %d accepted (%.0f/s), %d rejected, %d busy, %d failed\n"
                    + "latency ms: p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f",
                mode, connections, seconds, state.accepted, throughput, state.rejected, state.busy, state.failed,
                ms(50), ms(90), ms(99), ms(99.9), Double(h.max) / 1000)
                + extra.map { String(format: "\n%@ %.2f", $0.0, $0.1) }.joined()
        }
    }
}

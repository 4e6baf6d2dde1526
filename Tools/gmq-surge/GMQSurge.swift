import ArgumentParser
import Foundation
import GMQClient
import GMQProtocol
import GMQServer
import Synchronization

/// A patch-day surge against a running gmqd (issue 12): a GM opens an incident for the login problem, thousands of
/// players file variations of it among unrelated requests within a minute, then one answer goes to every linked
/// ticket. Prints how many were linked, how many unrelated ones were linked wrongly, and how long the answer took to
/// reach every player. Run by `Tools/bench/surge`.
@main
struct GMQSurge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gmq-surge",
        abstract: "Files a patch-day surge and answers it with one incident answer; prints the figures.")

    @Option(help: "The player port as HOST:PORT.") var server: String = "127.0.0.1:7070"
    @Option(help: "The staff port as HOST:PORT.") var staffServer: String = "127.0.0.1:7071"
    @Option(help: "A GM's or admin's staff key (default: GMQ_KEY).") var key: String?
    @Option(help: "gmqd's data directory (its secret.key signs the players' tokens).") var data: String = "./gmq-data"
    @Option(help: "Players with the login problem.") var players: Int = 5_000
    @Option(help: "Players with something else.") var unrelated: Int = 500
    @Option(help: "Seconds over which the requests are filed.") var seconds: Double = 60
    @Option(help: "Seed of the texts.") var seed: UInt64 = 132
    @Option(help: "When the GM reviews the clusters, as fractions of the surge (comma-separated; \"\" never).")
    var reviews = "0.2,0.6"
    @Flag(help: "Print what was not linked, and what was linked wrongly.") var verbose = false

    /// The incident as a GM would open it after reading the first tickets of the surge.
    static let incident = IncidentOpen(
        title: "Login error 132 after the 3.3.5b patch", category: "account",
        match: "login error 132; error 132 log in; ошибка 132 при входе; Fehler 132 Anmeldung",
        message: "Error 132 at login comes from today's patch; a hotfix is being deployed tonight.")

    func run() async throws {
        guard let key = self.key ?? ProcessInfo.processInfo.environment["GMQ_KEY"], !key.isEmpty,
            let staff = ServerAddress(self.staffServer), let player = ServerAddress(self.server)
        else { throw ValidationError("give --server, --staff-server and a staff key (--key or GMQ_KEY)") }
        let gm = try await GMQConnection.connect(
            host: staff.host, port: staff.port, hello: Hello(clientKind: .staff, credential: key))
        guard case .incident(let opened) = try await gm.call(.incidentOpen(Self.incident)) else {
            throw ValidationError("INCIDENT_OPEN was not answered with INCIDENT")
        }
        let incident = opened.incident.id

        // The requests, in a shuffled order: surge and unrelated ones mixed as they would arrive.
        var texts = SurgeTexts(seed: self.seed)
        var requests: [(surge: Bool, category: String, text: String)] = (0..<self.players).map { _ in
            (true, "account", texts.surge())
        }
        requests += (0..<self.unrelated).map { _ in
            let (category, text) = texts.unrelated()
            return (false, category, text)
        }
        requests.shuffle(using: &texts.random)

        let signer = PlayerTokenSigner(
            secret: try TokenSecret.loadOrCreate(in: URL(fileURLWithPath: self.data, isDirectory: true)))
        let clock = ContinuousClock()
        var connected: [GMQConnection] = []
        connected.reserveCapacity(requests.count)
        for index in requests.indices {
            let token = signer.sign(
                playerID: Int64(1_000_000 + index), name: "Surge\(index)", expiresAt: Date().addingTimeInterval(7200))
            connected.append(try await GMQConnection.connect(
                host: player.host, port: player.port, hello: Hello(clientKind: .player, credential: token)))
        }
        let sessions = connected
        let filing = requests

        // Filed evenly over --seconds, each without waiting for the others; the GM reviews the clusters meanwhile.
        let outcomes = Shared([Outcome?](repeating: nil, count: requests.count))
        let reviewed = Shared(Review())
        let interval = Duration.seconds(self.seconds) / requests.count
        let reviewAt = Set(self.reviews.split(separator: ",").compactMap { Double($0) }.map { Int($0 * Double(requests.count)) })
        let start = clock.now
        let startedAt = Int64(Date().timeIntervalSince1970 * 1000) - 1_000
        let gmSession = gm
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in filing.indices {
                try await clock.sleep(until: start + interval * index)
                if reviewAt.contains(index) {
                    group.addTask {
                        try await Self.review(
                            gm: gmSession, incident: incident, since: startedAt, outcomes: outcomes, filing: filing,
                            into: reviewed)
                    }
                }
                group.addTask {
                    let request = filing[index]
                    let response = try await sessions[index].send(.submit(Submit(
                        category: request.category, text: request.text,
                        context: GameContext(realm: "Ravencrest", clientBuild: "3.3.5b"))))
                    let outcome: Outcome
                    switch response {
                    case .accepted(let accepted) where accepted.queuePosition == 0:
                        outcome = .linked(accepted.ticketID)
                    case .accepted(let accepted):
                        outcome = .queued(accepted.ticketID)
                    case .rejected(let rejected):
                        outcome = .rejected(rejected.reason)
                    default:
                        outcome = .failed("\(response)")
                    }
                    outcomes.withLock { $0[index] = outcome }
                }
            }
            try await group.waitForAll()
        }
        let filed = clock.now - start
        let all = outcomes.withLock { $0 }
        let review = reviewed.withLock { $0 }
        var surgeLinked = 0, surgeByGM = 0, surgeQueued = 0, surgeRejected = 0, failed = 0, wrong = 0, wrongByGM = 0
        for (request, outcome) in zip(requests, all) {
            switch (request.surge, outcome) {
            case (true, .linked?): surgeLinked += 1
            case (true, .queued(let id)?) where review.linked.contains(id): surgeByGM += 1
            case (true, .queued?): surgeQueued += 1
            case (true, .rejected?): surgeRejected += 1
            case (false, .linked?): wrong += 1
            case (false, .queued(let id)?) where review.linked.contains(id): wrongByGM += 1
            case (_, .failed?), (_, nil): failed += 1
            default: break
            }
            if self.verbose {
                switch (request.surge, outcome) {
                case (true, .linked?): break
                case (false, .queued(let id)?) where !review.linked.contains(id): break
                case (true, .queued(let id)?) where review.linked.contains(id): break
                default: print("  \(request.surge ? "surge" : "unrelated") \(outcome.map { "\($0)" } ?? "-"): \(request.text)")
                }
            }
        }
        guard case .incident(let counted) = try await gm.call(.incidentGet(IncidentGet(incidentID: incident))) else {
            throw ValidationError("INCIDENT_GET was not answered with INCIDENT")
        }

        // One answer: each linked player waits for its push; the clock runs from sending INCIDENT_ANSWER.
        let linkedIndices = all.indices.filter {
            switch all[$0] {
            case .linked?: true
            case .queued(let id)?: review.linked.contains(id)
            default: false
            }
        }
        let answerText = "Hotfix 3.3.5c is live: restart the launcher and the error is gone."
        let arrivals = Shared([Duration]())
        let answerStart = Shared(clock.now)
        let answered = try await withThrowingTaskGroup(of: IncidentAnswered?.self) { group in
            let ready = AsyncStream<Void>.makeStream()
            for index in linkedIndices {
                let ticket: UInt64
                switch all[index] {
                case .linked(let id)?, .queued(let id)?: ticket = id
                default: continue
                }
                let session = sessions[index]
                group.addTask {
                    var pushes = session.notifications.makeAsyncIterator()
                    ready.continuation.yield()
                    while let push = await pushes.next() {
                        // Not the incident's message when the GM linked it: the answer.
                        guard push.ticketID == ticket, push.kind == .answered, push.text.hasSuffix(answerText) else {
                            continue
                        }
                        let at = clock.now - answerStart.withLock { $0 }
                        arrivals.withLock { $0.append(at) }
                        break
                    }
                    return nil
                }
            }
            var waiting = ready.stream.makeAsyncIterator()
            for _ in linkedIndices { await waiting.next() }
            answerStart.withLock { $0 = clock.now }
            let response = try await gmSession.call(.incidentAnswer(IncidentAnswerRequest(
                incidentID: incident, text: answerText)))
            let answeredAfter = clock.now - answerStart.withLock { $0 }
            var result: IncidentAnswered?
            if case .incidentAnswered(let answered) = response { result = answered }
            print(String(format: "surge: INCIDENT_ANSWERED after %.0f ms", answeredAfter.milliseconds))
            try await group.waitForAll()
            return result
        }
        let reached = arrivals.withLock { $0.sorted() }
        for session in sessions { await session.close() }
        await gm.close()

        let percent = self.players == 0 ? 0 : 100 * Double(surgeLinked) / Double(self.players)
        let total = self.players == 0 ? 0 : 100 * Double(surgeLinked + surgeByGM) / Double(self.players)
        print(String(
            format: """
                surge: %d players with the login problem and %d unrelated, filed in %.1f s (%.0f/s)
                surge: linked at once when filed: %d of %d (%.1f%%; goal 95%%)
                surge: linked by the GM from %d of %d clusters reviewed: %d more (%.1f%% in all); still queued %d, \
                refused by the text check %d
                surge: unrelated linked wrongly: %d at once, %d by the GM, of %d (goal 0); failed requests: %d
                surge: the incident counts %d linked, %d open
                surge: one answer reached %d tickets (skipped %d); every player notified %.0f ms after it was sent \
                (p50 %.0f ms, p99 %.0f ms)
                surge_linked_percent=%.1f surge_linked_with_gm_percent=%.1f surge_wrongly_linked=%d \
                surge_answer_all_ms=%.0f
                """,
            self.players, self.unrelated, filed.seconds, Double(requests.count) / filed.seconds,
            surgeLinked, self.players, percent, review.linkedClusters, review.clusters, surgeByGM, total,
            surgeQueued, surgeRejected, wrong, wrongByGM, self.unrelated, failed,
            counted.incident.linked, counted.incident.open, Int(answered?.answered ?? 0), Int(answered?.skipped ?? 0),
            reached.last?.milliseconds ?? 0, Self.quantile(reached, 0.5), Self.quantile(reached, 0.99), percent, total,
            wrong + wrongByGM, reached.last?.milliseconds ?? 0))
        if reached.count != linkedIndices.count {
            throw ValidationError("\(linkedIndices.count - reached.count) linked players never got the answer")
        }
    }

    /// What the GM's reviews of the clusters did.
    struct Review: Sendable {
        var clusters = 0
        var linkedClusters = 0
        var linked = Set<UInt64>()
    }

    /// The GM lists the account clusters filed since the surge began and links to the incident each whose sample
    /// texts show the login problem: here, judged by what most of its tickets are (the run knows which requests
    /// are the surge, as the GM knows from reading them).
    static func review(
        gm: GMQConnection, incident: UInt64, since: Int64, outcomes: Shared<[Outcome?]>,
        filing: [(surge: Bool, category: String, text: String)], into reviewed: Shared<Review>
    ) async throws {
        guard case .clusterList(let list) = try await gm.call(.clusters(ClustersRequest(
            category: "account", since: since, limit: 100)))
        else { return }
        let surgeByTicket: [UInt64: Bool] = outcomes.withLock { outcomes in
            var byTicket: [UInt64: Bool] = [:]
            for (index, outcome) in outcomes.enumerated() {
                if case .queued(let id)? = outcome { byTicket[id] = filing[index].surge }
            }
            return byTicket
        }
        var linkedClusters = 0
        var linked = Set<UInt64>()
        for cluster in list.clusters {
            let known = cluster.tickets.compactMap { surgeByTicket[$0] }
            guard known.filter({ $0 }).count * 2 > known.count else { continue }
            guard case .incidentLinked = try await gm.call(.incidentLink(IncidentLinkRequest(
                incidentID: incident, tickets: cluster.tickets, examples: cluster.samples)))
            else { continue }
            linkedClusters += 1
            linked.formUnion(cluster.tickets)
        }
        reviewed.withLock { review in
            review.clusters += list.clusters.count
            review.linkedClusters += linkedClusters
            review.linked.formUnion(linked)
        }
    }

    enum Outcome: CustomStringConvertible {
        case linked(UInt64)
        case queued(UInt64)
        case rejected(String)
        case failed(String)

        var description: String {
            switch self {
            case .linked(let id): "linked #\(id)"
            case .queued(let id): "queued #\(id)"
            case .rejected(let reason): "rejected \(reason)"
            case .failed(let what): "failed \(what)"
            }
        }
    }

    static func quantile(_ sorted: [Duration], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))].milliseconds
    }
}

/// A value several tasks read and change.
final class Shared<Value: Sendable>: Sendable {
    private let state: Mutex<Value>
    init(_ value: Value) { self.state = Mutex(value) }
    func withLock<T>(_ body: (inout sending Value) -> sending T) -> sending T { self.state.withLock(body) }
}

extension Duration {
    var seconds: Double { Double(self.components.seconds) + Double(self.components.attoseconds) / 1e18 }
    var milliseconds: Double { self.seconds * 1000 }
}

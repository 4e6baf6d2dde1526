import GMQClient
import GMQProtocol
import NIOCore

/// Issues a run's submissions from the connections' own event loops: each loop paces the connections that live on
/// it, writes their requests and records their answers without leaving the loop. A task and an `await` per request
/// cost the load generator 155 µs of CPU a request at 3,700/s, most of it thread switches, on the two cores it
/// shares with the server it measures.
struct LoadDriver: Sendable {
    /// Least time between two looks at the open loop's schedule, per event loop: one wake-up a millisecond instead
    /// of one a request.
    static let tick = TimeAmount.milliseconds(1)

    let sessions: [GMQConnection]
    let recorder: Recorder
    let counter: Counter
    let clock: ContinuousClock
    let start: ContinuousClock.Instant
    let end: ContinuousClock.Instant

    /// Open loop: `rate` submissions a second in all, request k of a loop due at start + k / (its share of `rate`),
    /// whatever happened to the others. Due requests go out in ticks of at least `tick`; latency counts from when
    /// each was due, so a tick can only add to what is measured, never hide a stall.
    func openLoop(rate: Double) async throws {
        try await self.onEachLoop { share in
            let interval = Duration.nanoseconds(Int64(1e9 * Double(self.sessions.count) / (rate * Double(share.sessions.count))))
            @Sendable func due(_ k: Int) -> ContinuousClock.Instant { self.start + interval * k }
            @Sendable func pace() {
                let now = self.clock.now
                while due(share.issued) <= now, due(share.issued) < self.end {
                    self.submit(on: share.sessions[share.issued % share.sessions.count], in: share, due: due(share.issued))
                    share.issued += 1
                }
                guard due(share.issued) < self.end else {
                    share.doneIssuing()
                    return
                }
                let wait = max(TimeAmount(due(share.issued) - now), Self.tick)
                share.loop.scheduleTask(in: wait) { pace() }
            }
            pace()
        }
    }

    /// Closed loop: every connection keeps `inflight` submissions in flight until the end.
    func closedLoop(inflight: Int) async throws {
        try await self.onEachLoop { share in
            share.chains = share.sessions.count * inflight
            @Sendable func chain(_ session: GMQConnection) {
                guard self.clock.now < self.end else {
                    share.chains -= 1
                    if share.chains == 0 { share.doneIssuing() }
                    return
                }
                self.submit(on: session, in: share, due: self.clock.now) { chain(session) }
            }
            for session in share.sessions {
                for _ in 0..<inflight { chain(session) }
            }
        }
    }

    /// Runs `body` on every event loop that holds connections, with that loop's share, and returns when every
    /// share has issued all it will and every answer has arrived.
    private func onEachLoop(_ body: @escaping @Sendable (LoopShare) -> Void) async throws {
        var byLoop: [ObjectIdentifier: [GMQConnection]] = [:]
        for session in self.sessions { byLoop[ObjectIdentifier(session.eventLoop), default: []].append(session) }
        let finished = byLoop.values.map { sessions in
            let share = LoopShare(loop: sessions[0].eventLoop, sessions: sessions)
            share.loop.execute { body(share) }
            return share.finished.futureResult
        }
        for future in finished { try await future.get() }
    }

    /// Sends one submission on `session` (on its loop) and records its answer; then runs `next`.
    private func submit(
        on session: GMQConnection, in share: LoopShare, due: ContinuousClock.Instant,
        next: (@Sendable () -> Void)? = nil
    ) {
        share.inFlight += 1
        let text = SampleRequests.text(self.counter.next())
        session.send(.submit(Submit(category: "bug", text: text))) { response in
            self.recorder.record(response, latency: self.clock.now - due)
            share.inFlight -= 1
            next?()
            share.finishIfDone()
        }
    }
}

/// One event loop's connections and counts, touched only on that loop (hence unchecked).
final class LoopShare: @unchecked Sendable {
    let loop: any EventLoop
    let sessions: [GMQConnection]
    let finished: EventLoopPromise<Void>
    var inFlight = 0
    /// Open loop: requests issued so far.
    var issued = 0
    /// Closed loop: chains of requests still going.
    var chains = 0
    private var issuing = true
    private var done = false

    init(loop: any EventLoop, sessions: [GMQConnection]) {
        self.loop = loop
        self.sessions = sessions
        self.finished = loop.makePromise()
    }

    func doneIssuing() {
        self.issuing = false
        self.finishIfDone()
    }

    func finishIfDone() {
        guard !self.issuing, self.inFlight == 0, !self.done else { return }
        self.done = true
        self.finished.succeed()
    }
}

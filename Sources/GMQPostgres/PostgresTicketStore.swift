import Foundation
import GMQCore
import Logging
import NIOCore
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// The shared engine: the `TicketStore` contract on one PostgreSQL database that several `gmqd` nodes use at once.
///
/// Rows are the truth, and every rule that was "the single writer is the lock" on SQLite is a lock here:
/// a step locks its ticket (`FOR UPDATE`), claim-next takes the most urgent open ticket that no other transaction
/// holds (`FOR UPDATE SKIP LOCKED`), a submission takes an advisory lock on its player (open limit, duplicate check), and every
/// transaction that appends events files their hashes with them; after they commit, a chainer locks the chain head
/// and links what is filed into the global chain (`event_chain`), which fixes the chain's order across nodes.
/// Writes that append events are group committed per node (`BatchWriter`).
/// Each batch NOTIFYs the ids it changed; every node listens on a dedicated connection, polls as a fallback and
/// re-reads after every reconnect (`changes()`).
public final class PostgresTicketStore: TicketStore {
    public let serviceLevels: ServiceLevels
    public let replyLimits: ReplyLimits
    /// This node's name in presence rows and change notices.
    public let node: String
    let location: PostgresLocation
    let client: PostgresClient
    /// Two lanes of batches. Every batch of every node queued for the chain head's lock (until PostgreSQL
    /// migration 18; now a batch of submissions queues for its categories' locks), and a second loop that
    /// takes any batch only added waiters (3 nodes, 256 connections, alternated pairs in one session: 3,257 and
    /// 3,085 acked/s with one loop against 2,923 and 2,756 with two and 2,430 with four; the cross-node push's
    /// p99 at 1,000/s 53 and 69 ms against 189 and 274 ms with two). So each lane has one such loop, and the
    /// submissions a second that starts only when a full batch waits behind the one committing: then one node
    /// is bound by its loop's round trips, not by CPU or the lock (1 node, 256 connections: 38% of the two cores
    /// idle), and the second loop gave 2,255 and 2,375 acked/s against 1,598 and 1,818 with one, alternated;
    /// 3 nodes, whose loops rarely see a full batch waiting, were unchanged within noise.
    /// Submissions: group committed in bulk, up to `BatchWriter.maximumBatch` at once, a busy writer letting the
    /// next batch gather for `submissionWindow` unless 32 wait.
    let submissions = BatchWriter(window: PostgresTicketStore.submissionWindow, enough: 32)
    /// A batch costs PostgreSQL and the node much of their CPU whatever its size (its statements, round trips and
    /// commit): 3 nodes at 1,800 submissions/s, open loop, batched ~11 at a time, kept the two cores 95–98% busy,
    /// against 0.24 and 0.22 ms per submission in the closed loop's batches of ~80. With this window, three pairs
    /// alternated with none (the cross-node push probe's 300 answers meanwhile):
    /// - CPU: gmqd 0.85, 0.85 and 0.77 of a core against 0.91, 0.89 and 0.89; PostgreSQL 0.66, 0.66 and 0.63
    ///   against 0.74, 0.75 and 0.75;
    /// - the push: p50 8.8, 11.3 and 9.5 ms against 22.6, 24.1 and 25.8; p99 29.0, 48.4 and 39.3 against 49.2, 70.0
    ///   and 57.9;
    /// - the submissions' own p99: 91.5, 106.1 and 100.9 ms against 124.7, 150.1 and 121.5 (p50 within noise).
    /// With 30 ms the CPU fell less (two pairs: 93% and 90% busy against 97% and 98%). A GM's write has no window
    /// (`writer`), and a writer that has just committed a lone write does not wait, so a quiet node adds nothing.
    /// 32 writes waiting are enough to commit at once: without that bound, one node's closed loop (256
    /// connections) fell from 4,009 and 4,043 acked/s to 3,239, 3,003 and 3,031, its second loop's clients all
    /// waiting in the window behind a batch that could not fill; with it, 3,091 and 3,122 against 3,628 and
    /// 3,050 (3 nodes: 2,901 and 3,515 against 2,850 and 3,122), alternated.
    static let submissionWindow: Duration = .milliseconds(45)
    /// Every other write (a GM's step, a player's reply, an account change): a lane of its own, so that a GM's
    /// answer does not wait behind a batch of submissions.
    let writer = BatchWriter()
    let logger: Logger
    /// The fingerprints of tickets this node stored or read lately (`fingerprints(of:_:)`).
    private let rememberedFingerprints = Mutex(FingerprintRing())
    private let feed = ChangeFeed()
    private let migrated = Latch()
    /// Opened once the listener first subscribed: what other nodes change from then on reaches `changes()`.
    private let subscribed = Latch()
    /// How often the listener re-reads without being told (`.resync`), in case a notice was lost.
    let pollInterval: Duration
    /// Told of every batch transaction: the operator's metrics.
    let monitor: StoreMonitor

    public init(
        location: PostgresLocation, serviceLevels: ServiceLevels = .standard, replyLimits: ReplyLimits = .standard,
        node: String = ProcessInfo.processInfo.hostName + ":" + String(ProcessInfo.processInfo.processIdentifier),
        maximumConnections: Int = 20, pollInterval: Duration = .seconds(5), monitor: StoreMonitor = .none,
        logger: Logger = Logger(label: "gmq.postgres")
    ) {
        self.monitor = monitor
        self.location = location
        self.serviceLevels = serviceLevels
        self.replyLimits = replyLimits
        self.node = node
        self.logger = logger
        self.pollInterval = pollInterval
        var configuration = PostgresClient.Configuration(
            host: location.host, port: location.port, username: location.username, password: location.password,
            database: location.database, tls: .disable)
        configuration.options.maximumConnections = maximumConnections
        configuration.options.minimumConnections = 2
        self.client = PostgresClient(configuration: configuration, backgroundLogger: logger)
    }

    /// Runs the client, migrates, and hosts the batch writer and the change listener until graceful shutdown (or
    /// cancellation); queued writes commit before the client closes.
    public func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.client.run() }
            try await PostgresSchema.migrate(self.client, logger: self.logger)
            self.migrated.open()
            let writerDone = Latch()
            group.addTask {
                await withDiscardingTaskGroup { writers in
                    let lanes = [(self.submissions, 1), (self.writer, 1), (self.submissions, BatchWriter.maximumBatch)]
                    for (lane, (writer, minimum)) in lanes.enumerated() {
                        let shard = "\(self.node)/\(lane)"
                        writers.addTask {
                            await writer.run(minimum: minimum) { batch in
                                await self.commit(batch, shard: shard)
                            }
                        }
                    }
                }
                writerDone.open()
            }
            group.addTask { await self.listen() }
            group.addTask { await self.chain() }
            group.addTask {
                // The fallback: a re-read now and then, whatever the listener heard.
                while true {
                    try await Task.sleep(for: self.pollInterval)
                    self.feed.yield(.resync)
                }
            }
            try? await gracefulShutdown()
            self.submissions.finish()
            self.writer.finish()
            await writerDone.wait()
            // What the last batches filed is linked before the client closes.
            try? await self.linkPending(waiting: true)
            self.feed.finish()
            group.cancelAll()
        }
    }

    /// Runs `body` with a running store: for one-shot commands outside a service group.
    public func withRunning<T: Sendable>(_ body: @Sendable (PostgresTicketStore) async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.run() }
            defer { group.cancelAll() }
            await self.migrated.wait()
            return try await body(self)
        }
    }

    /// Player locks are the player id XOR this, in the advisory-lock key space (no overflow for any id; apart from
    /// the migration lock, 7071, for every id but one).
    static let playerLockSpace: Int64 = 1 << 40

    /// Queries wait for the schema (a node may start before another finished migrating).
    func ready() async { await self.migrated.wait() }

    /// How long one query or one batch may take before its caller is told the store is busy. A connection that
    /// dies just as a query is handed to it (PostgreSQL restarting) can leave that query unanswered for ever;
    /// the caller must not wait with it.
    static let deadline: Duration = .seconds(20)

    /// Runs `body`, or throws `StoreError.busy` once `deadline` has passed (the body is left to finish alone).
    func bounded<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let answer = Answer<T>()
        return try await withCheckedThrowingContinuation { continuation in
            answer.set(continuation)
            let work = Task {
                do {
                    answer.resume(with: .success(try await body()))
                } catch {
                    answer.resume(with: .failure(error))
                }
            }
            Task {
                try? await Task.sleep(for: Self.deadline)
                if answer.resume(with: .failure(StoreError.busy(retryAfterMilliseconds: 1_000))) {
                    work.cancel()
                    self.logger.error("a PostgreSQL call passed its deadline; answered busy")
                }
            }
        }
    }

    /// One statement on a pooled connection, its rows collected, within `deadline`.
    @discardableResult
    func query(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await self.bounded { try await self.client.query(query, logger: self.logger).collect() }
    }

    // MARK: Batches

    private func commit(_ batch: [any BatchJob], shard: String, attempt: Int = 1) async {
        // Once COMMIT is sent its outcome may be unknown (the connection can die before the answer): then the
        // writes are not run again, since they may have committed; their callers get the error, nothing is
        // acknowledged, and a client that retries meets its own ticket through the duplicate check.
        let commitSent = Flag()
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let committing = try await self.bounded { try await self.client.withConnection { connection in
                let transaction = Transaction(connection: connection, logger: self.logger, shard: shard)
                do {
                    // Submissions first and together (their player locks before any ticket lock of the batch, in
                    // one order on every node), then every other write in turn.
                    let submissions = batch.compactMap { $0 as? SubmissionJob }
                    if !submissions.isEmpty { try await self.submit(submissions, transaction) }
                    for job in batch where !(job is SubmissionJob) { try await job.run(in: transaction) }
                    return try await self.finishAndCommit(transaction, commitSent: commitSent)
                } catch {
                    if !commitSent.isSet { _ = try? await connection.query("ROLLBACK", logger: self.logger) }
                    throw error
                }
            } }
            let end = clock.now
            self.monitor.transaction(batch.count, end - start, end - committing, false)
            for job in batch { job.succeed() }
        } catch {
            self.monitor.transaction(batch.count, clock.now - start, .zero, true)
            if commitSent.isSet || error as? StoreError != nil {
                // Committed or not, unknown (or it took past the deadline and may still commit): no second run.
                self.logger.error("commit outcome unknown", metadata: ["error": "\(String(reflecting: error))"])
                for job in batch { job.fail(error) }
            } else if batch.count > 1 {
                // One write spoiled the batch (or two nodes' batches deadlocked): each alone now.
                for job in batch { await self.commit([job], shard: shard) }
            } else if attempt < 4, let state = (error as? PSQLError)?.sqlState, ["40001", "40P01"].contains(state) {
                await self.commit(batch, shard: shard, attempt: attempt + 1)
            } else {
                self.logger.error("write failed", metadata: ["error": "\(String(reflecting: error))"])
                batch.first?.fail(error)
            }
        }
    }

    /// The batch's end: its events inserted, then one call of `gmq_place_batch` (PostgreSQL migration 18), and its
    /// COMMIT. The call files the events' hashes for the chainer (`chain()`), takes a lock per category the batch
    /// places tickets in, reads those queues' depth, moves this writer's depth shard, and tells the other nodes
    /// what changed. A category's lock orders every batch that places tickets in it, across writers and nodes,
    /// until COMMIT: the depth read after it holds every earlier batch's tickets, so two new tickets never get the
    /// same place. A batch that places none (a GM's answer) waits for no other batch. Returns when COMMIT was sent.
    ///
    /// COMMIT is pipelined behind the call: the connection sends it as soon as the call's answer is in, on its
    /// event loop, instead of after a hop of this task through the cooperative pool while the lock is held (the
    /// COMMIT round trip took 9 ms on average under load on two cores; pipelining it showed no difference beyond
    /// this machine's noise in two pairs, the single call did). If the call fails, its transaction is aborted and
    /// the COMMIT behind it rolls back: nothing was committed.
    private func finishAndCommit(_ transaction: Transaction, commitSent: Flag) async throws -> ContinuousClock.Instant {
        let connection = transaction.connection
        let events = transaction.events
        let depth = transaction.depth.filter { $0.value != 0 }
        let placed = Array(Set(transaction.placements.map(\.category)))
        let payloads = ChangeNotice.payloads(
            node: self.node, notifications: transaction.notifications, tickets: transaction.tickets)
        func bytes(_ data: Data?) -> ByteBuffer { ByteBuffer(bytes: data ?? EventChain.Link.genesis.hash) }
        // The columns both statements name, built once.
        let (tickets, seqs, hashes) = (events.map(\.ticketID), events.map(\.seq), events.map { bytes($0.hash) })
        if !events.isEmpty {
            // Before the categories' locks (taken by the call after it).
            transaction.send("""
                INSERT INTO events (ticket_id, seq, kind, actor_id, actor_name, actor_role, at, text, prev_hash, hash)
                SELECT * FROM unnest(
                    \(tickets)::BIGINT[], \(seqs)::BIGINT[], \(events.map(\.kind.rawValue))::TEXT[],
                    \(events.map(\.actorID))::BIGINT[], \(events.map(\.actorName))::TEXT[],
                    \(events.map(\.actorRole.rawValue))::TEXT[], \(events.map(\.at))::BIGINT[], \(events.map(\.text))::TEXT[],
                    \(events.map { bytes($0.previousHash) })::BYTEA[], \(hashes)::BYTEA[])
                """)
        }
        var finishing: EventLoopFuture<PostgresQueryResult>?
        if !events.isEmpty || !depth.isEmpty || !placed.isEmpty || !payloads.isEmpty {
            let categories = Array(depth.keys)
            finishing = connection.query("""
                SELECT placed_category, committed_depth FROM gmq_place_batch(
                    \(transaction.shard), \(placed)::TEXT[], \(categories)::TEXT[], \(categories.map { depth[$0]! })::BIGINT[],
                    \(ChangeNotice.channel), \(payloads)::TEXT[],
                    \(tickets)::BIGINT[], \(seqs)::BIGINT[], \(hashes)::BYTEA[])
                """, logger: self.logger)
        }
        let committing = ContinuousClock.now
        let commit: EventLoopFuture<PostgresQueryResult> = connection.query("COMMIT", logger: self.logger)
        if let finishing {
            let committed: [(String, Int64)]
            do {
                committed = try await finishing.get().rows.map { try $0.decode((String, Int64).self) }
            } catch {
                _ = try? await commit.get()
                try await transaction.settle()
                throw error
            }
            let before = Dictionary(committed, uniquingKeysWith: +)
            for placement in transaction.placements {
                placement.place(Int(before[placement.category, default: 0] + placement.ahead) + 1)
            }
        }
        do {
            try await transaction.settle()
        } catch {
            _ = try? await commit.get()
            throw error
        }
        commitSent.set()
        _ = try await commit.get()
        if !events.isEmpty { self.chainWake.withLock { _ = $0?.yield() } }
        return committing
    }

    // MARK: Change feed

    public func changes() -> AsyncStream<StoreChange> { self.feed.subscribe() }

    /// The listener: one dedicated connection LISTENing; after every (re)connect it says `.resync`, since
    /// PostgreSQL drops notices sent while a listener is away.
    private func listen() async {
        let configuration = PostgresConnection.Configuration(
            host: self.location.host, port: self.location.port, username: self.location.username,
            password: self.location.password, database: self.location.database, tls: .disable)
        var connectionID = 0
        while !Task.isCancelled {
            connectionID += 1
            do {
                let connection = try await PostgresConnection.connect(
                    configuration: configuration, id: connectionID, logger: self.logger)
                defer { Task { try? await connection.close() } }
                try await connection.listen(on: ChangeNotice.channel) { notices in
                    // Subscribed: whatever was sent while no listener was here is re-read now.
                    self.feed.yield(.resync)
                    self.subscribed.open()
                    for try await notice in notices {
                        self.feed.yield(contentsOf: ChangeNotice.parse(notice.payload, skippingNode: self.node))
                    }
                }
                throw ListenerEnded()
            } catch {
                if Task.isCancelled { return }
                self.logger.warning("change listener lost its connection; reconnecting", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    private struct ListenerEnded: Error {}

    /// Returns once the listener has subscribed. Before that, a change another node makes reaches this node only
    /// by a re-read (`.resync`), which tells players their notifications again but shows a console no queue change.
    public func listening() async { await self.subscribed.wait() }

    // MARK: The global chain

    /// The chainer (PostgreSQL migration 18): links the events that committed batches filed in `chain_pending`,
    /// woken by this node's batches and, for what a node that died filed, every `pollInterval`. One pass at most
    /// every `chainInterval`, so that a pass links the events of many batches in one transaction.
    private func chain() async {
        await self.ready()
        let wakes = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        self.chainWake.withLock { $0 = wakes.continuation }
        await withDiscardingTaskGroup { group in
            group.addTask {
                while (try? await Task.sleep(for: self.pollInterval)) != nil { wakes.continuation.yield() }
                wakes.continuation.finish()
            }
            var vacuumed = ContinuousClock.now
            for await _ in wakes.stream {
                do {
                    try await self.linkPending(waiting: false)
                    if vacuumed.duration(to: .now) > Self.pendingVacuumInterval {
                        // Another node's VACUUM of it runs: this one is skipped. Without truncating the table's
                        // empty end, which takes a lock that every batch's insert would wait for.
                        try await self.query("VACUUM (SKIP_LOCKED, TRUNCATE false) chain_pending")
                        vacuumed = .now
                    }
                } catch {
                    if Task.isCancelled { break }
                    self.logger.warning("linking the event chain failed; retrying", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: Self.chainInterval)
            }
            group.cancelAll()
        }
    }

    /// The least time between two of a node's chainer passes; the chain lags its events by about this much under
    /// load, and `verifyChain` links what is filed before it reads. A pass is a transaction with its own commit
    /// (its fsync) under the head's lock, so fewer passes leave more of the machine to the writers. 3 nodes at
    /// 1,800 submissions/s with the cross-node push probe (300 answers), alternated runs, push p99: 52.2 and
    /// 44.4 ms at 250 ms against 64.6 and 53.0 at 100 ms and 63.4 and 68.5 with the chain head locked by every
    /// batch until its COMMIT (migration 15). At 20 ms, with a pass retried while another node held the head, it
    /// was worse than that: 85.8, 98.2 and 97.5 ms against 56.2, 74.4 and 87.8.
    static let chainInterval: Duration = .milliseconds(250)

    /// How often a chainer vacuums `chain_pending`, whose every row is deleted soon after it is inserted. Autovacuum
    /// looks at a database once a minute: by then, at 3,000 submissions/s, 180,000 dead rows lay in the table that
    /// every pass scans. 3 nodes at 1,800/s, 16 s, pg_stat_statements: a pass took 4.9 ms (27,678 dead rows at the
    /// end) and PostgreSQL 7.63 s of CPU, against 4.0 ms and 7.24 s with a VACUUM every second. 3 nodes, closed
    /// loop, 20 s, alternated: 3,237 and 3,036/s without it, 3,344 and 3,468/s with it (within noise).
    static let pendingVacuumInterval: Duration = .seconds(5)

    /// Set once the chainer runs: a batch that committed events wakes it.
    private let chainWake = Mutex<AsyncStream<Void>.Continuation?>(nil)

    /// Links every filed event, in passes of up to 10,000. Not `waiting`, it leaves the work to another node's
    /// chainer that holds the head: what that pass does not see is linked at the next wake.
    func linkPending(waiting: Bool) async throws {
        while true {
            let linked = try await self.query("SELECT gmq_chain_pending(10000, \(waiting))").first {
                try $0.decode(Int.self)
            } ?? 0
            if linked < 10_000 { return }
        }
    }

    // MARK: Categories

    public func categories() async throws -> [GMQCore.Category] {
        await self.ready()
        return try await self.query("SELECT id, title FROM categories ORDER BY position").all { row in
            let (id, title) = try row.decode((String, String).self)
            return GMQCore.Category(id: id, title: title)
        }
    }

    public func addCategory(id: String, title: String, by actor: String, at now: Date) async throws
        -> GMQCore.Category
    {
        guard GMQCore.Category.isValidID(id) else { throw StoreError.categoryIDInvalid(id) }
        await self.ready()
        return try await self.writer.write { tx in
            let inserted = try await tx.query(
                "INSERT INTO categories (id, title) VALUES (\(id), \(title)) ON CONFLICT (id) DO NOTHING RETURNING id"
            ).first { _ in true }
            guard inserted != nil else { throw StoreError.categoryExists(id) }
            try await Self.log(.categoryAdded, target: id, detail: "title \(title)", by: actor, at: now, tx)
            return GMQCore.Category(id: id, title: title)
        }
    }

    func knownCategories(_ transaction: Transaction) async throws -> [String] {
        try await transaction.query("SELECT id FROM categories ORDER BY position").all { try $0.decode(String.self) }
    }

    // MARK: Players

    public func submit(_ submission: Submission, policy: SubmitPolicy, at now: Date) async throws -> SubmitOutcome {
        await self.ready()
        return try await self.submissions.enqueue {
            SubmissionJob(submission: submission, policy: policy, now: now, continuation: $0)
        }
    }

    /// A batch's submissions in a few round trips whatever their number (issue 17: one multi-row insert per
    /// batch): the players' advisory locks in one statement (in id order, the same on every node, so two batches
    /// never wait on each other in a circle), one read of what every submission needs (the category, the player's
    /// open count up to the limit, the queue's depth, a new id, the duplicate candidates), the decisions in
    /// order here (a submission sees the batch's earlier ones), and one INSERT of every new ticket. A submission
    /// that repeats an open ticket is merged with the single-ticket steps, which are rare.
    ///
    /// Per submission this was three round trips in turn on the batch's connection (lock, read, insert).
    private func submit(_ jobs: [SubmissionJob], _ tx: Transaction) async throws {
        // The advisory lock serialises a player's submissions across writers and nodes, writing nothing; taken by
        // a statement of its own, so that the read after it sees every ticket committed before it was granted
        // (sent without waiting: PostgreSQL runs the read after it all the same, with a snapshot taken then).
        let players = Set(jobs.map(\.submission.player.id)).sorted()
        tx.send(
            "SELECT pg_advisory_xact_lock(k) FROM unnest(\(players.map { $0 ^ Self.playerLockSpace })::BIGINT[]) AS k")
        // Per submission once (in the CTE, not per candidate row): its new id and its player's open count (kept
        // by triggers, migration 16). The queue's depth is read at the batch's end (finishAndCommit).
        let rows = try await tx.execute(
            SubmissionRead(players: jobs.map(\.submission.player.id), categories: jobs.map(\.submission.category)))
        let stored = try await self.fingerprints(of: rows.flatMap(\.4), tx)
        struct Found {
            var known = false
            var open: Int64 = 0
            var id: Int64 = 0
            var candidates: [(id: Int64, fingerprint: Data?, text: String)] = []
        }
        var found = Array(repeating: Found(), count: jobs.count)
        for row in rows {
            let index = Int(row.0) - 1
            found[index].known = row.1
            found[index].open = row.2
            found[index].id = row.3
            found[index].candidates = row.4.compactMap { id in stored[id].map { (id, $0.fingerprint, $0.text) } }
        }
        // New tickets not yet inserted, and what they add to each player's open count and candidates.
        var pending: [(ticket: Ticket, fingerprint: Data?, hash: Data)] = []
        var openedNow: [Int64: Int64] = [:]
        for (job, found) in zip(jobs, found) {
            let submission = job.submission
            let (player, category) = (submission.player.id, submission.category)
            guard found.known else {
                job.result = .failure(StoreError.unknownCategory(category, known: try await self.knownCategories(tx)))
                continue
            }
            let batchCandidates = pending.reversed()
                .filter { $0.ticket.playerID == player && $0.ticket.category == category }
                .map { (id: $0.ticket.id, fingerprint: $0.fingerprint, text: $0.ticket.text) }
            let candidates = batchCandidates + found.candidates
            if let repeated = candidates.first(where: { job.policy.isDuplicate($0.fingerprint == nil ? $0.text : "", $0.fingerprint) }) {
                // The ticket it repeats may be one of this batch's: written first, so that the merge finds it.
                self.insert(pending, tx)
                pending.removeAll()
                do {
                    job.result = .success(try await self.merge(submission, into: repeated.id, at: job.now, tx))
                } catch where isRefusal(error) {
                    job.result = .failure(error)
                }
                continue
            }
            if found.open + openedNow[player, default: 0] >= job.policy.openLimit {
                self.insert(pending, tx)
                pending.removeAll()
                job.result = .success(.openLimitReached(try await tx.query("""
                    SELECT id FROM tickets WHERE player_id = \(player) AND state <> 'closed' ORDER BY id LIMIT 20
                    """
                ).all { try $0.decode(Int64.self) }))
                continue
            }
            let ms = job.now.milliseconds
            let ticket = Ticket(
                id: found.id, submission: submission, target: self.serviceLevels.target(for: category), at: ms)
            let event = tx.append(
                TicketEvent(
                    ticketID: ticket.id, seq: 1, kind: .submitted, actorID: player, actorName: submission.player.name,
                    actorRole: .player, at: ms, text: submission.text),
                previousInTicket: nil)
            pending.append((ticket, submission.fingerprint, event.hash ?? Data()))
            // Remembered before the batch commits: an id drawn from the sequence is never drawn again, so a batch
            // rolled back leaves a fingerprint no candidate will ever ask for.
            if let fingerprint = submission.fingerprint {
                self.rememberedFingerprints.withLock { $0.insert(fingerprint, of: ticket.id) }
            }
            openedNow[player, default: 0] += 1
            // Its place is behind the category's open tickets, as on SQLite: the depth committed before this batch
            // (known at its end), what this batch opened and closed before it, and itself. A ticket linked to an
            // incident waits outside the queue.
            if ticket.isQueued {
                tx.enqueue(category) { job.result = .success(.created(ticket, position: $0)) }
            } else {
                job.result = .success(.created(ticket, position: 0))
            }
        }
        self.insert(pending, tx)
    }

    /// The duplicate candidates' fingerprints (a ticket's text instead, for one stored before fingerprints): those
    /// this node remembers, and the others read in one statement and remembered. The candidates' rows were a
    /// DataRow each with its fingerprint (ten per submission in `gmq-load`'s closed loop), and their decoding the
    /// larger part of the 28% of a node's CPU in PostgresNIO (a DWARF profile of one of three nodes at 1,600
    /// submissions/s).
    private func fingerprints(of ids: [Int64], _ tx: Transaction) async throws
        -> [Int64: (fingerprint: Data?, text: String)]
    {
        var found: [Int64: (fingerprint: Data?, text: String)] = [:]
        var unknown: [Int64] = []
        self.rememberedFingerprints.withLock { ring in
            for id in ids {
                if let fingerprint = ring.fingerprint(of: id) {
                    found[id] = (fingerprint, "")
                } else {
                    unknown.append(id)
                }
            }
        }
        guard !unknown.isEmpty else { return found }
        let rows = try await tx.query("""
            SELECT id, content_words, CASE WHEN content_words IS NULL THEN text END FROM tickets
            WHERE id = ANY(\(unknown)::BIGINT[])
            """
        ).all { try $0.decode((Int64, Data?, String?).self) }
        self.rememberedFingerprints.withLock { ring in
            for (id, fingerprint, _) in rows { if let fingerprint { ring.insert(fingerprint, of: id) } }
        }
        for (id, fingerprint, text) in rows { found[id] = (fingerprint, text ?? "") }
        return found
    }

    /// Inserts new tickets in one statement, sent without waiting (`Transaction.send`): a column each as an array,
    /// so the statement's text is the same for any number of tickets. As a VALUES row of 24 parameters per ticket,
    /// PostgreSQL parsed and planned a statement of up to 3,072 parameters for every batch (0.1 ms of planning per
    /// call at 1,600 submissions/s over 3 nodes, pg_stat_statements; its parse besides). Arrays hold no NULL here:
    /// a ticket without a fingerprint is marked in `has_words`, and id 0 (no incident, no player it is about) is
    /// never an id.
    private func insert(_ tickets: [(ticket: Ticket, fingerprint: Data?, hash: Data)], _ tx: Transaction) {
        guard !tickets.isEmpty else { return }
        let t = tickets.map(\.ticket)
        tx.send("""
            INSERT INTO tickets (id, category, state, player_id, player_name, text, realm, character_id, character_name,
                map_id, zone, x, y, z, client_build, created_at, updated_at, content_words, priority, due_at, last_seq,
                last_hash, incident_id, about_player_id)
            SELECT id, category, state, player_id, player_name, text, realm, character_id, character_name, map_id, zone,
                x, y, z, client_build, created_at, updated_at, CASE WHEN has_words THEN words END, priority, due_at, 1,
                last_hash, NULLIF(incident_id, 0), NULLIF(about_player_id, 0)
            FROM unnest(
                \(t.map(\.id))::BIGINT[], \(t.map(\.category))::TEXT[], \(t.map(\.state.rawValue))::TEXT[],
                \(t.map(\.playerID))::BIGINT[], \(t.map(\.playerName))::TEXT[], \(t.map(\.text))::TEXT[],
                \(t.map(\.realm))::TEXT[], \(t.map(\.characterID))::BIGINT[], \(t.map(\.characterName))::TEXT[],
                \(t.map(\.mapID))::BIGINT[], \(t.map(\.zone))::TEXT[], \(t.map(\.x))::FLOAT8[], \(t.map(\.y))::FLOAT8[],
                \(t.map(\.z))::FLOAT8[], \(t.map(\.clientBuild))::TEXT[], \(t.map(\.createdAt))::BIGINT[],
                \(t.map(\.updatedAt))::BIGINT[], \(tickets.map { $0.fingerprint != nil })::BOOLEAN[],
                \(tickets.map { ByteBuffer(bytes: $0.fingerprint ?? Data()) })::BYTEA[],
                \(t.map { Int64($0.priority) })::BIGINT[], \(t.map(\.dueAt))::BIGINT[],
                \(tickets.map { ByteBuffer(bytes: $0.hash) })::BYTEA[], \(t.map { $0.incidentID ?? 0 })::BIGINT[],
                \(t.map { $0.aboutPlayerID ?? 0 })::BIGINT[]
            ) AS u(id, category, state, player_id, player_name, text, realm, character_id, character_name, map_id,
                zone, x, y, z, client_build, created_at, updated_at, has_words, words, priority, due_at, last_hash,
                incident_id, about_player_id)
            """)
    }

    /// A submission that repeats open ticket `id`: added to it as the player's reply, or folded (nothing written)
    /// when it says nothing new or would pass the reply limits.
    private func merge(_ submission: Submission, into id: Int64, at now: Date, _ tx: Transaction) async throws
        -> SubmitOutcome
    {
        let (existing, last) = try await self.lockTicket(id, tx)
        let replies = try await self.playerReplies(on: existing, tx)
        guard SubmitPolicy.merges(submission, into: existing, replies: replies, limits: self.replyLimits, now: now)
        else { return .folded(existing, position: try await self.position(of: existing, tx.connection)) }
        let change = try await self.step(
            .reply(substantive: true), on: existing, last: last, by: submission.player, text: submission.text,
            at: now, tx)
        return .merged(change, position: try await self.position(of: change.ticket, tx.connection))
    }

    public func position(of ticket: Ticket) async throws -> Int {
        await self.ready()
        return try await self.client.withConnection { try await self.position(of: ticket, $0) }
    }

    private func position(of ticket: Ticket, _ connection: PostgresConnection) async throws -> Int {
        guard ticket.isQueued else { return 0 }
        return Int(try await connection.query("""
            SELECT count(*) FROM tickets WHERE category = \(ticket.category) AND state = 'open' AND incident_id IS NULL
                AND (priority > \(ticket.priority) OR (priority = \(ticket.priority)
                    AND (due_at < \(ticket.dueAt) OR (due_at = \(ticket.dueAt) AND id <= \(ticket.id)))))
            """, logger: self.logger
        ).first { try $0.decode(Int64.self) } ?? 0)
    }

    public func tickets(ofPlayer playerID: Int64, limit: Int) async throws -> [Ticket] {
        await self.ready()
        return try await self.query(
            "SELECT \(unescaped: Columns.ticket) FROM tickets WHERE player_id = \(playerID) ORDER BY id DESC LIMIT \(limit)"
        ).all(Ticket.init)
    }

    public func closedTickets(ofPlayers players: [Int64], since: Int64, limit: Int) async throws -> [Ticket] {
        await self.ready()
        // In a transaction of its own for `Transaction.genericPlans` (custom-planned, this read took 384 µs of
        // planning against 28 µs of running it per call at 400 submissions/s); BEGIN and the setting are sent
        // without waiting, and the COMMIT's round trip is off the submission's path (`RefilingChecks`).
        let read = ClosedTicketsRead(players: players, since: since, limit: Int64(limit))
        return try await self.bounded {
            try await self.client.withConnection { connection in
                let transaction = Transaction(connection: connection, logger: self.logger, shard: "")
                do {
                    let tickets = try await transaction.execute(read)
                    try await connection.query("COMMIT", logger: self.logger)
                    return tickets
                } catch {
                    _ = try? await connection.query("ROLLBACK", logger: self.logger)
                    throw error
                }
            }
        }
    }

    // MARK: Reading tickets

    public func ticket(_ id: Int64, as access: Access) async throws -> Ticket {
        await self.ready()
        return try access.reach(
            try await self.query("SELECT \(unescaped: Columns.ticket) FROM tickets WHERE id = \(id)").first(Ticket.init),
            id: id)
    }

    public func ticket(_ id: Int64) async throws -> Ticket {
        await self.ready()
        guard let ticket = try await self.query(
            "SELECT \(unescaped: Columns.ticket) FROM tickets WHERE id = \(id)"
        ).first(Ticket.init) else { throw StoreError.ticketNotFound(id) }
        return ticket
    }

    public func history(of ticketID: Int64) async throws -> [TicketEvent] {
        await self.ready()
        return try await self.query(
            "SELECT \(unescaped: Columns.event) FROM events WHERE ticket_id = \(ticketID) ORDER BY seq"
        ).all(TicketEvent.init)
    }

    public func history(of ticketID: Int64, after: Int64, limit: Int, view: HistoryView) async throws
        -> (events: [TicketEvent], total: Int)
    {
        await self.ready()
        let notes = view.sqlCondition
        let events = try await self.query("""
            SELECT \(unescaped: Columns.event) FROM events WHERE ticket_id = \(ticketID) AND seq > \(after) \(unescaped: notes)
            ORDER BY seq LIMIT \(limit)
            """
        ).all(TicketEvent.init)
        let total = try await self.query(
            "SELECT count(*) FROM events WHERE ticket_id = \(ticketID) \(unescaped: notes)"
        ).first { try $0.decode(Int64.self) } ?? 0
        return (events, Int(total))
    }

    public func queue(categories: [String]?, states: [TicketState], holder: Int64?, limit: Int) async throws
        -> [Ticket]
    {
        await self.ready()
        let scope: [String]
        if let categories { scope = categories } else { scope = try await self.categories().map(\.id) }
        return try await self.query("""
            SELECT \(unescaped: Columns.ticket) FROM tickets
            WHERE category = ANY(\(scope)) AND state = ANY(\(states.map(\.rawValue)))
                AND (\(holder)::BIGINT IS NULL OR assignee_id = \(holder)) AND (incident_id IS NULL OR state <> 'open')
            ORDER BY priority DESC, due_at, id LIMIT \(limit)
            """
        ).all(Ticket.init)
    }

    // MARK: Changing tickets

    /// Locks ticket `id` for the transaction (nil when there is none), with its newest event's number and hash.
    private func lockRow(_ id: Int64, _ tx: Transaction) async throws -> (Ticket, last: (seq: Int64, hash: Data?))? {
        // The id of the notification a step on this ticket may make is drawn with the lock (`step`), so that its
        // insert needs no round trip of its own.
        guard let row = try await tx.query("""
            SELECT \(unescaped: Columns.ticket), last_seq, last_hash, nextval('notifications_id_seq') AS notification_id
            FROM tickets WHERE id = \(id) FOR UPDATE
            """
        ).first({ $0 }) else { return nil }
        let r = row.makeRandomAccess()
        tx.reserveNotification(try r.value("notification_id"), on: id)
        return (try Ticket(row), (try r.value("last_seq"), try r.value("last_hash")))
    }

    /// For the server's own steps (lease expiry, a merge into the player's own ticket).
    private func lockTicket(_ id: Int64, _ tx: Transaction) async throws -> (Ticket, last: (seq: Int64, hash: Data?)) {
        guard let locked = try await self.lockRow(id, tx) else { throw StoreError.ticketNotFound(id) }
        return locked
    }

    func lockTicket(_ id: Int64, as access: Access, _ tx: Transaction) async throws
        -> (Ticket, last: (seq: Int64, hash: Data?))
    {
        let locked = try await self.lockRow(id, tx)
        let ticket = try access.reach(locked?.0, id: id)
        return (ticket, locked!.last)
    }

    /// Runs `command` through `TicketEffects` and writes what it decided: the row, the event (appended at the
    /// batch's end) and the notification.
    func step(
        _ command: TicketLifecycle.Command, detail: TicketEffects.Detail = .none, on ticket: Ticket,
        last: (seq: Int64, hash: Data?), by actor: Actor, text: String, at now: Date, _ tx: Transaction
    ) async throws -> TicketChange {
        let step = try TicketEffects.step(
            command, detail: detail, to: ticket, by: actor, at: now, levels: self.serviceLevels)
        let records = TicketEffects.records(of: step, by: actor, text: text, seq: last.seq + 1, at: now)
        let event = tx.append(records.event, previousInTicket: last.hash)
        let t = step.ticket
        if ticket.isQueued { tx.opened(ticket.category, -1) }
        if t.isQueued { tx.opened(t.category, 1) }
        // Sent without waiting: nothing needs its answer before the batch's end (`Transaction.send`).
        try tx.send("""
            UPDATE tickets SET category = \(t.category), state = \(t.state.rawValue), assignee_id = \(t.assigneeID),
                assignee_name = \(t.assigneeName), assignee_role = \(t.assigneeRole?.rawValue),
                resolution = \(t.resolution?.rawValue), updated_at = \(t.updatedAt), closed_at = \(t.closedAt),
                reopen_count = \(t.reopenCount), priority = \(t.priority), due_at = \(t.dueAt),
                first_response_at = \(t.firstResponseAt), paused_ms = \(t.pausedMilliseconds),
                paused_since = \(t.pausedSince), overdue = \(t.overdue), closed_by = \(t.closedBy),
                rating = \(t.rating), incident_id = \(t.incidentID), snoozed_until = \(t.snoozedUntil),
                last_seq = \(event.seq), last_hash = \(event.hash)
            WHERE id = \(t.id)
            """)
        var notification = records.notification
        if let n = notification {
            // Its id is drawn with the ticket's lock (`lockRow`); a step without one (a claim of the queue's head)
            // draws it here. The insert is sent without waiting, like the row's update.
            let id: Int64
            if let reserved = tx.takeReservedNotification(on: t.id) {
                id = reserved
            } else {
                id = try await tx.query("SELECT nextval('notifications_id_seq')").first { try $0.decode(Int64.self) }!
            }
            tx.send("""
                INSERT INTO notifications (id, player_id, ticket_id, kind, actor_name, text, created_at)
                VALUES (\(id), \(n.playerID), \(n.ticketID), \(n.kind.rawValue), \(n.actorName), \(n.text),
                    \(n.createdAt))
                """)
            notification?.id = id
            tx.notified(id, player: n.playerID)
        }
        return TicketChange(ticket: t, event: event, notification: notification)
    }

    private func playerReplies(on ticket: Ticket, _ tx: Transaction) async throws -> [(at: Date, text: String)] {
        try await tx.query("""
            SELECT at, text FROM events WHERE ticket_id = \(ticket.id) AND actor_id = \(ticket.playerID)
                AND actor_role = 'player' AND kind IN ('replied', 'reopened') ORDER BY seq DESC
            """
        ).all { row in
            let (at, text) = try row.decode((Int64, String).self)
            return (Date(milliseconds: at), text)
        }
    }

    public func apply(
        _ command: TicketLifecycle.Command, to id: Int64, as access: Access, text: String, at now: Date
    ) async throws -> TicketChange {
        await self.ready()
        return try await self.writer.write { tx in
            let (ticket, last) = try await self.lockTicket(id, as: access, tx)
            if case .reply = command, access.actor.role == .player {
                let replies = try await self.playerReplies(on: ticket, tx)
                do throws(ReplyLimits.Refusal) {
                    try self.replyLimits.check(replies: replies.count, recent: replies.map(\.at), now: now)
                } catch {
                    throw StoreError.replyLimit(error, ticketID: ticket.id)
                }
            }
            return try await self.step(command, on: ticket, last: last, by: access.actor, text: text, at: now, tx)
        }
    }

    public func claimNext(category: String, as access: Access, at now: Date) async throws -> TicketChange {
        let scope = try access.queueScope(requested: category)
        await self.ready()
        return try await self.writer.write { tx in
            let categories: [String]
            if let scope { categories = scope } else { categories = try await self.knownCategories(tx) }
            // A ticket another transaction holds is skipped, not waited for: GMs on every node racing for the
            // queue's head each get a different ticket. A row that changed under the lock is re-checked by
            // PostgreSQL and dropped; the loop looks again while open tickets remain.
            for _ in 0..<5 {
                if let row = try await tx.query("""
                    SELECT \(unescaped: Columns.ticket), last_seq, last_hash FROM tickets
                    WHERE state = 'open' AND incident_id IS NULL AND category = ANY(\(categories))
                    ORDER BY priority DESC, due_at, id LIMIT 1 FOR UPDATE SKIP LOCKED
                    """
                ).first({ $0 }) {
                    let r = row.makeRandomAccess()
                    return try await self.step(
                        .claim, on: try Ticket(row), last: (try r.value("last_seq"), try r.value("last_hash")),
                        by: access.actor, text: "", at: now, tx)
                }
                let anyOpen = try await tx.query(
                    "SELECT 1 FROM tickets WHERE state = 'open' AND incident_id IS NULL AND category = ANY(\(categories)) LIMIT 1"
                ).first { _ in true }
                if anyOpen == nil { break }
            }
            throw StoreError.queueEmpty(categories: scope)
        }
    }

    public func transfer(_ id: Int64, to category: String, as access: Access, text: String, at now: Date) async throws
        -> TicketChange
    {
        await self.ready()
        return try await self.writer.write { tx in
            let (ticket, last) = try await self.lockTicket(id, as: access, tx)
            let known = try await self.knownCategories(tx)
            guard known.contains(category) else { throw StoreError.unknownCategory(category, known: known) }
            try access.checkTransfer(ticket.target, to: category)
            return try await self.step(
                .transfer, detail: .transfer(to: category, priority: self.serviceLevels.target(for: category).priority),
                on: ticket, last: last, by: access.actor, text: text, at: now, tx)
        }
    }

    public func rate(_ id: Int64, as access: Access, stars: Int, comment: String, at now: Date) async throws
        -> TicketChange
    {
        await self.ready()
        return try await self.writer.write { tx in
            let (ticket, last) = try await self.lockTicket(id, as: access, tx)
            return try await self.step(
                .rate, detail: .rating(stars: stars), on: ticket, last: last, by: access.actor,
                text: TicketEffects.ratingText(stars: stars, comment: comment), at: now, tx)
        }
    }

    public func expireLease(_ id: Int64, holder: Actor, reason: String, at now: Date) async throws -> TicketChange {
        await self.ready()
        return try await self.writer.write { tx in
            let (ticket, last) = try await self.lockTicket(id, tx)
            return try await self.step(.expireLease, on: ticket, last: last, by: holder, text: reason, at: now, tx)
        }
    }

    public func claims() async throws -> [(ticketID: Int64, holder: Actor)] {
        await self.ready()
        return try await self.query(
            "SELECT \(unescaped: Columns.ticket) FROM tickets WHERE state = 'claimed'"
        ).all(Ticket.init).compactMap { ticket in ticket.assignee.map { (ticket.id, $0) } }
    }

    public func recentFirstResponses(in category: String, limit: Int) async throws -> [(openedAt: Int64, respondedAt: Int64)] {
        await self.ready()
        return try await self.query("""
            SELECT created_at, first_response_at FROM tickets
            WHERE category = \(category) AND first_response_at IS NOT NULL ORDER BY first_response_at DESC LIMIT \(limit)
            """
        ).all { try $0.decode((Int64, Int64).self) }
    }

    // MARK: Operations

    public func statistics() async throws -> StoreStatistics {
        await self.ready()
        let queues = try await self.query("""
            SELECT c.id, count(t.id), min(t.created_at) FROM categories c
            LEFT JOIN tickets t ON t.category = c.id AND t.state = 'open' AND t.incident_id IS NULL
            GROUP BY c.id ORDER BY c.id
            """
        ).all { row in
            let (category, open, oldest) = try row.decode((String, Int64, Int64?).self)
            return StoreStatistics.Queue(category: category, open: Int(open), oldestOpenAt: oldest)
        }
        let pending = try await self.query("SELECT count(*) FROM notifications WHERE acked_at IS NULL").first {
            try $0.decode(Int64.self)
        } ?? 0
        return StoreStatistics(queues: queues, pendingNotifications: Int(pending))
    }

    // MARK: Staff presence

    /// A node's presence rows count as connected while its lease keeper refreshes them.
    static let presenceFreshness: Int64 = 90_000

    public func sharePresence(node: String, local: [Int64: StaffPresenceEntry], at now: Date) async throws
        -> [Int64: StaffPresenceEntry]
    {
        await self.ready()
        let ms = now.milliseconds
        if !local.isEmpty {
            let ids = Array(local.keys)
            try await self.query("""
                INSERT INTO staff_presence (staff_id, node, last_activity, connected, heartbeat_at)
                SELECT * FROM unnest(\(ids)::BIGINT[], \(Array(repeating: node, count: ids.count))::TEXT[],
                    \(ids.map { local[$0]!.lastActivity.milliseconds })::BIGINT[],
                    \(ids.map { local[$0]!.connected })::BOOLEAN[], \(Array(repeating: ms, count: ids.count))::BIGINT[])
                ON CONFLICT (staff_id, node) DO UPDATE SET last_activity = excluded.last_activity,
                    connected = excluded.connected, heartbeat_at = excluded.heartbeat_at
                """)
        }
        var merged: [Int64: StaffPresenceEntry] = [:]
        for (id, last, connected) in try await self.query("""
            SELECT staff_id, max(last_activity), bool_or(connected AND heartbeat_at >= \(ms - Self.presenceFreshness))
            FROM staff_presence GROUP BY staff_id
            """
        ).all({ try $0.decode((Int64, Int64, Bool).self) }) {
            merged[id] = StaffPresenceEntry(lastActivity: Date(milliseconds: last), connected: connected)
        }
        return merged
    }

    // MARK: Notifications

    public func pendingNotifications(for playerID: Int64) async throws -> [PlayerNotification] {
        try await self.pendingNotifications(forPlayers: [playerID])
    }

    public func pendingNotifications(forPlayers players: [Int64]) async throws -> [PlayerNotification] {
        await self.ready()
        return try await self.query("""
            SELECT \(unescaped: Columns.notification) FROM notifications
            WHERE player_id = ANY(\(players)) AND acked_at IS NULL ORDER BY id
            """
        ).all(PlayerNotification.init)
    }

    public func notification(_ id: Int64) async throws -> PlayerNotification? {
        await self.ready()
        return try await self.query(
            "SELECT \(unescaped: Columns.notification) FROM notifications WHERE id = \(id)"
        ).first(PlayerNotification.init)
    }

    public func acknowledge(notification id: Int64, player playerID: Int64, at now: Date) async throws {
        await self.ready()
        let found = try await self.query("""
            WITH acked AS (
                UPDATE notifications SET acked_at = COALESCE(acked_at, \(now.milliseconds))
                WHERE id = \(id) AND player_id = \(playerID) RETURNING 1
            ) SELECT count(*) FROM acked
            """
        ).first { try $0.decode(Int64.self) } ?? 0
        if found == 0 { throw StoreError.notificationNotFound(id) }
    }

    // MARK: Staff

    public func addStaff(
        name: String, role: Role, keyHash: String, categories: [String], expiresAt: Int64?, by actor: String,
        at now: Date
    ) async throws -> StaffAccount {
        await self.ready()
        let known = try await self.categories().map(\.id)
        if let unknown = categories.first(where: { !known.contains($0) }) {
            throw StoreError.unknownCategory(unknown, known: known.sorted())
        }
        let joined = categories.joined(separator: ",")
        do {
            return try await self.writer.write { tx in
                guard let id = try await tx.query("""
                    INSERT INTO staff (name, role, key_hash, categories, created_at, expires_at)
                    VALUES (\(name), \(role.rawValue), \(keyHash), \(joined), \(now.milliseconds), \(expiresAt))
                    ON CONFLICT DO NOTHING RETURNING id
                    """
                ).first({ try $0.decode(Int64.self) }) else { throw StoreError.staffNameTaken(name) }
                let account = StaffAccount(
                    id: id, name: name, role: role, keyHash: keyHash, categories: joined, createdAt: now.milliseconds,
                    expiresAt: expiresAt)
                try await Self.log(
                    .staffAdded, target: name, detail: StaffAdministration.added(account), by: actor, at: now, tx)
                return account
            }
        } catch let error as PSQLError where error.sqlState == "23505" {
            throw StoreError.staffNameTaken(name)
        }
    }

    public func staff(keyHash: String) async throws -> StaffAccount? {
        await self.ready()
        return try await self.query(
            "SELECT \(unescaped: Columns.staff) FROM staff WHERE key_hash = \(keyHash)"
        ).first(StaffAccount.init)
    }

    public func staffAccount(id: Int64) async throws -> StaffAccount? {
        await self.ready()
        return try await self.query(
            "SELECT \(unescaped: Columns.staff) FROM staff WHERE id = \(id)"
        ).first(StaffAccount.init)
    }

    public func staffAccounts() async throws -> [StaffAccount] {
        await self.ready()
        return try await self.query("SELECT \(unescaped: Columns.staff) FROM staff ORDER BY name, id").all(StaffAccount.init)
    }

    /// Locks every account row (a handful), so that two admins' changes on two nodes cannot both remove the
    /// last active admin.
    public func changeStaff(named name: String, _ change: StaffChange, by actor: String, at now: Date) async throws
        -> StaffChangeResult
    {
        await self.ready()
        return try await self.writer.write { tx in
            let accounts = try await tx.query(
                "SELECT \(unescaped: Columns.staff) FROM staff ORDER BY id FOR UPDATE"
            ).all(StaffAccount.init)
            guard let account = accounts.first(where: { $0.name.caseInsensitiveCompare(name) == .orderedSame }) else {
                throw StaffChangeError.notFound(name)
            }
            if case .set(_, let categories?, _) = change {
                let known = try await self.knownCategories(tx)
                if let unknown = categories.first(where: { !known.contains($0) }) {
                    throw StoreError.unknownCategory(unknown, known: known.sorted())
                }
            }
            let outcome = try StaffAdministration.apply(change, to: account, among: accounts, at: now.milliseconds)
            let a = outcome.account
            try await tx.query("""
                UPDATE staff SET role = \(a.role.rawValue), key_hash = \(a.keyHash), categories = \(a.categories),
                    disabled_at = \(a.disabledAt), expires_at = \(a.expiresAt)
                WHERE id = \(a.id)
                """)
            try await Self.log(outcome.action, target: account.name, detail: outcome.detail, by: actor, at: now, tx)
            var released: [TicketChange] = []
            if outcome.releasesClaims, let id = account.id {
                let reason = StaffAdministration.releaseReason(holder: account.name, because: outcome.action)
                let claimed = try await tx.query(
                    "SELECT id FROM tickets WHERE state = 'claimed' AND assignee_id = \(id) ORDER BY id"
                ).all { try $0.decode(Int64.self) }
                for ticketID in claimed {
                    let (ticket, last) = try await self.lockTicket(ticketID, tx)
                    guard ticket.state == .claimed, ticket.assigneeID == id else { continue }
                    released.append(try await self.step(
                        .expireLease, on: ticket, last: last, by: account.actor, text: reason, at: now, tx))
                }
            }
            return StaffChangeResult(account: a, released: released)
        }
    }

    // MARK: Incidents

    private static let incidentColumns = """
        i.id, i.title, i.category, i.match_text, i.build, i.zone, i.message, i.opened_by, i.opened_at, i.closed_by,
        i.closed_at, (SELECT count(*) FROM tickets t WHERE t.incident_id = i.id) AS linked,
        (SELECT count(*) FROM tickets t WHERE t.incident_id = i.id AND t.state <> 'closed') AS still_open
        """

    private static func incident(_ row: PostgresRow) throws -> Incident {
        let r = row.makeRandomAccess()
        return Incident(
            id: try r.value("id"), title: try r.value("title"), category: try r.value("category"),
            match: try r.value("match_text"), build: try r.value("build"), zone: try r.value("zone"),
            message: try r.value("message"), openedBy: try r.value("opened_by"), openedAt: try r.value("opened_at"),
            closedBy: try r.value("closed_by"), closedAt: try r.value("closed_at"),
            linked: Int(try r.value("linked") as Int64), open: Int(try r.value("still_open") as Int64))
    }

    private func incident(_ id: Int64, _ tx: Transaction) async throws -> Incident? {
        try await tx.query(
            "SELECT \(unescaped: Self.incidentColumns) FROM incidents i WHERE i.id = \(id)"
        ).first(Self.incident)
    }

    public func openIncident(_ incident: Incident, by actor: String, at now: Date) async throws -> Incident {
        await self.ready()
        return try await self.writer.write { tx in
            let known = try await self.knownCategories(tx)
            guard known.contains(incident.category) else {
                throw StoreError.unknownCategory(incident.category, known: known)
            }
            guard let id = try await tx.query("""
                INSERT INTO incidents (title, category, match_text, build, zone, message, opened_by, opened_at)
                VALUES (\(incident.title), \(incident.category), \(incident.match), \(incident.build), \(incident.zone),
                    \(incident.message), \(actor), \(now.milliseconds))
                RETURNING id
                """
            ).first({ try $0.decode(Int64.self) }) else { throw UnreadableValue(column: "incidents.id", value: "none") }
            try await Self.log(
                .incidentOpened, target: "incident \(id)", detail: IncidentText.logDetail(incident), by: actor, at: now, tx)
            return try await self.incident(id, tx)!
        }
    }

    public func incidents(includingClosed: Bool) async throws -> [Incident] {
        await self.ready()
        return try await self.query("""
            SELECT \(unescaped: Self.incidentColumns) FROM incidents i
            WHERE \(includingClosed) OR i.closed_at IS NULL ORDER BY i.id DESC
            """
        ).all(Self.incident)
    }

    public func incident(_ id: Int64) async throws -> Incident? {
        await self.ready()
        return try await self.query(
            "SELECT \(unescaped: Self.incidentColumns) FROM incidents i WHERE i.id = \(id)"
        ).first(Self.incident)
    }

    public func closeIncident(_ id: Int64, by actor: String, at now: Date) async throws -> Incident {
        await self.ready()
        return try await self.writer.write { tx in
            guard let incident = try await self.incident(id, tx) else { throw StoreError.incidentNotFound(id) }
            guard incident.isOpen else { throw StoreError.incidentClosed(id) }
            try await tx.query(
                "UPDATE incidents SET closed_by = \(actor), closed_at = \(now.milliseconds) WHERE id = \(id)")
            // Its tickets still open go back to their queue, and count in its depth again.
            let back = try await tx.query("""
                UPDATE tickets SET incident_id = NULL WHERE incident_id = \(id) AND state <> 'closed'
                RETURNING category, state
                """
            ).all { try $0.decode((String, String).self) }
            for (category, state) in back where state == TicketState.open.rawValue { tx.opened(category, 1) }
            try await Self.log(
                .incidentClosed, target: "incident \(id)", detail: "\(incident.open) open tickets back in the queue",
                by: actor, at: now, tx)
            return try await self.incident(id, tx)!
        }
    }

    /// One batch transaction whatever the number of tickets: the linked tickets locked and read in one statement,
    /// each step decided in Swift, then the rows, notifications and events written in statements of a few
    /// thousand rows each (PostgreSQL takes at most 65,535 parameters per statement).
    public func answerIncident(_ id: Int64, text: String, close: Resolution?, as access: Access, at now: Date)
        async throws -> IncidentAnswer
    {
        await self.ready()
        return try await self.writer.write { tx in
            guard let incident = try await self.incident(id, tx) else { throw StoreError.incidentNotFound(id) }
            _ = try access.queueScope(requested: incident.category)
            let rows = try await self.lockTickets("""
                SELECT \(unescaped: Columns.ticket), last_seq, last_hash FROM tickets
                WHERE incident_id = \(id) AND state <> 'closed' ORDER BY id FOR UPDATE
                """, tx)
            let (changes, refused) = try await self.bulkStep(
                .answerIncident(close: close), on: rows, by: access.actor,
                text: Incident.answerText(text, incident: id), at: now, tx)
            let skipped = incident.linked - rows.count + refused
            try await Self.log(
                .incidentAnswered, target: "incident \(id)",
                detail: IncidentText.answerDetail(answered: changes.count, skipped: skipped, close: close, text: text),
                by: access.actor.name, at: now, tx)
            return IncidentAnswer(incident: id, changes: changes, skipped: skipped)
        }
    }

    public func linkIncident(_ id: Int64, tickets ids: [Int64], examples: [String], as access: Access, at now: Date)
        async throws -> IncidentLink
    {
        await self.ready()
        return try await self.writer.write { tx in
            guard let incident = try await self.incident(id, tx) else { throw StoreError.incidentNotFound(id) }
            guard incident.isOpen else { throw StoreError.incidentClosed(id) }
            _ = try access.queueScope(requested: incident.category)
            let wanted = Array(Set(ids)).sorted()
            let rows = try await self.lockTickets("""
                SELECT \(unescaped: Columns.ticket), last_seq, last_hash FROM tickets
                WHERE id = ANY(\(wanted)::BIGINT[]) AND category = \(incident.category) AND state = 'open'
                    AND incident_id IS NULL
                ORDER BY id FOR UPDATE
                """, tx)
            let (changes, refused) = try await self.bulkStep(
                .linkIncident, detail: .incident(id), on: rows, by: access.actor, text: Incident.linkText(incident),
                at: now, tx)
            let match = incident.adding(examples: examples)
            if match != incident.match {
                try await tx.query("UPDATE incidents SET match_text = \(match) WHERE id = \(id)")
            }
            let skipped = wanted.count - rows.count + refused
            try await Self.log(
                .incidentLinked, target: "incident \(id)",
                detail: IncidentText.linkDetail(linked: changes.count, skipped: skipped, examples: examples.count),
                by: access.actor.name, at: now, tx)
            return IncidentLink(incident: try await self.incident(id, tx)!, changes: changes, skipped: skipped)
        }
    }

    public func queuedTickets(in categories: [String]?, since: Int64, limit: Int) async throws -> [Ticket] {
        await self.ready()
        let all = categories == nil
        return try await self.query("""
            SELECT \(unescaped: Columns.ticket) FROM tickets
            WHERE state = 'open' AND incident_id IS NULL AND created_at >= \(since)
                AND (\(all) OR category = ANY(\(categories ?? [])::TEXT[]))
            ORDER BY created_at DESC, id DESC LIMIT \(limit)
            """
        ).all(Ticket.init)
    }

    /// The tickets `query` selects (a ticket's columns, then `last_seq` and `last_hash`, `FOR UPDATE`), locked.
    private func lockTickets(_ query: PostgresQuery, _ tx: Transaction) async throws
        -> [(ticket: Ticket, lastSeq: Int64, lastHash: Data?)]
    {
        try await tx.query(query).all { row in
                let r = row.makeRandomAccess()
                return (try Ticket(row), try r.value("last_seq"), try r.value("last_hash"))
            }
    }

    /// One command on many tickets in a few statements (`updateTickets`, `insertNotifications`): what a step does
    /// to each, decided by `TicketEffects`; tickets it refuses are counted, not written.
    private func bulkStep(
        _ command: TicketLifecycle.Command, detail: TicketEffects.Detail = .none,
        on rows: [(ticket: Ticket, lastSeq: Int64, lastHash: Data?)], by actor: Actor, text: String, at now: Date,
        _ tx: Transaction
    ) async throws -> (changes: [TicketChange], refused: Int) {
        var updates: [(ticket: Ticket, event: TicketEvent)] = []
        var notifications: [PlayerNotification] = []
        var refused = 0
        for row in rows {
            let ticket = row.ticket
            let result = Result { () throws(StoreError) in
                try TicketEffects.step(command, detail: detail, to: ticket, by: actor, at: now, levels: self.serviceLevels)
            }
            let step: TicketEffects.Step
            switch result {
            case .success(let stepped): step = stepped
            case .failure(.refused): refused += 1; continue
            case .failure(let error): throw error
            }
            let records = TicketEffects.records(of: step, by: actor, text: text, seq: row.lastSeq + 1, at: now)
            let event = tx.append(records.event, previousInTicket: row.lastHash)
            if ticket.isQueued { tx.opened(ticket.category, -1) }
            if step.ticket.isQueued { tx.opened(step.ticket.category, 1) }
            updates.append((step.ticket, event))
            if let notification = records.notification { notifications.append(notification) }
        }
        try await self.updateTickets(updates, tx)
        let ids = try await self.insertNotifications(notifications, tx)
        let changes = updates.map { ticket, event in
            var notification = notifications.first { $0.ticketID == ticket.id }
            notification?.id = ids[ticket.id]
            return TicketChange(ticket: ticket, event: event, notification: notification)
        }
        return (changes, refused)
    }

    /// Rows per statement in the bulk writes: 17 parameters each, well under PostgreSQL's 65,535.
    static let bulkRows = 2_000

    /// Writes many tickets' changed columns (what `step` writes for one) in statements of `bulkRows` rows.
    private func updateTickets(_ updates: [(ticket: Ticket, event: TicketEvent)], _ tx: Transaction) async throws {
        for start in stride(from: 0, to: updates.count, by: Self.bulkRows) {
            let chunk = updates[start..<min(start + Self.bulkRows, updates.count)]
            let columns = 17
            var sql = "UPDATE tickets AS t SET state = v.state, assignee_id = v.assignee_id, "
                + "assignee_name = v.assignee_name, assignee_role = v.assignee_role, resolution = v.resolution, "
                + "updated_at = v.updated_at, closed_at = v.closed_at, first_response_at = v.first_response_at, "
                + "paused_ms = v.paused_ms, paused_since = v.paused_since, overdue = v.overdue, closed_by = v.closed_by, "
                + "due_at = v.due_at, last_seq = v.last_seq, last_hash = v.last_hash, incident_id = v.incident_id "
                + "FROM (VALUES "
            var binds = PostgresBindings(capacity: chunk.count * columns)
            let types = ["BIGINT", "TEXT", "BIGINT", "TEXT", "TEXT", "TEXT", "BIGINT", "BIGINT", "BIGINT", "BIGINT",
                "BIGINT", "BOOLEAN", "TEXT", "BIGINT", "BIGINT", "BYTEA", "BIGINT"]
            for (index, (t, event)) in chunk.enumerated() {
                let base = index * columns
                sql += (index == 0 ? "" : ", ") + "("
                    + (1...columns).map { "$\(base + $0)::\(types[$0 - 1])" }.joined(separator: ", ") + ")"
                binds.append(t.id)
                binds.append(t.state.rawValue)
                binds.append(t.assigneeID)
                binds.append(t.assigneeName)
                binds.append(t.assigneeRole?.rawValue)
                binds.append(t.resolution?.rawValue)
                binds.append(t.updatedAt)
                binds.append(t.closedAt)
                binds.append(t.firstResponseAt)
                binds.append(t.pausedMilliseconds)
                binds.append(t.pausedSince)
                binds.append(t.overdue)
                binds.append(t.closedBy)
                binds.append(t.dueAt)
                binds.append(event.seq)
                try binds.append(event.hash)
                binds.append(t.incidentID)
            }
            sql += ") AS v(id, state, assignee_id, assignee_name, assignee_role, resolution, updated_at, closed_at, "
                + "first_response_at, paused_ms, paused_since, overdue, closed_by, due_at, last_seq, last_hash, "
                + "incident_id) "
                + "WHERE t.id = v.id"
            try await tx.query(PostgresQuery(unsafeSQL: sql, binds: binds))
        }
    }

    /// Inserts notifications in statements of `bulkRows` rows; returns their ids by ticket (one per ticket here).
    private func insertNotifications(_ notifications: [PlayerNotification], _ tx: Transaction) async throws
        -> [Int64: Int64]
    {
        var ids: [Int64: Int64] = [:]
        for start in stride(from: 0, to: notifications.count, by: Self.bulkRows) {
            let chunk = notifications[start..<min(start + Self.bulkRows, notifications.count)]
            var sql = "INSERT INTO notifications (player_id, ticket_id, kind, actor_name, text, created_at) VALUES "
            var binds = PostgresBindings(capacity: chunk.count * 6)
            for (index, n) in chunk.enumerated() {
                let base = index * 6
                sql += (index == 0 ? "" : ", ") + "(" + (1...6).map { "$\(base + $0)" }.joined(separator: ", ") + ")"
                binds.append(n.playerID)
                binds.append(n.ticketID)
                binds.append(n.kind.rawValue)
                binds.append(n.actorName)
                binds.append(n.text)
                binds.append(n.createdAt)
            }
            sql += " RETURNING id, ticket_id, player_id"
            for row in try await tx.query(PostgresQuery(unsafeSQL: sql, binds: binds)).all({
                try $0.decode((Int64, Int64, Int64).self)
            }) {
                ids[row.1] = row.0
                tx.notified(row.0, player: row.2)
            }
        }
        return ids
    }

    public func tickets(ofIncident id: Int64, limit: Int) async throws -> [Ticket] {
        await self.ready()
        return try await self.query(
            "SELECT \(unescaped: Columns.ticket) FROM tickets WHERE incident_id = \(id) ORDER BY id LIMIT \(limit)"
        ).all(Ticket.init)
    }

    // MARK: Internal tickets

    public func openInternal(_ request: InternalRequest, as access: Access, at now: Date) async throws -> TicketChange {
        try request.checkOpener()
        _ = try access.queueScope(requested: request.category)
        await self.ready()
        return try await self.writer.write { tx in
            guard let id = try await tx.query("""
                SELECT nextval('tickets_id_seq') FROM categories WHERE id = \(request.category)
                """
            ).first({ try $0.decode(Int64.self) }) else {
                throw StoreError.unknownCategory(request.category, known: try await self.knownCategories(tx))
            }
            let ms = now.milliseconds
            let ticket = request.ticket(id: id, target: self.serviceLevels.target(for: request.category), at: ms)
            let event = tx.append(request.event(ticketID: id, at: ms), previousInTicket: nil)
            self.insert([(ticket, nil, event.hash ?? Data())], tx)
            tx.opened(ticket.category, 1)
            return TicketChange(ticket: ticket, event: event, notification: nil)
        }
    }

    public func linkInternal(_ id: Int64, to internalID: Int64, as access: Access, at now: Date) async throws
        -> TicketChange
    {
        await self.ready()
        return try await self.writer.write { tx in
            // Locked in id order, the same on every node.
            var locked: [Int64: (Ticket, last: (seq: Int64, hash: Data?))] = [:]
            for ticketID in Set([id, internalID]).sorted() { locked[ticketID] = try await self.lockTicket(ticketID, as: access, tx) }
            let (ticket, last) = locked[id]!
            let (staffTicket, staffLast) = locked[internalID]!
            try InternalLink.check(ticket, to: staffTicket)
            _ = try await self.step(
                .note, on: ticket, last: last, by: access.actor, text: InternalLink.noteOnTicket(linkedTo: staffTicket),
                at: now, tx)
            return try await self.step(
                .note, on: staffTicket, last: staffLast, by: access.actor,
                text: InternalLink.noteOnInternal(linkedFrom: ticket), at: now, tx)
        }
    }

    // MARK: Reminders

    public func addReminder(ticket id: Int64, as access: Access, due: Int64, text: String, at now: Date) async throws
        -> StaffReminder
    {
        await self.ready()
        let actor = access.actor
        return try await self.writer.write { tx in
            let (ticket, _) = try await self.lockTicket(id, as: access, tx)
            try StaffReminder.check(ticket, by: actor, due: due, now: now.milliseconds)
            let reminderID = try await tx.query("""
                INSERT INTO reminders (ticket_id, staff_id, staff_name, due, text, created_at)
                VALUES (\(id), \(actor.id), \(actor.name), \(due), \(text), \(now.milliseconds)) RETURNING id
                """
            ).first { try $0.decode(Int64.self) } ?? 0
            return StaffReminder(
                id: reminderID, ticketID: id, staffID: actor.id, staffName: actor.name, due: due, text: text,
                createdAt: now.milliseconds)
        }
    }

    public func dueReminders(for staff: [Int64], at now: Int64) async throws -> [StaffReminder] {
        guard !staff.isEmpty else { return [] }
        await self.ready()
        return try await self.query("""
            SELECT id, ticket_id, staff_id, staff_name, due, text, created_at, delivered_at FROM reminders
            WHERE delivered_at IS NULL AND due <= \(now) AND staff_id = ANY(\(staff)::BIGINT[]) ORDER BY due, id
            """
        ).all { row in
            let (id, ticket, staffID, name, due, text, created, delivered) = try row.decode(
                (Int64, Int64, Int64, String, Int64, String, Int64, Int64?).self)
            return StaffReminder(
                id: id, ticketID: ticket, staffID: staffID, staffName: name, due: due, text: text, createdAt: created,
                deliveredAt: delivered)
        }
    }

    public func markDelivered(reminder id: Int64, at now: Int64) async throws -> Bool {
        await self.ready()
        return try await self.writer.write { tx in
            try await tx.query(
                "UPDATE reminders SET delivered_at = \(now) WHERE id = \(id) AND delivered_at IS NULL RETURNING id"
            ).first { _ in true } != nil
        }
    }

    // MARK: Help bans

    public func ban(player: Int64, until: Int64, reason: String, by actor: String, at now: Date) async throws -> HelpBan {
        await self.ready()
        let ban = HelpBan(playerID: player, until: until, reason: reason, by: actor, at: now.milliseconds)
        return try await self.writer.write { tx in
            try await tx.query("""
                INSERT INTO help_bans (player_id, until, reason, banned_by, at)
                VALUES (\(ban.playerID), \(ban.until), \(ban.reason), \(ban.by), \(ban.at))
                ON CONFLICT (player_id) DO UPDATE SET until = excluded.until, reason = excluded.reason,
                    banned_by = excluded.banned_by, at = excluded.at
                """)
            try await Self.log(
                .playerBanned, target: "player \(player)", detail: HelpBanText.logDetail(ban), by: actor, at: now, tx)
            return ban
        }
    }

    public func unban(player: Int64, by actor: String, at now: Date) async throws {
        await self.ready()
        try await self.writer.write { tx in
            let lifted = try await tx.query(
                "DELETE FROM help_bans WHERE player_id = \(player) AND until > \(now.milliseconds) RETURNING player_id"
            ).first { _ in true }
            guard lifted != nil else { throw StoreError.notBanned(player) }
            try await Self.log(.playerUnbanned, target: "player \(player)", detail: "ban lifted", by: actor, at: now, tx)
        }
    }

    public func bans(activeAt now: Int64) async throws -> [HelpBan] {
        await self.ready()
        return try await self.query(
            "SELECT player_id, until, reason, banned_by, at FROM help_bans WHERE until > \(now) ORDER BY until, player_id"
        ).all { row in
            let (player, until, reason, by, at) = try row.decode((Int64, Int64, String, String, Int64).self)
            return HelpBan(playerID: player, until: until, reason: reason, by: by, at: at)
        }
    }

    // MARK: Staff action log

    /// The advisory lock that orders the staff log across nodes (transaction-scoped: released at COMMIT).
    static let staffLogLock: Int64 = 7_072

    /// Appends an entry linked to the log's last one, under `staffLogLock`; taken before the categories' locks,
    /// which a batch takes last, so two batches never wait on each other in opposite orders.
    static func log(
        _ action: StaffLogAction, target: String, detail: String, by actor: String, at now: Date, _ tx: Transaction
    ) async throws {
        try await tx.query("SELECT pg_advisory_xact_lock(\(Self.staffLogLock))")
        let last = try await tx.query(
            "SELECT seq, hash FROM staff_log ORDER BY seq DESC LIMIT 1"
        ).first { try $0.decode((Int64, Data).self) }
        let entry = StaffLog.linked(
            StaffLogEntry(
                seq: (last?.0 ?? 0) + 1, at: now.milliseconds, actor: actor, action: action, target: target,
                detail: detail),
            after: last?.1)
        try await tx.query("""
            INSERT INTO staff_log (\(unescaped: Columns.staffLog))
            VALUES (\(entry.seq), \(entry.at), \(entry.actor), \(entry.action.rawValue), \(entry.target),
                \(entry.detail), \(entry.previousHash), \(entry.hash))
            """)
    }

    public func staffLog(_ filter: StaffLogFilter) async throws -> [StaffLogEntry] {
        await self.ready()
        return try await self.query("""
            SELECT \(unescaped: Columns.staffLog) FROM staff_log
            WHERE (\(filter.actor)::TEXT IS NULL OR lower(actor) = lower(\(filter.actor)))
                AND (\(filter.since)::BIGINT IS NULL OR at >= \(filter.since))
                AND (\(filter.before)::BIGINT IS NULL OR seq < \(filter.before))
            ORDER BY seq DESC LIMIT \(filter.limit)
            """
        ).all(StaffLogEntry.init)
    }

    public func verifyStaffLog() async throws -> StaffLog.Verification {
        await self.ready()
        return try await self.client.withConnection { connection in
            var verifier = StaffLog.Verifier()
            for try await row in try await connection.query(
                "SELECT \(unescaped: Columns.staffLog) FROM staff_log ORDER BY seq", logger: self.logger)
            {
                if let broken = verifier.check(try StaffLogEntry(row)) { return broken }
            }
            return verifier.finish()
        }
    }

    // MARK: Moderation

    public func audit(_ filter: AuditFilter) async throws -> [Ticket] {
        await self.ready()
        return try await self.query("""
            SELECT \(unescaped: Columns.ticket) FROM tickets WHERE state = 'closed'
                AND (\(filter.gm)::TEXT IS NULL OR lower(closed_by) = lower(\(filter.gm)))
                AND (\(filter.category)::TEXT IS NULL OR category = \(filter.category))
                AND (\(filter.resolution?.rawValue)::TEXT IS NULL OR resolution = \(filter.resolution?.rawValue))
                AND (\(filter.minimumRating)::INT IS NULL OR rating >= \(filter.minimumRating))
                AND (\(filter.maximumRating)::INT IS NULL OR rating <= \(filter.maximumRating))
                AND (\(filter.since)::BIGINT IS NULL OR closed_at >= \(filter.since))
                AND (\(filter.until)::BIGINT IS NULL OR closed_at < \(filter.until))
                AND (NOT \(filter.overdueOnly) OR overdue)
                AND (NOT \(filter.reopenedOnly) OR reopen_count > 0)
            ORDER BY closed_at DESC, id DESC LIMIT \(filter.limit)
            """
        ).all(Ticket.init)
    }

    /// Both passes read one snapshot (REPEATABLE READ), so writes go on meanwhile. What is filed for the chain is
    /// linked first; events filed after that, still unlinked in the snapshot, are checked in their tickets only.
    public func verifyChain() async throws -> EventChain.Verification {
        await self.ready()
        try await self.linkPending(waiting: true)
        return try await self.client.withConnection { connection in
            try await connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: self.logger)
            // Ended here on every path, before the connection goes back to the pool.
            let verification: EventChain.Verification
            do {
                verification = try await self.verify(on: connection)
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: self.logger)
                throw error
            }
            try await connection.query("COMMIT", logger: self.logger)
            return verification
        }
    }

    func verify(on connection: PostgresConnection) async throws -> EventChain.Verification {
        var verifier = EventChain.Verifier()
        for try await row in try await connection.query(
            "SELECT \(unescaped: Columns.event) FROM events ORDER BY ticket_id, seq", logger: self.logger)
        {
            if let broken = verifier.checkTicketOrder(try TicketEvent(row)) { return broken }
        }
        // An event without a link that is filed for one awaits the chainer; one neither linked nor filed was
        // inserted past the store.
        for try await row in try await connection.query(
            """
            SELECT \(unescaped: Columns.event), c.chain_seq, c.chain_hash,
                c.chain_seq IS NULL AND p.seq IS NOT NULL AS awaiting_link
            FROM events LEFT JOIN event_chain c USING (ticket_id, seq)
                LEFT JOIN (SELECT ticket_id, seq FROM chain_pending) p USING (ticket_id, seq)
            ORDER BY c.chain_seq NULLS LAST
            """, logger: self.logger)
        {
            if try row.makeRandomAccess()["awaiting_link"].decode(Bool.self) {
                verifier.awaitingLink(1)
            } else if let broken = verifier.checkChainOrder(try TicketEvent(row)) {
                return broken
            }
        }
        // Every attachment's bytes against the hash its chained event names.
        var verification = verifier.finish()
        guard verification.broken == nil else { return verification }
        for try await row in try await connection.query("""
            SELECT \(unescaped: Self.attachmentColumns), b.bytes, e.text FROM attachments a
                LEFT JOIN blobs b ON b.sha256 = a.sha256 LEFT JOIN events e ON e.ticket_id = a.ticket_id AND e.seq = a.event_seq
            ORDER BY a.ticket_id, a.number
            """, logger: self.logger)
        {
            let (attachment, seq) = try Self.attachment(row)
            let r = row.makeRandomAccess()
            if let broken = EventChain.Verifier.checkAttachment(
                attachment, bytes: try r["bytes"].decode(Data?.self), eventSeq: seq, eventText: try r["text"].decode(String?.self))
            {
                verification.broken = broken
                return verification
            }
        }
        return verification
    }

    public func reportTickets(since: Int64, until: Int64, category: String?, gm: String?, now: Date) async throws
        -> [Report.Ticket]
    {
        await self.ready()
        let tickets = try await self.query("""
            SELECT \(unescaped: Columns.ticket) FROM tickets WHERE created_at >= \(since) AND created_at < \(until)
                AND (\(category)::TEXT IS NULL OR category = \(category))
            """
        ).all(Ticket.init)
        // Their events in one read, in order.
        var events: [Int64: [TicketEvent]] = [:]
        for event in try await self.query("""
            SELECT e.ticket_id, e.seq, e.kind, e.actor_id, e.actor_name, e.actor_role, e.at,
                \(unescaped: Self.reportEventText(on: "e"))
            FROM tickets t JOIN events e ON e.ticket_id = t.id
            WHERE t.created_at >= \(since) AND t.created_at < \(until) AND (\(category)::TEXT IS NULL OR t.category = \(category))
            ORDER BY e.ticket_id, e.seq
            """
        ).all({ row -> TicketEvent in
            let (ticket, seq, kind, actorID, actorName, role, at, text) = try row.decode(
                (Int64, Int64, String, Int64, String, String, Int64, String).self)
            guard let kind = EventKind(rawValue: kind), let role = Role(rawValue: role) else {
                throw UnreadableValue(column: "kind", value: kind)
            }
            return TicketEvent(
                ticketID: ticket, seq: seq, kind: kind, actorID: actorID, actorName: actorName, actorRole: role, at: at,
                text: text)
        }) {
            events[event.ticketID, default: []].append(event)
        }
        return tickets.compactMap { self.reportRow($0, events: events[$0.id] ?? [], gm: gm, now: now) }
    }

    // MARK: Macros

    public func saveMacro(name: String, text: String, author: String, at now: Date) async throws {
        guard Macro.isValidName(name) else { throw StoreError.macroNameInvalid(name) }
        await self.ready()
        try await self.writer.write { tx in
            let replaced = try await tx.query("""
                INSERT INTO macros (name, text, author, created_at) VALUES (\(name), \(text), \(author), \(now.milliseconds))
                ON CONFLICT (name) DO UPDATE SET text = excluded.text, author = excluded.author, created_at = excluded.created_at
                RETURNING (xmax <> 0)
                """
            ).first { try $0.decode(Bool.self) } ?? false
            try await Self.log(
                .macroSaved, target: name, detail: Macro.logDetail(text: text, replaced: replaced), by: author, at: now, tx)
        }
    }

    public func removeMacro(name: String, by actor: String, at now: Date) async throws {
        await self.ready()
        try await self.writer.write { tx in
            let removed = try await tx.query("DELETE FROM macros WHERE name = \(name) RETURNING name").first { _ in true }
            if removed == nil { throw StoreError.macroNotFound(name) }
            try await Self.log(.macroRemoved, target: name, detail: "removed", by: actor, at: now, tx)
        }
    }

    public func macros() async throws -> [SavedMacro] {
        await self.ready()
        return try await self.query("SELECT name, text, author, created_at FROM macros ORDER BY name").all { row in
            let (name, text, author, created) = try row.decode((String, String, String, Int64).self)
            return SavedMacro(name: name, text: text, author: author, createdAt: created)
        }
    }

    public func macro(named name: String) async throws -> SavedMacro {
        await self.ready()
        guard let macro = try await self.query(
            "SELECT name, text, author, created_at FROM macros WHERE name = \(name)"
        ).first({ row -> SavedMacro in
            let (name, text, author, created) = try row.decode((String, String, String, Int64).self)
            return SavedMacro(name: name, text: text, author: author, createdAt: created)
        }) else { throw StoreError.macroNotFound(name) }
        return macro
    }

    // MARK: The shared token secret

    /// The secret player tokens are signed with, shared by every node through the database: the first node to
    /// ask stores `candidate`, every later one reads that.
    public func sharedTokenSecret(candidate: Data) async throws -> Data {
        await self.ready()
        try await self.query(
            "INSERT INTO secrets (name, value) VALUES ('player_token', \(candidate)) ON CONFLICT (name) DO NOTHING")
        guard let secret = try await self.query(
            "SELECT value FROM secrets WHERE name = 'player_token'"
        ).first({ try $0.decode(Data.self) }) else { throw UnreadableValue(column: "secrets", value: "missing") }
        return secret
    }
}

/// Where the database is: parsed from `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`. A password in the URL is
/// accepted but discouraged; `PGPASSWORD` or `--store-password-file` keep it out of process listings.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String

    public init(host: String, port: Int = 5432, username: String, password: String? = nil, database: String) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
    }

    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    public init(url: String, password: String? = nil) throws(Invalid) {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme ?? ""),
            let host = components.host, !host.isEmpty
        else {
            throw Invalid(description: "'\(Self.redacted(url))' is not a PostgreSQL URL; write postgres://USER@HOST:PORT/DATABASE")
        }
        let database = String(components.path.drop { $0 == "/" })
        guard let user = components.user, !user.isEmpty, !database.isEmpty else {
            throw Invalid(description: "'\(Self.redacted(url))' names no user or database; write postgres://USER@HOST:PORT/DATABASE")
        }
        self.init(
            host: host, port: components.port ?? 5432, username: user, password: password ?? components.password,
            database: database)
    }

    /// The URL without its password: what logs and messages print.
    public var description: String { "postgres://\(self.username)@\(self.host):\(self.port)/\(self.database)" }

    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? url
    }
}

/// What a batch tells the other nodes: `node;n17@42;t5/3` (notification 17 for player 42; ticket 5's event 3),
/// split so that each notice stays far below PostgreSQL's 8,000-byte payload limit.
enum ChangeNotice {
    static let channel = "gmq_changes"
    static let maximumPayload = 4_000

    static func payloads(
        node: String, notifications: [(id: Int64, player: Int64)], tickets: [(id: Int64, seq: Int64)]
    ) -> [String] {
        let items = notifications.map { "n\($0.id)@\($0.player)" } + tickets.map { "t\($0.id)/\($0.seq)" }
        var payloads: [String] = []
        var payload = node
        for item in items {
            if payload.utf8.count + item.utf8.count + 1 > Self.maximumPayload {
                payloads.append(payload)
                payload = node
            }
            payload += ";" + item
        }
        if payload.utf8.count > node.utf8.count { payloads.append(payload) }
        return payloads
    }

    /// The changes a notice names, unless `node` sent it (a node publishes its own changes directly); an item it
    /// cannot read is skipped. Read as bytes, the sender first: every node hears every batch of every other node,
    /// and splitting each notice into Substrings and parsing them was 2.8% of a node's CPU (3 nodes, 256
    /// connections, closed loop, perf), a third of it on the node's own notices.
    static func parse(_ payload: String, skippingNode node: String) -> [StoreChange] {
        var payload = payload
        return payload.withUTF8 { bytes -> [StoreChange] in
            let semicolon = UInt8(ascii: ";")
            let senderEnd = bytes.firstIndex(of: semicolon) ?? bytes.endIndex
            guard !bytes[..<senderEnd].elementsEqual(node.utf8), senderEnd < bytes.endIndex else { return [] }
            var changes: [StoreChange] = []
            var start = senderEnd + 1
            while start <= bytes.endIndex {
                let end = bytes[start...].firstIndex(of: semicolon) ?? bytes.endIndex
                if let change = Self.change(bytes[start..<end]) { changes.append(change) }
                start = end + 1
            }
            return changes
        }
    }

    /// One item: `n<id>@<player>` or `t<id>/<seq>`.
    private static func change(_ item: Slice<UnsafeBufferPointer<UInt8>>) -> StoreChange? {
        guard let kind = item.first else { return nil }
        let separator = kind == UInt8(ascii: "n") ? UInt8(ascii: "@") : UInt8(ascii: "/")
        let body = item.dropFirst()
        guard kind == UInt8(ascii: "n") || kind == UInt8(ascii: "t"), let split = body.firstIndex(of: separator),
            let first = Self.number(body[..<split]), let second = Self.number(body[(split + 1)...])
        else { return nil }
        return kind == UInt8(ascii: "n") ? .notification(first, player: second) : .ticket(first, seq: second)
    }

    /// A decimal number, optionally negative; nil for anything else or on overflow.
    private static func number(_ digits: Slice<UnsafeBufferPointer<UInt8>>) -> Int64? {
        let negative = digits.first == UInt8(ascii: "-")
        let body = negative ? digits.dropFirst() : digits
        guard !body.isEmpty else { return nil }
        var value: Int64 = 0
        for byte in body {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (times, overflowTimes) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowSum) = times.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
            guard !overflowTimes, !overflowSum else { return nil }
            value = sum
        }
        return negative ? -value : value
    }
}

/// Fans the listener's changes out to every `changes()` stream.
final class ChangeFeed: Sendable {
    private let subscribers = Mutex<(next: Int, streams: [Int: AsyncStream<StoreChange>.Continuation], finished: Bool)>(
        (0, [:], false))

    func subscribe() -> AsyncStream<StoreChange> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: StoreChange.self, bufferingPolicy: .bufferingNewest(100_000))
        let finished = self.subscribers.withLock { subscribers -> Bool in
            guard !subscribers.finished else { return true }
            subscribers.next += 1
            let id = subscribers.next
            subscribers.streams[id] = continuation
            continuation.onTermination = { [weak self] _ in
                self?.subscribers.withLock { _ = $0.streams.removeValue(forKey: id) }
            }
            return false
        }
        if finished { continuation.finish() }
        return stream
    }

    func yield(_ change: StoreChange) { self.yield(contentsOf: [change]) }

    /// Yields `changes` in order to every subscriber, taking the lock once.
    func yield(contentsOf changes: [StoreChange]) {
        guard !changes.isEmpty else { return }
        for continuation in self.subscribers.withLock({ Array($0.streams.values) }) {
            for change in changes { continuation.yield(change) }
        }
    }

    func finish() {
        let streams = self.subscribers.withLock { subscribers in
            subscribers.finished = true
            defer { subscribers.streams = [:] }
            return Array(subscribers.streams.values)
        }
        for continuation in streams { continuation.finish() }
    }
}

/// A continuation resumed once, by whichever comes first.
final class Answer<T: Sendable>: Sendable {
    private let continuation = Mutex<CheckedContinuation<T, any Error>?>(nil)
    func set(_ continuation: CheckedContinuation<T, any Error>) { self.continuation.withLock { $0 = continuation } }
    /// Whether this call resumed it.
    @discardableResult
    func resume(with result: Result<T, any Error>) -> Bool {
        guard let continuation = self.continuation.withLock({ $0.take() }) else { return false }
        continuation.resume(with: result)
        return true
    }
}

/// A flag one task sets and reads across `await`s.
final class Flag: Sendable {
    private let value = Mutex(false)
    func set() { self.value.withLock { $0 = true } }
    var isSet: Bool { self.value.withLock { $0 } }
}

/// Opens once; waiters before that wait, waiters after it pass.
final class Latch: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func open() {
        let waiters = self.state.withLock { state in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async {
        if self.state.withLock({ $0.open }) { return }
        await withCheckedContinuation { continuation in
            let open = self.state.withLock { state -> Bool in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if open { continuation.resume() }
        }
    }
}

/// A submission waiting for its batch: `PostgresTicketStore` runs a batch's submissions together.
final class SubmissionJob: BatchJob, @unchecked Sendable {
    let submission: Submission
    let policy: SubmitPolicy
    let now: Date
    let continuation: CheckedContinuation<SubmitOutcome, any Error>
    /// Written and read by the writer task only.
    var result: Result<SubmitOutcome, any Error>?

    init(
        submission: Submission, policy: SubmitPolicy, now: Date, continuation: CheckedContinuation<SubmitOutcome, any Error>
    ) {
        self.submission = submission
        self.policy = policy
        self.now = now
        self.continuation = continuation
    }

    func run(in transaction: Transaction) async throws {
        preconditionFailure("a batch's submissions run together (PostgresTicketStore.submit(_:_:))")
    }

    func succeed() {
        self.continuation.resume(with: self.result ?? .failure(StoreError.busy(retryAfterMilliseconds: 100)))
    }

    func fail(_ error: any Error) { self.continuation.resume(throwing: error) }
}

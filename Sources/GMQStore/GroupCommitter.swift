import Foundation
import GMQCore
import GRDB
import Synchronization

/// Group commit: writes from many requests run in one SQLite transaction and are answered together once it has
/// committed. One durable commit (an fsync of the WAL) then serves a whole batch instead of one request.
///
/// While one batch commits, the next writes queue; when the writer is busy it also waits a short window for more
/// (`CommitBatcher` decides). A write runs in its own savepoint, so one refused by the domain (a lost CLAIM race)
/// rolls back alone; a write that rarely fails (a submission) may run without one, and if it fails after all, the
/// transaction is rolled back and the batch runs again without it. A failed commit fails every write of its batch and
/// leaves nothing of them behind.
///
/// The writer is a thread of its own that commits through GRDB's synchronous API (which runs on the calling
/// thread). As a task it shared the two threads of the cooperative pool with every session and its call into
/// GRDB hopped to another thread: at 4,100 submissions/s, open loop, that added up to 1–3.5 ms at p99 to every
/// commit, and the one serial resource of the server waited behind the work it serves. Five runs each, p99 as
/// gmq-load measures it: median 19.9 ms (17.7–26.5) as a task, 16.6 ms (14.2–21.1) on its own thread.
final class GroupCommitter: Sendable {
    /// Writes per transaction at most. Smaller than the 1,024 of the raw-insert benchmark on purpose: answering
    /// part of a burst early lets those clients' next requests be checked while the writer works on the rest.
    /// Closed loop, 256 connections, one run each: 1,024 → 6,144 and 6,590/s; 128 → 7,471 and 7,093/s; 64 → 7,058
    /// and 6,609/s.
    static let maximumBatch = 128
    /// How long a busy writer lets a batch gather: 1 ms (`CommitBatcher` has the measurement). At most that much is
    /// added to a request's latency, and only under load.
    static let window: Duration = .milliseconds(1)

    private let writer: any DatabaseWriter
    private let queue: WriteQueue
    /// What the writer remembers of its writes, kept in step with each transaction here.
    let memory: WriterMemory
    private let statistics = Mutex(Statistics())

    /// Counts for benchmarks and tests.
    struct Statistics: Sendable, Equatable {
        var transactions = 0
        var writes = 0
        var largestBatch = 0
    }

    /// Checkpoints off the writer's thread, told of every commit; nil leaves checkpoints to SQLite.
    private let checkpointer: Checkpointer?
    /// Told of every transaction: the operator's metrics.
    private let monitor: StoreMonitor
    /// Runs in every batch's transaction after its writes, outside their savepoints: work done once per batch
    /// (the search index, which FTS5 would otherwise flush to disk at every savepoint).
    private let beforeCommit: (@Sendable (Database) throws -> Void)?

    init(
        writer: any DatabaseWriter, maximumQueued: Int = 20_000, checkpointer: Checkpointer? = nil,
        monitor: StoreMonitor = .none, memory: WriterMemory = WriterMemory(),
        beforeCommit: (@Sendable (Database) throws -> Void)? = nil
    ) {
        self.writer = writer
        self.memory = memory
        self.checkpointer = checkpointer
        self.monitor = monitor
        self.beforeCommit = beforeCommit
        // Past `maximumQueued` waiting writes `write` refuses at once with `StoreError.busy`: memory stays bounded.
        self.queue = WriteQueue(
            CommitBatcher(maximumBatch: Self.maximumBatch, maximumQueued: maximumQueued, window: Self.window))
        let thread = Thread { [self] in self.runWriter() }
        thread.name = "gmq-writer"
        thread.start()
    }

    /// The writer thread: commits batches as the batcher says, sleeps on the queue's condition in between, and
    /// ends once `finish` was called and nothing is queued.
    private func runWriter() {
        let queue = self.queue
        queue.condition.lock()
        while true {
            switch queue.batcher.next(at: .now) {
            case .commit(let batch):
                queue.condition.unlock()
                self.commit(batch)
                queue.condition.lock()
            case .wait(let until):
                let left = (until - .now).components
                let seconds = Double(left.seconds) + Double(left.attoseconds) / 1e18
                _ = queue.condition.wait(until: Date(timeIntervalSinceNow: max(0, seconds)))
            case .idle:
                if queue.finished {
                    queue.condition.unlock()
                    return
                }
                queue.condition.wait()
            }
        }
    }

    /// Stops the writer once the queue is empty.
    func finish() {
        self.queue.condition.lock()
        self.queue.finished = true
        self.queue.condition.signal()
        self.queue.condition.unlock()
        self.checkpointer?.finish()
    }

    var counts: Statistics { self.statistics.withLock { $0 } }

    /// Runs `body` in the next group transaction and returns its result once that transaction committed.
    ///
    /// `inSavepoint: false` is for writes that almost never throw: SQLite copies every page a savepoint changes into
    /// its statement journal, and a submission changes about ten. Such a write that throws rolls back its whole
    /// transaction, which then runs again without it; a body may therefore run more than once, and must depend on
    /// nothing but the database and what it captured. gmqd, 256 connections, closed loop, alternated in one session:
    /// submissions without savepoints 4,312 and 4,001/s against 3,997 and 3,710/s in them; with v18's narrower
    /// index as well (its candidates' row reads had cancelled its gain) 4,536, 5,286 and 4,414/s against 4,277,
    /// 4,268 and 4,199/s.
    func write<T: Sendable>(inSavepoint: Bool = true, _ body: @escaping @Sendable (Database) throws -> T) async throws
        -> T
    {
        try await withCheckedThrowingContinuation { continuation in
            let job = WriteJob(body: body, inSavepoint: inSavepoint, continuation: continuation)
            self.queue.condition.lock()
            // After `finish` the writer drains and stops: a later write is refused, never left waiting.
            let accepted = !self.queue.finished && self.queue.batcher.enqueue(job, at: .now)
            if accepted { self.queue.condition.signal() }
            self.queue.condition.unlock()
            if !accepted { continuation.resume(throwing: StoreError.busy(retryAfterMilliseconds: 100)) }
        }
    }

    private func commit(_ batch: [any Job]) {
        var commitError: (any Error)?
        let clock = ContinuousClock()
        let start = clock.now
        var committing = start
        // Writes without a savepoint that failed: out of the transaction, answered with their own error.
        var refused: [any Job] = []
        var batch = batch
        do {
            try self.writer.writeWithoutTransaction { db in
                if let checkpointer = self.checkpointer, checkpointer.logNeedsRestart {
                    checkpointer.completeCheckpoint(in: db)
                }
                // BEGIN and COMMIT by hand (as `inTransaction` does) so that the COMMIT, the log's write and fsync,
                // is timed on its own.
                while !batch.isEmpty {
                    try db.cachedStatement(sql: "BEGIN IMMEDIATE").execute()
                    do {
                        if let failed = batch.firstIndex(where: { !$0.run(in: db, memory: self.memory) }) {
                            try db.cachedStatement(sql: "ROLLBACK").execute()
                            self.memory.rolledBack()
                            refused.append(batch.remove(at: failed))
                            continue
                        }
                        try self.beforeCommit?(db)
                        committing = clock.now
                        try db.cachedStatement(sql: "COMMIT").execute()
                        self.memory.committed()
                        return
                    } catch {
                        if db.isInsideTransaction { try? db.execute(sql: "ROLLBACK") }
                        self.memory.rolledBack()
                        throw error
                    }
                }
            }
        } catch {
            commitError = error
        }
        let end = clock.now
        self.monitor.transaction(batch.count, end - start, end - committing, commitError != nil)
        self.checkpointer?.committed()
        // Counted before anyone is answered, so that a caller who got its answer sees its write counted.
        self.statistics.withLock { statistics in
            statistics.transactions += 1
            statistics.writes += batch.count + refused.count
            statistics.largestBatch = max(statistics.largestBatch, batch.count + refused.count)
        }
        for job in batch { job.finish(commitError: commitError) }
        for job in refused { job.finish(commitError: nil) }
    }
}

/// The writes waiting for the writer thread, and whether the store is closing: both guarded by `condition`, which
/// the writer waits on.
private final class WriteQueue: @unchecked Sendable {
    let condition = NSCondition()
    var batcher: CommitBatcher<any Job, ContinuousClock.Instant>
    var finished = false

    init(_ batcher: CommitBatcher<any Job, ContinuousClock.Instant>) { self.batcher = batcher }
}

/// One queued write: runs inside the group transaction, answers after it.
private protocol Job: Sendable {
    /// False when the write failed outside a savepoint after changing rows: the transaction holds them.
    func run(in db: Database, memory: WriterMemory) -> Bool
    func finish(commitError: (any Error)?)
}

private final class WriteJob<T: Sendable>: Job {
    let body: @Sendable (Database) throws -> T
    let inSavepoint: Bool
    let continuation: CheckedContinuation<T, any Error>
    /// Set by `run` on the writer's queue, read by `finish` after the transaction: never at the same time.
    private let result = Mutex<Result<T, any Error>?>(nil)

    init(
        body: @escaping @Sendable (Database) throws -> T, inSavepoint: Bool,
        continuation: CheckedContinuation<T, any Error>
    ) {
        self.body = body
        self.inSavepoint = inSavepoint
        self.continuation = continuation
    }

    /// The savepoint's statements are prepared once per connection: `Database.inSavepoint` parses them on every
    /// call, two of the ten statements of a submission (`gmq-bench-store`, three alternating runs each: 10,090 →
    /// 11,160 submissions/s).
    func run(in db: Database, memory: WriterMemory) -> Bool {
        guard self.inSavepoint else {
            let changes = db.totalChangesCount
            let outcome = Result { try self.body(db) }
            self.result.withLock { $0 = outcome }
            // A write that failed before changing anything (an unknown category) leaves the transaction as it was.
            if case .failure = outcome, db.totalChangesCount != changes { return false }
            return true
        }
        let outcome: Result<T, any Error>
        do {
            try db.cachedStatement(sql: "SAVEPOINT job").execute()
            let mark = memory.mark()
            do {
                outcome = .success(try self.body(db))
            } catch {
                try db.cachedStatement(sql: "ROLLBACK TO SAVEPOINT job").execute()
                memory.restore(mark)
                outcome = .failure(error)
            }
            try db.cachedStatement(sql: "RELEASE SAVEPOINT job").execute()
        } catch {
            // The savepoint itself failed: the transaction cannot go on, and its commit will fail every write.
            self.result.withLock { $0 = .failure(error) }
            return true
        }
        self.result.withLock { $0 = outcome }
        return true
    }

    func finish(commitError: (any Error)?) {
        if let commitError {
            self.continuation.resume(throwing: commitError)
            return
        }
        guard let result = self.result.withLock({ $0 }) else { preconditionFailure("a committed write always ran") }
        self.continuation.resume(with: result)
    }
}

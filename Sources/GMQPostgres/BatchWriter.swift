import Foundation
import GMQCore
import Logging
import PostgresNIO
import Synchronization

/// Group commit on PostgreSQL: every write of this node that appends events waits here, and a few writer loops
/// (each on its own connection) take what is waiting as one transaction each (at most `maximumBatch`), answering
/// each write after its COMMIT. Several loops at once are safe for the same reason several nodes are: every
/// read-then-write holds a row lock, and the categories' locks are taken last, in name order.
///
/// A write's body raises domain errors (`StoreError`, `Access.Denial`) only before it writes anything, so such a
/// refusal does not spoil the batch. Any other error (a lost connection, a deadlock between two nodes' batches)
/// rolls the whole batch back, and its writes are run again one transaction each, so that one bad write fails
/// alone; a single write that met a serialisation failure or deadlock is retried.
final class BatchWriter: Sendable {
    static let maximumBatch = 128

    private struct State {
        /// The queued writes, and when the next batch may start (`CommitBatcher`'s rules, shared with SQLite).
        var batcher: CommitBatcher<any BatchJob, ContinuousClock.Instant>
        /// Writer loops waiting for work, each with the number of queued writes it starts a batch at.
        var waiters: [(minimum: Int, id: Int, continuation: CheckedContinuation<Void, Never>)] = []
        var nextWaiter = 0
        var finished = false
    }

    private let state: Mutex<State>

    /// `window`: how long a busy writer lets the next batch gather, unless `enough` writes wait (`CommitBatcher`);
    /// zero for writes that should not wait for others (a GM's).
    init(maximumQueued: Int = 20_000, window: Duration = .zero, enough: Int? = nil) {
        self.state = Mutex(State(batcher: CommitBatcher(
            maximumBatch: Self.maximumBatch, maximumQueued: maximumQueued, window: window, enough: enough)))
    }

    /// Runs `body` in the next batch transaction; returns once that committed.
    func write<T: Sendable>(_ body: @escaping @Sendable (Transaction) async throws -> T) async throws -> T {
        try await self.enqueue { Job(body: body, continuation: $0) }
    }

    /// Queues the job `make` builds around its caller's continuation; returns what the job answers after its
    /// batch committed.
    func enqueue<T: Sendable>(_ make: (CheckedContinuation<T, any Error>) -> any BatchJob) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let job = make(continuation)
            let (accepted, waiter) = self.state.withLock { state -> (Bool, CheckedContinuation<Void, Never>?) in
                guard !state.finished, state.batcher.enqueue(job, at: .now) else { return (false, nil) }
                let queued = state.batcher.queuedCount
                guard let ready = state.waiters.lastIndex(where: { $0.minimum <= queued }) else { return (true, nil) }
                return (true, state.waiters.remove(at: ready).continuation)
            }
            waiter?.resume()
            if !accepted { continuation.resume(throwing: StoreError.busy(retryAfterMilliseconds: 100)) }
        }
    }

    /// Stops taking writes; `run` ends once what is queued has committed.
    func finish() {
        let waiters = self.state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.finished = true
            defer { state.waiters = [] }
            return state.waiters.map(\.continuation)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// A writer loop: takes what waits (while one batch commits, the next gathers, and a busy writer lets it gather
    /// for `window`) and commits it. A loop with a `minimum` starts a batch only once that many writes wait: a
    /// second loop beside a first that takes any, so that a second transaction runs only when a full batch waits
    /// behind the one committing (the batch no longer grows with the load, so another transaction adds throughput
    /// instead of splitting batches).
    func run(minimum: Int = 1, _ commit: ([any BatchJob]) async -> Void) async {
        while let batch = await self.next(minimum: minimum) { await commit(batch) }
    }

    private func next(minimum: Int) async -> [any BatchJob]? {
        while true {
            enum Taken { case batch([any BatchJob]), done, wait, gather(until: ContinuousClock.Instant, enough: Int) }
            let taken = self.state.withLock { state -> Taken in
                let queued = state.batcher.queuedCount
                guard queued >= minimum || (state.finished && queued > 0) else { return state.finished ? .done : .wait }
                switch state.batcher.next(at: .now) {
                case .commit(let batch): return .batch(batch)
                case .wait(let until): return .gather(until: until, enough: state.batcher.enough)
                case .idle: return state.finished ? .done : .wait
                }
            }
            switch taken {
            case .batch(let batch): return batch
            case .done: return nil
            case .gather(let until, let enough):
                // Until the window ends, or sooner once `enough` writes wait.
                await self.wait(forQueued: enough, until: until)
            case .wait: await self.wait(forQueued: minimum, until: nil)
            }
        }
    }

    /// Returns once `count` writes are queued (or the writer finished), or at `deadline`.
    private func wait(forQueued count: Int, until deadline: ContinuousClock.Instant?) async {
        await withCheckedContinuation { continuation in
            let id = self.state.withLock { state -> Int? in
                if state.batcher.queuedCount >= count || state.finished { return nil }
                state.nextWaiter += 1
                state.waiters.append((count, state.nextWaiter, continuation))
                return state.nextWaiter
            }
            guard let id else { return continuation.resume() }
            guard let deadline else { return }
            Task {
                try? await Task.sleep(until: deadline)
                let waiter = self.state.withLock { state in
                    state.waiters.firstIndex { $0.id == id }.map { state.waiters.remove(at: $0).continuation }
                }
                waiter?.resume()
            }
        }
    }
}

/// One write waiting for its batch, type-erased.
protocol BatchJob: Sendable {
    /// Runs the body; a domain refusal is kept as the job's result, any other error is thrown (the batch aborts).
    func run(in transaction: Transaction) async throws
    /// After COMMIT: answers with the body's result or refusal.
    func succeed()
    func fail(_ error: any Error)
}

/// Whether an error is a refusal decided before anything was written (the batch may go on).
func isRefusal(_ error: any Error) -> Bool {
    error is StoreError || error is Access.Denial || error is StaffChangeError
}

private final class Job<T: Sendable>: BatchJob, @unchecked Sendable {
    let body: @Sendable (Transaction) async throws -> T
    let continuation: CheckedContinuation<T, any Error>
    /// Written and read by the writer task only.
    private var result: Result<T, any Error>?

    init(body: @escaping @Sendable (Transaction) async throws -> T, continuation: CheckedContinuation<T, any Error>) {
        self.body = body
        self.continuation = continuation
    }

    func run(in transaction: Transaction) async throws {
        do {
            self.result = .success(try await self.body(transaction))
        } catch where isRefusal(error) {
            self.result = .failure(error)
        }
    }

    func succeed() {
        self.continuation.resume(with: self.result ?? .failure(StoreError.busy(retryAfterMilliseconds: 100)))
    }

    func fail(_ error: any Error) { self.continuation.resume(throwing: error) }
}

/// The open transaction of one batch: its connection, and what the batch appends at the end.
final class Transaction: @unchecked Sendable {
    let connection: PostgresConnection
    let logger: Logger
    /// Events in the order the batch's writes appended them, linked to their tickets but not yet to the chain.
    private(set) var events: [TicketEvent] = []
    private(set) var notifications: [(id: Int64, player: Int64)] = []
    private(set) var tickets: [(id: Int64, seq: Int64)] = []
    /// Changes to each category's count of open tickets, written to this writer's shard at the batch's end.
    private(set) var depth: [String: Int64] = [:]
    /// This writer loop's `queue_depth` shard.
    let shard: String
    /// New queued tickets whose place waits for the committed depth, read under their categories' locks: each with
    /// its category, the batch's own change to that depth before it, and where the place goes.
    private(set) var placements: [(category: String, ahead: Int64, place: (Int) -> Void)] = []

    /// Notification ids drawn with a ticket's lock, by ticket, for the step that follows it
    /// (`takeReservedNotification`).
    private var reservedNotifications: [Int64: Int64] = [:]

    /// Statements sent without waiting for their answers (`send`), not yet read.
    private var pipelined: [EventLoopFuture<PostgresQueryResult>] = []

    /// Opens the transaction on `connection`: BEGIN is sent, not waited for, and so is `genericPlans`.
    init(connection: PostgresConnection, logger: Logger, shard: String) {
        self.connection = connection
        self.logger = logger
        self.shard = shard
        self.send("BEGIN")
        self.send(Self.genericPlans)
    }

    /// A prepared statement (`SubmissionRead`) is planned once per connection only if PostgreSQL picks its generic
    /// plan, which it does when that plan's estimated cost is no worse than the custom plans' so far. For a small
    /// batch the arrays of a custom plan are short, so its estimate stays below the generic plan's and PostgreSQL
    /// planned the read again at every call: 318 µs of planning against 159 µs of running it, per call, with one
    /// node at 400 submissions/s (batches of three; pg_stat_statements). Within a batch's transaction every
    /// statement is planned without its values: the prepared read then once per connection, and each statement
    /// sent as text once as before (a statement here is looked up by id or by the arrays it is given).
    static let genericPlans: PostgresQuery = "SET LOCAL plan_cache_mode = force_generic_plan"

    /// Counts a ticket entering (+1) or leaving (-1) `category`'s open queue.
    func opened(_ category: String, _ delta: Int64) { self.depth[category, default: 0] += delta }

    /// Enters a new ticket into `category`'s queue: `place` gets its position once the batch knows the depth
    /// committed before it (``PostgresTicketStore`` reads it under the category's lock, which orders batches).
    func enqueue(_ category: String, place: @escaping (Int) -> Void) {
        self.placements.append((category, self.depth[category, default: 0], place))
        self.opened(category, 1)
    }

    /// Runs `query` and returns its rows; an error of a statement sent before it is thrown instead of its own
    /// (which is then only "the transaction is aborted").
    @discardableResult
    func query(_ query: PostgresQuery) async throws -> PostgresRowSequence {
        try await self.settling { try await self.connection.query(query, logger: self.logger) }
    }

    /// Runs a prepared statement and returns its rows, as `query` does.
    func execute<Statement: PostgresPreparedStatement>(_ statement: Statement) async throws -> [Statement.Row] {
        try await self.settling { try await self.connection.execute(statement, logger: self.logger).collected() }
    }

    /// `body`'s answer once the statements sent before it are read; if one of those failed, its error rather than
    /// `body`'s (which is then only "the transaction is aborted").
    private func settling<T>(_ body: () async throws -> T) async throws -> T {
        let answer: T
        do {
            answer = try await body()
        } catch {
            try await self.settle()
            throw error
        }
        try await self.settle()
        return answer
    }

    /// Sends `query` without waiting for its answer (pipelining: the connection sends it at once, and PostgreSQL
    /// runs it before whatever is sent next, each statement with its own snapshot as if waited for). For writes
    /// whose answer nothing needs before the batch's end: a round trip less each. An error aborts the transaction
    /// and is thrown by the next `query` or `settle`.
    func send(_ query: PostgresQuery) {
        self.pipelined.append(self.connection.query(query, logger: self.logger))
    }

    /// Reads the answers of every statement sent so far; throws the first error.
    func settle() async throws {
        let sent = self.pipelined
        self.pipelined = []
        for answer in sent { _ = try await answer.get() }
    }

    /// Queues `event` (linked to its ticket's previous one) for the batch's end, where it gets its chain place.
    func append(_ event: TicketEvent, previousInTicket: Data?) -> TicketEvent {
        let link = EventChain.link(event, previousInTicket: previousInTicket, head: .genesis)
        var linked = event
        linked.previousHash = link.previousHash
        linked.hash = link.hash
        self.events.append(linked)
        self.tickets.append((event.ticketID, event.seq))
        return linked
    }

    func notified(_ id: Int64, player: Int64) { self.notifications.append((id, player)) }

    /// Keeps `id`, drawn from the notifications' sequence with the lock of `ticket`, for the step on that ticket.
    /// An id never used leaves a gap in the sequence, as a rolled-back insert does.
    func reserveNotification(_ id: Int64, on ticket: Int64) { self.reservedNotifications[ticket] = id }

    /// The id reserved with the lock of `ticket`, once; nil when none is left.
    func takeReservedNotification(on ticket: Int64) -> Int64? { self.reservedNotifications.removeValue(forKey: ticket) }
}

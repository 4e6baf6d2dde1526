/// When the group-commit writer commits, and what: a pure value that is given instants and answers with what to do,
/// so that every rule is tested without a database or a clock (STYLE §1). SQLite's `GroupCommitter` and
/// PostgreSQL's `BatchWriter` perform the answers, each with its own `window`.
///
/// Rules, in order: writes past `maximumQueued` are refused (the caller answers busy); `enough` writes (a full
/// batch, `maximumBatch`, unless given fewer) commit at once; after a batch of more than one write — the writer is
/// busy — the next batch waits until its oldest write has waited `window`, so that one commit serves the writes of
/// that window instead of the two or three that arrived during the previous commit; after a batch of one — the
/// writer is quiet — a write commits at once, so a lone request never pays the window.
///
/// Measured on SQLite with gmq-load, open loop at 3,700/s (half the closed-loop peak, 256 connections): without
/// the window gmqd committed 1,224 times a second, 2.7 writes per commit; with 1 ms, 450–600 times, 6–7 writes per
/// commit.
public struct CommitBatcher<Job, Instant: InstantProtocol> {
    public let maximumBatch: Int
    public let maximumQueued: Int
    public let window: Instant.Duration
    /// Writes that commit without waiting for the window.
    public let enough: Int
    private var queued: [(job: Job, at: Instant)] = []
    private var previousBatch = 0

    public init(maximumBatch: Int, maximumQueued: Int, window: Instant.Duration, enough: Int? = nil) {
        precondition(maximumBatch > 0 && maximumQueued > 0 && (enough ?? 1) > 0)
        self.maximumBatch = maximumBatch
        self.maximumQueued = maximumQueued
        self.window = window
        self.enough = min(enough ?? maximumBatch, maximumBatch)
    }

    /// What the writer does next.
    public enum Next {
        /// Run these in one transaction now.
        case commit([Job])
        /// Nothing to commit before this instant (unless `enough` writes come).
        case wait(until: Instant)
        /// Nothing queued.
        case idle
    }

    public var queuedCount: Int { self.queued.count }

    /// Queues `job`, which arrived at `now`; false when the queue is full and the job was not queued.
    public mutating func enqueue(_ job: Job, at now: Instant) -> Bool {
        guard self.queued.count < self.maximumQueued else { return false }
        self.queued.append((job, now))
        return true
    }

    public mutating func next(at now: Instant) -> Next {
        guard let oldest = self.queued.first else { return .idle }
        if self.queued.count < self.enough && self.previousBatch > 1 {
            let due = oldest.at.advanced(by: self.window)
            if now < due { return .wait(until: due) }
        }
        let count = min(self.queued.count, self.maximumBatch)
        let batch = self.queued.prefix(count).map(\.job)
        self.queued.removeFirst(count)
        self.previousBatch = count
        return .commit(batch)
    }
}

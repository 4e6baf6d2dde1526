import Testing

@testable import GMQCore

/// The group-commit writer's decisions at given instants, no database and no sleeping.
@Suite struct CommitBatcherTests {
    typealias Batcher = CommitBatcher<Int, ContinuousClock.Instant>
    static let start = ContinuousClock.now

    static func at(_ microseconds: Int) -> ContinuousClock.Instant { Self.start + .microseconds(microseconds) }

    static func batcher(maximumBatch: Int = 4, maximumQueued: Int = 8) -> Batcher {
        CommitBatcher(maximumBatch: maximumBatch, maximumQueued: maximumQueued, window: .milliseconds(1))
    }

    /// Queues `jobs`, all arriving at `microseconds`; whether each was queued.
    @discardableResult
    static func enqueue(_ jobs: ClosedRange<Int>, into batcher: inout Batcher, at microseconds: Int) -> [Bool] {
        jobs.map { batcher.enqueue($0, at: Self.at(microseconds)) }
    }

    /// The jobs the batcher commits at `microseconds`, or nil when it answers otherwise.
    static func committed(by batcher: inout Batcher, at microseconds: Int) -> [Int]? {
        if case .commit(let jobs) = batcher.next(at: Self.at(microseconds)) { jobs } else { nil }
    }

    /// The instant the batcher waits for at `microseconds`, or nil when it answers otherwise.
    static func wait(of batcher: inout Batcher, at microseconds: Int) -> ContinuousClock.Instant? {
        if case .wait(let until) = batcher.next(at: Self.at(microseconds)) { until } else { nil }
    }

    @Test func anEmptyQueueIsIdle() {
        var batcher = Self.batcher()
        guard case .idle = batcher.next(at: Self.at(0)) else { Issue.record("expected idle"); return }
    }

    @Test func aLoneWriteOnAQuietWriterCommitsAtOnce() {
        var batcher = Self.batcher()
        Self.enqueue(1...1, into: &batcher, at: 0)
        #expect(Self.committed(by: &batcher, at: 0) == [1])
        // The previous batch was one write: the next lone write does not wait either.
        Self.enqueue(2...2, into: &batcher, at: 5_000)
        #expect(Self.committed(by: &batcher, at: 5_000) == [2])
    }

    @Test func afterABatchOfSeveralTheNextWaitsTheWindowFromItsOldestWrite() {
        var batcher = Self.batcher()
        Self.enqueue(1...3, into: &batcher, at: 0)
        #expect(Self.committed(by: &batcher, at: 0) == [1, 2, 3], "the first batch of a quiet writer")
        Self.enqueue(4...4, into: &batcher, at: 100)
        Self.enqueue(5...5, into: &batcher, at: 600)
        #expect(Self.wait(of: &batcher, at: 700) == Self.at(1_100), "1 ms after job 4, not after job 5")
        Self.enqueue(6...6, into: &batcher, at: 900)
        #expect(Self.committed(by: &batcher, at: 1_100) == [4, 5, 6])
    }

    @Test func aFullBatchDoesNotWait() {
        var batcher = Self.batcher(maximumBatch: 4)
        Self.enqueue(1...2, into: &batcher, at: 0)
        _ = batcher.next(at: Self.at(0))
        Self.enqueue(3...6, into: &batcher, at: 10)
        #expect(Self.committed(by: &batcher, at: 10) == [3, 4, 5, 6])
    }

    @Test func enoughWritesCommitWithoutTheWindowAndTheRestKeepIt() {
        var batcher = CommitBatcher<Int, ContinuousClock.Instant>(
            maximumBatch: 8, maximumQueued: 16, window: .milliseconds(1), enough: 3)
        Self.enqueue(1...2, into: &batcher, at: 0)
        #expect(Self.committed(by: &batcher, at: 0) == [1, 2])
        Self.enqueue(3...4, into: &batcher, at: 10)
        #expect(Self.wait(of: &batcher, at: 20) == Self.at(1_010), "two are fewer than enough")
        Self.enqueue(5...5, into: &batcher, at: 30)
        #expect(Self.committed(by: &batcher, at: 30) == [3, 4, 5], "three are enough, before the window ends")
    }

    @Test func moreThanABatchIsCommittedABatchAtATimeInArrivalOrder() {
        var batcher = Self.batcher(maximumBatch: 4, maximumQueued: 8)
        for job in 1...6 { Self.enqueue(job...job, into: &batcher, at: job) }
        #expect(Self.committed(by: &batcher, at: 10) == [1, 2, 3, 4])
        // The window of the two left counts from the older of them, job 5.
        #expect(Self.wait(of: &batcher, at: 10) == Self.at(1_005))
        #expect(Self.committed(by: &batcher, at: 1_005) == [5, 6])
    }

    @Test func writesPastTheQueueLimitAreRefusedAndTheQueuedOnesKept() {
        var batcher = Self.batcher(maximumBatch: 4, maximumQueued: 4)
        #expect(Self.enqueue(1...5, into: &batcher, at: 0) == [true, true, true, true, false])
        #expect(batcher.queuedCount == 4)
        #expect(Self.committed(by: &batcher, at: 0) == [1, 2, 3, 4])
        #expect(Self.enqueue(5...5, into: &batcher, at: 1) == [true], "committed writes free their places")
    }

    @Test func aBatchOfOneTurnsTheWindowOffAgain() {
        var batcher = Self.batcher()
        Self.enqueue(1...2, into: &batcher, at: 0)
        _ = batcher.next(at: Self.at(0))
        Self.enqueue(3...3, into: &batcher, at: 2_000)
        #expect(Self.wait(of: &batcher, at: 2_000) == Self.at(3_000))
        #expect(Self.committed(by: &batcher, at: 3_000) == [3], "load fell: a batch of one")
        Self.enqueue(4...4, into: &batcher, at: 9_000)
        #expect(Self.committed(by: &batcher, at: 9_000) == [4], "and the writer is quiet again")
    }
}

import GMQTestSupport
import Testing

@testable import GMQPostgres

/// PostgreSQL's group-commit queue without a database: the batches its writer loop takes (`CommitBatcher` decides
/// when; these tests cover how `BatchWriter` waits for it).
@Suite(.timeLimit(.minutes(1))) struct BatchWriterTests {
    /// A write that answers its number once its batch is taken.
    final class Numbered: BatchJob, @unchecked Sendable {
        let number: Int
        let continuation: CheckedContinuation<Int, any Error>

        init(_ number: Int, _ continuation: CheckedContinuation<Int, any Error>) {
            self.number = number
            self.continuation = continuation
        }

        func run(in transaction: Transaction) async throws {}
        func succeed() { self.continuation.resume(returning: self.number) }
        func fail(_ error: any Error) { self.continuation.resume(throwing: error) }
    }

    @Test func aLoopGatheringInItsWindowStartsAsSoonAsEnoughWritesWait() async throws {
        let writer = BatchWriter(window: .seconds(300), enough: 3)
        let (stream, taken) = AsyncStream.makeStream(of: [Int].self)
        let batches = Mailbox(stream)
        // A loop that starts at two queued writes: its first batch is writes 1 and 2 together, so it is busy after it.
        let loop = Task {
            await writer.run(minimum: 2) { batch in
                taken.yield(batch.compactMap { ($0 as? Numbered)?.number }.sorted())
                for job in batch { job.succeed() }
            }
        }
        func submit(_ number: Int) -> Task<Int, any Error> {
            Task { try await writer.enqueue { Numbered(number, $0) } }
        }
        let first = [submit(1), submit(2)]
        #expect(try await batches.next(timeout: .seconds(20)) == [1, 2])
        for write in first { _ = try await write.value }
        // Two writes are fewer than enough: the loop gathers in its 300-s window, and the third ends the wait.
        var second = [submit(3), submit(4)]
        await #expect(throws: Mailbox<[Int]>.Timeout.self, "two writes wait in the window") {
            try await batches.next(timeout: .milliseconds(500))
        }
        second.append(submit(5))
        #expect(try await batches.next(timeout: .seconds(20)) == [3, 4, 5])
        for write in second { _ = try await write.value }
        writer.finish()
        await loop.value
    }
}

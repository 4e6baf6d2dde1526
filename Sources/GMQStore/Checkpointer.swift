import GRDB
import Synchronization

/// Copies committed pages from the write-ahead log into the database file on a connection of its own, so that the
/// writer never stops to do it.
///
/// SQLite's automatic checkpoint runs inside the commit that crosses 1,000 WAL pages: that commit, and every write
/// queued behind it, waited for the copy. At half the peak rate, open loop, 24 of those a second took 9 ms each
/// and made the p99. Here the writer's automatic checkpoint is off, and this connection runs a PASSIVE checkpoint,
/// which copies what is committed without blocking the writer, after a commit — at most one per `interval`, as each
/// copies the pages and fsyncs the database file. One after every commit cost gmqd 20% more CPU per request at
/// 3,700 submissions/s, open loop (313–322 against 253–265 µs, two runs each on one server, both with
/// `GroupCommitter`'s commit window).
/// A passive checkpoint beside a busy writer never catches up completely, and only a fully copied log starts again
/// from its beginning: once the log holds `restartFrames` pages the writer itself copies the last few between two
/// transactions (`GroupCommitter`), and its next commit restarts the log, which so stays bounded. Until then the
/// checkpoints here follow every commit again, without `interval`: otherwise the writer was left up to 50 ms of
/// pages to copy, which took it 11–16 ms (p50) four times a second at 4,000 submissions/s, and the p99 of the
/// open loop was 19.1 / 21.5 / 38.4 ms (three runs) against 15.1 / 18.2 / 15.6 ms with this.
final class Checkpointer: Sendable {
    /// Pages in the log (4 KiB each) past which the writer completes a checkpoint so that the log restarts:
    /// 4,096 (16 MiB) unless a test asks for fewer.
    let restartFrames: Int
    /// Least time between two checkpoints while no restart is due.
    static let interval: Duration = .milliseconds(50)

    private let connection: DatabaseQueue
    private let doorbell: AsyncStream<Void>.Continuation
    private let counts = Mutex(Counts())

    /// For benchmarks and tests.
    struct Counts: Sendable {
        var checkpoints = 0
        var restarts = 0
        /// Pages in the log after the latest checkpoint.
        var framesInLog = 0
    }

    /// `path`: a database already in WAL mode.
    init(path: String, restartFrames: Int = 4_096) throws {
        self.restartFrames = restartFrames
        self.connection = try DatabaseQueue(path: path)
        // A connection works in WAL mode only once it has read the database: until then a checkpoint does nothing.
        _ = try self.connection.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_schema") }
        let (rings, doorbell) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        self.doorbell = doorbell
        Task { [self] in
            for await _ in rings {
                // A checkpoint that fails (another one runs, or I/O) leaves the pages in the log for the next one.
                if let result = try? await self.connection.writeWithoutTransaction({ try $0.checkpoint(.passive) }) {
                    self.counts.withLock { counts in
                        counts.checkpoints += 1
                        counts.framesInLog = result.walFrameCount
                    }
                }
                // Commits meanwhile ring once: the next checkpoint copies all of them. While a restart is due the
                // checkpoints follow every commit, so that the writer is left only the last commit's pages to copy.
                if !self.logNeedsRestart { try? await Task.sleep(for: Self.interval) }
            }
        }
    }

    /// Called after every commit; checkpoints follow at most once per `interval`.
    func committed() {
        self.doorbell.yield()
    }

    var statistics: Counts { self.counts.withLock { $0 } }

    /// Whether the log is long enough for the writer to complete a checkpoint before its next transaction.
    var logNeedsRestart: Bool { self.counts.withLock { $0.framesInLog >= self.restartFrames } }

    /// Run by the writer between two transactions, when `logNeedsRestart`: copies what the passive checkpoints
    /// have not, so that the next commit starts the log again. Cheap, as they copied nearly everything.
    func completeCheckpoint(in db: Database) {
        guard let result = try? db.checkpoint(.passive), result.checkpointedFrameCount == result.walFrameCount else {
            return
        }
        self.counts.withLock { counts in
            counts.restarts += 1
            counts.framesInLog = 0
        }
    }

    func finish() {
        self.doorbell.finish()
    }
}

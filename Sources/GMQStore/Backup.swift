import Foundation
import GMQCore
import GRDB

/// Online backups of the embedded store and their verified restore (issue 11 §8).
///
/// A backup is SQLite's `VACUUM INTO` on a read-only connection of its own: one read transaction, so the copy is
/// the database as of one commit, while `gmqd` goes on writing (WAL readers do not block the writer). A restore
/// takes a backup only if it passes SQLite's `integrity_check` and both hash chains (ticket events and the staff
/// action log) verify; it never writes over an existing database.
public enum Backup {
    /// What a backup or a restore holds.
    public struct Summary: Sendable, Equatable, CustomStringConvertible {
        public var tickets: Int
        public var events: Int
        public var staffLogEntries: Int
        /// The global chain's head: write it down to tell later whether anything was cut off.
        public var chainHead: Data

        public var description: String {
            "\(self.tickets) tickets, \(self.events) events, \(self.staffLogEntries) staff log entries; chain head "
                + self.chainHead.map { String(format: "%02x", $0) }.joined().prefix(16) + "…"
        }
    }

    /// Why a backup or a restore did not happen: what was wrong and what to do.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case sourceMissing(String)
        case targetExists(String)
        case notADatabase(String, detail: String)
        case integrity(String, detail: String)
        case chainBroken(String, detail: String)
        case databaseExists(String)

        public var description: String {
            switch self {
            case .sourceMissing(let path):
                "there is no database at \(path); give the data directory gmqd serves from (--data DIR)"
            case .targetExists(let path):
                "\(path) already exists; a backup never overwrites a file: name a new one"
            case .notADatabase(let path, let detail):
                "\(path) is not a GMQueue database (\(detail)); give a file made by gmqd backup"
            case .integrity(let path, let detail):
                "\(path) fails SQLite's integrity check (\(detail)); it was not restored: take an earlier backup"
            case .chainBroken(let path, let detail):
                "\(path) holds history that does not verify (\(detail)); it was not restored: take an earlier backup, "
                    + "and keep this one for the investigation"
            case .databaseExists(let path):
                "\(path) already holds a database; restore into an empty data directory, or move the database away "
                    + "first (never while gmqd serves it)"
            }
        }
    }

    /// Copies the database at `database` into a new file `target` (mode 0600) while a server may be writing it,
    /// and checks the copy.
    public static func backup(database: String, to target: String) throws -> Summary {
        guard FileManager.default.fileExists(atPath: database) else { throw Failure.sourceMissing(database) }
        guard !FileManager.default.fileExists(atPath: target) else { throw Failure.targetExists(target) }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        let source = try DatabaseQueue(path: database, configuration: configuration)
        // The copy is born private: it holds every ticket.
        try DataDirectory.createPrivately(target)
        do {
            try source.inDatabase { db in try db.execute(sql: "VACUUM INTO ?", arguments: [target]) }
        } catch {
            try? FileManager.default.removeItem(atPath: target)
            throw error
        }
        return try Self.check(target)
    }

    /// Restores `file` as the database of `directory` (created 0700 if needed), after checking its integrity and
    /// both hash chains on a copy; a migration brings an older backup's schema up to date on the way. Returns what
    /// the restored database holds.
    public static func restore(from file: String, into directory: URL) async throws -> Summary {
        guard FileManager.default.fileExists(atPath: file) else { throw Failure.sourceMissing(file) }
        try DataDirectory.prepare(directory)
        let database = directory.appendingPathComponent(DataDirectory.databaseName).path
        guard !FileManager.default.fileExists(atPath: database) else { throw Failure.databaseExists(database) }
        _ = try Self.check(file)
        // Verified on a private copy next to its final place, then renamed into place in one step.
        let staging = database + ".restoring"
        try? FileManager.default.removeItem(atPath: staging)
        try DataDirectory.createPrivately(staging)
        do {
            try Self.copy(file, into: staging)
            let summary = try await Self.verify(staging, reportedAs: file)
            try FileManager.default.moveItem(atPath: staging, toPath: database)
            return summary
        } catch {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: staging + suffix) }
            throw error
        }
    }

    /// Integrity and counts of the database file at `path`, opened read-only.
    static func check(_ path: String) throws -> Summary {
        var configuration = Configuration()
        configuration.readonly = true
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
            return try queue.read { db in
                let problems = try String.fetchAll(db, sql: "PRAGMA integrity_check")
                guard problems == ["ok"] else {
                    throw Failure.integrity(path, detail: problems.prefix(3).joined(separator: "; "))
                }
                guard try db.tableExists("tickets"), try db.tableExists("events") else {
                    throw Failure.notADatabase(path, detail: "no tickets or events table")
                }
                return Summary(
                    tickets: try Int.fetchOne(db, sql: "SELECT count(*) FROM tickets") ?? 0,
                    events: try Int.fetchOne(db, sql: "SELECT count(*) FROM events") ?? 0,
                    staffLogEntries: try db.tableExists("staff_log")
                        ? try Int.fetchOne(db, sql: "SELECT count(*) FROM staff_log") ?? 0 : 0,
                    chainHead: try Data.fetchOne(db, sql: "SELECT chain_hash FROM events ORDER BY chain_seq DESC LIMIT 1")
                        ?? Data(count: 32))
            }
        } catch let failure as Failure {
            throw failure
        } catch let error as DatabaseError where [.SQLITE_NOTADB, .SQLITE_CORRUPT].contains(error.resultCode) {
            throw Failure.integrity(path, detail: "SQLite: \(error.message ?? "\(error.resultCode)")")
        }
    }

    /// Opens the staged copy as a store (migrating it) and verifies both chains.
    private static func verify(_ path: String, reportedAs file: String) async throws -> Summary {
        let store = try SQLiteTicketStore(
            writer: DatabaseQueue(path: path), serviceLevels: .standard, replyLimits: .standard,
            maximumQueuedWrites: 1, restartFrames: nil)
        defer { store.committer.finish() }
        let chain = try await store.verifyChain()
        if let broken = chain.broken {
            throw Failure.chainBroken(file, detail: "ticket \(broken.ticketID) event \(broken.seq): \(broken.reason)")
        }
        let log = try await store.verifyStaffLog()
        if let broken = log.broken {
            throw Failure.chainBroken(file, detail: "staff log entry \(broken.seq): \(broken.reason)")
        }
        var summary = try Self.check(path)
        summary.chainHead = chain.head
        return summary
    }
}

extension Backup {
    /// Copies `source` into the existing (private) file `target`, a MiB at a time.
    fileprivate static func copy(_ source: String, into target: String) throws {
        let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: source))
        defer { try? input.close() }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: target))
        defer { try? output.close() }
        while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty { try output.write(contentsOf: chunk) }
        try output.synchronize()
    }
}

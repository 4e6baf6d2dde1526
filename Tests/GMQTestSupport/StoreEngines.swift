import Foundation
import GMQCore
import GMQPostgres
import GMQStore
import Logging
import PostgresNIO
import Synchronization

/// The engines the contract tests run against: every `TicketStore` operation is tested on both.
public enum Engine: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite
    case postgres
    public var description: String { self.rawValue }
}

/// A real PostgreSQL server for tests: `GMQ_TEST_POSTGRES` (what `.ci/run` starts), or else a throwaway cluster
/// this test process starts with `Tools/pg/cluster` and stops at exit. Never a mock.
public enum TestPostgres {
    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    private static let started = Mutex<String?>(nil)

    /// The server's URL (its `postgres` database).
    public static func url() throws -> String {
        if let url = ProcessInfo.processInfo.environment["GMQ_TEST_POSTGRES"], !url.isEmpty { return url }
        return try self.started.withLock { started in
            if let started { return started }
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent()
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gmq-pg-\(UUID().uuidString)").path
            // system(3), not Process: the cluster's server outlives the script, and Foundation's Process waits
            // for every holder of its pipes.
            let script = root.appendingPathComponent("Tools/pg/cluster").path
            let status = system("PG_FAST=1 bash '\(script)' start '\(directory)' > '\(directory).url' 2> '\(directory).log'")
            let url = ((try? String(contentsOfFile: directory + ".url", encoding: .utf8)) ?? "")
                .trimmingCharacters(in: .whitespacesAndNewlines)
            guard status == 0, !url.isEmpty else {
                let log = (try? String(contentsOfFile: directory + ".log", encoding: .utf8)) ?? ""
                throw Unavailable(description: "no PostgreSQL for the tests (set GMQ_TEST_POSTGRES or install postgresql): \(log)")
            }
            clusterDirectory = strdup(directory)
            atexit {
                guard let directory = clusterDirectory else { return }
                let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                    .deletingLastPathComponent()
                let script = root.appendingPathComponent("Tools/pg/cluster").path
                let path = String(cString: directory)
                _ = system("bash '\(script)' stop '\(path)' > /dev/null 2>&1; rm -rf '\(path)' '\(path).url' '\(path).log'")
            }
            started = url
            return url
        }
    }

    /// A new, empty database on the test server.
    public static func freshDatabase() async throws -> PostgresLocation {
        let server = try PostgresLocation(url: try self.url())
        let name = "gmq_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        let connection = try await PostgresConnection.connect(
            configuration: .init(
                host: server.host, port: server.port, username: server.username, password: server.password,
                database: server.database, tls: .disable),
            id: 1, logger: Logger(label: "gmq-test"))
        try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: Logger(label: "gmq-test"))
        try await connection.close()
        var location = server
        location.database = String(name)
        return location
    }

    /// Runs `sql` on `location`'s database outside any store (tests that tamper with rows).
    public static func execute(_ sql: String, on location: PostgresLocation) async throws {
        _ = try await self.rows(sql, on: location)
    }

    /// The first row's first column of `sql` (a count), read outside any store.
    public static func integer(_ sql: String, on location: PostgresLocation) async throws -> Int {
        guard let row = try await self.rows(sql, on: location).first else {
            throw Unavailable(description: "no row: \(sql)")
        }
        return try row.decode(Int.self)
    }

    private static func rows(_ sql: String, on location: PostgresLocation) async throws -> [PostgresRow] {
        let logger = Logger(label: "gmq-test")
        let connection = try await PostgresConnection.connect(
            configuration: .init(
                host: location.host, port: location.port, username: location.username, password: location.password,
                database: location.database, tls: .disable),
            id: 1, logger: logger)
        do {
            let rows = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect()
            try await connection.close()
            return rows
        } catch {
            try? await connection.close()
            throw error
        }
    }
}

nonisolated(unsafe) private var clusterDirectory: UnsafeMutablePointer<CChar>?

/// Stores under test: one engine's store (or several nodes sharing one PostgreSQL database), running.
public final class StoreFixture: Sendable {
    public let engine: Engine
    public let stores: [any TicketStore]
    /// The PostgreSQL database, for tests that reach past the store.
    public let location: PostgresLocation?
    /// The SQLite file.
    public let path: String?
    private let tasks: [Task<Void, any Error>]

    public var store: any TicketStore { self.stores[0] }

    private init(
        engine: Engine, stores: [any TicketStore], location: PostgresLocation?, path: String?,
        tasks: [Task<Void, any Error>]
    ) {
        self.engine = engine
        self.stores = stores
        self.location = location
        self.path = path
        self.tasks = tasks
    }

    /// `nodes` stores on one fresh database (SQLite has one node: one process owns its file).
    public static func start(
        _ engine: Engine, nodes: Int = 1, serviceLevels: ServiceLevels = .standard, replyLimits: ReplyLimits = .standard
    ) async throws -> StoreFixture {
        switch engine {
        case .sqlite:
            precondition(nodes == 1, "SQLite is one process's store")
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("gmq-store-\(UUID().uuidString).sqlite").path
            let store = try await offThePool {
                try SQLiteTicketStore.open(path: path, serviceLevels: serviceLevels, replyLimits: replyLimits)
            }
            return StoreFixture(engine: engine, stores: [store], location: nil, path: path, tasks: [])
        case .postgres:
            let location = try await TestPostgres.freshDatabase()
            var logger = Logger(label: "gmq-test-postgres")
            logger.logLevel = .critical
            let stores = (1...nodes).map { node in
                PostgresTicketStore(
                    location: location, serviceLevels: serviceLevels, replyLimits: replyLimits, node: "node-\(node)",
                    maximumConnections: 8, pollInterval: .seconds(2), logger: logger)
            }
            let tasks = stores.map { store in Task { try await store.run() } }
            // Each migrates (one at a time, under the advisory lock) before it answers, and hears the others once
            // its listener has subscribed: a test's first change on one node could otherwise pass another unheard.
            for store in stores { _ = try await store.categories() }
            for store in stores { await store.listening() }
            return StoreFixture(engine: engine, stores: stores, location: location, path: nil, tasks: tasks)
        }
    }

    public func stop() async {
        for task in self.tasks { task.cancel() }
        for task in self.tasks { _ = await task.result }
    }
}

extension StoreFixture {
    /// Runs `body` on a fresh fixture and stops it afterwards, whatever `body` did.
    public static func with<T>(
        _ engine: Engine, nodes: Int = 1, serviceLevels: ServiceLevels = .standard,
        replyLimits: ReplyLimits = .standard, _ body: (StoreFixture) async throws -> T
    ) async throws -> T {
        let fixture = try await StoreFixture.start(
            engine, nodes: nodes, serviceLevels: serviceLevels, replyLimits: replyLimits)
        do {
            let result = try await body(fixture)
            await fixture.stop()
            return result
        } catch {
            await fixture.stop()
            throw error
        }
    }
}

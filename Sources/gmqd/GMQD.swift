import ArgumentParser
import Foundation
import GMQCore
import GMQProtocol
import GMQPostgres
import GMQServer
import GMQStore
import Logging
import CoreMetrics
import NIOCore
import Prometheus
import ServiceLifecycle
import UnixSignals
import CGMQHeap

@main
struct GMQD: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gmqd",
        abstract: "The GMQueue server: players' support requests in, game masters' answers out.",
        discussion: """
            With no subcommand, serves on the embedded default: SQLite in ./gmq-data, the player port 7070 and \
            the staff port 7071 on 127.0.0.1.
            """,
        subcommands: [
            Serve.self, Token.self, Staff.self, CategoryCommand.self, BackupCommand.self, RestoreCommand.self,
            CheckConfig.self,
        ],
        defaultSubcommand: Serve.self
    )
}

/// Where the data lives, shared by every subcommand: the embedded SQLite file (default) or a PostgreSQL database
/// that several nodes share.
struct DataOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Settings file: JSON, or YAML when it ends in .yaml (default: GMQ_CONFIG).",
            discussion: "GMQ_* variables override the file, and flags override both; gmqd check-config FILE checks it."))
    var config: String?

    @Option(name: .long, help: "Directory holding the SQLite database and the token secret (default ./gmq-data).")
    var data: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The store: sqlite:PATH (default: gmq.sqlite in --data) or postgres://USER@HOST:PORT/DATABASE.",
            discussion: "The PostgreSQL password comes from PGPASSWORD or --store-password-file, never the command line."))
    var store: String?

    @Option(name: .customLong("store-password-file"), help: "File holding the PostgreSQL password (first line).")
    var storePasswordFile: String?

    /// The settings file, flags and `GMQ_*` variables resolved, with `flags` (setting → the flag's text) of the
    /// subcommand besides these options'.
    func settings(_ flags: [String: String?] = [:]) throws -> Settings {
        let environment = ProcessInfo.processInfo.environment
        let own: [String: String?] = ["data": self.data, "store": self.store, "store_password_file": self.storePasswordFile]
        return try Settings.load(
            file: self.config ?? environment["GMQ_CONFIG"], environment: environment,
            flags: own.merging(flags) { $1 }.compactMapValues { $0 })
    }

    /// The data directory the settings name.
    static func directory(_ settings: Settings) -> URL {
        URL(fileURLWithPath: settings.text("data") ?? "./gmq-data", isDirectory: true)
    }

    func directory() throws -> URL { Self.directory(try self.settings()) }

    enum Engine {
        case sqlite(path: String)
        case postgres(PostgresLocation)
    }

    func engine() throws -> Engine { try Self.engine(try self.settings()) }

    static func engine(_ settings: Settings) throws -> Engine {
        let store = settings.text("store")
        guard let store, !store.hasPrefix("sqlite:") else {
            let path = store.map { String($0.dropFirst("sqlite:".count)) }
                ?? Self.directory(settings).appendingPathComponent(DataDirectory.databaseName).path
            guard !path.isEmpty else { throw ValidationError("--store sqlite: needs a path, e.g. sqlite:./gmq-data/gmq.sqlite") }
            return .sqlite(path: path)
        }
        var password = ProcessInfo.processInfo.environment["PGPASSWORD"]
        if let file = settings.text("store_password_file") {
            do {
                password = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").first.map(String.init) ?? ""
            } catch {
                throw ValidationError("cannot read --store-password-file \(file): \(error.localizedDescription)")
            }
        }
        do {
            return .postgres(try PostgresLocation(url: store, password: password))
        } catch {
            throw ValidationError("--store: \(error.description)")
        }
    }

    static func storeDescription(_ engine: Engine) -> String {
        switch engine {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let location): location.description
        }
    }

    /// The store and the token secret, for serving: SQLite in the data directory (created 0700, files 0600, wider
    /// modes warned about), or PostgreSQL, whose nodes share the secret through the database.
    func open(
        settings: Settings? = nil, serviceLevels: ServiceLevels = .standard, node: String? = nil,
        monitor: StoreMonitor = .none, logger: Logger = Logger(label: "gmqd")
    ) async throws -> (store: any TicketStore, secret: Data) {
        let settings = try settings ?? self.settings()
        let dataDirectory = Self.directory(settings)
        switch try Self.engine(settings) {
        case .sqlite(let path):
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            try DataDirectory.prepare(dataDirectory)
            try DataDirectory.prepare(directory)
            defer {
                for warning in DataDirectory.warnings(dataDirectory) { warn(warning) }
            }
            return (
                try SQLiteTicketStore.open(path: path, serviceLevels: serviceLevels, monitor: monitor),
                try TokenSecret.loadOrCreate(in: dataDirectory)
            )
        case .postgres(let location):
            // A first, short-lived client migrates and reads (or creates) the shared secret; the store that
            // serves runs its own client in the service group.
            let secret = try await PostgresTicketStore(location: location, logger: logger).withRunning { store in
                try await store.sharedTokenSecret(candidate: TokenSecret.generate())
            }
            let store = PostgresTicketStore(
                location: location, serviceLevels: serviceLevels, node: node ?? Self.defaultNode, monitor: monitor,
                logger: logger)
            return (store, secret)
        }
    }

    static var defaultNode: String {
        ProcessInfo.processInfo.hostName + ":" + String(ProcessInfo.processInfo.processIdentifier)
    }

    /// Runs a one-shot command on a running store.
    func withStore<T: Sendable>(_ body: @escaping @Sendable (any TicketStore, Data) async throws -> T) async throws -> T {
        var logger = Logger(label: "gmqd")
        logger.logLevel = .error
        let (store, secret) = try await self.open(logger: logger)
        switch store {
        case let postgres as PostgresTicketStore:
            return try await postgres.withRunning { try await body($0, secret) }
        default:
            return try await body(store, secret)
        }
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the server until SIGINT or SIGTERM.",
        discussion: """
            Every option can also come from the settings file (--config, GMQ_CONFIG) or a GMQ_* variable: \
            --player-port is player.port in the file and GMQ_PLAYER_PORT in the environment (README: Operating \
            gmqd; gmqd check-config --keys lists them all).
            """)

    @OptionGroup var data: DataOptions

    @Option(name: .customLong("player-bind"), help: "Address the player port listens on (0.0.0.0: every interface; default 127.0.0.1).")
    var playerBind: String?

    @Option(
        name: .customLong("staff-bind"),
        help: "Address the staff port listens on (default 127.0.0.1). Keep it on loopback unless staff connect from elsewhere.")
    var staffBind: String?

    @Option(name: .customLong("player-port"), help: "Port for game clients (0 picks a free one; default 7070).")
    var playerPort: Int?

    @Option(name: .customLong("staff-port"), help: "Port for the gmq console (0 picks a free one; default 7071).")
    var staffPort: Int?

    @Option(name: .customLong("log-level"), help: "trace, debug, info (default), notice, warning, error or critical.")
    var logLevel: String?

    @Option(name: .customLong("log-format"), help: "text (a line each; default) or json (an object per line, for log shippers).")
    var logFormat: String?

    @Option(help: ArgumentHelp(
        "JSON file of category rules, e.g. {\"player_report\": {\"requires\": [\"named_player\"]}}.",
        discussion: "Default: player reports must name the player; payment requests are advised to add a reference."))
    var rules: String?

    @Option(name: .customLong("open-limit"), help: "Most tickets a player may have open at once (default 3).")
    var openLimit: Int?

    @Option(name: .customLong("max-connections"), help: "Most open connections per port (default 50000).")
    var maxConnections: Int?

    @Option(
        name: .customLong("max-connections-per-address"),
        help: "Most connections from one address to the player port (default 64).")
    var maxConnectionsPerAddress: Int?

    @Option(
        name: .customLong("max-staff-connections-per-address"),
        help: "Most connections from one address to the staff port (default 32).")
    var maxStaffConnectionsPerAddress: Int?

    @Option(
        name: .customLong("idle-timeout"),
        help: "Seconds a session may stay silent (clients send PING); at least 10 (default 300).")
    var idleTimeout: Int?

    @Option(help: ArgumentHelp(
        "JSON file of service targets per category: first response and resolution in minutes, and priority.",
        discussion: """
            e.g. {"fallback": {"first_response_minutes": 240, "resolution_minutes": 4320, "priority": 0}, \
            "categories": {"stuck_character": {"first_response_minutes": 15, "resolution_minutes": 120, "priority": 1}}}. \
            Default: stuck characters 15 min / 2 h, player reports and payments 1 h / 1 d, accounts 2 h / 2 d, \
            the rest 4 h / 3 d.
            """))
    var sla: String?

    @Option(help: "This node's name among the nodes of a shared PostgreSQL store (default host:pid).")
    var node: String?

    @Option(
        name: .customLong("claim-lease"),
        help: "Minutes a GM keeps claimed tickets while disconnected or idle (default 15).")
    var claimLease: Double?

    @Option(
        name: .customLong("submit-rate"),
        help: "Per player: BURST/SECONDS requests (a burst, then one per SECONDS), or off (default 5/30).")
    var submitRate: String?

    @Option(name: .customLong("reply-rate"), help: "Per player: BURST/SECONDS replies, or off (default 20/6).")
    var replyRate: String?

    @Option(
        name: .customLong("cooldown"),
        help: ArgumentHelp(
            "Per player: COUNT/WINDOW/WAIT, or off (default 5/600/600).",
            discussion: "COUNT rejected requests within WINDOW seconds make the player wait WAIT seconds."))
    var cooldown: String?

    @Option(
        name: .customLong("drain-timeout"),
        help: "At SIGTERM, seconds connections get to receive the answers they are owed (default 10).")
    var drainTimeout: Double?

    @Option(
        name: .customLong("reconnect-after"),
        help: "At SIGTERM, seconds SERVER_CLOSING tells clients to wait before reconnecting (0: at once; default 5).")
    var reconnectAfter: Int?

    @Option(
        name: .customLong("metrics-port"),
        help: "Serve Prometheus metrics at GET /metrics on this port (0 picks a free one); none when not given.")
    var metricsPort: Int?

    @Option(name: .customLong("metrics-bind"), help: "Address the metrics port listens on (default 127.0.0.1).")
    var metricsBind: String?

    @Option(name: .customLong("tls-cert"), help: "PEM certificate chain (server certificate first): serve TLS.")
    var tlsCert: String?

    @Option(name: .customLong("tls-key"), help: "PEM private key of --tls-cert.")
    var tlsKey: String?

    @Option(name: .customLong("tls-ports"), help: "Which ports speak TLS with --tls-cert: both (default), player or staff.")
    var tlsPorts: String?

    /// The flags given, by the setting each sets.
    var flags: [String: String?] {
        [
            "player.bind": self.playerBind, "staff.bind": self.staffBind, "player.port": self.playerPort.map(String.init),
            "staff.port": self.staffPort.map(String.init), "log.level": self.logLevel, "log.format": self.logFormat,
            "rules": self.rules, "open_limit": self.openLimit.map(String.init),
            "max_connections": self.maxConnections.map(String.init),
            "player.max_connections_per_address": self.maxConnectionsPerAddress.map(String.init),
            "staff.max_connections_per_address": self.maxStaffConnectionsPerAddress.map(String.init),
            "idle_timeout": self.idleTimeout.map(String.init), "sla": self.sla, "node": self.node,
            "claim_lease": self.claimLease.map { "\($0)" }, "abuse.submit_rate": self.submitRate,
            "abuse.reply_rate": self.replyRate, "abuse.cooldown": self.cooldown,
            "drain_timeout": self.drainTimeout.map { "\($0)" }, "reconnect_after": self.reconnectAfter.map(String.init),
            "metrics.port": self.metricsPort.map(String.init), "metrics.bind": self.metricsBind,
            "tls.cert": self.tlsCert, "tls.key": self.tlsKey, "tls.ports": self.tlsPorts,
        ]
    }

    /// The abuse limits the settings give (each was checked on its way in).
    static func abuseLimits(_ settings: Settings) throws -> AbuseLimits {
        var limits = AbuseLimits.standard
        limits.submissions = try AbuseLimits.rate(settings.text("abuse.submit_rate") ?? "off")
        limits.replies = try AbuseLimits.rate(settings.text("abuse.reply_rate") ?? "off")
        try limits.setCooldown(settings.text("abuse.cooldown") ?? "off")
        return limits
    }

    /// TLS for the player and the staff port as the settings ask.
    static func tls(_ settings: Settings) throws -> (player: ServerTLS?, staff: ServerTLS?) {
        let ports = settings.text("tls.ports") ?? "both"
        switch (settings.text("tls.cert"), settings.text("tls.key")) {
        case (nil, nil): return (nil, nil)
        case (.some, nil), (nil, .some):
            throw ValidationError("TLS needs both --tls-cert and --tls-key (PEM files; tls.cert and tls.key in a settings file)")
        case (let cert?, let key?):
            let tls: ServerTLS
            do {
                tls = try ServerTLS(certificate: cert, key: key)
            } catch {
                throw ValidationError(error.description)
            }
            return (ports == "staff" ? nil : tls, ports == "player" ? nil : tls)
        }
    }

    func run() async throws {
        let settings = try self.data.settings(self.flags)
        // Every value below was checked when the settings were read (`Settings.check`).
        let level = Logger.Level(rawValue: settings.text("log.level") ?? "info") ?? .info
        let format = LogFormat(rawValue: settings.text("log.format") ?? "text") ?? .text
        LoggingSystem.bootstrap { label in format.handler(label: label, level: level) }
        let logger = Logger(label: "gmqd")
        logger.debug(
            "malloc arenas capped before main (0: left to glibc or MALLOC_ARENA_MAX)",
            metadata: ["arenas": "\(gmq_heap_arenas())"])
        let rules: CategoryRules
        do {
            rules = try CategoryRules.load(path: settings.text("rules"))
        } catch let error as CategoryRules.RulesError {
            throw ValidationError(error.description)
        }
        let levels: ServiceLevels
        do {
            levels = try settings.text("sla").map(ServiceLevels.load(path:)) ?? .standard
        } catch let error as ServiceLevelsError {
            throw ValidationError(error.description)
        }
        let tls = try Self.tls(settings)
        // Metrics: a registry of our own behind the swift-metrics API, served on the operator's port.
        var factory = PrometheusMetricsFactory(registry: PrometheusCollectorRegistry())
        factory.durationHistogramBuckets = ServerMetrics.durationBuckets
        factory.valueHistogramBuckets = ServerMetrics.valueBuckets
        MetricsSystem.bootstrap(factory)
        let metrics = ServerMetrics(factory: factory)
        let node = settings.text("node") ?? DataOptions.defaultNode
        let (store, secret) = try await self.data.open(
            settings: settings, serviceLevels: levels, node: node, monitor: metrics.storeMonitor, logger: logger)
        let (playerBind, staffBind) = (settings.text("player.bind")!, settings.text("staff.bind")!)
        let claimLease = settings.number("claim_lease")!
        var configuration = GMQServer.Configuration(
            playerHost: playerBind, staffHost: staffBind, playerPort: settings.integer("player.port")!,
            staffPort: settings.integer("staff.port")!, rules: rules, openTicketLimit: settings.integer("open_limit")!,
            timeouts: ConnectionTimeouts(idle: .seconds(Int64(settings.integer("idle_timeout")!))),
            maximumConnections: settings.integer("max_connections")!,
            maximumConnectionsPerAddress: settings.integer("player.max_connections_per_address")!,
            maximumStaffConnectionsPerAddress: settings.integer("staff.max_connections_per_address")!,
            claimLease: ClaimLease(duration: claimLease * 60),
            leaseCheckInterval: .milliseconds(Int64(min(30_000, max(1_000, claimLease * 60_000 / 10)))), node: node)
        configuration.abuseLimits = try Self.abuseLimits(settings)
        configuration.drainTimeout = .milliseconds(Int64(settings.number("drain_timeout")! * 1000))
        configuration.reconnectAfter = UInt16(settings.integer("reconnect_after")!)
        configuration.playerTLS = tls.player
        configuration.staffTLS = tls.staff
        configuration.metrics = metrics
        var endpoint: MetricsEndpoint?
        let metricsBind = settings.text("metrics.bind")!
        if let port = settings.integer("metrics.port") {
            configuration.statisticsInterval = .seconds(10)
            let registry = factory.registry
            endpoint = MetricsEndpoint(host: metricsBind, port: port, logger: logger) { registry.emitToBuffer() }
        }
        let server = GMQServer(configuration: configuration, store: store, tokenSecret: secret, logger: logger)
        let ports = try await server.bind()
        let metricsPort = try await endpoint?.bind()
        say(
            "gmqd: player port \(playerBind):\(ports.player)\(tls.player == nil ? "" : " (TLS)"), staff port "
                + "\(staffBind):\(ports.staff)\(tls.staff == nil ? "" : " (TLS)"), store "
                + DataOptions.storeDescription(try DataOptions.engine(settings))
                + (metricsPort.map { ", metrics http://\(metricsBind):\($0)/metrics" } ?? ""))
        if !Self.isLoopback(staffBind), tls.staff == nil {
            let warning = "the staff port listens on \(staffBind), beyond this host, without TLS: staff keys and "
                + "every ticket cross the network in clear text. Keep --staff-bind on 127.0.0.1 and reach it over SSH "
                + "or a VPN, or serve TLS (--tls-cert, --tls-key)"
            warn(warning)
            logger.warning("\(warning)")
        }
        let group = ServiceGroup(
            configuration: .init(
                // The store first: a group stops its services in reverse order, so the store drains its writes and
                // closes after the server has answered its last request.
                services: [.init(service: StoreService(store: store)), .init(service: server)]
                    + (endpoint.map { [.init(service: $0)] } ?? []),
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        say("gmqd: stopped")
    }
}

extension Serve {
    /// Whether `address` accepts connections only from this host.
    static func isLoopback(_ address: String) -> Bool {
        address == "localhost" || address == "::1" || address.hasPrefix("127.")
    }
}

struct Token: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Mint credentials for testing.", subcommands: [Player.self])

    struct Player: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a signed player token, as the game's login service would issue (last line of output).")

        @OptionGroup var data: DataOptions

        @Option(help: "The player's account id (a positive number).")
        var id: Int64

        @Option(help: "The character name the token is issued for.")
        var name: String

        @Option(help: "Seconds until the token expires (default a day; at most 604800, 7 days).")
        var ttl: Int = 86_400

        func validate() throws {
            guard self.id > 0 else { throw ValidationError("--id must be a positive number") }
            guard !self.name.isEmpty, self.name.utf8.count <= 64 else {
                throw ValidationError("--name must be 1 to 64 bytes of UTF-8")
            }
            if let scalar = TextRules.firstForbidden(in: self.name, field: .name) {
                throw ValidationError("--name holds \(TextRules.describe(scalar)); use printable characters")
            }
            let maximum = Int(PlayerTokenSigner.maximumLifetime)
            guard (1...maximum).contains(self.ttl) else {
                throw ValidationError(
                    "--ttl must be 1 to \(maximum) seconds (7 days): a token cannot be revoked, so it must not outlive "
                        + "a game session by much; the game's login service issues a new one at each login")
            }
        }

        func run() async throws {
            let secret: Data
            if case .postgres = try self.data.engine() {
                secret = try await self.data.withStore { _, secret in secret }
            } else {
                secret = try TokenSecret.loadOrCreate(in: try self.data.directory())
            }
            let signer = PlayerTokenSigner(secret: secret)
            let expiry = Date().addingTimeInterval(TimeInterval(self.ttl))
            say("player \(self.id) (\(self.name)), expires \(ISO8601DateFormatter().string(from: expiry))")
            say(signer.sign(playerID: self.id, name: self.name, expiresAt: expiry))
        }
    }
}

struct Staff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage staff accounts; every change is in the staff action log (gmqd staff log).",
        discussion: """
            Run on the server's host (the log names the actor operator:$USER). A change reaches running gmqd \
            processes within a second: the sessions of a disabled account or a replaced key are closed with an \
            ERROR, and its claimed tickets return to the queue with a notice to each player.
            """,
        subcommands: [Add.self, List.self, Disable.self, Enable.self, RotateKey.self, Set.self, Log.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the staff accounts by name: id, role, categories (all when unlimited), created, state "
                + "(active, disabled, expired) and key expiry; never keys.")
        @OptionGroup var data: DataOptions
        @Flag(help: "One JSON object per line instead of tab-separated columns.") var json = false

        func run() async throws {
            let accounts = try await self.data.withStore { store, _ in try await store.staffAccounts() }
            let formatter = ISO8601DateFormatter()
            let now = Date().milliseconds
            for account in accounts {
                let created = formatter.string(from: Date(milliseconds: account.createdAt))
                let standing = StaffStandingText(account.standing(at: now))
                let expires = account.expiresAt.map { formatter.string(from: Date(milliseconds: $0)) }
                if self.json {
                    let object: [String: Any] = [
                        "id": account.id ?? 0, "name": account.name, "role": account.role.rawValue,
                        "categories": account.categoryList ?? [], "created_at": created, "state": standing.name,
                        "expires_at": expires ?? NSNull(),
                    ]
                    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                    say(String(decoding: data, as: UTF8.self))
                } else {
                    let categories = account.categoryList?.joined(separator: ",") ?? "all"
                    // A name is printable by the rules it was added under; older data is shown neutralised.
                    say([
                        String(account.id ?? 0), TextRules.printable(account.name), account.role.rawValue, categories,
                        created, standing.name, expires.map { "expires " + $0 } ?? "no expiry",
                    ].joined(separator: "\t"))
                }
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a staff account and print its API key once (last line of output).",
            discussion: "Only the key's hash is stored; a lost key cannot be shown again.")

        @OptionGroup var data: DataOptions

        @Argument(help: "The account's name, shown to players and in the audit log.")
        var name: String

        @Option(help: "gm, moderator, admin, or game (a game server that attaches evidence).")
        var role: String

        @Option(help: "Comma-separated categories a GM works (default: all).")
        var categories: String = ""

        @Option(help: "When the key stops working: 90d, 12h, an ISO 8601 time or date, or never (default).")
        var expires: String = "never"

        func run() async throws {
            let now = Date()
            let expiresAt: Int64?
            switch try parseExpiry(self.expires, now: now) {
            case .never: expiresAt = nil
            case .at(let at): expiresAt = at
            }
            guard let role = Role(rawValue: self.role), role.isStaff else {
                throw ValidationError("unknown role '\(self.role)'; use gm, moderator, admin or game")
            }
            guard !self.name.isEmpty, self.name.utf8.count <= 64 else {
                throw ValidationError("the name must be 1 to 64 bytes of UTF-8")
            }
            if let scalar = TextRules.firstForbidden(in: self.name, field: .name) {
                throw ValidationError("the name holds \(TextRules.describe(scalar)); use printable characters")
            }
            let key = StaffKey.generate()
            let categories = self.categories.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let name = self.name
            do {
                let record = try await self.data.withStore { store, _ in
                    try await store.addStaff(
                        name: name, role: role, keyHash: StaffKey.hash(key), categories: categories,
                        expiresAt: expiresAt, by: StaffLog.localOperator, at: now)
                }
                say("staff \(record.name) (\(role.rawValue), id \(record.id ?? 0)); keep this key, it is shown once:")
                say(key)
            } catch StoreError.staffNameTaken(let name) {
                throw ValidationError("a staff account named '\(name)' already exists")
            } catch StoreError.unknownCategory(let category, let known) {
                throw ValidationError("unknown category '\(category)'; use one of: \(known.joined(separator: ", "))")
            }
        }
    }
}

extension Staff {
    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Disable an account: its keys stop working, its sessions close, its claims return to the queue.")
        @OptionGroup var data: DataOptions
        @Argument(help: "The account's name.") var name: String

        func run() async throws {
            let result = try await changeStaff(self.data, self.name, .disable)
            say("staff \(result.account.name) disabled; \(released(result))")
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let a disabled account in again, with its key.")
        @OptionGroup var data: DataOptions
        @Argument(help: "The account's name.") var name: String

        func run() async throws {
            let result = try await changeStaff(self.data, self.name, .enable)
            say("staff \(result.account.name) enabled")
        }
    }

    struct RotateKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-key",
            abstract: "Issue a new key and print it once (last line); the old key stops working at once.")
        @OptionGroup var data: DataOptions
        @Argument(help: "The account's name.") var name: String

        func run() async throws {
            let key = StaffKey.generate()
            let result = try await changeStaff(self.data, self.name, .rotateKey(keyHash: StaffKey.hash(key)))
            say("staff \(result.account.name): new key issued, the old one no longer works; \(released(result)); "
                + "keep this key, it is shown once:")
            say(key)
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change an account's role, categories or key expiry.")
        @OptionGroup var data: DataOptions
        @Argument(help: "The account's name.") var name: String
        @Option(help: "gm, moderator, admin, or game (a game server that attaches evidence).") var role: String?
        @Option(help: "Comma-separated categories a GM works; 'all' for every one.") var categories: String?
        @Option(help: "When the key stops working: 90d, 12h, an ISO 8601 time or date, or never.") var expires: String?

        func run() async throws {
            var role: Role?
            if let text = self.role {
                guard let parsed = Role(rawValue: text), parsed.isStaff else {
                    throw ValidationError("unknown role '\(text)'; use gm, moderator, admin or game")
                }
                role = parsed
            }
            let categories = self.categories.map { text in
                text == "all" ? [] : text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            }
            let expiry = try self.expires.map { try parseExpiry($0, now: Date()) }
            let result = try await changeStaff(self.data, self.name, .set(role: role, categories: categories, expiry: expiry))
            say("staff \(result.account.name) changed")
        }
    }

    struct Log: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the staff action log, newest first: accounts, keys, macros, categories.",
            discussion: "`gmq audit verify` checks its hash chain with the tickets' history.")
        @OptionGroup var data: DataOptions
        @Option(help: "Only what this actor did (a staff name, or operator:USER).") var actor: String?
        @Option(help: "Only entries from this ISO 8601 time or date, or a duration back such as 24h or 7d.") var since: String?
        @Option(help: "At most this many entries.") var limit: Int = 100
        @Flag(help: "One JSON object per line instead of tab-separated columns.") var json = false

        func run() async throws {
            var since: Int64?
            if let text = self.since {
                if let duration = TimeText.duration(text) {
                    since = Date().milliseconds - duration
                } else if let instant = TimeText.instant(text) {
                    since = instant
                } else {
                    throw ValidationError("--since takes an ISO 8601 time or date, or a duration back such as 24h or 7d")
                }
            }
            guard (1...10_000).contains(self.limit) else { throw ValidationError("--limit must be 1 to 10000") }
            let filter = StaffLogFilter(actor: self.actor, since: since, limit: self.limit)
            let entries = try await self.data.withStore { store, _ in try await store.staffLog(filter) }
            let formatter = ISO8601DateFormatter()
            for entry in entries {
                let at = formatter.string(from: Date(milliseconds: entry.at))
                if self.json {
                    let object: [String: Any] = [
                        "seq": entry.seq, "at": at, "actor": entry.actor, "action": entry.action.rawValue,
                        "target": entry.target, "detail": entry.detail,
                    ]
                    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                    say(String(decoding: data, as: UTF8.self))
                } else {
                    say([String(entry.seq), at, entry.actor, entry.action.rawValue, entry.target, entry.detail]
                        .map { TextRules.printable($0) }.joined(separator: "\t"))
                }
            }
        }
    }
}

/// A staff account's standing as `gmqd staff list` shows it.
struct StaffStandingText {
    let name: String
    init(_ standing: StaffStanding) {
        switch standing {
        case .active: self.name = "active"
        case .disabled: self.name = "disabled"
        case .expired: self.name = "expired"
        }
    }
}

func parseExpiry(_ text: String, now: Date) throws -> StaffChange.Expiry {
    guard let expiry = StaffChange.Expiry.parse(text, now: now.milliseconds) else {
        throw ValidationError("--expires takes 90d, 12h, 30m, an ISO 8601 time or date (2027-01-31), or never")
    }
    return expiry
}

/// Applies a change as the host's operator; a refusal becomes the command's error, with the refusal's own text.
func changeStaff(_ data: DataOptions, _ name: String, _ change: StaffChange) async throws -> StaffChangeResult {
    do {
        return try await data.withStore { store, _ in
            try await store.changeStaff(named: name, change, by: StaffLog.localOperator, at: Date())
        }
    } catch let error as StaffChangeError {
        throw ValidationError(error.description)
    } catch StoreError.unknownCategory(let category, let known) {
        throw ValidationError("unknown category '\(category)'; use one of: \(known.joined(separator: ", "))")
    }
}

func released(_ result: StaffChangeResult) -> String {
    switch result.released.count {
    case 0: "it held no claims"
    case 1: "1 claimed ticket is back in the queue"
    case let count: "\(count) claimed tickets are back in the queue"
    }
}

struct CategoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "category", abstract: "Manage the categories players file requests in.",
        subcommands: [Add.self, List.self], defaultSubcommand: List.self)

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a category (its service targets come from --sla, or the fallback).")
        @OptionGroup var data: DataOptions
        @Argument(help: "Its id: a-z, 0-9 and '_', e.g. guild_bank.") var id: String
        @Option(help: "Its title as shown to people.") var title: String

        func run() async throws {
            let (id, title) = (self.id, self.title)
            do {
                let category = try await self.data.withStore { store, _ in
                    try await store.addCategory(id: id, title: title, by: StaffLog.localOperator, at: Date())
                }
                say("category \(category.id) (\(category.title)) added")
            } catch StoreError.categoryExists(let id) {
                throw ValidationError("a category '\(id)' already exists")
            } catch StoreError.categoryIDInvalid(let id) {
                throw ValidationError("'\(id)' is not a category id; use a-z, 0-9 and '_', starting with a letter")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the categories.")
        @OptionGroup var data: DataOptions

        func run() async throws {
            let categories = try await self.data.withStore { store, _ in try await store.categories() }
            for category in categories { say("\(category.id)\t\(category.title)") }
        }
    }
}

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the database into a new file while gmqd serves, and check the copy.",
        discussion: """
            The copy is the database as of one commit (SQLite's VACUUM INTO in one read transaction), mode 0600. \
            secret.key is not in it: keep a copy of that file once, it does not change. On PostgreSQL use \
            pg_dump (README: Operating gmqd).
            """)

    @OptionGroup var data: DataOptions
    @Option(help: "The new backup file (never overwritten).") var to: String

    func run() async throws {
        guard case .sqlite(let path) = try self.data.engine() else {
            throw ValidationError(
                "gmqd backup copies the embedded SQLite store; back up PostgreSQL with pg_dump -Fc (README: Operating gmqd)")
        }
        // A failure says what was wrong and what to do (Backup.Failure), without the usage text.
        let summary = try Backup.backup(database: path, to: self.to)
        say("backup \(self.to): \(summary); integrity ok")
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup into an empty data directory, once it passes the integrity check and audit verify.",
        discussion: """
            Refuses a file that fails SQLite's integrity_check or whose history does not verify (the ticket events' \
            and the staff log's hash chains), and never writes over an existing database. Copy secret.key into the \
            directory too (players' tokens are signed with it), then start gmqd on it.
            """)

    @Option(help: "The backup file.") var from: String
    @Option(help: "The data directory to restore into (must hold no database).") var data: String

    func run() async throws {
        let directory = URL(fileURLWithPath: self.data, isDirectory: true)
        let summary = try await Backup.restore(from: self.from, into: directory)
        say("restored \(self.from) into \(directory.path): \(summary); integrity ok, history verified")
        if !FileManager.default.fileExists(atPath: directory.appendingPathComponent("secret.key").path) {
            warn("\(directory.path) has no secret.key: copy the old one there before starting gmqd, or players' "
                + "tokens signed with it will be refused")
        }
    }
}

struct CheckConfig: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Check a settings file: every unknown key and bad value, with its path; exit status 1 if any.",
        discussion: "Also reads the rules and service-target files it names, as gmqd serve would.")

    @Argument(help: "The settings file (JSON, or YAML ending in .yaml).") var file: String?
    @Flag(help: "List every key with its variable, its flag and its default instead.") var keys = false

    func run() async throws {
        if self.keys {
            for key in Settings.keys {
                say([key.name, key.variable, key.flag, key.standard ?? "-"].joined(separator: "\t"))
            }
            return
        }
        guard let file = self.file else { throw ValidationError("name the settings file to check, or give --keys") }
        let (values, problems) = Settings.read(file: file)
        var found = problems.map { "\(file): \($0)" }
        do {
            _ = try CategoryRules.load(path: values["rules"])
        } catch let error as CategoryRules.RulesError {
            found.append("\(file): rules: \(error.description)")
        }
        do {
            _ = try values["sla"].map(ServiceLevels.load(path:))
        } catch let error as ServiceLevelsError {
            found.append("\(file): sla: \(error.description)")
        }
        if (values["tls.cert"] == nil) != (values["tls.key"] == nil) {
            found.append("\(file): tls: give both tls.cert and tls.key, or neither")
        }
        guard found.isEmpty else {
            for line in found { say(line) }
            throw ExitCode(1)
        }
        say("\(file): ok, \(values.count) settings")
    }
}

/// Writes a warning line to standard error at once.
func warn(_ line: String) {
    FileHandle.standardError.write(Data(("gmqd: warning: " + line + "\n").utf8))
}

/// Writes a line to standard output at once, unbuffered, so that scripts reading a pipe see it immediately.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// A store as a service of the group: its `run` hosts the engine's background work.
struct StoreService: Service {
    let store: any TicketStore
    func run() async throws { try await self.store.run() }
}

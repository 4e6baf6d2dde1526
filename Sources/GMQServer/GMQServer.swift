import Foundation
import GMQCore
import GMQProtocol

import Logging
import NIOCore
import NIOPosix
import NIOSSL
import ServiceLifecycle
import Synchronization

/// The `gmqd` service: a player port and a staff port speaking protocol v1, backed by a `TicketStore`.
/// Runs under swift-service-lifecycle; graceful shutdown stops accepting and closes every connection.
public final class GMQServer: Service, Sendable {
    public struct Configuration: Sendable {
        /// Where each port listens. Both default to loopback: the staff port carries staff keys and every ticket,
        /// and is exposed only when an operator asks for it.
        public var playerHost: String
        public var staffHost: String
        /// 0 picks a free port; `bind()` tells which.
        public var playerPort: Int
        public var staffPort: Int
        /// What categories require or suggest of a request.
        public var rules: CategoryRules
        /// Attachments: size, count per ticket, chunk size, upload timeout (PROTOCOL.md §5.24).
        public var attachmentLimits = AttachmentLimits.standard
        /// Most tickets a player may have open at once (issue "substantive-text engine": 3).
        public var openTicketLimit: Int
        public var timeouts: ConnectionTimeouts
        /// Open connections per port; past it new ones get ERROR `connection_limit`.
        public var maximumConnections: Int
        /// Open connections from one address on the player port.
        public var maximumConnectionsPerAddress: Int
        /// Open connections from one address on the staff port: fewer than a desk of GMs behind one NAT opens
        /// (two each: a console and a one-shot command), enough to stop one address exhausting the port.
        public var maximumStaffConnectionsPerAddress: Int
        /// How long a GM keeps claims while away or idle (15 min: long enough for a break, short enough that a
        /// player is not forgotten).
        public var claimLease: ClaimLease
        /// How often claims are checked against the lease.
        public var leaseCheckInterval: Duration
        /// This node's name in a shared store's presence rows (one node per process).
        public var node: String
        /// How often open staff sessions are checked against their accounts (disabled, expired, key replaced by
        /// another node or by `gmqd staff` on the host); a change made over this node's staff port acts at once.
        public var staffCheckInterval: Duration = .seconds(1)
        /// How often tickets waiting on a silent player are looked at (`StalePolicy`).
        public var staleCheckInterval: Duration = .seconds(60)
        /// How often snoozed tickets are woken and due reminders delivered: a reminder is late by up to this.
        public var snoozeCheckInterval: Duration = .seconds(5)
        /// Rate limits and the rejection cooldown of the player port, per player id.
        public var abuseLimits: AbuseLimits = .standard
        /// TLS per port; nil serves plain text (PROTOCOL.md §1).
        public var playerTLS: ServerTLS?
        public var staffTLS: ServerTLS?
        /// At shutdown, how long connections get to receive the answers to what they sent before they are closed
        /// regardless (a request's store work is bounded by the store's own deadline, 20 s on PostgreSQL).
        public var drainTimeout: Duration = .seconds(10)
        /// What SERVER_CLOSING tells clients to wait before reconnecting: 0 when other nodes serve the same store,
        /// a few seconds for a restart of the only node.
        public var reconnectAfter: UInt16 = 5
        /// The operator's metrics; the store's monitor should report into the same (`ServerMetrics.storeMonitor`).
        public var metrics = ServerMetrics()
        /// How often queue depth, the oldest open ticket and pending notifications are read from the store for the
        /// metrics; nil reads nothing (no metrics are served).
        public var statisticsInterval: Duration?

        public init(
            playerHost: String = "127.0.0.1", staffHost: String = "127.0.0.1", playerPort: Int = 7070,
            staffPort: Int = 7071, rules: CategoryRules = .standard,
            openTicketLimit: Int = 3, timeouts: ConnectionTimeouts = ConnectionTimeouts(),
            maximumConnections: Int = 50_000, maximumConnectionsPerAddress: Int = 64,
            maximumStaffConnectionsPerAddress: Int = 32,
            claimLease: ClaimLease = ClaimLease(duration: 15 * 60), leaseCheckInterval: Duration = .seconds(30),
            node: String = ProcessInfo.processInfo.hostName + ":" + String(ProcessInfo.processInfo.processIdentifier)
        ) {
            self.node = node
            self.claimLease = claimLease
            self.leaseCheckInterval = leaseCheckInterval
            self.playerHost = playerHost
            self.staffHost = staffHost
            self.maximumStaffConnectionsPerAddress = maximumStaffConnectionsPerAddress
            self.playerPort = playerPort
            self.staffPort = staffPort
            self.rules = rules
            self.openTicketLimit = openTicketLimit
            self.timeouts = timeouts
            self.maximumConnections = maximumConnections
            self.maximumConnectionsPerAddress = maximumConnectionsPerAddress
        }
    }

    /// The ports actually bound.
    public struct Ports: Sendable, Equatable {
        public var player: Int
        public var staff: Int
    }

    /// What the accept loop gets: a connection now served by its pipeline (`SessionHandler`), or one already
    /// refused (and closing) for a cap.
    enum Admission: Sendable {
        case served
        case refused
    }
    typealias Listener = NIOAsyncChannel<Admission, Never>

    private let configuration: Configuration
    private let context: ServerContext
    private let group: any EventLoopGroup
    private let listeners = Mutex<(player: Listener, staff: Listener)?>(nil)
    private let connections = OpenConnections()

    public init(
        configuration: Configuration, store: any TicketStore, tokenSecret: Data, logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() },
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.configuration = configuration
        let check = SubstantiveCheck(rules: configuration.rules)
        self.context = ServerContext(
            store: store, node: configuration.node, signer: PlayerTokenSigner(secret: tokenSecret),
            check: check, hub: NotificationHub(),
            presence: StaffPresence(started: now()), staffSessions: StaffSessions(),
            abuse: AbuseLimiter(limits: configuration.abuseLimits), bans: BanCache(),
            incidents: IncidentCache(check: check), articles: ArticleCache(check: check),
            attachmentLimits: configuration.attachmentLimits, uploads: UploadBudget(), waits: WaitEstimator(store: store, now: now),
            metrics: configuration.metrics, openTicketLimit: configuration.openTicketLimit, now: now, logger: logger)
        self.group = eventLoopGroup
    }

    /// Binds both ports and returns their numbers. `run()` binds on its own when this was not called.
    @discardableResult
    public func bind() async throws -> Ports {
        if let ports = self.boundPorts { return ports }
        let player = try await self.listen(
            .player, host: self.configuration.playerHost, port: self.configuration.playerPort,
            tls: self.configuration.playerTLS,
            limiter: ConnectionLimiter(
                maximum: self.configuration.maximumConnections,
                maximumPerAddress: self.configuration.maximumConnectionsPerAddress))
        let staff: Listener
        do {
            staff = try await self.listen(
                .staff, host: self.configuration.staffHost, port: self.configuration.staffPort,
                tls: self.configuration.staffTLS,
                limiter: ConnectionLimiter(
                    maximum: self.configuration.maximumConnections,
                    maximumPerAddress: self.configuration.maximumStaffConnectionsPerAddress))
        } catch {
            try? await player.channel.close()
            throw error
        }
        self.listeners.withLock { $0 = (player, staff) }
        return self.boundPorts!
    }

    private var boundPorts: Ports? {
        self.listeners.withLock { listeners in
            listeners.map {
                Ports(player: $0.player.channel.localAddress?.port ?? 0, staff: $0.staff.channel.localAddress?.port ?? 0)
            }
        }
    }

    public func run() async throws {
        try await self.bind()
        guard let (player, staff) = self.listeners.withLock({ $0 }) else { return }
        self.context.logger.info(
            "gmqd serving", metadata: ["player.port": "\(self.boundPorts!.player)", "staff.port": "\(self.boundPorts!.staff)"])
        do {
            // A graceful shutdown drains (PROTOCOL.md §1.2): the accept loops end when the listeners close, and the
            // group returns once every connection has closed; cancellation closes everything at once instead.
            try await withGracefulShutdownHandler {
                try await withThrowingDiscardingTaskGroup { group in
                    group.addTask { try await self.accept(on: player) }
                    group.addTask { try await self.accept(on: staff) }
                    group.addTask { try await self.untilShutdown { await ChangeRelay(context: self.context).run() } }
                    group.addTask {
                        try await self.untilShutdown {
                            try await StaffGuard(interval: self.configuration.staffCheckInterval, context: self.context)
                                .run()
                        }
                    }
                    if let interval = self.configuration.statisticsInterval {
                        group.addTask { try await self.untilShutdown { try await self.readStatistics(every: interval) } }
                    }
                    group.addTask {
                        try await self.untilShutdown {
                            try await StaleKeeper(interval: self.configuration.staleCheckInterval, context: self.context).run()
                        }
                    }
                    group.addTask {
                        try await self.untilShutdown {
                            try await SnoozeKeeper(interval: self.configuration.snoozeCheckInterval, context: self.context)
                                .run()
                        }
                    }
                    group.addTask {
                        try await self.untilShutdown {
                            try await LeaseKeeper(
                                lease: self.configuration.claimLease, interval: self.configuration.leaseCheckInterval,
                                context: self.context
                            ).run()
                        }
                    }
                }
            } onGracefulShutdown: {
                self.drain()
            }
        } catch is CancellationError {
            // Cancelled: the listeners and every connection are closed by now.
        }
        self.context.logger.info("gmqd stopped serving")
    }

    /// Reads the store's figures for the metrics every `interval`; a failed read is logged and tried again.
    private func readStatistics(every interval: Duration) async throws {
        while true {
            do {
                self.context.metrics.update(try await self.context.store.statistics(), now: self.context.now())
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                self.context.logger.warning("could not read the store's statistics", metadata: ["error": "\(error)"])
            }
            try await Task.sleep(for: interval)
        }
    }

    /// Runs a background task until the server shuts down.
    private func untilShutdown(_ body: @escaping @Sendable () async throws -> Void) async throws {
        do {
            try await cancelWhenGracefulShutdown(body)
        } catch is CancellationError {
            guard Task.isShuttingDownGracefully else { throw CancellationError() }
        }
    }

    /// Stops accepting, then lets every connection receive the answers to what it sent and a SERVER_CLOSING
    /// (PROTOCOL.md §1.2); connections still open after `drainTimeout` are closed regardless.
    private func drain() {
        let open = self.connections.count
        self.context.logger.notice("gmqd shutting down: draining connections", metadata: ["connections": "\(open)"])
        if let (player, staff) = self.listeners.withLock({ $0 }) {
            player.channel.close(promise: nil)
            staff.channel.close(promise: nil)
        }
        let closing = ServerClosing(
            retryAfterSeconds: self.configuration.reconnectAfter,
            message: "the server is shutting down; every request answered before this was done, and a request "
                + "without an answer was not: send it again after reconnecting")
        for channel in self.connections.all {
            channel.triggerUserOutboundEvent(ConnectionHandler.Drain(closing: closing), promise: nil)
        }
        let connections = self.connections
        let logger = self.context.logger
        let timeout = self.configuration.drainTimeout
        Task {
            try await Task.sleep(for: timeout)
            let late = connections.all
            guard !late.isEmpty else { return }
            logger.warning("closing connections still draining", metadata: ["connections": "\(late.count)"])
            for channel in late { channel.close(promise: nil) }
        }
    }

    private func listen(
        _ kind: SessionState.Port, host: String, port: Int, tls: ServerTLS?, limiter: ConnectionLimiter
    ) async throws -> Listener {
        let timeouts = self.configuration.timeouts
        let logger = self.context.logger
        let connections = self.connections
        let metrics = self.context.metrics
        return try await ServerBootstrap(group: self.group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 1024)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            // Each connection keeps its receive buffer between reads. NIO's default starts at 2,048 bytes (an idle
            // player's largest allocation, heaptrack); a HELLO or a request fits in 512, and the buffer still grows
            // to 64 KB for a connection that sends more.
            .childChannelOption(.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 256, initial: 512, maximum: 65_536))
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    let address = channel.remoteAddress?.ipAddress ?? "?"
                    if let refusal = limiter.admit(address) {
                        try pipeline.addHandler(MessageToByteHandler(EnvelopeEncoder()))
                        let error = Envelope(requestID: 0, message: .error(ErrorMessage(.connectionLimit, refusal)))
                        channel.writeAndFlush(error).whenComplete { _ in channel.close(promise: nil) }
                        logger.notice("connection refused", metadata: ["peer.address": "\(address)", "reason": "\(refusal)"])
                        return Admission.refused
                    }
                    metrics.connectionOpened(kind)
                    channel.closeFuture.whenComplete { _ in
                        limiter.release(address)
                        metrics.connectionClosed(kind)
                    }
                    if let tls {
                        // TLS first: every handler after it sees the plain protocol.
                        try pipeline.addHandler(TLSRequiredSniffer())
                        try pipeline.addHandler(NIOSSLServerHandler(context: tls.context))
                    }
                    try pipeline.addHandler(MessageToByteHandler(EnvelopeEncoder()))
                    try pipeline.addHandler(ConnectionHandler(timeouts: timeouts, connectedAt: channel.eventLoop.now))
                    try pipeline.addHandler(SessionHandler(session: self.session(on: channel, port: kind), metrics: metrics))
                    connections.add(channel)
                    return Admission.served
                }
            }
    }

    /// Takes connections until the listener closes, then waits until every connection has closed (a drain ends
    /// each once it answered what it took). Cancelled, it closes them all at once.
    private func accept(on listener: Listener) async throws {
        let connections = self.connections
        try await withTaskCancellationHandler {
            try await listener.executeThenClose { admissions in
                for try await _ in admissions {}
            }
            try Task.checkCancellation()
            await connections.allClosed()
        } onCancel: {
            for channel in connections.all { channel.close(promise: nil) }
        }
    }

    /// A new connection's session, its pushes held until WELCOME.
    private func session(on channel: any Channel, port: SessionState.Port) -> Session {
        var logger = self.context.logger
        logger[metadataKey: "peer"] = "\(channel.remoteAddress.map { "\($0)" } ?? "?")"
        let outbox = Outbox(channel: channel, metrics: self.context.metrics, now: self.context.now)
        return Session(port: port, context: self.context, pushes: outbox, logger: logger) {
            channel.triggerUserOutboundEvent(ConnectionHandler.SessionOpened(), promise: nil)
            outbox.open()
        }
    }
}

import Foundation
import GMQCore
import GMQProtocol
import GMQStore
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// The `gmqd` service: a player port and a staff port speaking protocol v1, backed by a `TicketStore`.
/// Runs under swift-service-lifecycle; graceful shutdown stops accepting and closes every connection.
public final class GMQServer: Service, Sendable {
    public struct Configuration: Sendable {
        public var host: String
        /// 0 picks a free port; `bind()` tells which.
        public var playerPort: Int
        public var staffPort: Int
        /// What categories require or suggest of a request.
        public var rules: CategoryRules
        /// Most tickets a player may have open at once (issue "substantive-text engine": 3).
        public var openTicketLimit: Int

        public init(
            host: String = "127.0.0.1", playerPort: Int = 7070, staffPort: Int = 7071, rules: CategoryRules = .standard,
            openTicketLimit: Int = 3
        ) {
            self.host = host
            self.playerPort = playerPort
            self.staffPort = staffPort
            self.rules = rules
            self.openTicketLimit = openTicketLimit
        }
    }

    /// The ports actually bound.
    public struct Ports: Sendable, Equatable {
        public var player: Int
        public var staff: Int
    }

    typealias Connection = NIOAsyncChannel<Frame, Envelope>
    typealias Listener = NIOAsyncChannel<Connection, Never>

    private let configuration: Configuration
    private let context: ServerContext
    private let group: any EventLoopGroup
    private let listeners = Mutex<(player: Listener, staff: Listener)?>(nil)

    public init(
        configuration: Configuration, store: TicketStore, tokenSecret: Data, logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() },
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.configuration = configuration
        self.context = ServerContext(
            store: store, signer: PlayerTokenSigner(secret: tokenSecret),
            check: SubstantiveCheck(rules: configuration.rules), hub: NotificationHub(),
            openTicketLimit: configuration.openTicketLimit, now: now, logger: logger)
        self.group = eventLoopGroup
    }

    /// Binds both ports and returns their numbers. `run()` binds on its own when this was not called.
    @discardableResult
    public func bind() async throws -> Ports {
        if let ports = self.boundPorts { return ports }
        let player = try await self.listen(port: self.configuration.playerPort)
        let staff: Listener
        do {
            staff = try await self.listen(port: self.configuration.staffPort)
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
            try await cancelWhenGracefulShutdown {
                try await withThrowingDiscardingTaskGroup { group in
                    group.addTask { try await self.accept(on: player, port: .player) }
                    group.addTask { try await self.accept(on: staff, port: .staff) }
                }
            }
        } catch is CancellationError {
            // Shutdown: the listeners and every connection are closed by now.
        }
        self.context.logger.info("gmqd stopped serving")
    }

    private func listen(port: Int) async throws -> Listener {
        try await ServerBootstrap(group: self.group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 256)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: self.configuration.host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(FrameDecoder()))
                    try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(EnvelopeEncoder()))
                    return try Connection(wrappingChannelSynchronously: channel)
                }
            }
    }

    private func accept(on listener: Listener, port: SessionState.Port) async throws {
        try await withThrowingDiscardingTaskGroup { group in
            try await listener.executeThenClose { connections in
                for try await connection in connections {
                    group.addTask { await self.serve(connection, port: port) }
                }
            }
        }
    }

    /// Serves one connection until the peer leaves, the stream breaks, or the session must close.
    /// Requests are handled in order, so pipelined responses come back in the order they were asked.
    private func serve(_ connection: Connection, port: SessionState.Port) async {
        var logger = self.context.logger
        logger[metadataKey: "peer"] = "\(connection.channel.remoteAddress.map { "\($0)" } ?? "?")"
        let (outgoing, outbox) = AsyncStream<Envelope>.makeStream()
        let session = Session(port: port, context: self.context, outbox: outbox, logger: logger)
        do {
            try await connection.executeThenClose { inbound, outbound in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        // A notification can reach a fresh session twice: from the outbox at WELCOME and live.
                        var sentNotifications = Set<UInt64>()
                        for await envelope in outgoing {
                            if case .notification(let push) = envelope.message,
                                !sentNotifications.insert(push.notificationID).inserted
                            {
                                continue
                            }
                            try await outbound.write(envelope)
                        }
                    }
                    do {
                        for try await frame in inbound {
                            guard await session.handle(frame) else { break }
                        }
                    } catch let error as FrameError {
                        let code: ErrorCode = if case .lengthTooLarge = error { .frameTooLarge } else { .malformedFrame }
                        outbox.yield(Envelope(
                            requestID: 0,
                            message: .error(ErrorMessage(code, "\(error); the connection is closed"))))
                        logger.notice("closing connection after a framing error", metadata: ["error": "\(error)"])
                    }
                    session.end()
                    try await group.waitForAll()
                }
            }
        } catch {
            session.end()
            logger.debug("connection ended with an error", metadata: ["error": "\(error)"])
        }
    }
}

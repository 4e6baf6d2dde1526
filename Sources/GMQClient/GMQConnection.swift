import GMQProtocol
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// An open, authenticated session with `gmqd`, for players and staff alike.
/// Requests may be sent from several tasks at once; they are pipelined and each gets its own response.
public final class GMQConnection: Sendable {
    private let channel: any Channel
    private let closeReason: CloseReason
    /// What WELCOME said: who this session is.
    public let welcome: Welcome
    /// Server pushes, in the order they arrived. Acknowledge each with `acknowledge(_:)` once shown.
    public let notifications: AsyncStream<NotificationPush>
    /// QUEUE_CHANGED pushes, for a staff session that sent WATCH.
    public let queueChanges: AsyncStream<QueueChanged>
    /// REMINDER pushes: the reminders this GM set, when they are due.
    public let reminders: AsyncStream<Reminder>

    private init(
        channel: any Channel, closeReason: CloseReason, welcome: Welcome, notifications: AsyncStream<NotificationPush>,
        queueChanges: AsyncStream<QueueChanged>, reminders: AsyncStream<Reminder>
    ) {
        self.channel = channel
        self.closeReason = closeReason
        self.welcome = welcome
        self.notifications = notifications
        self.queueChanges = queueChanges
        self.reminders = reminders
    }

    /// Connects, sends HELLO and waits for WELCOME. An ERROR answer is thrown as `ErrorMessage`.
    /// With `tls` the connection speaks TLS and checks the server's certificate; a failed handshake is thrown as
    /// `GMQClientError.tlsFailed`.
    public static func connect(
        host: String, port: Int, hello: Hello, tls: ClientTLS? = nil,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> GMQConnection {
        let (notifications, continuation) = AsyncStream<NotificationPush>.makeStream()
        // Only the newest changes matter to a console that fell behind: it refreshes its view from the server.
        let (queueChanges, changes) = AsyncStream<QueueChanged>.makeStream(bufferingPolicy: .bufferingNewest(256))
        let (reminders, reminding) = AsyncStream<Reminder>.makeStream(bufferingPolicy: .bufferingNewest(256))
        let closeReason = CloseReason()
        let channel = try await ClientBootstrap(group: eventLoopGroup)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(
                            NIOSSLClientHandler(context: tls.context, serverHostname: ClientTLS.serverHostname(host)))
                    }
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(FrameDecoder()))
                    try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(EnvelopeEncoder()))
                    try channel.pipeline.syncOperations.addHandler(RequestHandler(
                        notifications: continuation, queueChanges: changes, reminders: reminding,
                        closeReason: closeReason))
                }
            }
            .connect(host: host, port: port).get()
        do {
            switch try await Self.send(.hello(hello), on: channel, closeReason: closeReason).get() {
            case .welcome(let welcome):
                return GMQConnection(
                    channel: channel, closeReason: closeReason, welcome: welcome, notifications: notifications,
                    queueChanges: queueChanges, reminders: reminders)
            case .error(let error):
                throw error
            case let other:
                throw GMQClientError.unexpectedResponse(request: .hello, response: other.type)
            }
        } catch let error as NIOSSLError {
            try? await channel.close()
            throw GMQClientError.tlsFailed("\(error)")
        } catch let error as BoringSSLError {
            try? await channel.close()
            throw GMQClientError.tlsFailed("\(error)")
        } catch {
            try? await channel.close()
            throw error
        }
    }

    /// Sends `message` and returns the server's response, which may be an `.error`.
    public func send(_ message: Message) async throws -> Message {
        try await Self.send(message, on: self.channel, closeReason: self.closeReason).get()
    }

    /// The event loop the connection lives on: `send(_:completion:)` called there writes without a thread hop.
    public var eventLoop: any EventLoop { self.channel.eventLoop }

    /// Sends `message` and calls `completion` with its response (which may be an `.error`) on `eventLoop`, with no
    /// task and no `await`: for load generators that keep thousands of requests in flight.
    public func send(_ message: Message, completion: @escaping @Sendable (Result<Message, any Error>) -> Void) {
        Self.send(message, on: self.channel, closeReason: self.closeReason).whenComplete(completion)
    }

    /// Sends `message` and returns its response; an ERROR response is thrown as `ErrorMessage`.
    public func call(_ message: Message) async throws -> Message {
        let response = try await self.send(message)
        if case .error(let error) = response { throw error }
        return response
    }

    /// Tells the server a notification was shown, so it is not delivered again.
    public func acknowledge(_ notification: NotificationPush) async throws {
        _ = try await self.call(.notificationAck(NotificationAck(notificationID: notification.notificationID)))
    }

    /// Sends PING and waits for PONG: keeps a quiet session within the server's idle timeout.
    public func ping() async throws {
        let nonce = UInt64.random(in: 1...UInt64.max)
        let response = try await self.call(.ping(Ping(nonce: nonce)))
        guard case .pong(let pong) = response else {
            throw GMQClientError.unexpectedResponse(request: .ping, response: response.type)
        }
        guard pong.nonce == nonce else {
            throw GMQClientError.undecodableResponse("PONG carried nonce \(pong.nonce), not the \(nonce) this PING sent")
        }
    }

    /// How often long-lived sessions (listen, console) send PING: well inside the default idle timeout of 300 s.
    public static let keepAliveInterval: Duration = .seconds(60)

    public func close() async {
        try? await self.channel.close()
    }

    /// Returns once the connection is closed, by either side.
    public func closed() async {
        try? await self.channel.closeFuture.get()
    }

    /// Why the server closed the connection, when it said so (an ERROR push on request id 0, e.g.
    /// `credential_revoked`); nil while open or when it closed without a word.
    public var serverClosingError: ErrorMessage? { self.closeReason.error as? ErrorMessage }

    /// What the server said when it shut down (SERVER_CLOSING); nil while open or when it closed otherwise.
    public var serverClosing: ServerClosing? {
        if case .serverClosing(let closing)? = self.closeReason.error as? GMQClientError { return closing }
        return nil
    }

    private static func send(
        _ message: Message, on channel: any Channel, closeReason: CloseReason
    ) -> EventLoopFuture<Message> {
        let response = channel.eventLoop.makePromise(of: Message.self)
        let ownership = RequestHandler.Ownership()
        let written = channel.eventLoop.makePromise(of: Void.self)
        channel.writeAndFlush(
            RequestHandler.Request(message: message, response: response, ownership: ownership), promise: written)
        // A write on a closed channel never reaches the handler: then its failure is the answer.
        // A write on a closed connection fails with what the server said when it closed it, if it said anything.
        written.futureResult.whenFailure { error in
            if !ownership.taken { response.fail(closeReason.error ?? error) }
        }
        return response.futureResult
    }
}

/// The server's last word on a connection, shared by the handler (on the event loop) and the connection's callers.
final class CloseReason: Sendable {
    private let value = Mutex<(any Error & Sendable)?>(nil)
    /// The server's ERROR, or the transport's failure (a TLS handshake that failed) when there was one.
    var error: (any Error)? { self.value.withLock { $0 } }
    func set(_ error: any Error & Sendable) { self.value.withLock { $0 = $0 ?? error } }
}

/// Why the client could not get an answer. Server refusals arrive as `ErrorMessage` instead.
public enum GMQClientError: Error, CustomStringConvertible {
    case connectionClosed
    case unexpectedResponse(request: MessageType, response: MessageType)
    case undecodableResponse(String)
    /// The TLS handshake failed: the certificate is not trusted or does not name the host, or the port does not
    /// speak TLS.
    case tlsFailed(String)
    /// The server shut down (SERVER_CLOSING): a request without an answer was not processed; send it again after
    /// reconnecting, no sooner than `retryAfterSeconds`.
    case serverClosing(ServerClosing)

    public var description: String {
        switch self {
        case .tlsFailed(let detail):
            "the TLS handshake failed (\(detail)): the server's certificate is not trusted (give its authority with "
                + "--ca FILE) or does not name this host, or the port does not speak TLS (drop --tls)"

        case .serverClosing(let closing):
            "the server is shutting down and did not take this request; reconnect"
                + (closing.retryAfterSeconds > 0 ? " in \(closing.retryAfterSeconds) s" : "") + " and send it again"
        case .connectionClosed: "the server closed the connection before answering"
        case .unexpectedResponse(let request, let response): "the server answered \(request) with \(response)"
        case .undecodableResponse(let detail): "the server's response could not be read: \(detail)"
        }
    }
}

/// Numbers requests, matches responses to them by request id, and hands pushes (request id 0) to the stream.
/// Lives on the channel's event loop, so it needs no locks.
final class RequestHandler: ChannelDuplexHandler {
    typealias InboundIn = Frame
    typealias OutboundIn = Request
    typealias OutboundOut = Envelope

    struct Request {
        var message: Message
        var response: EventLoopPromise<Message>
        var ownership: Ownership
    }

    /// Says whether the handler took charge of a request's response; read and written only on the channel's event
    /// loop, hence unchecked.
    final class Ownership: @unchecked Sendable {
        var taken = false
    }

    private var nextID: UInt32 = 0
    private var pending: [UInt32: EventLoopPromise<Message>] = [:]
    private let notifications: AsyncStream<NotificationPush>.Continuation
    private let queueChanges: AsyncStream<QueueChanged>.Continuation
    private let reminders: AsyncStream<Reminder>.Continuation
    /// Set when the server answered on request id 0 with an ERROR: the reason the connection is closing.
    private var connectionError: (any Error)?
    private var closed = false
    private let closeReason: CloseReason

    init(
        notifications: AsyncStream<NotificationPush>.Continuation, queueChanges: AsyncStream<QueueChanged>.Continuation,
        reminders: AsyncStream<Reminder>.Continuation, closeReason: CloseReason
    ) {
        self.notifications = notifications
        self.queueChanges = queueChanges
        self.reminders = reminders
        self.closeReason = closeReason
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = self.unwrapOutboundIn(data)
        request.ownership.taken = true
        guard !self.closed else {
            request.response.fail(self.connectionError ?? GMQClientError.connectionClosed)
            promise?.succeed()
            return
        }
        self.nextID = self.nextID == UInt32.max ? 1 : self.nextID + 1
        let id = self.nextID
        self.pending[id] = request.response
        let written = context.eventLoop.makePromise(of: Void.self)
        written.futureResult.cascade(to: promise)
        written.futureResult.assumeIsolated().whenFailure { error in
            // A write that failed because the connection is closing (a TLS handshake that failed fails the writes
            // it held before it reports why) is answered when the channel goes inactive, with the reason.
            if !self.closed, error as? ChannelError == .ioOnClosedChannel { return }
            self.pending.removeValue(forKey: id)?.fail(self.closed ? self.connectionError ?? error : error)
        }
        context.write(self.wrapOutboundOut(Envelope(requestID: id, message: request.message)), promise: written)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = self.unwrapInboundIn(data)
        let message: Message
        do {
            message = try frame.message()
        } catch {
            self.pending.removeValue(forKey: frame.requestID)?.fail(GMQClientError.undecodableResponse("\(error)"))
            return
        }
        if frame.requestID == 0 {
            switch message {
            case .notification(let push): self.notifications.yield(push)
            case .queueChanged(let change): self.queueChanges.yield(change)
            case .reminder(let reminder): self.reminders.yield(reminder)
            case .error(let error):
                self.connectionError = error
                self.closeReason.set(error)
            case .serverClosing(let closing):
                // Every request answered so far was done; those still pending were not (PROTOCOL.md §1.2).
                let error = GMQClientError.serverClosing(closing)
                self.connectionError = error
                self.closeReason.set(error)
            default: break
            }
            return
        }
        self.pending.removeValue(forKey: frame.requestID)?.succeed(message)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let error: any Error = switch error {
        case let tls as NIOSSLError: GMQClientError.tlsFailed("\(tls)")
        case let tls as BoringSSLError: GMQClientError.tlsFailed("\(tls)")
        default: error
        }
        if let tls = error as? GMQClientError { self.closeReason.set(tls) }
        self.connectionError = self.connectionError ?? error
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.closed = true
        let error = self.connectionError ?? GMQClientError.connectionClosed
        for promise in self.pending.values { promise.fail(error) }
        self.pending.removeAll()
        self.notifications.finish()
        self.queueChanges.finish()
        self.reminders.finish()
        context.fireChannelInactive()
    }
}

extension Result where Failure == any Error {
    /// The outcome of an async throwing call, for code that must clean up (close a connection) before it reports.
    public init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}

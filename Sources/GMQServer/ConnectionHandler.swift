import GMQProtocol
import NIOCore
import Synchronization

/// The one handler between the bytes and the session: cuts the stream into frames (`FrameDecoder`), keeps the
/// connection's deadlines and its drain (`ConnectionStateMachine`), and performs what that decides. It sits after
/// TLS and before the envelope encoder on the way out, so it sees every frame in and every envelope out:
///
/// ```
/// socket ⇄ [TLS] ⇄ encoder ⇄ ConnectionHandler ⇄ SessionHandler (the session)
///            bytes→ frames, timeouts, drain; ←envelopes counted
/// ```
final class ConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = Frame
    typealias OutboundIn = Envelope
    typealias OutboundOut = Envelope

    /// A user outbound event: the session accepted HELLO (its WELCOME is written just before).
    struct SessionOpened: Sendable {}
    /// A user outbound event: the server shuts down; answer what was taken, then SERVER_CLOSING and close.
    struct Drain: Sendable {
        var closing: ServerClosing
    }

    private var machine: ConnectionStateMachine
    private let decoder = NIOSingleStepByteToMessageProcessor(FrameDecoder())
    private var timer: Scheduled<Void>?
    /// What SERVER_CLOSING says, once a drain began.
    private var closing: ServerClosing?
    /// Set after a framing error: the stream cannot be cut into frames any more, so nothing more is read.
    private var broken = false

    init(timeouts: ConnectionTimeouts, connectedAt: NIODeadline) {
        self.machine = ConnectionStateMachine(timeouts: timeouts, connectedAt: connectedAt)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { self.perform(self.machine.connected(), context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        self.perform(self.machine.connected(), context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.machine.closed()
        self.timer?.cancel()
        self.timer = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !self.broken else { return }
        let now = context.eventLoop.now
        var frames = 0
        do {
            try self.decoder.process(buffer: self.unwrapInboundIn(data)) { frame in
                frames += 1
                if self.machine.frameArrived(at: now) == .deliver { context.fireChannelRead(self.wrapInboundOut(frame)) }
            }
        } catch {
            // The session answers a framing error and closes (SessionHandler).
            self.broken = true
            context.fireErrorCaught(error)
            return
        }
        let incomplete = self.decoder.unprocessedBytes > 0
        self.perform(self.machine.bytesArrived(completedFrames: frames, incomplete: incomplete, at: now), context: context)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let requestID = self.unwrapOutboundIn(data).requestID
        context.write(data, promise: promise)
        self.perform(self.machine.frameSent(requestID: requestID), context: context)
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        switch event {
        case is SessionOpened:
            self.perform(self.machine.sessionOpened(), context: context)
            promise?.succeed()
        case let drain as Drain:
            self.closing = drain.closing
            self.perform(self.machine.shutdown(), context: context)
            promise?.succeed()
        default:
            context.triggerUserOutboundEvent(event, promise: promise)
        }
    }

    private func perform(_ action: ConnectionStateMachine.Action, context: ChannelHandlerContext) {
        switch action {
        case .none:
            break
        case .schedule(let deadline):
            self.timer?.cancel()
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            self.timer = context.eventLoop.scheduleTask(deadline: deadline) {
                let (handler, context) = loopBound.value
                handler.timer = nil
                handler.perform(handler.machine.timerFired(at: context.eventLoop.now), context: context)
            }
        case .closeForTimeout(let reason):
            self.closeAfter(.error(ErrorMessage(.timeout, "\(reason); the connection is closed")), context: context)
        case .closeForShutdown:
            self.closeAfter(.serverClosing(self.closing ?? ServerClosing(retryAfterSeconds: 0, message: "")), context: context)
        }
    }

    /// Writes `message` as the connection's last frame, on request id 0, then closes.
    private func closeAfter(_ message: Message, context: ChannelHandlerContext) {
        self.timer?.cancel()
        self.timer = nil
        guard context.channel.isActive else { return }
        let channel = context.channel
        context.writeAndFlush(self.wrapOutboundOut(Envelope(requestID: 0, message: message))).whenComplete { _ in
            channel.close(promise: nil)
        }
    }
}

/// The open connections of a server, so that a shutdown reaches each of them.
final class OpenConnections: Sendable {
    private let channels = Mutex<[ObjectIdentifier: any Channel]>([:])

    /// Adds `channel` until it closes.
    func add(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        self.channels.withLock { $0[id] = channel }
        channel.closeFuture.whenComplete { _ in _ = self.channels.withLock { $0.removeValue(forKey: id) } }
    }

    var all: [any Channel] { self.channels.withLock { Array($0.values) } }

    /// Returns once every connection open now, and every one added meanwhile, has closed.
    func allClosed() async {
        while let channel = self.channels.withLock({ $0.values.first }) {
            try? await channel.closeFuture.get()
        }
    }
    var count: Int { self.channels.withLock { $0.count } }
}

/// Counts open connections, in all and per peer address, and refuses those over the caps.
final class ConnectionLimiter: Sendable {
    let maximum: Int
    let maximumPerAddress: Int
    private let counts = Mutex<(total: Int, byAddress: [String: Int])>((0, [:]))

    init(maximum: Int, maximumPerAddress: Int) {
        self.maximum = maximum
        self.maximumPerAddress = maximumPerAddress
    }

    /// Admits a connection from `address`, or says why not. An admitted one must be `release`d when it closes.
    func admit(_ address: String) -> String? {
        self.counts.withLock { counts in
            if counts.total >= self.maximum {
                return "the server has its maximum of \(self.maximum) connections; retry later"
            }
            if counts.byAddress[address, default: 0] >= self.maximumPerAddress {
                return "your address already has \(self.maximumPerAddress) connections open; close some and retry"
            }
            counts.total += 1
            counts.byAddress[address, default: 0] += 1
            return nil
        }
    }

    func release(_ address: String) {
        self.counts.withLock { counts in
            counts.total -= 1
            counts.byAddress[address, default: 1] -= 1
            if counts.byAddress[address] == 0 { counts.byAddress[address] = nil }
        }
    }
}

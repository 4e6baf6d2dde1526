import GMQProtocol
import NIOCore
import Synchronization

/// How long a peer may take, in PROTOCOL.md §4's terms. Tests shorten them.
public struct ConnectionTimeouts: Sendable {
    /// From connect to an accepted HELLO.
    public var handshake: TimeAmount
    /// Without a complete frame from an open session; clients send PING to stay.
    public var idle: TimeAmount
    /// From the first byte of a frame to its last.
    public var frame: TimeAmount

    public init(handshake: TimeAmount = .seconds(10), idle: TimeAmount = .seconds(300), frame: TimeAmount = .seconds(30)) {
        self.handshake = handshake
        self.idle = idle
        self.frame = frame
    }
}

/// What a connection's deadlines depend on, and the decision whether one has passed: a pure value, so that every
/// timeout of PROTOCOL.md §4 is tested with given instants instead of waiting for them.
struct ConnectionDeadlines: Sendable {
    let timeouts: ConnectionTimeouts
    let connectedAt: NIODeadline
    var lastFrameAt: NIODeadline
    /// When bytes of a frame not yet complete started to arrive.
    var partialSince: NIODeadline?
    /// Whether WELCOME was sent: from then on the idle timeout applies instead of the handshake's.
    var open = false

    init(timeouts: ConnectionTimeouts, connectedAt: NIODeadline) {
        self.timeouts = timeouts
        self.connectedAt = connectedAt
        self.lastFrameAt = connectedAt
    }

    /// The earliest instant at which one of the deadlines could pass.
    var next: NIODeadline {
        let session = self.open ? self.lastFrameAt + self.timeouts.idle : self.connectedAt + self.timeouts.handshake
        guard let partial = self.partialSince else { return session }
        return min(session, partial + self.timeouts.frame)
    }

    /// Why the connection must close at `now`, or nil while every deadline is ahead.
    func expired(at now: NIODeadline) -> String? {
        if !self.open && now >= self.connectedAt + self.timeouts.handshake {
            return "no HELLO within \(Self.describe(self.timeouts.handshake)) of connecting"
        }
        if let partial = self.partialSince, now >= partial + self.timeouts.frame {
            return "a frame took longer than \(Self.describe(self.timeouts.frame)) to arrive"
        }
        if self.open && now >= self.lastFrameAt + self.timeouts.idle {
            return "no request for \(Self.describe(self.timeouts.idle)); send PING to keep a quiet session"
        }
        return nil
    }

    private static func describe(_ amount: TimeAmount) -> String {
        let milliseconds = amount.nanoseconds / 1_000_000
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000) s" : "\(milliseconds) ms"
    }
}

/// The deadlines shared by a connection's two watchers, both on its event loop. Time is the event loop's
/// (`EventLoop.now`), so that tests run the handlers on an `EmbeddedEventLoop` and advance it.
final class ConnectionClock {
    var deadlines: ConnectionDeadlines

    init(timeouts: ConnectionTimeouts, connectedAt: NIODeadline) {
        self.deadlines = ConnectionDeadlines(timeouts: timeouts, connectedAt: connectedAt)
    }
}

/// Sits before the frame decoder and follows frame boundaries in the byte stream (length prefixes only, no
/// copying), so that it knows exactly when bytes of an incomplete frame are waiting, and since when.
final class ByteWatcher: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    private let clock: ConnectionClock
    /// Bytes of the current frame's length prefix seen so far (0-4), and the prefix's value as it builds up.
    private var prefixBytes = 0
    private var prefix: UInt32 = 0
    /// Bytes of the current frame's body still to come.
    private var bodyRemaining = 0

    init(clock: ConnectionClock) { self.clock = clock }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = self.unwrapInboundIn(data)
        var view = bytes.readableBytesView[...]
        while !view.isEmpty {
            if self.bodyRemaining > 0 {
                let taken = min(self.bodyRemaining, view.count)
                self.bodyRemaining -= taken
                view = view.dropFirst(taken)
                continue
            }
            self.prefix = self.prefix << 8 | UInt32(view.first!)
            self.prefixBytes += 1
            view = view.dropFirst()
            if self.prefixBytes == 4 {
                self.bodyRemaining = Int(self.prefix)
                self.prefixBytes = 0
                self.prefix = 0
            }
        }
        if self.prefixBytes > 0 || self.bodyRemaining > 0 {
            if self.clock.deadlines.partialSince == nil {
                self.clock.deadlines.partialSince = context.eventLoop.now
                // The frame deadline may come before the one the guard is waiting for.
                context.fireUserInboundEventTriggered(ConnectionGuard.DeadlineMoved())
            }
        } else {
            self.clock.deadlines.partialSince = nil
        }
        context.fireChannelRead(data)
    }
}

/// Sits after the codec: closes a connection whose peer is too slow to say HELLO, falls silent, or trickles a
/// frame, with an ERROR `timeout` on request id 0 that says which (PROTOCOL.md §4).
final class ConnectionGuard: ChannelDuplexHandler {
    typealias InboundIn = Frame
    typealias InboundOut = Frame
    typealias OutboundIn = Envelope
    typealias OutboundOut = Envelope

    /// A user event from `ByteWatcher`: the deadlines' `next` may now be earlier than the check scheduled.
    struct DeadlineMoved {}

    private let clock: ConnectionClock
    private var check: (at: NIODeadline, task: Scheduled<Void>)?

    init(clock: ConnectionClock) { self.clock = clock }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { self.arm(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        self.arm(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.check?.task.cancel()
        self.check = nil
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is DeadlineMoved { self.arm(context: context) } else { context.fireUserInboundEventTriggered(event) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.clock.deadlines.lastFrameAt = context.eventLoop.now
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .welcome = self.unwrapOutboundIn(data).message {
            self.clock.deadlines.open = true
            self.arm(context: context)  // the idle deadline may come before the handshake's
        }
        context.write(data, promise: promise)
    }

    /// Schedules the next look at the clock for the earliest deadline that could pass, unless a look is already
    /// scheduled no later than that. Deadlines that move later (a frame arrived) leave the check where it is.
    private func arm(context: ChannelHandlerContext) {
        let next = self.clock.deadlines.next
        if let check = self.check {
            guard next < check.at else { return }
            check.task.cancel()
        }
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let task = context.eventLoop.scheduleTask(deadline: next) {
            let (handler, context) = loopBound.value
            handler.check = nil
            handler.inspect(context: context)
        }
        self.check = (next, task)
    }

    private func inspect(context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        guard let reason = self.clock.deadlines.expired(at: context.eventLoop.now) else {
            self.arm(context: context)
            return
        }
        let error = Envelope(requestID: 0, message: .error(ErrorMessage(.timeout, "\(reason); the connection is closed")))
        let channel = context.channel
        context.writeAndFlush(self.wrapOutboundOut(error)).whenComplete { _ in channel.close(promise: nil) }
    }
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

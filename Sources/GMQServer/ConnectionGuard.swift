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

/// State shared by a connection's two watchers, both on its event loop.
final class ConnectionClock {
    let connectedAt = NIODeadline.now()
    var lastFrameAt = NIODeadline.now()
    /// When bytes of a frame not yet complete started to arrive.
    var partialSince: NIODeadline?
    var open = false
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
            if self.clock.partialSince == nil { self.clock.partialSince = .now() }
        } else {
            self.clock.partialSince = nil
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

    private let clock: ConnectionClock
    private let timeouts: ConnectionTimeouts
    private var check: Scheduled<Void>?

    init(clock: ConnectionClock, timeouts: ConnectionTimeouts) {
        self.clock = clock
        self.timeouts = timeouts
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { self.arm(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        self.arm(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.check?.cancel()
        self.check = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.clock.lastFrameAt = .now()
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .welcome = self.unwrapOutboundIn(data).message { self.clock.open = true }
        context.write(data, promise: promise)
    }

    /// Schedules the next look at the clock for the earliest deadline that could pass.
    private func arm(context: ChannelHandlerContext) {
        guard self.check == nil else { return }
        var next = self.clock.open
            ? self.clock.lastFrameAt + self.timeouts.idle : self.clock.connectedAt + self.timeouts.handshake
        if let partial = self.clock.partialSince { next = min(next, partial + self.timeouts.frame) }
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        self.check = context.eventLoop.scheduleTask(deadline: next) {
            let (handler, context) = loopBound.value
            handler.check = nil
            handler.inspect(context: context)
        }
    }

    private func inspect(context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        let now = NIODeadline.now()
        let reason: String?
        if !self.clock.open && now >= self.clock.connectedAt + self.timeouts.handshake {
            reason = "no HELLO within \(Self.describe(self.timeouts.handshake)) of connecting"
        } else if let partial = self.clock.partialSince, now >= partial + self.timeouts.frame {
            reason = "a frame took longer than \(Self.describe(self.timeouts.frame)) to arrive"
        } else if self.clock.open && now >= self.clock.lastFrameAt + self.timeouts.idle {
            reason = "no request for \(Self.describe(self.timeouts.idle)); send PING to keep a quiet session"
        } else {
            reason = nil
        }
        guard let reason else {
            self.arm(context: context)
            return
        }
        let error = Envelope(requestID: 0, message: .error(ErrorMessage(.timeout, "\(reason); the connection is closed")))
        let channel = context.channel
        context.writeAndFlush(self.wrapOutboundOut(error)).whenComplete { _ in channel.close(promise: nil) }
    }

    private static func describe(_ amount: TimeAmount) -> String {
        let milliseconds = amount.nanoseconds / 1_000_000
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000) s" : "\(milliseconds) ms"
    }
}

/// Counts open connections, in all and per peer address, and refuses those over the caps.
final class ConnectionLimiter: Sendable {
    let maximum: Int
    let maximumPerAddress: Int?
    private let counts = Mutex<(total: Int, byAddress: [String: Int])>((0, [:]))

    init(maximum: Int, maximumPerAddress: Int?) {
        self.maximum = maximum
        self.maximumPerAddress = maximumPerAddress
    }

    /// Admits a connection from `address`, or says why not. An admitted one must be `release`d when it closes.
    func admit(_ address: String) -> String? {
        self.counts.withLock { counts in
            if counts.total >= self.maximum {
                return "the server has its maximum of \(self.maximum) connections; retry later"
            }
            if let perAddress = self.maximumPerAddress, counts.byAddress[address, default: 0] >= perAddress {
                return "your address already has \(perAddress) connections open; close some and retry"
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

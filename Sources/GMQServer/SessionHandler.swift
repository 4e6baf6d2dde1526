import GMQProtocol
import NIOCore

/// Serves one connection's session from its channel pipeline, last after `ConnectionHandler`: each frame's request
/// runs in a task of its own, and the responses are written in request order (PROTOCOL.md §1). A player's
/// requests that may overlap (`Session.mayOverlap`: submissions, replies, reads) run together, up to `window`
/// unanswered; every other request (HELLO, uploads, all staff requests) starts once everything before it is
/// answered, and nothing after it starts before it is answered. While requests cannot start (the window is full, a
/// request runs alone, or the client reads no responses), the frames already read wait here and the channel reads
/// no more: back-pressure, not buffering.
///
/// An idle connection holds no task: only this handler, its session and NIO's channel. A task per connection kept
/// its allocator's slabs (3 KB and more) and NIO's async-channel bridge for as long as a player stayed connected
/// (issue 14 §4). Every field belongs to the event loop; request tasks come back to it with their responses.
final class SessionHandler: ChannelDuplexHandler {
    typealias InboundIn = Frame
    typealias OutboundIn = Envelope
    typealias OutboundOut = Envelope

    /// Requests of one connection that may be unanswered at once.
    static let window = 32

    private let session: Session
    private let metrics: ServerMetrics
    /// Frames read, with when they were read; those from `heldStart` on are not started yet. Emptied (and its
    /// storage freed) whenever all started.
    private var held: [(frame: Frame, readAt: NIODeadline)] = []
    private var heldStart = 0
    /// Responses ready but not written, because an earlier request still runs; by request number.
    private var ready: [UInt64: (response: Envelope, close: Bool)] = [:]
    private var nextNumber: UInt64 = 0
    private var nextToWrite: UInt64 = 0
    /// Whether the request running now runs alone.
    private var aloneRunning = false
    /// Whether WELCOME was written.
    private var opened = false
    /// A framing error, answered once everything before it is answered; the connection then closes.
    private var failure: FrameError?
    /// The channel asked to read while requests could not start.
    private var readPending = false
    /// Nothing more starts: the connection closes or is gone.
    private var finished = false
    private var ended = false

    init(session: Session, metrics: ServerMetrics) {
        self.session = session
        self.metrics = metrics
    }

    private var running: Int { Int(self.nextNumber - self.nextToWrite) }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !self.finished, self.failure == nil else { return }
        self.held.append((self.unwrapInboundIn(data), context.eventLoop.now))
        self.startHeld(context: context)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? FrameError {
            guard !self.finished, self.failure == nil else { return }
            self.failure = error
            self.startHeld(context: context)
            return
        }
        self.session.ended(by: error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.finished = true
        (self.held, self.heldStart) = ([], 0)
        self.endIfIdle()
        context.fireChannelInactive()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        self.startHeld(context: context)
        context.fireChannelWritabilityChanged()
    }

    func read(context: ChannelHandlerContext) {
        if self.heldStart == self.held.count, self.failure == nil, self.mayStart(alone: false, context: context) {
            context.read()
        } else {
            self.readPending = true
        }
    }

    private func mayStart(alone: Bool, context: ChannelHandlerContext) -> Bool {
        guard !self.finished, !self.aloneRunning, context.channel.isWritable else { return false }
        return alone ? self.running == 0 : self.running < Self.window
    }

    /// Starts the held frames' requests while they may start; answers a framing error once everything before it
    /// is answered; asks for more bytes when nothing waits.
    private func startHeld(context: ChannelHandlerContext) {
        // While a request runs alone it may change the session (HELLO), so the session is not read meanwhile.
        while self.heldStart < self.held.count, !self.aloneRunning {
            let (frame, readAt) = self.held[self.heldStart]
            let alone = !self.session.mayOverlap(frame)
            guard self.mayStart(alone: alone, context: context) else { return }
            self.heldStart += 1
            // In arrival order, on the event loop: the session's state machine has one thread.
            self.start(self.session.step(for: frame), alone: alone, type: frame.type, readAt: readAt, context: context)
        }
        guard self.heldStart == self.held.count else { return }
        (self.held, self.heldStart) = ([], 0)
        if let failure = self.failure {
            guard self.running == 0, !self.finished else { return }
            self.finished = true
            let code: ErrorCode = if case .lengthTooLarge = failure { .frameTooLarge } else { .malformedFrame }
            let channel = context.channel
            context.writeAndFlush(self.wrapOutboundOut(Envelope(
                requestID: 0, message: .error(ErrorMessage(code, "\(failure); the connection is closed"))))
            ).whenComplete { _ in channel.close(promise: nil) }
            self.session.framingError(failure)
            self.endIfIdle()
            return
        }
        if self.readPending, self.mayStart(alone: false, context: context) {
            self.readPending = false
            context.read()
        }
    }

    private func start(
        _ step: Session.Step, alone: Bool, type: UInt16, readAt: NIODeadline, context: ChannelHandlerContext
    ) {
        let number = self.nextNumber
        self.nextNumber += 1
        self.aloneRunning = alone
        let (session, metrics, eventLoop) = (self.session, self.metrics, context.eventLoop)
        let back = NIOLoopBound((self, context), eventLoop: eventLoop)
        Task {
            let (response, close) = await session.perform(step)
            eventLoop.execute {
                let (handler, context) = back.value
                metrics.answered(
                    type: type, response: response.message,
                    duration: .nanoseconds((eventLoop.now - readAt).nanoseconds))
                handler.ready[number] = (response, close)
                handler.writeReady(context: context)
            }
        }
    }

    /// Writes the ready responses that are next in order, then starts what may start now.
    private func writeReady(context: ChannelHandlerContext) {
        var unflushed = false
        while let (response, close) = self.ready.removeValue(forKey: self.nextToWrite) {
            self.nextToWrite += 1
            if self.running == 0 { self.aloneRunning = false }
            guard !self.finished, context.channel.isActive else { continue }
            if close {
                self.finished = true
                let channel = context.channel
                context.writeAndFlush(self.wrapOutboundOut(response)).whenComplete { _ in channel.close(promise: nil) }
                unflushed = false
                continue
            }
            context.write(self.wrapOutboundOut(response), promise: nil)
            unflushed = true
            if !self.opened, self.session.isOpen {
                // WELCOME goes first; then the connection's deadlines change and pushes may follow it.
                self.opened = true
                context.flush()
                unflushed = false
                self.session.opened()
            }
        }
        if unflushed { context.flush() }
        if self.ready.isEmpty { self.ready = [:] }
        if self.finished { self.endIfIdle() } else { self.startHeld(context: context) }
    }

    private func endIfIdle() {
        guard self.finished, self.running == 0, !self.ended else { return }
        self.ended = true
        self.session.end()
    }
}

import NIOCore

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

/// One connection's life as its pipeline sees it: the timeouts of PROTOCOL.md §4 and the drain of §1.2. A pure
/// value: `ConnectionHandler` feeds it events with the event loop's time (the injected clock: tests run it on an
/// `EmbeddedEventLoop` and advance that) and performs the actions it returns.
struct ConnectionStateMachine: Sendable {
    enum State: Sendable, Equatable {
        /// Connected; no session yet: the handshake deadline runs.
        case handshaking
        /// WELCOME was sent: the idle deadline runs from the last frame.
        case open
        /// Shutting down: no new request is taken; once every request taken is answered, SERVER_CLOSING.
        case draining
        case closed
    }

    /// What the handler does next.
    enum Action: Sendable, Equatable {
        case none
        /// Look at the clock again at this instant (replacing a look already scheduled).
        case schedule(NIODeadline)
        /// Write ERROR `timeout` with this reason on request id 0, then close.
        case closeForTimeout(String)
        /// Write SERVER_CLOSING on request id 0, then close.
        case closeForShutdown
    }

    /// What happens to a frame that arrived.
    enum Delivery: Sendable, Equatable {
        /// Pass it to the session: it will be answered.
        case deliver
        /// Drop it: the connection is draining, and the client learns from SERVER_CLOSING that it was not taken.
        case drop
    }

    let timeouts: ConnectionTimeouts
    let connectedAt: NIODeadline
    private(set) var state = State.handshaking
    private(set) var lastFrameAt: NIODeadline
    /// When bytes of a frame not yet complete started to arrive.
    private(set) var partialSince: NIODeadline?
    /// Requests passed to the session and not answered yet.
    private(set) var inFlight = 0
    /// The instant the handler will next look at the clock, if it will.
    private var scheduled: NIODeadline?

    init(timeouts: ConnectionTimeouts, connectedAt: NIODeadline) {
        self.timeouts = timeouts
        self.connectedAt = connectedAt
        self.lastFrameAt = connectedAt
    }

    // MARK: Events

    /// The connection is up: the first look at the clock.
    mutating func connected() -> Action { self.rearm() }

    /// Bytes arrived and were cut into frames: `completedFrames` of them ended in these bytes, and `incomplete` when
    /// bytes of a frame still wait for the rest. A frame's deadline counts from its first byte.
    mutating func bytesArrived(completedFrames: Int, incomplete: Bool, at now: NIODeadline) -> Action {
        // A deadline that moves later leaves the scheduled look where it is; that look re-arms.
        if completedFrames > 0 || !incomplete { self.partialSince = nil }
        guard incomplete, self.partialSince == nil else { return .none }
        self.partialSince = now
        return self.rearm()
    }

    /// A whole frame arrived.
    mutating func frameArrived(at now: NIODeadline) -> Delivery {
        self.lastFrameAt = now
        switch self.state {
        case .handshaking, .open:
            self.inFlight += 1
            return .deliver
        case .draining, .closed:
            return .drop
        }
    }

    /// The session accepted HELLO and WELCOME is on its way: from now on the idle timeout applies.
    mutating func sessionOpened() -> Action {
        guard self.state == .handshaking else { return .none }
        self.state = .open
        return self.rearm()
    }

    /// A frame went out; `requestID` 0 is a push, anything else answers a request taken.
    mutating func frameSent(requestID: UInt32) -> Action {
        guard requestID != 0, self.inFlight > 0 else { return .none }
        self.inFlight -= 1
        return self.state == .draining && self.inFlight == 0 ? self.close(.closeForShutdown) : .none
    }

    /// The scheduled look at the clock.
    mutating func timerFired(at now: NIODeadline) -> Action {
        self.scheduled = nil
        switch self.state {
        case .closed, .draining:
            // A draining connection is bounded by the server's drain deadline, not by the peer's pace.
            return .none
        case .handshaking, .open:
            if let reason = self.expired(at: now) { return self.close(.closeForTimeout(reason)) }
            return self.rearm()
        }
    }

    /// The server shuts down: SERVER_CLOSING at once when nothing is in flight, else once the last answer is out.
    mutating func shutdown() -> Action {
        switch self.state {
        case .closed, .draining: return .none
        case .handshaking, .open:
            if self.inFlight == 0 { return self.close(.closeForShutdown) }
            self.state = .draining
            return .none
        }
    }

    /// The channel closed, for whatever reason.
    mutating func closed() {
        self.state = .closed
        self.scheduled = nil
    }

    // MARK: Deadlines

    /// The earliest instant at which one of the deadlines could pass.
    var nextDeadline: NIODeadline {
        let session = self.state == .handshaking
            ? self.connectedAt + self.timeouts.handshake : self.lastFrameAt + self.timeouts.idle
        guard let partial = self.partialSince else { return session }
        return min(session, partial + self.timeouts.frame)
    }

    /// Why the connection must close at `now`, or nil while every deadline is ahead.
    func expired(at now: NIODeadline) -> String? {
        if self.state == .handshaking && now >= self.connectedAt + self.timeouts.handshake {
            return "no HELLO within \(Self.describe(self.timeouts.handshake)) of connecting"
        }
        if let partial = self.partialSince, now >= partial + self.timeouts.frame {
            return "a frame took longer than \(Self.describe(self.timeouts.frame)) to arrive"
        }
        if self.state == .open && now >= self.lastFrameAt + self.timeouts.idle {
            return "no request for \(Self.describe(self.timeouts.idle)); send PING to keep a quiet session"
        }
        return nil
    }

    /// Schedules a look for the earliest deadline, unless one is already scheduled no later than that.
    private mutating func rearm() -> Action {
        let next = self.nextDeadline
        if let scheduled = self.scheduled, scheduled <= next { return .none }
        self.scheduled = next
        return .schedule(next)
    }

    private mutating func close(_ action: Action) -> Action {
        self.state = .closed
        self.scheduled = nil
        return action
    }

    private static func describe(_ amount: TimeAmount) -> String {
        let milliseconds = amount.nanoseconds / 1_000_000
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000) s" : "\(milliseconds) ms"
    }
}

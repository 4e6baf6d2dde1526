import GMQProtocol
import NIOCore
import NIOEmbedded
import Testing

@testable import GMQServer

/// PROTOCOL.md §4's three timeouts and §1.2's drain, decided at given instants: no test here waits for one.
@Suite struct ConnectionStateMachineTests {
    static let timeouts = ConnectionTimeouts(handshake: .seconds(10), idle: .seconds(300), frame: .seconds(30))
    static let start = NIODeadline.uptimeNanoseconds(1_000_000_000_000)

    static func at(_ seconds: Int64) -> NIODeadline { Self.start + .seconds(seconds) }

    static func machine(_ timeouts: ConnectionTimeouts = Self.timeouts) -> ConnectionStateMachine {
        var machine = ConnectionStateMachine(timeouts: timeouts, connectedAt: Self.start)
        #expect(machine.connected() == .schedule(Self.at(10)))
        return machine
    }

    /// A session past HELLO whose last frame arrived at `lastFrame` seconds.
    static func open(lastFrame: Int64) -> ConnectionStateMachine {
        var machine = Self.machine()
        #expect(machine.frameArrived(at: Self.at(lastFrame)) == .deliver)
        _ = machine.sessionOpened()
        _ = machine.frameSent(requestID: 1)
        return machine
    }

    @Test func aConnectionWithoutWelcomeExpiresAtTheHandshakeDeadline() {
        var machine = Self.machine()
        #expect(machine.expired(at: Self.at(9)) == nil)
        #expect(machine.timerFired(at: Self.at(10)) == .closeForTimeout("no HELLO within 10 s of connecting"))
        #expect(machine.state == .closed)
    }

    @Test func framesBeforeWelcomeDoNotExtendTheHandshake() {
        var machine = Self.machine()
        #expect(machine.frameArrived(at: Self.at(9)) == .deliver)
        #expect(machine.nextDeadline == Self.at(10))
        #expect(machine.expired(at: Self.at(10))?.contains("HELLO") == true)
    }

    @Test func anOpenSessionExpiresAnIdleTimeoutAfterItsLastFrame() {
        var machine = Self.open(lastFrame: 100)
        #expect(machine.nextDeadline == Self.at(400))
        #expect(machine.expired(at: Self.at(399)) == nil, "the handshake deadline no longer applies")
        #expect(machine.timerFired(at: Self.at(10)) == .schedule(Self.at(400)), "a look too early re-arms")
        #expect(machine.timerFired(at: Self.at(400)) == .closeForTimeout(
            "no request for 300 s; send PING to keep a quiet session"))
    }

    @Test func aPartialFrameExpiresBeforeTheSessionDoes() {
        var machine = Self.open(lastFrame: 5)
        _ = machine.timerFired(at: Self.at(5))  // the handshake's look: re-armed for the idle deadline, 305
        #expect(machine.bytesArrived(completedFrames: 0, incomplete: true, at: Self.at(6)) == .schedule(Self.at(36)))
        #expect(machine.bytesArrived(completedFrames: 0, incomplete: true, at: Self.at(20)) == .none,
            "more bytes of the same frame: its deadline counts from its first byte")
        #expect(machine.expired(at: Self.at(35)) == nil)
        #expect(machine.expired(at: Self.at(36)) == "a frame took longer than 30 s to arrive")
        #expect(machine.bytesArrived(completedFrames: 1, incomplete: false, at: Self.at(21)) == .none)
        #expect(machine.nextDeadline == Self.at(305), "a completed frame leaves only the idle deadline")
    }

    @Test func aFrameThatStartsInTheReadThatEndsAnotherHasADeadlineOfItsOwn() {
        var machine = Self.open(lastFrame: 5)
        _ = machine.bytesArrived(completedFrames: 0, incomplete: true, at: Self.at(6))
        #expect(machine.frameArrived(at: Self.at(30)) == .deliver)
        _ = machine.bytesArrived(completedFrames: 1, incomplete: true, at: Self.at(30))
        #expect(machine.partialSince == Self.at(30))
        #expect(machine.expired(at: Self.at(36)) == nil)
    }

    @Test func aPartialHelloStillHasTheHandshakeDeadlineIfThatComesFirst() {
        var machine = Self.machine()
        #expect(machine.bytesArrived(completedFrames: 0, incomplete: true, at: Self.at(8)) == .none,
            "the look at 10 s comes first")
        #expect(machine.nextDeadline == Self.at(10))
        #expect(machine.expired(at: Self.at(10))?.contains("HELLO") == true)
    }

    @Test func subSecondTimeoutsAreNamedInMilliseconds() {
        let short = ConnectionTimeouts(handshake: .milliseconds(1500), idle: .milliseconds(600), frame: .milliseconds(300))
        var machine = ConnectionStateMachine(timeouts: short, connectedAt: Self.start)
        #expect(machine.expired(at: Self.start + .milliseconds(1500)) == "no HELLO within 1500 ms of connecting")
        _ = machine.sessionOpened()
        _ = machine.bytesArrived(completedFrames: 0, incomplete: true, at: Self.start)
        #expect(machine.expired(at: Self.start + .milliseconds(300)) == "a frame took longer than 300 ms to arrive")
    }

    @Test func aShutdownWithNothingInFlightClosesAtOnce() {
        var machine = Self.open(lastFrame: 5)
        #expect(machine.shutdown() == .closeForShutdown)
        #expect(machine.state == .closed && machine.shutdown() == .none)
    }

    @Test func aShutdownAnswersEveryRequestTakenThenSaysSoAndTakesNoMore() {
        var machine = Self.open(lastFrame: 5)
        for second in [6, 7, 8] as [Int64] { #expect(machine.frameArrived(at: Self.at(second)) == .deliver) }
        #expect(machine.frameSent(requestID: 0) == .none, "a push answers nothing")
        #expect(machine.shutdown() == .none)
        #expect(machine.state == .draining && machine.inFlight == 3)
        #expect(machine.frameArrived(at: Self.at(9)) == .drop, "taken after the drain began: not processed")
        #expect(machine.frameSent(requestID: 2) == .none)
        #expect(machine.timerFired(at: Self.at(10_000)) == .none, "draining is bounded by the server, not timeouts")
        #expect(machine.frameSent(requestID: 3) == .none)
        #expect(machine.frameSent(requestID: 4) == .closeForShutdown, "the last answer out: SERVER_CLOSING")
    }

    @Test func aClosedConnectionDoesNothingMore() {
        var machine = Self.machine()
        machine.closed()
        #expect(machine.frameArrived(at: Self.at(1)) == .drop)
        #expect(machine.timerFired(at: Self.at(100)) == .none && machine.shutdown() == .none)
    }
}

/// The handler as gmqd wires it, on an `EmbeddedEventLoop` whose time the test advances: the look at the clock it
/// schedules must follow a deadline that moves earlier (WELCOME, a frame that starts arriving), and a drain must
/// answer what was taken before SERVER_CLOSING.
@Suite struct ConnectionHandlerTests {
    struct Pipeline {
        let loop = EmbeddedEventLoop()
        let channel: EmbeddedChannel

        init(_ timeouts: ConnectionTimeouts) throws {
            self.channel = EmbeddedChannel(loop: self.loop)
            let pipeline = self.channel.pipeline.syncOperations
            try pipeline.addHandler(MessageToByteHandler(EnvelopeEncoder()))
            try pipeline.addHandler(ConnectionHandler(timeouts: timeouts, connectedAt: self.loop.now))
            try self.channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        }

        func welcome() throws {
            let welcome = Welcome(role: .player, principalID: 1, displayName: "Thrall", pendingNotifications: 0)
            var hello = ByteBuffer()
            Envelope(requestID: 1, message: .hello(Hello(clientKind: .player, credential: "t"))).encode(into: &hello)
            try self.channel.writeInbound(hello)
            _ = try self.channel.readInbound(as: Frame.self)
            try self.channel.writeOutbound(Envelope(requestID: 1, message: .welcome(welcome)))
            _ = try self.channel.readOutbound(as: ByteBuffer.self)
            self.channel.pipeline.triggerUserOutboundEvent(ConnectionHandler.SessionOpened(), promise: nil)
        }

        func send(_ bytes: [UInt8]) throws { try self.channel.writeInbound(ByteBuffer(bytes: bytes)) }

        func ping() throws {
            var bytes = ByteBuffer()
            Envelope(requestID: 2, message: .ping(Ping(nonce: 7))).encode(into: &bytes)
            try self.channel.writeInbound(bytes)
            _ = try self.channel.readInbound(as: Frame.self)
        }

        /// The next frame written to the peer, with its request id.
        func written() throws -> Envelope? {
            guard var bytes = try self.channel.readOutbound(as: ByteBuffer.self) else { return nil }
            var decoder = FrameDecoder()
            guard let frame = try decoder.decode(buffer: &bytes) else { return nil }
            return Envelope(requestID: frame.requestID, message: try frame.message())
        }

        /// The timeout ERROR the handler wrote, if it did, and whether the channel is closed since.
        func timeout() throws -> (message: String, closed: Bool)? {
            guard case .error(let error)? = try self.written()?.message, error.code == .timeout else { return nil }
            return (error.message, !self.channel.isActive)
        }
    }

    static let timeouts = ConnectionTimeouts(handshake: .seconds(10), idle: .seconds(300), frame: .seconds(30))

    @Test func aFrameTrickledAfterWelcomeIsCutOffAtTheFrameTimeoutNotTheIdleOne() throws {
        let connection = try Pipeline(Self.timeouts)
        try connection.welcome()
        connection.loop.advanceTime(by: .seconds(20))
        try connection.send([0, 0, 0, 40, 0x00])
        connection.loop.advanceTime(by: .seconds(29))
        #expect(try connection.timeout() == nil)
        connection.loop.advanceTime(by: .seconds(1))
        let timeout = try #require(try connection.timeout())
        #expect(timeout.message == "a frame took longer than 30 s to arrive; the connection is closed")
        #expect(timeout.closed)
    }

    @Test func anIdleTimeoutShorterThanTheHandshakeIsKeptAfterWelcome() throws {
        let connection = try Pipeline(ConnectionTimeouts(handshake: .seconds(60), idle: .seconds(1), frame: .seconds(60)))
        try connection.welcome()
        connection.loop.advanceTime(by: .milliseconds(999))
        #expect(try connection.timeout() == nil)
        connection.loop.advanceTime(by: .milliseconds(1))
        #expect(try connection.timeout()?.message.hasPrefix("no request for 1 s") == true)
    }

    @Test func aSessionThatPingsStaysAndOneThatFallsSilentIsClosed() throws {
        let connection = try Pipeline(Self.timeouts)
        try connection.welcome()
        for _ in 0..<10 {
            connection.loop.advanceTime(by: .seconds(299))
            try connection.ping()
        }
        #expect(try connection.timeout() == nil)
        connection.loop.advanceTime(by: .seconds(300))
        #expect(try connection.timeout()?.closed == true)
    }

    @Test func aPeerWithoutHelloIsClosedAtTheHandshakeDeadline() throws {
        let connection = try Pipeline(Self.timeouts)
        try connection.send([0, 0])  // half a length prefix: the handshake deadline still comes first
        connection.loop.advanceTime(by: .seconds(10))
        #expect(try connection.timeout()?.message == "no HELLO within 10 s of connecting; the connection is closed")
    }

    @Test func aDrainAnswersTheRequestsTakenDropsLaterOnesAndEndsWithServerClosing() throws {
        let connection = try Pipeline(Self.timeouts)
        try connection.welcome()
        var requests = ByteBuffer()
        for id in [2, 3] as [UInt32] { Envelope(requestID: id, message: .ping(Ping(nonce: 7))).encode(into: &requests) }
        try connection.channel.writeInbound(requests)
        #expect(try connection.channel.readInbound(as: Frame.self)?.requestID == 2)
        #expect(try connection.channel.readInbound(as: Frame.self)?.requestID == 3)
        let closing = ServerClosing(retryAfterSeconds: 5, message: "restarting")
        connection.channel.pipeline.triggerUserOutboundEvent(ConnectionHandler.Drain(closing: closing), promise: nil)
        var late = ByteBuffer()
        Envelope(requestID: 4, message: .ping(Ping(nonce: 8))).encode(into: &late)
        try connection.channel.writeInbound(late)
        #expect(try connection.channel.readInbound(as: Frame.self) == nil, "a request after the drain began is not taken")
        try connection.channel.writeOutbound(Envelope(requestID: 2, message: .pong(Pong(nonce: 7))))
        #expect(try connection.written()?.requestID == 2)
        #expect(try connection.written() == nil && connection.channel.isActive, "one answer still owed")
        try connection.channel.writeOutbound(Envelope(requestID: 0, message: .notification(NotificationPush(
            notificationID: 1, ticketID: 1, kind: .answered, actorName: "Mirna", at: 0, text: "Fixed"))))
        #expect(try connection.written()?.requestID == 0, "pushes still flow while draining")
        try connection.channel.writeOutbound(Envelope(requestID: 3, message: .pong(Pong(nonce: 7))))
        #expect(try connection.written()?.requestID == 3)
        #expect(try connection.written() == Envelope(requestID: 0, message: .serverClosing(closing)))
        #expect(!connection.channel.isActive)
    }

    @Test func anIdleConnectionIsToldAtOnce() throws {
        let connection = try Pipeline(Self.timeouts)
        try connection.welcome()
        let closing = ServerClosing(retryAfterSeconds: 0, message: "moving to another node")
        connection.channel.pipeline.triggerUserOutboundEvent(ConnectionHandler.Drain(closing: closing), promise: nil)
        #expect(try connection.written() == Envelope(requestID: 0, message: .serverClosing(closing)))
        #expect(!connection.channel.isActive)
    }
}

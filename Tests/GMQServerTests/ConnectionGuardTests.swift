import GMQProtocol
import NIOCore
import NIOEmbedded
import Testing

@testable import GMQServer

/// PROTOCOL.md §4's three timeouts, decided at given instants: no test here waits for one.
@Suite struct ConnectionDeadlinesTests {
    static let timeouts = ConnectionTimeouts(handshake: .seconds(10), idle: .seconds(300), frame: .seconds(30))
    static let start = NIODeadline.uptimeNanoseconds(1_000_000_000_000)

    static func at(_ seconds: Int64) -> NIODeadline { Self.start + .seconds(seconds) }

    @Test func aConnectionWithoutWelcomeExpiresAtTheHandshakeDeadline() {
        let deadlines = ConnectionDeadlines(timeouts: Self.timeouts, connectedAt: Self.start)
        #expect(deadlines.next == Self.at(10))
        #expect(deadlines.expired(at: Self.at(9)) == nil)
        #expect(deadlines.expired(at: Self.at(10)) == "no HELLO within 10 s of connecting")
    }

    @Test func framesBeforeWelcomeDoNotExtendTheHandshake() {
        var deadlines = ConnectionDeadlines(timeouts: Self.timeouts, connectedAt: Self.start)
        deadlines.lastFrameAt = Self.at(9)
        #expect(deadlines.next == Self.at(10))
        #expect(deadlines.expired(at: Self.at(10))?.contains("HELLO") == true)
    }

    @Test func anOpenSessionExpiresAnIdleTimeoutAfterItsLastFrame() {
        var deadlines = ConnectionDeadlines(timeouts: Self.timeouts, connectedAt: Self.start)
        deadlines.open = true
        deadlines.lastFrameAt = Self.at(100)
        #expect(deadlines.next == Self.at(400))
        #expect(deadlines.expired(at: Self.at(399)) == nil, "the handshake deadline no longer applies")
        #expect(deadlines.expired(at: Self.at(400)) == "no request for 300 s; send PING to keep a quiet session")
    }

    @Test func aPartialFrameExpiresBeforeTheSessionDoes() {
        var deadlines = ConnectionDeadlines(timeouts: Self.timeouts, connectedAt: Self.start)
        deadlines.open = true
        deadlines.lastFrameAt = Self.at(5)
        deadlines.partialSince = Self.at(6)
        #expect(deadlines.next == Self.at(36))
        #expect(deadlines.expired(at: Self.at(35)) == nil)
        #expect(deadlines.expired(at: Self.at(36)) == "a frame took longer than 30 s to arrive")
        deadlines.partialSince = nil
        #expect(deadlines.next == Self.at(305), "a completed frame leaves only the idle deadline")
    }

    @Test func aPartialHelloStillHasTheHandshakeDeadlineIfThatComesFirst() {
        var deadlines = ConnectionDeadlines(timeouts: Self.timeouts, connectedAt: Self.start)
        deadlines.partialSince = Self.at(8)
        #expect(deadlines.next == Self.at(10))
        #expect(deadlines.expired(at: Self.at(10))?.contains("HELLO") == true)
    }

    @Test func subSecondTimeoutsAreNamedInMilliseconds() {
        let short = ConnectionTimeouts(handshake: .milliseconds(1500), idle: .milliseconds(600), frame: .milliseconds(300))
        var deadlines = ConnectionDeadlines(timeouts: short, connectedAt: Self.start)
        #expect(deadlines.expired(at: Self.start + .milliseconds(1500)) == "no HELLO within 1500 ms of connecting")
        deadlines.open = true
        deadlines.partialSince = Self.start
        #expect(deadlines.expired(at: Self.start + .milliseconds(300)) == "a frame took longer than 300 ms to arrive")
    }
}

/// The watchers as gmqd wires them, on an `EmbeddedEventLoop` whose time the test advances: the check that the
/// guard schedules must follow a deadline that moves earlier (WELCOME, a frame that starts arriving).
@Suite struct ConnectionGuardTests {
    struct Pipeline {
        let loop = EmbeddedEventLoop()
        let channel: EmbeddedChannel

        init(_ timeouts: ConnectionTimeouts) throws {
            self.channel = EmbeddedChannel(loop: self.loop)
            let clock = ConnectionClock(timeouts: timeouts, connectedAt: self.loop.now)
            let pipeline = self.channel.pipeline.syncOperations
            try pipeline.addHandler(ByteWatcher(clock: clock))
            try pipeline.addHandler(ByteToMessageHandler(FrameDecoder()))
            try pipeline.addHandler(MessageToByteHandler(EnvelopeEncoder()))
            try pipeline.addHandler(ConnectionGuard(clock: clock))
            try self.channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        }

        func welcome() throws {
            let welcome = Welcome(role: .player, principalID: 1, displayName: "Thrall", pendingNotifications: 0)
            try self.channel.writeOutbound(Envelope(requestID: 1, message: .welcome(welcome)))
            _ = try self.channel.readOutbound(as: ByteBuffer.self)
        }

        func send(_ bytes: [UInt8]) throws { try self.channel.writeInbound(ByteBuffer(bytes: bytes)) }

        func ping() throws {
            var bytes = ByteBuffer()
            Envelope(requestID: 2, message: .ping(Ping(nonce: 7))).encode(into: &bytes)
            try self.channel.writeInbound(bytes)
            _ = try self.channel.readInbound(as: Frame.self)
        }

        /// The timeout ERROR the guard wrote, if it did, and whether the channel is closed since.
        func timeout() throws -> (message: String, closed: Bool)? {
            guard var bytes = try self.channel.readOutbound(as: ByteBuffer.self) else { return nil }
            var decoder = FrameDecoder()
            guard case .error(let error)? = try decoder.decode(buffer: &bytes)?.message(), error.code == .timeout else {
                return nil
            }
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
}

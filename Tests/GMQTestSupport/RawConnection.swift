import GMQProtocol
import NIOCore
import NIOPosix
import Synchronization

/// A socket that sends arbitrary bytes and reads back whatever frames the server answers: for malformed input.
public final class RawConnection: Sendable {
    private let channel: any Channel
    private let frames: AsyncStream<Frame>

    /// Connects to `port`. With `reading` false the socket is not read until `startReading()`: a slow reader.
    public static func connect(port: Int, reading: Bool = true) async throws -> RawConnection {
        let (frames, continuation) = AsyncStream<Frame>.makeStream()
        var bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).channelOption(.autoRead, value: reading)
        if !reading {
            // A slow reader gets small socket buffers, so that back-pressure shows within kilobytes.
            bootstrap = bootstrap.channelOption(.socketOption(.so_rcvbuf), value: 4096)
                .channelOption(.socketOption(.so_sndbuf), value: 4096)
        }
        let channel = try await bootstrap
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(FrameDecoder()))
                    try channel.pipeline.syncOperations.addHandler(Collector(continuation: continuation))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return RawConnection(channel: channel, frames: frames)
    }

    private init(channel: any Channel, frames: AsyncStream<Frame>) {
        self.channel = channel
        self.frames = frames
    }

    public func write(_ bytes: [UInt8]) async throws {
        try await self.channel.writeAndFlush(ByteBuffer(bytes: bytes))
    }

    /// Writes `bytes` one per write and flush, `gap` apart, paced on the channel's event loop: how slowly they go out
    /// does not depend on how busy the test process's task pool is (awaiting each byte from a task took up to 150 ms
    /// a byte in the full suite, near the server's 30 s frame deadline). Returns when the last byte is written.
    public func writeBytewise(_ bytes: [UInt8], gap: TimeAmount = .milliseconds(1)) async throws {
        let channel = self.channel
        let loop = channel.eventLoop
        let done = loop.makePromise(of: Void.self)
        @Sendable func send(_ index: Int) {
            guard index < bytes.count else { return done.succeed() }
            channel.writeAndFlush(ByteBuffer(bytes: [bytes[index]])).whenComplete { result in
                switch result {
                case .failure(let error): done.fail(error)
                case .success: loop.scheduleTask(in: gap) { send(index + 1) }
                }
            }
        }
        loop.execute { send(0) }
        try await done.futureResult.get()
    }

    public func write(_ envelope: Envelope) async throws {
        var buffer = ByteBuffer()
        envelope.encode(into: &buffer)
        try await self.channel.writeAndFlush(buffer)
    }

    /// Starts reading a connection opened with `reading: false`.
    public func startReading() async throws {
        try await self.channel.setOption(.autoRead, value: true).get()
        self.channel.read()
    }

    /// Whether the socket accepts more bytes now; false once the peer stopped reading and buffers are full.
    public var isWritable: Bool { self.channel.isWritable }

    /// Writes without waiting for the write to complete: for filling buffers.
    public func send(_ envelope: Envelope) {
        var buffer = self.channel.allocator.buffer(capacity: 64)
        envelope.encode(into: &buffer)
        self.channel.writeAndFlush(buffer, promise: nil)
    }

    /// Writes bytes without waiting for the write to complete: for filling buffers.
    public func send(_ bytes: ByteBuffer) {
        self.channel.writeAndFlush(bytes, promise: nil)
    }

    /// Every frame the server sends until it closes the connection.
    public var received: AsyncStream<Frame> { self.frames }

    /// Whether the server has closed the connection.
    public var isClosed: Bool { !self.channel.isActive }

    public func close() async {
        try? await self.channel.close()
    }

    private final class Collector: ChannelInboundHandler {
        typealias InboundIn = Frame
        let continuation: AsyncStream<Frame>.Continuation
        init(continuation: AsyncStream<Frame>.Continuation) { self.continuation = continuation }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            self.continuation.yield(self.unwrapInboundIn(data))
        }
        func channelInactive(context: ChannelHandlerContext) {
            self.continuation.finish()
        }
        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}

import GMQProtocol
import NIOCore
import NIOPosix
import Synchronization

/// A socket that sends arbitrary bytes and reads back whatever frames the server answers: for malformed input.
public final class RawConnection: Sendable {
    private let channel: any Channel
    private let frames: AsyncStream<Frame>

    public static func connect(port: Int) async throws -> RawConnection {
        let (frames, continuation) = AsyncStream<Frame>.makeStream()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
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

    public func write(_ envelope: Envelope) async throws {
        var buffer = ByteBuffer()
        envelope.encode(into: &buffer)
        try await self.channel.writeAndFlush(buffer)
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

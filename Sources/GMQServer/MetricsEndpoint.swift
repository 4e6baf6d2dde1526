import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import Synchronization

/// The operator's HTTP port: `GET /metrics` answers the Prometheus text exposition of `body()` (issue 11 §5).
/// One route does not need a web framework: a NIOHTTP1 handler is a few dozen lines and no extra dependency,
/// where Hummingbird would add its router, its request and response types and minutes of build time.
/// Bound to loopback unless the operator says otherwise; anything else than `GET /metrics` is answered 404 or
/// 405.
public final class MetricsEndpoint: Service, Sendable {
    private let host: String
    private let port: Int
    private let body: @Sendable () -> [UInt8]
    private let logger: Logger
    private let group: any EventLoopGroup
    private let channel = Mutex<(any Channel)?>(nil)

    public init(
        host: String = "127.0.0.1", port: Int, logger: Logger,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        body: @escaping @Sendable () -> [UInt8]
    ) {
        self.host = host
        self.port = port
        self.body = body
        self.logger = logger
        self.group = eventLoopGroup
    }

    /// Binds and returns the port (0 picks a free one). `run()` binds on its own when this was not called.
    @discardableResult
    public func bind() async throws -> Int {
        if let channel = self.channel.withLock({ $0 }) { return channel.localAddress?.port ?? 0 }
        let body = self.body
        let channel = try await ServerBootstrap(group: self.group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(MetricsHandler(body: body))
                }
            }
            .bind(host: self.host, port: self.port).get()
        self.channel.withLock { $0 = channel }
        return channel.localAddress?.port ?? 0
    }

    public func run() async throws {
        let port = try await self.bind()
        self.logger.info("metrics served", metadata: ["metrics.address": "\(self.host):\(port)"])
        guard let channel = self.channel.withLock({ $0 }) else { return }
        try? await gracefulShutdown()
        try? await channel.close()
    }
}

/// Answers one HTTP/1.1 request at a time: the exposition for `GET /metrics`, a short refusal otherwise.
private final class MetricsHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let body: @Sendable () -> [UInt8]
    private var head: HTTPRequestHead?

    init(body: @escaping @Sendable () -> [UInt8]) { self.body = body }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
        case .body:
            break
        case .end:
            guard let head = self.head else { return }
            self.head = nil
            let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
            switch (head.method, path) {
            case (.GET, "/metrics"):
                self.respond(
                    .ok, "text/plain; version=0.0.4; charset=utf-8", self.body(), keepAlive: head.isKeepAlive,
                    context: context)
            case (_, "/metrics"):
                self.respond(
                    .methodNotAllowed, "text/plain", Array("only GET /metrics is served here\n".utf8),
                    keepAlive: head.isKeepAlive, context: context)
            default:
                self.respond(
                    .notFound, "text/plain", Array("gmqd serves its metrics at GET /metrics\n".utf8),
                    keepAlive: head.isKeepAlive, context: context)
            }
        }
    }

    private func respond(
        _ status: HTTPResponseStatus, _ type: String, _ bytes: [UInt8], keepAlive: Bool, context: ChannelHandlerContext
    ) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: type)
        headers.add(name: "Content-Length", value: String(bytes.count))
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(self.wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(self.wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: bytes)))), promise: nil)
        let done = context.writeAndFlush(self.wrapOutboundOut(.end(nil)))
        if !keepAlive { done.whenComplete { [channel = context.channel] _ in channel.close(promise: nil) } }
    }
}

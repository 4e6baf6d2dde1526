import NIOCore

/// OK: the empty success response to a request that has nothing to return (PROTOCOL.md §5.3).
public struct Ok: WireMessage {
    public static let messageType = MessageType.ok
    public init() {}
    public func encode(into buffer: inout ByteBuffer) {}
    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self { Self() }
}

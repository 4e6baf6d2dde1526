import NIOCore

/// PING: keeps a quiet session alive and measures round trips (PROTOCOL.md §5.13). Answered by PONG with the same
/// nonce. Allowed before HELLO.
public struct Ping: WireMessage {
    public static let messageType = MessageType.ping
    /// Any value; PONG echoes it.
    public var nonce: UInt64
    public init(nonce: UInt64) { self.nonce = nonce }
    public func encode(into buffer: inout ByteBuffer) { buffer.writeInteger(self.nonce, endianness: .big) }
    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(nonce: try buffer.readWire(UInt64.self, field: "nonce"))
    }
}

/// PONG: the answer to PING.
public struct Pong: WireMessage {
    public static let messageType = MessageType.pong
    public var nonce: UInt64
    public init(nonce: UInt64) { self.nonce = nonce }
    public func encode(into buffer: inout ByteBuffer) { buffer.writeInteger(self.nonce, endianness: .big) }
    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(nonce: try buffer.readWire(UInt64.self, field: "nonce"))
    }
}

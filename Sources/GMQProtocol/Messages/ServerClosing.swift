import NIOCore

/// SERVER_CLOSING: the server's last frame on a connection it closes to shut down (PROTOCOL.md §1.2, §5.20), always
/// on request id 0, sent after the answer to every request it took. A request the client sent that has no answer
/// by then was not processed: the client sends it again after reconnecting, to this server or another node.
public struct ServerClosing: WireMessage {
    public static let messageType = MessageType.serverClosing
    /// Seconds to wait before reconnecting; 0: at once (other nodes serve the same store).
    public var retryAfterSeconds: UInt16
    /// A sentence for the operator's and the player's eyes.
    public var message: String

    public init(retryAfterSeconds: UInt16, message: String) {
        self.retryAfterSeconds = retryAfterSeconds
        self.message = message
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.retryAfterSeconds, endianness: .big)
        buffer.writeWireString(self.message)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            retryAfterSeconds: try buffer.readWire(UInt16.self, field: "retry_after_seconds"),
            message: try buffer.readWireString(field: "message", maximumBytes: ProtocolLimits.maximumTextBytes))
    }
}

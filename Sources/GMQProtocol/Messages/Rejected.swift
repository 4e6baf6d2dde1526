import NIOCore

/// REJECTED: the text does not describe a problem a GM can act on (PROTOCOL.md §5.6). Nothing was stored.
public struct Rejected: WireMessage {
    public static let messageType = MessageType.rejected
    /// A stable snake_case code such as `too_short` or `contact_only` (PROTOCOL.md §7).
    public var reason: String
    /// A sentence in the player's locale telling them what to write; the client shows it as is.
    public var hint: String

    public init(reason: String, hint: String) {
        self.reason = reason
        self.hint = hint
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(self.reason)
        buffer.writeWireString(self.hint)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            reason: try buffer.readWireString(field: "reason", maximumBytes: ProtocolLimits.maximumNameBytes),
            hint: try buffer.readWireString(field: "hint", maximumBytes: ProtocolLimits.maximumTextBytes)
        )
    }
}

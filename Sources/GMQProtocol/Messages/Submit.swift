import NIOCore

/// SUBMIT: a player opens a request (PROTOCOL.md §5.5). Answered by ACCEPTED, REJECTED or ERROR.
public struct Submit: WireMessage {
    public static let messageType = MessageType.submit
    public var category: String
    public var text: String
    public var context: GameContext

    public init(category: String, text: String, context: GameContext = GameContext()) {
        self.category = category
        self.text = text
        self.context = context
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(self.category)
        buffer.writeWireString(self.text)
        self.context.encode(into: &buffer)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            category: try buffer.readWireString(field: "category", maximumBytes: ProtocolLimits.maximumNameBytes),
            text: try buffer.readWireString(field: "text", maximumBytes: ProtocolLimits.maximumTextBytes),
            context: try GameContext.decode(from: &buffer)
        )
    }
}

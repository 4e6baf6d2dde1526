import NIOCore

/// ACCEPTED: the request is stored durably and queued (PROTOCOL.md §5.6).
public struct Accepted: WireMessage {
    public static let messageType = MessageType.accepted
    public var ticketID: UInt64
    /// 1-based position among the open tickets of its category; 0 when the ticket is not waiting in the queue.
    public var queuePosition: UInt32
    /// The text repeated one of the player's open tickets and was added to it instead of opening a new one.
    public var merged: Bool
    /// Advice to show the player, in their language (e.g. add the order number); empty when there is none.
    public var hint: String
    /// Expected seconds until a GM first responds, from recent first responses in the category; 0 when unknown.
    public var estimatedWaitSeconds: UInt32

    public init(ticketID: UInt64, queuePosition: UInt32, merged: Bool = false, hint: String = "", estimatedWaitSeconds: UInt32 = 0) {
        self.ticketID = ticketID
        self.queuePosition = queuePosition
        self.merged = merged
        self.hint = hint
        self.estimatedWaitSeconds = estimatedWaitSeconds
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.ticketID, endianness: .big)
        buffer.writeInteger(self.queuePosition, endianness: .big)
        buffer.writeInteger(self.merged ? 1 : 0 as UInt8)
        buffer.writeWireString(self.hint)
        buffer.writeInteger(self.estimatedWaitSeconds, endianness: .big)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        let ticketID = try buffer.readWire(UInt64.self, field: "ticket_id")
        let position = try buffer.readWire(UInt32.self, field: "queue_position")
        let merged = try buffer.readWire(UInt8.self, field: "merged")
        guard merged <= 1 else { throw .invalidValue(field: "merged", value: UInt64(merged)) }
        return Self(
            ticketID: ticketID, queuePosition: position, merged: merged == 1,
            hint: try buffer.readWireString(field: "hint", maximumBytes: ProtocolLimits.maximumTextBytes),
            estimatedWaitSeconds: try buffer.readWire(UInt32.self, field: "estimated_wait"))
    }
}

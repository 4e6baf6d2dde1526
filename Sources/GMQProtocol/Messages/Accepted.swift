import NIOCore

/// ACCEPTED: the request is stored durably and queued (PROTOCOL.md §5.6).
public struct Accepted: WireMessage {
    public static let messageType = MessageType.accepted
    public var ticketID: UInt64
    /// 1-based position among the open tickets of its category.
    public var queuePosition: UInt32

    public init(ticketID: UInt64, queuePosition: UInt32) {
        self.ticketID = ticketID
        self.queuePosition = queuePosition
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.ticketID, endianness: .big)
        buffer.writeInteger(self.queuePosition, endianness: .big)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            ticketID: try buffer.readWire(UInt64.self, field: "ticket_id"),
            queuePosition: try buffer.readWire(UInt32.self, field: "queue_position")
        )
    }
}

import NIOCore

/// GET_TICKET: a player reads one of their tickets, or staff read any (PROTOCOL.md §5.8). Answered by TICKET.
public struct GetTicket: WireMessage {
    public static let messageType = MessageType.getTicket
    public var ticketID: UInt64
    public init(ticketID: UInt64) { self.ticketID = ticketID }
    public func encode(into buffer: inout ByteBuffer) { buffer.writeInteger(self.ticketID, endianness: .big) }
    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(ticketID: try buffer.readWire(UInt64.self, field: "ticket_id"))
    }
}

/// UNCLAIM: the claiming GM (or an admin) puts the ticket back in the queue (PROTOCOL.md §5.10).
public struct Unclaim: WireMessage {
    public static let messageType = MessageType.unclaim
    public var ticketID: UInt64
    public init(ticketID: UInt64) { self.ticketID = ticketID }
    public func encode(into buffer: inout ByteBuffer) { buffer.writeInteger(self.ticketID, endianness: .big) }
    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(ticketID: try buffer.readWire(UInt64.self, field: "ticket_id"))
    }
}

/// NOTIFICATION_ACK: the client has shown a notification; it is not delivered again (PROTOCOL.md §5.12).
public struct NotificationAck: WireMessage {
    public static let messageType = MessageType.notificationAck
    public var notificationID: UInt64
    public init(notificationID: UInt64) { self.notificationID = notificationID }
    public func encode(into buffer: inout ByteBuffer) { buffer.writeInteger(self.notificationID, endianness: .big) }
    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(notificationID: try buffer.readWire(UInt64.self, field: "notification_id"))
    }
}

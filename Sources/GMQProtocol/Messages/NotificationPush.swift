import NIOCore

/// NOTIFICATION: a server push on request id 0 telling a player what happened to their ticket (PROTOCOL.md §5.12).
/// The client answers with NOTIFICATION_ACK; until then it is delivered again after every WELCOME.
public struct NotificationPush: WireMessage {
    public static let messageType = MessageType.notification
    public var notificationID: UInt64
    public var ticketID: UInt64
    public var kind: HistoryKind
    public var actorName: String
    /// Milliseconds since the Unix epoch, UTC.
    public var at: Int64
    public var text: String

    public init(notificationID: UInt64, ticketID: UInt64, kind: HistoryKind, actorName: String, at: Int64, text: String) {
        self.notificationID = notificationID
        self.ticketID = ticketID
        self.kind = kind
        self.actorName = actorName
        self.at = at
        self.text = text
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.notificationID, endianness: .big)
        buffer.writeInteger(self.ticketID, endianness: .big)
        buffer.writeInteger(self.kind.rawValue)
        buffer.writeWireString(self.actorName)
        buffer.writeInteger(self.at, endianness: .big)
        buffer.writeWireString(self.text)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            notificationID: try buffer.readWire(UInt64.self, field: "notification_id"),
            ticketID: try buffer.readWire(UInt64.self, field: "ticket_id"),
            kind: try buffer.readWireEnum(HistoryKind.self, field: "kind"),
            actorName: try buffer.readWireString(field: "actor_name", maximumBytes: ProtocolLimits.maximumNameBytes),
            at: try buffer.readWire(Int64.self, field: "at"),
            text: try buffer.readWireString(field: "text", maximumBytes: ProtocolLimits.maximumTextBytes)
        )
    }
}

import NIOCore

/// One event of a ticket's append-only history (PROTOCOL.md §5.4).
public struct HistoryEntry: WireValue {
    /// 1-based position in the ticket's history.
    public var sequence: UInt32
    public var kind: HistoryKind
    public var actorRole: SessionRole
    public var actorName: String
    /// Milliseconds since the Unix epoch, UTC.
    public var at: Int64
    public var text: String

    public init(sequence: UInt32, kind: HistoryKind, actorRole: SessionRole, actorName: String, at: Int64, text: String) {
        self.sequence = sequence
        self.kind = kind
        self.actorRole = actorRole
        self.actorName = actorName
        self.at = at
        self.text = text
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.sequence, endianness: .big)
        buffer.writeInteger(self.kind.rawValue)
        buffer.writeInteger(self.actorRole.rawValue)
        buffer.writeWireString(self.actorName)
        buffer.writeInteger(self.at, endianness: .big)
        buffer.writeWireString(self.text)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            sequence: try buffer.readWire(UInt32.self, field: "sequence"),
            kind: try buffer.readWireEnum(HistoryKind.self, field: "kind"),
            actorRole: try buffer.readWireEnum(SessionRole.self, field: "actor_role"),
            actorName: try buffer.readWireString(field: "actor_name", maximumBytes: ProtocolLimits.maximumNameBytes),
            at: try buffer.readWire(Int64.self, field: "at"),
            text: try buffer.readWireString(field: "text", maximumBytes: ProtocolLimits.maximumTextBytes)
        )
    }
}

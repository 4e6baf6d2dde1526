import NIOCore

/// One line of a ticket list (PROTOCOL.md §5.4).
public struct TicketSummary: WireValue {
    public var id: UInt64
    public var category: String
    public var status: TicketStatus
    public var playerID: UInt64
    public var playerName: String
    /// The claiming GM's name; empty while nobody holds the ticket.
    public var assignee: String
    /// Milliseconds since the Unix epoch, UTC.
    public var createdAt: Int64
    public var updatedAt: Int64
    /// The start of the request text, at most `ProtocolLimits.maximumPreviewBytes`, cut at a character boundary.
    public var preview: String

    public init(
        id: UInt64, category: String, status: TicketStatus, playerID: UInt64, playerName: String, assignee: String,
        createdAt: Int64, updatedAt: Int64, preview: String
    ) {
        self.id = id
        self.category = category
        self.status = status
        self.playerID = playerID
        self.playerName = playerName
        self.assignee = assignee
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.preview = preview
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.id, endianness: .big)
        buffer.writeWireString(self.category)
        buffer.writeInteger(self.status.rawValue)
        buffer.writeInteger(self.playerID, endianness: .big)
        buffer.writeWireString(self.playerName)
        buffer.writeWireString(self.assignee)
        buffer.writeInteger(self.createdAt, endianness: .big)
        buffer.writeInteger(self.updatedAt, endianness: .big)
        buffer.writeWireString(self.preview)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        let name = ProtocolLimits.maximumNameBytes
        return Self(
            id: try buffer.readWire(UInt64.self, field: "id"),
            category: try buffer.readWireString(field: "category", maximumBytes: name),
            status: try buffer.readWireEnum(TicketStatus.self, field: "status"),
            playerID: try buffer.readWire(UInt64.self, field: "player_id"),
            playerName: try buffer.readWireString(field: "player_name", maximumBytes: name),
            assignee: try buffer.readWireString(field: "assignee", maximumBytes: name),
            createdAt: try buffer.readWire(Int64.self, field: "created_at"),
            updatedAt: try buffer.readWire(Int64.self, field: "updated_at"),
            preview: try buffer.readWireString(field: "preview", maximumBytes: ProtocolLimits.maximumPreviewBytes)
        )
    }

    /// Cuts `text` to at most `maximumPreviewBytes` of UTF-8 without splitting a character.
    public static func preview(of text: String) -> String {
        guard text.utf8.count > ProtocolLimits.maximumPreviewBytes else { return text }
        var result = ""
        var bytes = 0
        for character in text {
            let size = character.utf8.count
            if bytes + size > ProtocolLimits.maximumPreviewBytes { break }
            result.append(character)
            bytes += size
        }
        return result
    }
}

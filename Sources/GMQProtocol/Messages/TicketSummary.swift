import NIOCore

/// One line of a ticket list (PROTOCOL.md §5.4).
public struct TicketSummary: WireValue {
    public var id: UInt64
    public var category: String
    public var status: TicketStatus
    public var playerID: UInt64
    public var playerName: String
    /// The GM holding the ticket, or for a closed ticket the GM who closed it; empty otherwise.
    public var assignee: String
    /// Milliseconds since the Unix epoch, UTC.
    public var createdAt: Int64
    public var updatedAt: Int64
    /// The start of the request text, at most `ProtocolLimits.maximumPreviewBytes`, cut at a character boundary.
    public var preview: String
    /// 0 normal; higher is worked first.
    public var priority: UInt8
    /// The next service deadline (ms since the epoch); 0 for a closed ticket.
    public var dueAt: Int64
    /// A service deadline passed (for a closed ticket: by its close).
    public var overdue: Bool
    /// The player's rating after the latest close, 1–5; 0 for none.
    public var rating: UInt8
    public var reopenCount: UInt16
    /// When it was closed (ms); 0 while it is not.
    public var closedAt: Int64
    /// 1-based place in its category's queue while open; 0 otherwise.
    public var queuePosition: UInt32
    /// Expected seconds until a GM first responds, from recent first responses in the category; 0 when unknown or
    /// no longer waiting for one.
    public var estimatedWaitSeconds: UInt32

    public init(
        id: UInt64, category: String, status: TicketStatus, playerID: UInt64, playerName: String, assignee: String,
        createdAt: Int64, updatedAt: Int64, preview: String, priority: UInt8 = 0, dueAt: Int64 = 0,
        overdue: Bool = false, rating: UInt8 = 0, reopenCount: UInt16 = 0, closedAt: Int64 = 0,
        queuePosition: UInt32 = 0, estimatedWaitSeconds: UInt32 = 0
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
        self.priority = priority
        self.dueAt = dueAt
        self.overdue = overdue
        self.rating = rating
        self.reopenCount = reopenCount
        self.closedAt = closedAt
        self.queuePosition = queuePosition
        self.estimatedWaitSeconds = estimatedWaitSeconds
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
        buffer.writeInteger(self.priority)
        buffer.writeInteger(self.dueAt, endianness: .big)
        buffer.writeInteger(self.overdue ? 1 : 0 as UInt8)
        buffer.writeInteger(self.rating)
        buffer.writeInteger(self.reopenCount, endianness: .big)
        buffer.writeInteger(self.closedAt, endianness: .big)
        buffer.writeInteger(self.queuePosition, endianness: .big)
        buffer.writeInteger(self.estimatedWaitSeconds, endianness: .big)
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
            preview: try buffer.readWireString(field: "preview", maximumBytes: ProtocolLimits.maximumPreviewBytes),
            priority: try buffer.readWire(UInt8.self, field: "priority"),
            dueAt: try buffer.readWire(Int64.self, field: "due_at"),
            overdue: try buffer.readWireBool(field: "overdue"),
            rating: try Self.rating(try buffer.readWire(UInt8.self, field: "rating")),
            reopenCount: try buffer.readWire(UInt16.self, field: "reopen_count"),
            closedAt: try buffer.readWire(Int64.self, field: "closed_at"),
            queuePosition: try buffer.readWire(UInt32.self, field: "queue_position"),
            estimatedWaitSeconds: try buffer.readWire(UInt32.self, field: "estimated_wait")
        )
    }

    private static func rating(_ value: UInt8) throws(WireDecodingError) -> UInt8 {
        guard value <= 5 else { throw .invalidValue(field: "rating", value: UInt64(value)) }
        return value
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

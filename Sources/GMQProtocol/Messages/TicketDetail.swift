import NIOCore

/// TICKET: one ticket with its full text, game context and history (PROTOCOL.md §5.8).
/// Players never receive internal notes; staff receive every event.
public struct TicketDetail: WireMessage {
    public static let messageType = MessageType.ticket
    public var summary: TicketSummary
    public var text: String
    public var context: GameContext
    /// Empty until the ticket is closed.
    public var resolution: String
    public var history: [HistoryEntry]

    public init(summary: TicketSummary, text: String, context: GameContext, resolution: String, history: [HistoryEntry]) {
        self.summary = summary
        self.text = text
        self.context = context
        self.resolution = resolution
        self.history = history
    }

    public func encode(into buffer: inout ByteBuffer) {
        self.summary.encode(into: &buffer)
        buffer.writeWireString(self.text)
        self.context.encode(into: &buffer)
        buffer.writeWireString(self.resolution)
        buffer.writeWireList(self.history) { $0.encode(into: &$1) }
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            summary: try TicketSummary.decode(from: &buffer),
            text: try buffer.readWireString(field: "text", maximumBytes: ProtocolLimits.maximumTextBytes),
            context: try GameContext.decode(from: &buffer),
            resolution: try buffer.readWireString(field: "resolution", maximumBytes: ProtocolLimits.maximumNameBytes),
            history: try buffer.readWireList(field: "history") { buffer throws(WireDecodingError) in
                try HistoryEntry.decode(from: &buffer)
            }
        )
    }
}

/// TICKET_UPDATED: the response to PLAYER_REPLY and to every staff action: the ticket as it now is.
public struct TicketUpdated: WireMessage {
    public static let messageType = MessageType.ticketUpdated
    public var summary: TicketSummary
    public init(summary: TicketSummary) { self.summary = summary }
    public func encode(into buffer: inout ByteBuffer) { self.summary.encode(into: &buffer) }
    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(summary: try TicketSummary.decode(from: &buffer))
    }
}

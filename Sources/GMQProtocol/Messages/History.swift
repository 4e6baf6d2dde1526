import NIOCore

/// HISTORY: one page of a ticket's history, for a ticket too long for TICKET to carry whole (PROTOCOL.md §5.8).
/// Players page through what they may see (no internal notes), staff through every event. Answered by
/// HISTORY_PAGE.
public struct History: WireMessage {
    public static let messageType = MessageType.history
    public var ticketID: UInt64
    /// Entries with a sequence number above this one; 0 from the start.
    public var afterSequence: UInt32
    /// At most this many entries; 0 for the default of 100 (`ProtocolLimits.defaultHistoryPage`).
    public var limit: UInt16

    public init(ticketID: UInt64, afterSequence: UInt32 = 0, limit: UInt16 = 0) {
        self.ticketID = ticketID
        self.afterSequence = afterSequence
        self.limit = limit
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.ticketID, endianness: .big)
        buffer.writeInteger(self.afterSequence, endianness: .big)
        buffer.writeInteger(self.limit, endianness: .big)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            ticketID: try buffer.readWire(UInt64.self, field: "ticket_id"),
            afterSequence: try buffer.readWire(UInt32.self, field: "after_sequence"),
            limit: try buffer.readWire(UInt16.self, field: "limit"))
    }
}

/// HISTORY_PAGE: entries of a ticket's history in order, how many the requester may see in all, and where the
/// next page starts (0: this page ends the history).
public struct HistoryPageMessage: WireMessage {
    public static let messageType = MessageType.historyPage
    public var ticketID: UInt64
    /// Entries the requester may see in the whole history (for a player: all but internal notes).
    public var total: UInt32
    public var entries: [HistoryEntry]
    /// `after_sequence` for the next page; 0 when no entry follows this page.
    public var nextAfter: UInt32

    public init(ticketID: UInt64, total: UInt32, entries: [HistoryEntry], nextAfter: UInt32) {
        self.ticketID = ticketID
        self.total = total
        self.entries = entries
        self.nextAfter = nextAfter
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.ticketID, endianness: .big)
        buffer.writeInteger(self.total, endianness: .big)
        buffer.writeWireList(self.entries) { $0.encode(into: &$1) }
        buffer.writeInteger(self.nextAfter, endianness: .big)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            ticketID: try buffer.readWire(UInt64.self, field: "ticket_id"),
            total: try buffer.readWire(UInt32.self, field: "total"),
            entries: try buffer.readWireList(field: "entries") { buffer throws(WireDecodingError) in
                try HistoryEntry.decode(from: &buffer)
            },
            nextAfter: try buffer.readWire(UInt32.self, field: "next_after"))
    }
}

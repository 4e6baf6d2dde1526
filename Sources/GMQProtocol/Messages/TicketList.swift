import NIOCore

/// TICKET_LIST: the answer to MY_TICKETS and QUEUE (PROTOCOL.md §5.7).
public struct TicketList: WireMessage {
    public static let messageType = MessageType.ticketList
    public var tickets: [TicketSummary]

    public init(tickets: [TicketSummary]) { self.tickets = tickets }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireList(self.tickets) { $0.encode(into: &$1) }
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(tickets: try buffer.readWireList(field: "tickets") { buffer throws(WireDecodingError) in
            try TicketSummary.decode(from: &buffer)
        })
    }
}

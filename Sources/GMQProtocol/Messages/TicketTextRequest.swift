import NIOCore

/// The layout shared by requests that add a person's text to a ticket: `u64 ticket_id | str text`
/// (PROTOCOL.md §5.8 and §5.10). Each message type is its own Swift type so that a handler cannot mix them up.
public protocol TicketTextRequest: WireMessage {
    var ticketID: UInt64 { get }
    var text: String { get }
    init(ticketID: UInt64, text: String)
}

extension TicketTextRequest {
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.ticketID, endianness: .big)
        buffer.writeWireString(self.text)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            ticketID: try buffer.readWire(UInt64.self, field: "ticket_id"),
            text: try buffer.readWireString(field: "text", maximumBytes: ProtocolLimits.maximumTextBytes)
        )
    }
}

/// PLAYER_REPLY: the player adds to their ticket, usually after ASK. Answered by TICKET_UPDATED.
public struct PlayerReply: TicketTextRequest {
    public static let messageType = MessageType.playerReply
    public var ticketID: UInt64
    public var text: String
    public init(ticketID: UInt64, text: String) {
        self.ticketID = ticketID
        self.text = text
    }
}

/// ASK: the claiming GM asks the player for details; the ticket waits on the player.
public struct Ask: TicketTextRequest {
    public static let messageType = MessageType.ask
    public var ticketID: UInt64
    public var text: String
    public init(ticketID: UInt64, text: String) {
        self.ticketID = ticketID
        self.text = text
    }
}

/// ANSWER: the claiming GM answers the player; the ticket stays claimed.
public struct Answer: TicketTextRequest {
    public static let messageType = MessageType.answer
    public var ticketID: UInt64
    public var text: String
    public init(ticketID: UInt64, text: String) {
        self.ticketID = ticketID
        self.text = text
    }
}

/// NOTE: an internal note for staff; never sent to the player.
public struct Note: TicketTextRequest {
    public static let messageType = MessageType.note
    public var ticketID: UInt64
    public var text: String
    public init(ticketID: UInt64, text: String) {
        self.ticketID = ticketID
        self.text = text
    }
}

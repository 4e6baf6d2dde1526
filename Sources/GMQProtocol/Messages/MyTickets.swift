import NIOCore

/// MY_TICKETS: a player lists their own tickets, newest first (PROTOCOL.md §5.7). Answered by TICKET_LIST.
public struct MyTickets: WireMessage {
    public static let messageType = MessageType.myTickets
    public init() {}
    public func encode(into buffer: inout ByteBuffer) {}
    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self { Self() }
}

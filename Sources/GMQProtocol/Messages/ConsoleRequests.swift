import NIOCore

/// RATE: the player rates the help on a closed ticket, 1–5 stars and an optional comment (PROTOCOL.md §5.11).
/// Answered by TICKET_UPDATED.
public struct Rate: WireMessage {
    public static let messageType = MessageType.rate
    public var ticketID: UInt64
    public var stars: UInt8
    public var comment: String

    public init(ticketID: UInt64, stars: UInt8, comment: String = "") {
        self.ticketID = ticketID
        self.stars = stars
        self.comment = comment
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.ticketID, endianness: .big)
        buffer.writeInteger(self.stars)
        buffer.writeWireString(self.comment)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        let ticketID = try buffer.readWire(UInt64.self, field: "ticket_id")
        let stars = try buffer.readWire(UInt8.self, field: "stars")
        guard (1...5).contains(stars) else { throw .invalidValue(field: "stars", value: UInt64(stars)) }
        return Self(
            ticketID: ticketID, stars: stars,
            comment: try buffer.readWireString(field: "comment", maximumBytes: ProtocolLimits.maximumTextBytes))
    }
}

/// TRANSFER: move a ticket to another category's queue, unclaimed, with a reason (PROTOCOL.md §5.10).
/// Answered by TICKET_UPDATED.
public struct Transfer: WireMessage {
    public static let messageType = MessageType.transfer
    public var ticketID: UInt64
    public var category: String
    public var text: String

    public init(ticketID: UInt64, category: String, text: String = "") {
        self.ticketID = ticketID
        self.category = category
        self.text = text
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.ticketID, endianness: .big)
        buffer.writeWireString(self.category)
        buffer.writeWireString(self.text)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            ticketID: try buffer.readWire(UInt64.self, field: "ticket_id"),
            category: try buffer.readWireString(field: "category", maximumBytes: ProtocolLimits.maximumNameBytes),
            text: try buffer.readWireString(field: "text", maximumBytes: ProtocolLimits.maximumTextBytes))
    }
}

/// ESCALATE: hand a ticket to senior GMs (back in the queue, higher priority) or to the developers (closed as
/// `escalated_to_dev`) (PROTOCOL.md §5.10). Answered by TICKET_UPDATED.
public struct Escalate: WireMessage {
    public static let messageType = MessageType.escalate
    public var ticketID: UInt64
    public var target: EscalationTarget
    public var text: String

    public init(ticketID: UInt64, target: EscalationTarget, text: String = "") {
        self.ticketID = ticketID
        self.target = target
        self.text = text
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.ticketID, endianness: .big)
        buffer.writeInteger(self.target.rawValue)
        buffer.writeWireString(self.text)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            ticketID: try buffer.readWire(UInt64.self, field: "ticket_id"),
            target: try buffer.readWireEnum(EscalationTarget.self, field: "target"),
            text: try buffer.readWireString(field: "text", maximumBytes: ProtocolLimits.maximumTextBytes))
    }
}

/// WATCH: from now on, push QUEUE_CHANGED for every change in the categories this GM works (PROTOCOL.md §5.14).
/// Answered by OK.
public struct Watch: WireMessage {
    public static let messageType = MessageType.watch
    public init() {}
    public func encode(into buffer: inout ByteBuffer) {}
    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self { Self() }
}

/// QUEUE_CHANGED: pushed (request id 0) to watching staff when a ticket is opened or changes (PROTOCOL.md §5.14).
public struct QueueChanged: WireMessage {
    public static let messageType = MessageType.queueChanged
    /// What happened.
    public var kind: HistoryKind
    public var actorName: String
    /// The ticket after the change.
    public var ticket: TicketSummary

    public init(kind: HistoryKind, actorName: String, ticket: TicketSummary) {
        self.kind = kind
        self.actorName = actorName
        self.ticket = ticket
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.kind.rawValue)
        buffer.writeWireString(self.actorName)
        self.ticket.encode(into: &buffer)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            kind: try buffer.readWireEnum(HistoryKind.self, field: "kind"),
            actorName: try buffer.readWireString(field: "actor_name", maximumBytes: ProtocolLimits.maximumNameBytes),
            ticket: try TicketSummary.decode(from: &buffer))
    }
}

/// MACRO_SAVE: add or replace a canned response; admins only (PROTOCOL.md §5.15). Answered by OK.
public struct MacroSave: WireMessage {
    public static let messageType = MessageType.macroSave
    public var name: String
    public var text: String

    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(self.name)
        buffer.writeWireString(self.text)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            name: try buffer.readWireString(field: "name", maximumBytes: ProtocolLimits.maximumNameBytes),
            text: try buffer.readWireString(field: "text", maximumBytes: ProtocolLimits.maximumTextBytes))
    }
}

/// MACRO_REMOVE: delete a canned response; admins only (PROTOCOL.md §5.15). Answered by OK.
public struct MacroRemove: WireMessage {
    public static let messageType = MessageType.macroRemove
    public var name: String

    public init(name: String) { self.name = name }

    public func encode(into buffer: inout ByteBuffer) { buffer.writeWireString(self.name) }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(name: try buffer.readWireString(field: "name", maximumBytes: ProtocolLimits.maximumNameBytes))
    }
}

/// MACRO_LIST: the canned responses (PROTOCOL.md §5.15). Answered by MACROS.
public struct MacroList: WireMessage {
    public static let messageType = MessageType.macroList
    public init() {}
    public func encode(into buffer: inout ByteBuffer) {}
    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self { Self() }
}

/// MACROS: every canned response, by name (PROTOCOL.md §5.15).
public struct Macros: WireMessage {
    public static let messageType = MessageType.macros

    public struct Entry: Sendable, Equatable {
        public var name: String
        public var text: String
        public var author: String

        public init(name: String, text: String, author: String) {
            self.name = name
            self.text = text
            self.author = author
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireList(self.entries) { entry, buffer in
            buffer.writeWireString(entry.name)
            buffer.writeWireString(entry.text)
            buffer.writeWireString(entry.author)
        }
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        let name = ProtocolLimits.maximumNameBytes
        return Self(
            entries: try buffer.readWireList(field: "macros") { buffer throws(WireDecodingError) in
                Entry(
                    name: try buffer.readWireString(field: "name", maximumBytes: name),
                    text: try buffer.readWireString(field: "text", maximumBytes: ProtocolLimits.maximumTextBytes),
                    author: try buffer.readWireString(field: "author", maximumBytes: name))
            })
    }
}

/// PLAYER_TICKETS: a player's tickets, newest first, for the GM looking at one of them (PROTOCOL.md §5.14).
/// Answered by TICKET_LIST.
public struct PlayerTickets: WireMessage {
    public static let messageType = MessageType.playerTickets
    public var playerID: UInt64

    public init(playerID: UInt64) { self.playerID = playerID }

    public func encode(into buffer: inout ByteBuffer) { buffer.writeInteger(self.playerID, endianness: .big) }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(playerID: try buffer.readWire(UInt64.self, field: "player_id"))
    }
}

import NIOCore

/// QUEUE: staff list tickets by category and state, oldest first (PROTOCOL.md §5.9). Answered by TICKET_LIST.
public struct QueueRequest: WireMessage {
    public static let messageType = MessageType.queue
    /// Empty for every category the GM works.
    public var category: String
    public var filter: QueueFilter
    /// At most this many tickets; 0 means the server's default page (50).
    public var limit: UInt16

    public init(category: String = "", filter: QueueFilter = .active, limit: UInt16 = 0) {
        self.category = category
        self.filter = filter
        self.limit = limit
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(self.category)
        buffer.writeInteger(self.filter.rawValue)
        buffer.writeInteger(self.limit, endianness: .big)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            category: try buffer.readWireString(field: "category", maximumBytes: ProtocolLimits.maximumNameBytes),
            filter: try buffer.readWireEnum(QueueFilter.self, field: "filter"),
            limit: try buffer.readWire(UInt16.self, field: "limit")
        )
    }
}

/// CLAIM: a GM takes a ticket: a given one, or with ticket id 0 the oldest open one in `category`
/// (empty: in any category the GM works) (PROTOCOL.md §5.10).
public struct Claim: WireMessage {
    public static let messageType = MessageType.claim
    public var ticketID: UInt64
    public var category: String

    public init(ticketID: UInt64, category: String = "") {
        self.ticketID = ticketID
        self.category = category
    }

    public static func next(category: String = "") -> Self { Self(ticketID: 0, category: category) }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.ticketID, endianness: .big)
        buffer.writeWireString(self.category)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            ticketID: try buffer.readWire(UInt64.self, field: "ticket_id"),
            category: try buffer.readWireString(field: "category", maximumBytes: ProtocolLimits.maximumNameBytes)
        )
    }
}

/// CLOSE: the claiming GM closes the ticket with a resolution and a final message to the player (PROTOCOL.md §5.10).
public struct Close: WireMessage {
    public static let messageType = MessageType.close
    public var ticketID: UInt64
    /// One of the resolutions of PROTOCOL.md §7: solved, duplicate, not_actionable, escalated_to_dev, no_response.
    public var resolution: String
    public var text: String

    public init(ticketID: UInt64, resolution: String, text: String) {
        self.ticketID = ticketID
        self.resolution = resolution
        self.text = text
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.ticketID, endianness: .big)
        buffer.writeWireString(self.resolution)
        buffer.writeWireString(self.text)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            ticketID: try buffer.readWire(UInt64.self, field: "ticket_id"),
            resolution: try buffer.readWireString(field: "resolution", maximumBytes: ProtocolLimits.maximumNameBytes),
            text: try buffer.readWireString(field: "text", maximumBytes: ProtocolLimits.maximumTextBytes)
        )
    }
}

/// ASSIGN: hand a ticket to another GM (PROTOCOL.md §5.26). Answered by TICKET_UPDATED.
public struct Assign: WireMessage {
    public static let messageType = MessageType.assign
    public var ticketID: UInt64
    /// The staff name of the new holder.
    public var gm: String
    /// Told to the player and the new holder; may be empty.
    public var text: String

    public init(ticketID: UInt64, gm: String, text: String = "") {
        self.ticketID = ticketID
        self.gm = gm
        self.text = text
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.ticketID, endianness: .big)
        buffer.writeWireString(self.gm)
        buffer.writeWireString(self.text)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            ticketID: try buffer.readWire(UInt64.self, field: "ticket_id"),
            gm: try buffer.readWireString(field: "gm", maximumBytes: ProtocolLimits.maximumNameBytes),
            text: try buffer.readWireString(field: "text", maximumBytes: ProtocolLimits.maximumTextBytes))
    }
}

/// PRIORITY: a GM sets a ticket's priority from urgency × impact (PROTOCOL.md §5.27). Answered by TICKET_UPDATED.
public struct PriorityRequest: WireMessage {
    public static let messageType = MessageType.priority
    public var ticketID: UInt64
    /// 1 low, 2 medium, 3 high, 4 critical.
    public var urgency: UInt8
    /// 1 one player, 2 a group, 3 a realm, 4 every realm.
    public var impact: UInt8

    public init(ticketID: UInt64, urgency: UInt8, impact: UInt8) {
        self.ticketID = ticketID
        self.urgency = urgency
        self.impact = impact
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.ticketID, endianness: .big)
        buffer.writeInteger(self.urgency)
        buffer.writeInteger(self.impact)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        let ticketID = try buffer.readWire(UInt64.self, field: "ticket_id")
        let urgency = try buffer.readWire(UInt8.self, field: "urgency")
        guard (1...4).contains(urgency) else { throw .invalidValue(field: "urgency", value: UInt64(urgency)) }
        let impact = try buffer.readWire(UInt8.self, field: "impact")
        guard (1...4).contains(impact) else { throw .invalidValue(field: "impact", value: UInt64(impact)) }
        return Self(ticketID: ticketID, urgency: urgency, impact: impact)
    }
}

/// SNOOZE: a ticket's holder sets it aside until a time, or with `until` 0 takes it back now (PROTOCOL.md §5.28,
/// protocol version 2). Answered by TICKET_UPDATED.
public struct Snooze: WireMessage {
    public static let messageType = MessageType.snooze
    public var ticketID: UInt64
    /// When it wakes (ms since the epoch); 0 wakes a snoozed ticket now.
    public var until: Int64
    /// Why, for the history (staff only); may be empty.
    public var text: String

    public init(ticketID: UInt64, until: Int64, text: String = "") {
        self.ticketID = ticketID
        self.until = until
        self.text = text
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.ticketID, endianness: .big)
        buffer.writeInteger(self.until, endianness: .big)
        buffer.writeWireString(self.text)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        let ticketID = try buffer.readWire(UInt64.self, field: "ticket_id")
        let until = try buffer.readWire(Int64.self, field: "until")
        guard until >= 0 else { throw .invalidValue(field: "until", value: UInt64(bitPattern: until)) }
        return Self(
            ticketID: ticketID, until: until,
            text: try buffer.readWireString(field: "text", maximumBytes: ProtocolLimits.maximumTextBytes))
    }
}

/// REMIND: a ticket's holder asks to be reminded of it at a time (PROTOCOL.md §5.29, protocol version 2). Answered
/// by OK; at `at` the server pushes REMINDER to the GM's console sessions (or at their next sign-in after it).
public struct Remind: WireMessage {
    public static let messageType = MessageType.remind
    public var ticketID: UInt64
    /// When (ms since the epoch).
    public var at: Int64
    public var text: String

    public init(ticketID: UInt64, at: Int64, text: String) {
        self.ticketID = ticketID
        self.at = at
        self.text = text
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.ticketID, endianness: .big)
        buffer.writeInteger(self.at, endianness: .big)
        buffer.writeWireString(self.text)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            ticketID: try buffer.readWire(UInt64.self, field: "ticket_id"),
            at: try buffer.readWire(Int64.self, field: "at"),
            text: try buffer.readWireString(field: "text", maximumBytes: ProtocolLimits.maximumTextBytes))
    }
}

/// REMINDER: pushed (request id 0) to the console sessions of the GM who asked for it, when its time comes or at
/// their first sign-in after (PROTOCOL.md §5.29). Sent once per reminder.
public struct Reminder: WireMessage {
    public static let messageType = MessageType.reminder
    public var reminderID: UInt64
    public var ticketID: UInt64
    /// When it was due (ms since the epoch).
    public var at: Int64
    public var text: String

    public init(reminderID: UInt64, ticketID: UInt64, at: Int64, text: String) {
        self.reminderID = reminderID
        self.ticketID = ticketID
        self.at = at
        self.text = text
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.reminderID, endianness: .big)
        buffer.writeInteger(self.ticketID, endianness: .big)
        buffer.writeInteger(self.at, endianness: .big)
        buffer.writeWireString(self.text)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            reminderID: try buffer.readWire(UInt64.self, field: "reminder_id"),
            ticketID: try buffer.readWire(UInt64.self, field: "ticket_id"),
            at: try buffer.readWire(Int64.self, field: "at"),
            text: try buffer.readWireString(field: "text", maximumBytes: ProtocolLimits.maximumTextBytes))
    }
}

/// INTERNAL_OPEN: staff open a ticket for staff, which no player sees (PROTOCOL.md §5.30). Answered by
/// TICKET_UPDATED.
public struct InternalOpen: WireMessage {
    public static let messageType = MessageType.internalOpen
    public var category: String
    /// The player it is about; 0 for none.
    public var aboutPlayerID: UInt64
    public var text: String

    public init(category: String, aboutPlayerID: UInt64 = 0, text: String) {
        self.category = category
        self.aboutPlayerID = aboutPlayerID
        self.text = text
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(self.category)
        buffer.writeInteger(self.aboutPlayerID, endianness: .big)
        buffer.writeWireString(self.text)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            category: try buffer.readWireString(field: "category", maximumBytes: ProtocolLimits.maximumNameBytes),
            aboutPlayerID: try buffer.readWire(UInt64.self, field: "about_player_id"),
            text: try buffer.readWireString(field: "text", maximumBytes: ProtocolLimits.maximumTextBytes))
    }
}

/// INTERNAL_LINK: links a player's ticket to an internal one, a staff note on each (PROTOCOL.md §5.30). Answered
/// by TICKET_UPDATED (the internal ticket).
public struct InternalLinkRequest: WireMessage {
    public static let messageType = MessageType.internalLink
    public var ticketID: UInt64
    public var internalID: UInt64

    public init(ticketID: UInt64, internalID: UInt64) {
        self.ticketID = ticketID
        self.internalID = internalID
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.ticketID, endianness: .big)
        buffer.writeInteger(self.internalID, endianness: .big)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            ticketID: try buffer.readWire(UInt64.self, field: "ticket_id"),
            internalID: try buffer.readWire(UInt64.self, field: "internal_id"))
    }
}

import NIOCore

/// BAN: a GM or admin bars a player from filing new requests until `until` (PROTOCOL.md §5.19). Answered by
/// BAN_LIST holding the ban.
public struct BanRequest: WireMessage {
    public static let messageType = MessageType.ban
    public var playerID: UInt64
    public var until: Int64
    public var reason: String

    public init(playerID: UInt64, until: Int64, reason: String) {
        self.playerID = playerID
        self.until = until
        self.reason = reason
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.playerID, endianness: .big)
        buffer.writeInteger(self.until, endianness: .big)
        buffer.writeWireString(self.reason)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            playerID: try buffer.readWire(UInt64.self, field: "player_id"),
            until: try buffer.readWire(Int64.self, field: "until"),
            reason: try buffer.readWireString(field: "reason", maximumBytes: ProtocolLimits.maximumTextBytes))
    }
}

/// UNBAN: lifts a player's help ban (PROTOCOL.md §5.19). Answered by OK.
public struct UnbanRequest: WireMessage {
    public static let messageType = MessageType.unban
    public var playerID: UInt64

    public init(playerID: UInt64) { self.playerID = playerID }

    public func encode(into buffer: inout ByteBuffer) { buffer.writeInteger(self.playerID, endianness: .big) }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(playerID: try buffer.readWire(UInt64.self, field: "player_id"))
    }
}

/// BANS: the help bans in force (PROTOCOL.md §5.19). Answered by BAN_LIST.
public struct BansRequest: WireMessage {
    public static let messageType = MessageType.bans
    public init() {}
    public func encode(into buffer: inout ByteBuffer) {}
    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self { Self() }
}

/// BAN_LIST: help bans, soonest ending first.
public struct BanList: WireMessage {
    public static let messageType = MessageType.banList

    public struct Entry: Sendable, Equatable {
        public var playerID: UInt64
        public var until: Int64
        public var reason: String
        /// Who banned the player.
        public var bannedBy: String
        public var at: Int64

        public init(playerID: UInt64, until: Int64, reason: String, bannedBy: String, at: Int64) {
            self.playerID = playerID
            self.until = until
            self.reason = reason
            self.bannedBy = bannedBy
            self.at = at
        }
    }

    public var bans: [Entry]

    public init(bans: [Entry]) { self.bans = bans }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireList(self.bans) { ban, buffer in
            buffer.writeInteger(ban.playerID, endianness: .big)
            buffer.writeInteger(ban.until, endianness: .big)
            buffer.writeWireString(ban.reason)
            buffer.writeWireString(ban.bannedBy)
            buffer.writeInteger(ban.at, endianness: .big)
        }
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(bans: try buffer.readWireList(field: "bans") { buffer throws(WireDecodingError) in
            Entry(
                playerID: try buffer.readWire(UInt64.self, field: "player_id"),
                until: try buffer.readWire(Int64.self, field: "until"),
                reason: try buffer.readWireString(field: "reason", maximumBytes: ProtocolLimits.maximumTextBytes),
                bannedBy: try buffer.readWireString(field: "banned_by", maximumBytes: ProtocolLimits.maximumNameBytes + 16),
                at: try buffer.readWire(Int64.self, field: "at"))
        })
    }
}

import NIOCore

/// SEARCH: tickets whose history holds every word of `text`, narrowed by the filters ("" and 0: any). Staff only;
/// a GM's search covers the categories they work (PROTOCOL.md §5.25). Answered by SEARCH_RESULT.
public struct SearchRequest: WireMessage {
    public static let messageType = MessageType.search
    public var text: String
    public var playerID: UInt64
    public var playerName: String
    public var characterName: String
    public var gm: String
    public var category: String
    /// 0: any state.
    public var status: TicketStatus?
    public var since: Int64
    /// 0: 20; at most 200.
    public var limit: UInt16

    public init(
        text: String, playerID: UInt64 = 0, playerName: String = "", characterName: String = "", gm: String = "",
        category: String = "", status: TicketStatus? = nil, since: Int64 = 0, limit: UInt16 = 0
    ) {
        self.text = text
        self.playerID = playerID
        self.playerName = playerName
        self.characterName = characterName
        self.gm = gm
        self.category = category
        self.status = status
        self.since = since
        self.limit = limit
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(self.text)
        buffer.writeInteger(self.playerID, endianness: .big)
        buffer.writeWireString(self.playerName)
        buffer.writeWireString(self.characterName)
        buffer.writeWireString(self.gm)
        buffer.writeWireString(self.category)
        buffer.writeInteger(self.status?.rawValue ?? 0)
        buffer.writeInteger(self.since, endianness: .big)
        buffer.writeInteger(self.limit, endianness: .big)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        let name = ProtocolLimits.maximumNameBytes
        let text = try buffer.readWireString(field: "text", maximumBytes: ProtocolLimits.maximumIncidentTitleBytes)
        let playerID = try buffer.readWire(UInt64.self, field: "player_id")
        let playerName = try buffer.readWireString(field: "player_name", maximumBytes: name)
        let characterName = try buffer.readWireString(field: "character_name", maximumBytes: name)
        let gm = try buffer.readWireString(field: "gm", maximumBytes: name)
        let category = try buffer.readWireString(field: "category", maximumBytes: name)
        let rawStatus = try buffer.readWire(UInt8.self, field: "status")
        guard rawStatus == 0 || TicketStatus(rawValue: rawStatus) != nil else {
            throw .invalidValue(field: "status", value: UInt64(rawStatus))
        }
        return Self(
            text: text, playerID: playerID, playerName: playerName, characterName: characterName, gm: gm,
            category: category, status: TicketStatus(rawValue: rawStatus),
            since: try buffer.readWire(Int64.self, field: "since"), limit: try buffer.readWire(UInt16.self, field: "limit"))
    }
}

/// SEARCH_RESULT: the tickets found, best first, each with the event that matched best.
public struct SearchResult: WireMessage {
    public static let messageType = MessageType.searchResult

    public struct Hit: Sendable, Equatable {
        public var ticket: TicketSummary
        public var sequence: UInt32
        public var kind: HistoryKind
        public var actorName: String
        /// Part of the event's text around the words found.
        public var snippet: String
        /// Where the words found are in `snippet`: UTF-8 byte offsets, start and end of each, in pairs.
        public var highlights: [UInt16]

        public init(
            ticket: TicketSummary, sequence: UInt32, kind: HistoryKind, actorName: String, snippet: String,
            highlights: [UInt16]
        ) {
            self.ticket = ticket
            self.sequence = sequence
            self.kind = kind
            self.actorName = actorName
            self.snippet = snippet
            self.highlights = highlights
        }
    }

    public var hits: [Hit]

    public init(hits: [Hit]) { self.hits = hits }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireList(self.hits) { hit, buffer in
            hit.ticket.encode(into: &buffer)
            buffer.writeInteger(hit.sequence, endianness: .big)
            buffer.writeInteger(hit.kind.rawValue)
            buffer.writeWireString(hit.actorName)
            buffer.writeWireString(hit.snippet)
            buffer.writeWireList(hit.highlights) { offset, buffer in buffer.writeInteger(offset, endianness: .big) }
        }
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(hits: try buffer.readWireList(field: "hits") { buffer throws(WireDecodingError) in
            let ticket = try TicketSummary.decode(from: &buffer)
            let sequence = try buffer.readWire(UInt32.self, field: "sequence")
            let kind = try buffer.readWireEnum(HistoryKind.self, field: "kind")
            let actor = try buffer.readWireString(field: "actor_name", maximumBytes: ProtocolLimits.maximumNameBytes + 16)
            let snippet = try buffer.readWireString(field: "snippet", maximumBytes: ProtocolLimits.maximumTextBytes)
            let highlights = try buffer.readWireList(field: "highlights") { buffer throws(WireDecodingError) in
                try buffer.readWire(UInt16.self, field: "highlight")
            }
            guard highlights.count % 2 == 0 else { throw .invalidValue(field: "highlights", value: UInt64(highlights.count)) }
            return Hit(ticket: ticket, sequence: sequence, kind: kind, actorName: actor, snippet: snippet, highlights: highlights)
        })
    }
}

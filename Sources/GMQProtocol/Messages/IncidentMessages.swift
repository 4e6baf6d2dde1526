import NIOCore

/// One incident (known issue) as the wire carries it (PROTOCOL.md §5.21).
public struct IncidentEntry: WireValue {
    public var id: UInt64
    public var title: String
    public var category: String
    /// Words or phrases a matching request uses.
    public var match: String
    /// Only requests from this client build or zone ("" any).
    public var build: String
    public var zone: String
    /// What a matching player is told in ACCEPTED's hint.
    public var message: String
    public var openedBy: String
    public var openedAt: Int64
    /// "" and 0 while open.
    public var closedBy: String
    public var closedAt: Int64
    /// Tickets linked to it, and those of them not closed.
    public var linked: UInt32
    public var open: UInt32

    public init(
        id: UInt64, title: String, category: String, match: String, build: String, zone: String, message: String,
        openedBy: String, openedAt: Int64, closedBy: String, closedAt: Int64, linked: UInt32, open: UInt32
    ) {
        self.id = id
        self.title = title
        self.category = category
        self.match = match
        self.build = build
        self.zone = zone
        self.message = message
        self.openedBy = openedBy
        self.openedAt = openedAt
        self.closedBy = closedBy
        self.closedAt = closedAt
        self.linked = linked
        self.open = open
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.id, endianness: .big)
        buffer.writeWireString(self.title)
        buffer.writeWireString(self.category)
        buffer.writeWireString(self.match)
        buffer.writeWireString(self.build)
        buffer.writeWireString(self.zone)
        buffer.writeWireString(self.message)
        buffer.writeWireString(self.openedBy)
        buffer.writeInteger(self.openedAt, endianness: .big)
        buffer.writeWireString(self.closedBy)
        buffer.writeInteger(self.closedAt, endianness: .big)
        buffer.writeInteger(self.linked, endianness: .big)
        buffer.writeInteger(self.open, endianness: .big)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        let text = ProtocolLimits.maximumTextBytes
        let name = ProtocolLimits.maximumNameBytes
        return Self(
            id: try buffer.readWire(UInt64.self, field: "id"),
            title: try buffer.readWireString(field: "title", maximumBytes: ProtocolLimits.maximumIncidentTitleBytes),
            category: try buffer.readWireString(field: "category", maximumBytes: name),
            match: try buffer.readWireString(field: "match", maximumBytes: text),
            build: try buffer.readWireString(field: "build", maximumBytes: name),
            zone: try buffer.readWireString(field: "zone", maximumBytes: name),
            message: try buffer.readWireString(field: "message", maximumBytes: text),
            openedBy: try buffer.readWireString(field: "opened_by", maximumBytes: name + 16),
            openedAt: try buffer.readWire(Int64.self, field: "opened_at"),
            closedBy: try buffer.readWireString(field: "closed_by", maximumBytes: name + 16),
            closedAt: try buffer.readWire(Int64.self, field: "closed_at"),
            linked: try buffer.readWire(UInt32.self, field: "linked"),
            open: try buffer.readWire(UInt32.self, field: "open"))
    }
}

/// INCIDENT_OPEN: staff declare a known issue (PROTOCOL.md §5.21). Answered by INCIDENT.
public struct IncidentOpen: WireMessage {
    public static let messageType = MessageType.incidentOpen
    public var title: String
    public var category: String
    public var match: String
    public var build: String
    public var zone: String
    public var message: String

    public init(title: String, category: String, match: String, build: String = "", zone: String = "", message: String) {
        self.title = title
        self.category = category
        self.match = match
        self.build = build
        self.zone = zone
        self.message = message
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(self.title)
        buffer.writeWireString(self.category)
        buffer.writeWireString(self.match)
        buffer.writeWireString(self.build)
        buffer.writeWireString(self.zone)
        buffer.writeWireString(self.message)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        let text = ProtocolLimits.maximumTextBytes
        let name = ProtocolLimits.maximumNameBytes
        return Self(
            title: try buffer.readWireString(field: "title", maximumBytes: ProtocolLimits.maximumIncidentTitleBytes),
            category: try buffer.readWireString(field: "category", maximumBytes: name),
            match: try buffer.readWireString(field: "match", maximumBytes: text),
            build: try buffer.readWireString(field: "build", maximumBytes: name),
            zone: try buffer.readWireString(field: "zone", maximumBytes: name),
            message: try buffer.readWireString(field: "message", maximumBytes: text))
    }
}

/// INCIDENT: one incident, the answer to INCIDENT_OPEN, INCIDENT_GET and INCIDENT_CLOSE.
public struct IncidentInfo: WireMessage {
    public static let messageType = MessageType.incident
    public var incident: IncidentEntry

    public init(incident: IncidentEntry) { self.incident = incident }
    public func encode(into buffer: inout ByteBuffer) { self.incident.encode(into: &buffer) }
    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(incident: try .decode(from: &buffer))
    }
}

/// INCIDENT_LIST: the open incidents, or every one. Answered by INCIDENTS.
public struct IncidentList: WireMessage {
    public static let messageType = MessageType.incidentList
    public var includeClosed: Bool

    public init(includeClosed: Bool = false) { self.includeClosed = includeClosed }
    public func encode(into buffer: inout ByteBuffer) { buffer.writeWireBool(self.includeClosed) }
    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(includeClosed: try buffer.readWireBool(field: "include_closed"))
    }
}

/// INCIDENTS: incidents, newest first.
public struct Incidents: WireMessage {
    public static let messageType = MessageType.incidents
    public var incidents: [IncidentEntry]

    public init(incidents: [IncidentEntry]) { self.incidents = incidents }
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireList(self.incidents) { incident, buffer in incident.encode(into: &buffer) }
    }
    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(incidents: try buffer.readWireList(field: "incidents") { buffer throws(WireDecodingError) in
            try IncidentEntry.decode(from: &buffer)
        })
    }
}

/// INCIDENT_GET (one incident) and INCIDENT_CLOSE (close it; its open tickets go back to the queue): both carry an
/// incident id and are answered by INCIDENT.
public struct IncidentGet: WireMessage {
    public static let messageType = MessageType.incidentGet
    public var incidentID: UInt64

    public init(incidentID: UInt64) { self.incidentID = incidentID }
    public func encode(into buffer: inout ByteBuffer) { buffer.writeInteger(self.incidentID, endianness: .big) }
    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(incidentID: try buffer.readWire(UInt64.self, field: "incident_id"))
    }
}

public struct IncidentClose: WireMessage {
    public static let messageType = MessageType.incidentClose
    public var incidentID: UInt64

    public init(incidentID: UInt64) { self.incidentID = incidentID }
    public func encode(into buffer: inout ByteBuffer) { buffer.writeInteger(self.incidentID, endianness: .big) }
    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(incidentID: try buffer.readWire(UInt64.self, field: "incident_id"))
    }
}

/// INCIDENT_ANSWER: one answer for every linked ticket, closing them when `resolution` is not empty. Answered by
/// INCIDENT_ANSWERED.
public struct IncidentAnswerRequest: WireMessage {
    public static let messageType = MessageType.incidentAnswer
    public var incidentID: UInt64
    public var text: String
    /// "" answers; a resolution (§7) closes.
    public var resolution: String

    public init(incidentID: UInt64, text: String, resolution: String = "") {
        self.incidentID = incidentID
        self.text = text
        self.resolution = resolution
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.incidentID, endianness: .big)
        buffer.writeWireString(self.text)
        buffer.writeWireString(self.resolution)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            incidentID: try buffer.readWire(UInt64.self, field: "incident_id"),
            text: try buffer.readWireString(field: "text", maximumBytes: ProtocolLimits.maximumTextBytes),
            resolution: try buffer.readWireString(field: "resolution", maximumBytes: ProtocolLimits.maximumNameBytes))
    }
}

/// INCIDENT_ANSWERED: how many linked tickets the answer reached, and how many it left alone (closed already, or
/// held by another GM).
public struct IncidentAnswered: WireMessage {
    public static let messageType = MessageType.incidentAnswered
    public var incidentID: UInt64
    public var answered: UInt32
    public var skipped: UInt32

    public init(incidentID: UInt64, answered: UInt32, skipped: UInt32) {
        self.incidentID = incidentID
        self.answered = answered
        self.skipped = skipped
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.incidentID, endianness: .big)
        buffer.writeInteger(self.answered, endianness: .big)
        buffer.writeInteger(self.skipped, endianness: .big)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            incidentID: try buffer.readWire(UInt64.self, field: "incident_id"),
            answered: try buffer.readWire(UInt32.self, field: "answered"),
            skipped: try buffer.readWire(UInt32.self, field: "skipped"))
    }
}

/// INCIDENT_TICKETS: the tickets linked to an incident, oldest first (0: the default page). Answered by
/// TICKET_LIST.
public struct IncidentTickets: WireMessage {
    public static let messageType = MessageType.incidentTickets
    public var incidentID: UInt64
    public var limit: UInt16

    public init(incidentID: UInt64, limit: UInt16 = 0) {
        self.incidentID = incidentID
        self.limit = limit
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.incidentID, endianness: .big)
        buffer.writeInteger(self.limit, endianness: .big)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            incidentID: try buffer.readWire(UInt64.self, field: "incident_id"),
            limit: try buffer.readWire(UInt16.self, field: "limit"))
    }
}

/// CLUSTERS: groups of tickets waiting in the queue that say the same thing (PROTOCOL.md §5.22). Answered by
/// CLUSTER_LIST.
public struct ClustersRequest: WireMessage {
    public static let messageType = MessageType.clusters
    /// "" every category the requester works.
    public var category: String
    /// Tickets filed at or after this time; 0 the last hour.
    public var since: Int64
    /// Clusters at most; 0 the default (20), at most 100.
    public var limit: UInt16

    public init(category: String = "", since: Int64 = 0, limit: UInt16 = 0) {
        self.category = category
        self.since = since
        self.limit = limit
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(self.category)
        buffer.writeInteger(self.since, endianness: .big)
        buffer.writeInteger(self.limit, endianness: .big)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            category: try buffer.readWireString(field: "category", maximumBytes: ProtocolLimits.maximumNameBytes),
            since: try buffer.readWire(Int64.self, field: "since"),
            limit: try buffer.readWire(UInt16.self, field: "limit"))
    }
}

/// One cluster as CLUSTER_LIST carries it.
public struct ClusterEntry: WireValue {
    public var category: String
    public var build: String
    /// The zone at least half of its tickets name; "".
    public var zone: String
    /// Its tickets in all; `tickets` lists the first 1,000.
    public var size: UInt32
    public var firstAt: Int64
    public var lastAt: Int64
    /// The words at least half of its tickets use, the most used first.
    public var words: [String]
    /// Up to three of its texts.
    public var samples: [String]
    /// Its tickets, oldest first, at most 1,000.
    public var tickets: [UInt64]

    public init(
        category: String, build: String, zone: String, size: UInt32, firstAt: Int64, lastAt: Int64, words: [String],
        samples: [String], tickets: [UInt64]
    ) {
        self.category = category
        self.build = build
        self.zone = zone
        self.size = size
        self.firstAt = firstAt
        self.lastAt = lastAt
        self.words = words
        self.samples = samples
        self.tickets = tickets
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(self.category)
        buffer.writeWireString(self.build)
        buffer.writeWireString(self.zone)
        buffer.writeInteger(self.size, endianness: .big)
        buffer.writeInteger(self.firstAt, endianness: .big)
        buffer.writeInteger(self.lastAt, endianness: .big)
        buffer.writeWireList(self.words) { word, buffer in buffer.writeWireString(word) }
        buffer.writeWireList(self.samples) { sample, buffer in buffer.writeWireString(sample) }
        buffer.writeWireList(self.tickets) { id, buffer in buffer.writeInteger(id, endianness: .big) }
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        let name = ProtocolLimits.maximumNameBytes
        return Self(
            category: try buffer.readWireString(field: "category", maximumBytes: name),
            build: try buffer.readWireString(field: "build", maximumBytes: name),
            zone: try buffer.readWireString(field: "zone", maximumBytes: name),
            size: try buffer.readWire(UInt32.self, field: "size"),
            firstAt: try buffer.readWire(Int64.self, field: "first_at"),
            lastAt: try buffer.readWire(Int64.self, field: "last_at"),
            words: try buffer.readWireList(field: "words") { buffer throws(WireDecodingError) in
                try buffer.readWireString(field: "word", maximumBytes: ProtocolLimits.maximumTextBytes)
            },
            samples: try buffer.readWireList(field: "samples") { buffer throws(WireDecodingError) in
                try buffer.readWireString(field: "sample", maximumBytes: ProtocolLimits.maximumTextBytes)
            },
            tickets: try buffer.readWireList(field: "tickets") { buffer throws(WireDecodingError) in
                try buffer.readWire(UInt64.self, field: "ticket_id")
            })
    }
}

/// CLUSTER_LIST: clusters, biggest first.
public struct ClusterList: WireMessage {
    public static let messageType = MessageType.clusterList
    public var clusters: [ClusterEntry]

    public init(clusters: [ClusterEntry]) { self.clusters = clusters }
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireList(self.clusters) { cluster, buffer in cluster.encode(into: &buffer) }
    }
    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(clusters: try buffer.readWireList(field: "clusters") { buffer throws(WireDecodingError) in
            try ClusterEntry.decode(from: &buffer)
        })
    }
}

/// INCIDENT_LINK: links tickets waiting in the queue to an open incident and adds request texts to its match
/// phrases. Answered by INCIDENT_LINKED.
public struct IncidentLinkRequest: WireMessage {
    public static let messageType = MessageType.incidentLink
    public var incidentID: UInt64
    public var tickets: [UInt64]
    /// Texts a matching request resembles (a cluster's samples), added to the match phrases.
    public var examples: [String]

    public init(incidentID: UInt64, tickets: [UInt64], examples: [String] = []) {
        self.incidentID = incidentID
        self.tickets = tickets
        self.examples = examples
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.incidentID, endianness: .big)
        buffer.writeWireList(self.tickets) { id, buffer in buffer.writeInteger(id, endianness: .big) }
        buffer.writeWireList(self.examples) { example, buffer in buffer.writeWireString(example) }
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            incidentID: try buffer.readWire(UInt64.self, field: "incident_id"),
            tickets: try buffer.readWireList(field: "tickets") { buffer throws(WireDecodingError) in
                try buffer.readWire(UInt64.self, field: "ticket_id")
            },
            examples: try buffer.readWireList(field: "examples") { buffer throws(WireDecodingError) in
                try buffer.readWireString(field: "example", maximumBytes: ProtocolLimits.maximumTextBytes)
            })
    }
}

/// INCIDENT_LINKED: the incident after linking, the tickets linked, and those left alone.
public struct IncidentLinked: WireMessage {
    public static let messageType = MessageType.incidentLinked
    public var incident: IncidentEntry
    public var linked: UInt32
    public var skipped: UInt32

    public init(incident: IncidentEntry, linked: UInt32, skipped: UInt32) {
        self.incident = incident
        self.linked = linked
        self.skipped = skipped
    }

    public func encode(into buffer: inout ByteBuffer) {
        self.incident.encode(into: &buffer)
        buffer.writeInteger(self.linked, endianness: .big)
        buffer.writeInteger(self.skipped, endianness: .big)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            incident: try .decode(from: &buffer),
            linked: try buffer.readWire(UInt32.self, field: "linked"),
            skipped: try buffer.readWire(UInt32.self, field: "skipped"))
    }
}

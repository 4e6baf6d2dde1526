import NIOCore

/// AUDIT: closed tickets by filter, most recently closed first; moderators and admins (PROTOCOL.md §5.16).
/// Empty strings and zeros mean "any". Answered by AUDIT_LIST.
public struct Audit: WireMessage {
    public static let messageType = MessageType.audit
    /// The GM who closed the ticket (case-insensitive).
    public var gm: String
    public var category: String
    public var resolution: String
    /// 1–5, or 0 for no bound. A bound excludes unrated tickets.
    public var minimumRating: UInt8
    public var maximumRating: UInt8
    /// Closed at or after / before (ms since the epoch); 0 for no bound.
    public var since: Int64
    public var until: Int64
    public var overdueOnly: Bool
    public var reopenedOnly: Bool
    /// 0 means the server's default page (100).
    public var limit: UInt16

    public init(
        gm: String = "", category: String = "", resolution: String = "", minimumRating: UInt8 = 0,
        maximumRating: UInt8 = 0, since: Int64 = 0, until: Int64 = 0, overdueOnly: Bool = false,
        reopenedOnly: Bool = false, limit: UInt16 = 0
    ) {
        self.gm = gm
        self.category = category
        self.resolution = resolution
        self.minimumRating = minimumRating
        self.maximumRating = maximumRating
        self.since = since
        self.until = until
        self.overdueOnly = overdueOnly
        self.reopenedOnly = reopenedOnly
        self.limit = limit
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(self.gm)
        buffer.writeWireString(self.category)
        buffer.writeWireString(self.resolution)
        buffer.writeInteger(self.minimumRating)
        buffer.writeInteger(self.maximumRating)
        buffer.writeInteger(self.since, endianness: .big)
        buffer.writeInteger(self.until, endianness: .big)
        buffer.writeWireBool(self.overdueOnly)
        buffer.writeWireBool(self.reopenedOnly)
        buffer.writeInteger(self.limit, endianness: .big)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        let name = ProtocolLimits.maximumNameBytes
        func rating(_ field: String) throws(WireDecodingError) -> UInt8 {
            let value = try buffer.readWire(UInt8.self, field: field)
            guard value <= 5 else { throw .invalidValue(field: field, value: UInt64(value)) }
            return value
        }
        return Self(
            gm: try buffer.readWireString(field: "gm", maximumBytes: name),
            category: try buffer.readWireString(field: "category", maximumBytes: name),
            resolution: try buffer.readWireString(field: "resolution", maximumBytes: name),
            minimumRating: try rating("minimum_rating"),
            maximumRating: try rating("maximum_rating"),
            since: try buffer.readWire(Int64.self, field: "since"),
            until: try buffer.readWire(Int64.self, field: "until"),
            overdueOnly: try buffer.readWireBool(field: "overdue_only"),
            reopenedOnly: try buffer.readWireBool(field: "reopened_only"),
            limit: try buffer.readWire(UInt16.self, field: "limit"))
    }
}

/// AUDIT_LIST: the closed tickets AUDIT asked for, each with its resolution (PROTOCOL.md §5.16).
public struct AuditList: WireMessage {
    public static let messageType = MessageType.auditList

    public struct Row: Sendable, Equatable {
        public var ticket: TicketSummary
        public var resolution: String

        public init(ticket: TicketSummary, resolution: String) {
            self.ticket = ticket
            self.resolution = resolution
        }
    }

    public var rows: [Row]

    public init(rows: [Row]) { self.rows = rows }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireList(self.rows) { row, buffer in
            row.ticket.encode(into: &buffer)
            buffer.writeWireString(row.resolution)
        }
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            rows: try buffer.readWireList(field: "rows") { buffer throws(WireDecodingError) in
                Row(
                    ticket: try TicketSummary.decode(from: &buffer),
                    resolution: try buffer.readWireString(field: "resolution", maximumBytes: ProtocolLimits.maximumNameBytes))
            })
    }
}

/// AUDIT_VERIFY: check the hash chain of every event (PROTOCOL.md §5.16). Answered by AUDIT_VERIFIED.
public struct AuditVerify: WireMessage {
    public static let messageType = MessageType.auditVerify
    public init() {}
    public func encode(into buffer: inout ByteBuffer) {}
    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self { Self() }
}

/// AUDIT_VERIFIED: how many events were checked, the chain's head, and the first broken link if any.
public struct AuditVerified: WireMessage {
    public static let messageType = MessageType.auditVerified
    public var events: UInt64
    /// The global chain's last hash, 32 bytes (empty when a link is broken before the end).
    public var head: [UInt8]
    public var intact: Bool
    /// Where the first broken link is; zeros when intact.
    public var ticketID: UInt64
    public var sequence: UInt32
    public var chainSequence: UInt64
    public var reason: String

    public init(
        events: UInt64, head: [UInt8], intact: Bool, ticketID: UInt64 = 0, sequence: UInt32 = 0,
        chainSequence: UInt64 = 0, reason: String = ""
    ) {
        self.events = events
        self.head = head
        self.intact = intact
        self.ticketID = ticketID
        self.sequence = sequence
        self.chainSequence = chainSequence
        self.reason = reason
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.events, endianness: .big)
        buffer.writeInteger(UInt8(self.head.count))
        buffer.writeBytes(self.head)
        buffer.writeWireBool(self.intact)
        buffer.writeInteger(self.ticketID, endianness: .big)
        buffer.writeInteger(self.sequence, endianness: .big)
        buffer.writeInteger(self.chainSequence, endianness: .big)
        buffer.writeWireString(self.reason)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        let events = try buffer.readWire(UInt64.self, field: "events")
        let count = try buffer.readWire(UInt8.self, field: "head")
        guard count == 0 || count == 32 else { throw .invalidValue(field: "head", value: UInt64(count)) }
        guard let head = buffer.readBytes(length: Int(count)) else { throw .truncated(field: "head") }
        return Self(
            events: events, head: head, intact: try buffer.readWireBool(field: "intact"),
            ticketID: try buffer.readWire(UInt64.self, field: "ticket_id"),
            sequence: try buffer.readWire(UInt32.self, field: "sequence"),
            chainSequence: try buffer.readWire(UInt64.self, field: "chain_sequence"),
            reason: try buffer.readWireString(field: "reason", maximumBytes: ProtocolLimits.maximumTextBytes))
    }
}

/// REPORT: figures for tickets opened in [since, until), by category and by GM; moderators and admins
/// (PROTOCOL.md §5.17). Empty strings mean any. Answered by REPORT_RESULT.
public struct ReportRequest: WireMessage {
    public static let messageType = MessageType.report
    public var since: Int64
    public var until: Int64
    public var category: String
    public var gm: String

    public init(since: Int64, until: Int64, category: String = "", gm: String = "") {
        self.since = since
        self.until = until
        self.category = category
        self.gm = gm
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.since, endianness: .big)
        buffer.writeInteger(self.until, endianness: .big)
        buffer.writeWireString(self.category)
        buffer.writeWireString(self.gm)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            since: try buffer.readWire(Int64.self, field: "since"),
            until: try buffer.readWire(Int64.self, field: "until"),
            category: try buffer.readWireString(field: "category", maximumBytes: ProtocolLimits.maximumNameBytes),
            gm: try buffer.readWireString(field: "gm", maximumBytes: ProtocolLimits.maximumNameBytes))
    }
}

/// REPORT_RESULT: the total row, then a row per category, then a row per GM (PROTOCOL.md §5.17).
/// Durations are seconds, -1 where no ticket had one.
public struct ReportResult: WireMessage {
    public static let messageType = MessageType.reportResult

    public struct Row: Sendable, Equatable {
        public var group: ReportGroup
        public var name: String
        public var opened: UInt32
        public var closed: UInt32
        public var firstResponseMedian: Int32
        public var firstResponseP90: Int32
        public var closeMedian: Int32
        public var closeP90: Int32
        /// Overdue tickets per thousand.
        public var overduePerMille: UInt16
        public var reopened: UInt32
        /// Average rating in hundredths of a star; -1 with no ratings.
        public var ratingAverageHundredths: Int16
        public var ratings: UInt32

        public init(
            group: ReportGroup, name: String, opened: UInt32, closed: UInt32, firstResponseMedian: Int32,
            firstResponseP90: Int32, closeMedian: Int32, closeP90: Int32, overduePerMille: UInt16, reopened: UInt32,
            ratingAverageHundredths: Int16, ratings: UInt32
        ) {
            self.group = group
            self.name = name
            self.opened = opened
            self.closed = closed
            self.firstResponseMedian = firstResponseMedian
            self.firstResponseP90 = firstResponseP90
            self.closeMedian = closeMedian
            self.closeP90 = closeP90
            self.overduePerMille = overduePerMille
            self.reopened = reopened
            self.ratingAverageHundredths = ratingAverageHundredths
            self.ratings = ratings
        }
    }

    public var rows: [Row]

    public init(rows: [Row]) { self.rows = rows }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireList(self.rows) { row, buffer in
            buffer.writeInteger(row.group.rawValue)
            buffer.writeWireString(row.name)
            buffer.writeInteger(row.opened, endianness: .big)
            buffer.writeInteger(row.closed, endianness: .big)
            buffer.writeInteger(row.firstResponseMedian, endianness: .big)
            buffer.writeInteger(row.firstResponseP90, endianness: .big)
            buffer.writeInteger(row.closeMedian, endianness: .big)
            buffer.writeInteger(row.closeP90, endianness: .big)
            buffer.writeInteger(row.overduePerMille, endianness: .big)
            buffer.writeInteger(row.reopened, endianness: .big)
            buffer.writeInteger(row.ratingAverageHundredths, endianness: .big)
            buffer.writeInteger(row.ratings, endianness: .big)
        }
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            rows: try buffer.readWireList(field: "rows") { buffer throws(WireDecodingError) in
                Row(
                    group: try buffer.readWireEnum(ReportGroup.self, field: "group"),
                    name: try buffer.readWireString(field: "name", maximumBytes: ProtocolLimits.maximumNameBytes),
                    opened: try buffer.readWire(UInt32.self, field: "opened"),
                    closed: try buffer.readWire(UInt32.self, field: "closed"),
                    firstResponseMedian: try buffer.readWire(Int32.self, field: "first_response_median"),
                    firstResponseP90: try buffer.readWire(Int32.self, field: "first_response_p90"),
                    closeMedian: try buffer.readWire(Int32.self, field: "close_median"),
                    closeP90: try buffer.readWire(Int32.self, field: "close_p90"),
                    overduePerMille: try buffer.readWire(UInt16.self, field: "overdue_per_mille"),
                    reopened: try buffer.readWire(UInt32.self, field: "reopened"),
                    ratingAverageHundredths: try buffer.readWire(Int16.self, field: "rating_average"),
                    ratings: try buffer.readWire(UInt32.self, field: "ratings"))
            })
    }
}

/// REPORT_FIGURES: the figures of the moderators' page beside REPORT's rows, for the same tickets (PROTOCOL.md
/// §5.31, protocol version 2). Payload as REPORT; answered by REPORT_FIGURES_RESULT.
public struct ReportFigures: WireMessage {
    public static let messageType = MessageType.reportFigures
    public var since: Int64
    public var until: Int64
    public var category: String
    public var gm: String

    public init(_ report: ReportRequest) {
        (self.since, self.until, self.category, self.gm) = (report.since, report.until, report.category, report.gm)
    }

    /// The REPORT these figures go with.
    public var report: ReportRequest {
        ReportRequest(since: self.since, until: self.until, category: self.category, gm: self.gm)
    }

    public func encode(into buffer: inout ByteBuffer) { self.report.encode(into: &buffer) }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(try ReportRequest.decode(from: &buffer))
    }
}

/// REPORT_FIGURES_RESULT: per row of REPORT_RESULT the GMs' handle time, re-filed tickets and first-contact
/// resolutions; tickets opened per day and category; the first responses' distribution; the ratings (§5.31).
public struct ReportFiguresResult: WireMessage {
    public static let messageType = MessageType.reportFiguresResult

    public struct Row: Sendable, Equatable {
        public var group: ReportGroup
        public var name: String
        /// Seconds GMs held and worked the row's tickets (a GM's row: their own).
        public var handleSeconds: UInt64
        public var refiled: UInt32
        public var firstContact: UInt32

        public init(group: ReportGroup, name: String, handleSeconds: UInt64, refiled: UInt32, firstContact: UInt32) {
            self.group = group
            self.name = name
            self.handleSeconds = handleSeconds
            self.refiled = refiled
            self.firstContact = firstContact
        }
    }

    public struct Day: Sendable, Equatable {
        /// UTC midnight of the day (ms).
        public var day: Int64
        public var category: String
        public var opened: UInt32

        public init(day: Int64, category: String, opened: UInt32) {
            self.day = day
            self.category = category
            self.opened = opened
        }
    }

    public struct Bucket: Sendable, Equatable {
        /// At most this many seconds; `UInt32.max` for the last bucket (any longer).
        public var upTo: UInt32
        public var count: UInt32

        public init(upTo: UInt32, count: UInt32) {
            self.upTo = upTo
            self.count = count
        }
    }

    public var rows: [Row]
    public var days: [Day]
    public var firstResponses: [Bucket]
    /// Ratings of 1 to 5 stars, one count each: index 0 is one star.
    public var ratings: [UInt32]

    public init(rows: [Row], days: [Day], firstResponses: [Bucket], ratings: [UInt32]) {
        self.rows = rows
        self.days = days
        self.firstResponses = firstResponses
        self.ratings = ratings
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireList(self.rows) { row, buffer in
            buffer.writeInteger(row.group.rawValue)
            buffer.writeWireString(row.name)
            buffer.writeInteger(row.handleSeconds, endianness: .big)
            buffer.writeInteger(row.refiled, endianness: .big)
            buffer.writeInteger(row.firstContact, endianness: .big)
        }
        buffer.writeWireList(self.days) { day, buffer in
            buffer.writeInteger(day.day, endianness: .big)
            buffer.writeWireString(day.category)
            buffer.writeInteger(day.opened, endianness: .big)
        }
        buffer.writeWireList(self.firstResponses) { bucket, buffer in
            buffer.writeInteger(bucket.upTo, endianness: .big)
            buffer.writeInteger(bucket.count, endianness: .big)
        }
        buffer.writeWireList(self.ratings) { count, buffer in buffer.writeInteger(count, endianness: .big) }
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        let rows = try buffer.readWireList(field: "rows") { buffer throws(WireDecodingError) in
            Row(
                group: try buffer.readWireEnum(ReportGroup.self, field: "group"),
                name: try buffer.readWireString(field: "name", maximumBytes: ProtocolLimits.maximumNameBytes),
                handleSeconds: try buffer.readWire(UInt64.self, field: "handle_seconds"),
                refiled: try buffer.readWire(UInt32.self, field: "refiled"),
                firstContact: try buffer.readWire(UInt32.self, field: "first_contact"))
        }
        let days = try buffer.readWireList(field: "days") { buffer throws(WireDecodingError) in
            Day(
                day: try buffer.readWire(Int64.self, field: "day"),
                category: try buffer.readWireString(field: "category", maximumBytes: ProtocolLimits.maximumNameBytes),
                opened: try buffer.readWire(UInt32.self, field: "opened"))
        }
        let buckets = try buffer.readWireList(field: "first_responses") { buffer throws(WireDecodingError) in
            Bucket(
                upTo: try buffer.readWire(UInt32.self, field: "up_to"),
                count: try buffer.readWire(UInt32.self, field: "count"))
        }
        let ratings = try buffer.readWireList(field: "ratings") { buffer throws(WireDecodingError) in
            try buffer.readWire(UInt32.self, field: "count")
        }
        return Self(rows: rows, days: days, firstResponses: buckets, ratings: ratings)
    }
}

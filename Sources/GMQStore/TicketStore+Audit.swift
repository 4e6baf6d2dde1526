import Foundation
import GMQCore
import GRDB

/// What moderators read: closed tickets by filter, the integrity of the history, and the report's figures.
extension TicketStore {
    /// Which closed tickets `audit` lists. Empty strings and nils mean "any".
    public struct AuditFilter: Sendable, Equatable {
        public var gm: String?
        public var category: String?
        public var resolution: Resolution?
        public var minimumRating: Int?
        public var maximumRating: Int?
        /// Closed at or after / before, ms.
        public var since: Int64?
        public var until: Int64?
        public var overdueOnly = false
        public var reopenedOnly = false
        public var limit = 100

        public init() {}
    }

    /// Closed tickets matching `filter`, most recently closed first.
    public func audit(_ filter: AuditFilter) async throws -> [TicketRecord] {
        try await self.writer.read { db in
            var request = TicketRecord.filter(Column("state") == TicketState.closed.rawValue)
            if let gm = filter.gm { request = request.filter(sql: "closed_by = ? COLLATE NOCASE", arguments: [gm]) }
            if let category = filter.category { request = request.filter(Column("category") == category) }
            if let resolution = filter.resolution { request = request.filter(Column("resolution") == resolution.rawValue) }
            if let minimum = filter.minimumRating { request = request.filter(Column("rating") >= minimum) }
            if let maximum = filter.maximumRating { request = request.filter(Column("rating") <= maximum) }
            if let since = filter.since { request = request.filter(Column("closed_at") >= since) }
            if let until = filter.until { request = request.filter(Column("closed_at") < until) }
            if filter.overdueOnly { request = request.filter(Column("overdue") == true) }
            if filter.reopenedOnly { request = request.filter(Column("reopen_count") > 0) }
            return try request.order(Column("closed_at").desc, Column("id").desc).limit(filter.limit).fetchAll(db)
        }
    }

    /// Checks every event's links (`EventChain`): per ticket in order, then the global chain in the order written.
    /// Returns the first link that does not hold, if any. Reads one snapshot, so writes go on meanwhile.
    public func verifyChain() async throws -> EventChain.Verification {
        try await self.writer.read { db in
            var count = 0
            // Per ticket: sequence numbers 1, 2, … without gaps, each linked to the one before.
            var currentTicket: Int64 = -1
            var expectedSeq: Int64 = 1
            var previous: Data?
            let perTicket = try EventRecord.fetchCursor(db, sql: "SELECT * FROM events ORDER BY ticket_id, seq")
            while let event = try perTicket.next() {
                count += 1
                if event.ticketID != currentTicket {
                    currentTicket = event.ticketID
                    expectedSeq = 1
                    previous = nil
                }
                func broken(_ reason: String) -> EventChain.Verification {
                    EventChain.Verification(
                        events: count, head: Data(),
                        broken: EventChain.BrokenLink(
                            ticketID: event.ticketID, seq: event.seq, chainSeq: event.chainSeq, reason: reason))
                }
                if event.seq != expectedSeq {
                    return broken("event \(expectedSeq) of ticket \(event.ticketID) is missing (next stored is \(event.seq))")
                }
                let recomputed = EventChain.link(event, previousInTicket: previous, head: .genesis)
                if event.previousHash != recomputed.previousHash {
                    return broken("its link to the ticket's previous event does not match: an event before it was changed or removed")
                }
                if event.hash != recomputed.hash {
                    return broken("its stored fields do not match its hash: the event was edited")
                }
                previous = event.hash
                expectedSeq += 1
            }
            // Globally: chain_seq 1, 2, … in order, each chain hash over the one before.
            var head = EventChain.Link.genesis
            var chained = 0
            let global = try EventRecord.fetchCursor(db, sql: "SELECT * FROM events ORDER BY chain_seq")
            while let event = try global.next() {
                chained += 1
                func broken(_ reason: String) -> EventChain.Verification {
                    EventChain.Verification(
                        events: count, head: head.chainHash,
                        broken: EventChain.BrokenLink(
                            ticketID: event.ticketID, seq: event.seq, chainSeq: event.chainSeq, reason: reason))
                }
                guard let chainSeq = event.chainSeq, let hash = event.hash else {
                    return broken("the event is outside the chain (no chain position): it was inserted directly")
                }
                if chainSeq != head.chainSeq + 1 {
                    return broken("chain position \(head.chainSeq + 1) is missing (next stored is \(chainSeq)): an event was removed")
                }
                var expected = head
                expected.chainSeq = chainSeq - 1
                let link = EventChain.link(event, previousInTicket: event.previousHash, head: expected)
                if link.hash != hash || event.chainHash != link.chainHash {
                    return broken("its global chain hash does not match: the event or one before it was changed")
                }
                head = link
            }
            if chained != count {
                return EventChain.Verification(
                    events: count, head: head.chainHash,
                    broken: EventChain.BrokenLink(
                        ticketID: 0, seq: 0, chainSeq: nil, reason: "\(count - chained) events are outside the global chain"))
            }
            return EventChain.Verification(events: count, head: head.chainHash, broken: nil)
        }
    }

    /// The report's input: every ticket opened in [since, until) of `category` and handled by `gm` (nil: any),
    /// with overdue judged as of `now` for tickets still open.
    public func reportTickets(since: Int64, until: Int64, category: String?, gm: String?, now: Date) async throws
        -> [Report.Ticket]
    {
        let levels = self.serviceLevels
        return try await self.writer.read { db in
            var request = TicketRecord.filter(Column("created_at") >= since && Column("created_at") < until)
            if let category { request = request.filter(Column("category") == category) }
            return try request.fetchAll(db).compactMap { ticket -> Report.Ticket? in
                let handler = ticket.closedBy ?? ticket.assigneeName
                if let gm, handler?.caseInsensitiveCompare(gm) != .orderedSame { return nil }
                let clock = ServiceClock(target: levels.target(for: ticket.category))
                let overdue = ticket.state == .closed
                    ? ticket.overdue : clock.isOverdue(ticket.serviceTimes, now: now.milliseconds)
                return Report.Ticket(
                    category: ticket.category, gm: handler, createdAt: ticket.createdAt,
                    firstResponseAt: ticket.firstResponseAt, closedAt: ticket.state == .closed ? ticket.closedAt : nil,
                    overdue: overdue, reopenCount: ticket.reopenCount, rating: ticket.rating)
            }
        }
    }

    // MARK: Macros

    /// Adds or replaces the macro `name`.
    public func saveMacro(name: String, text: String, author: String, at now: Date) async throws {
        guard Macro.isValidName(name) else { throw StoreError.macroNameInvalid(name) }
        try await self.committer.write { db in
            try MacroRecord(name: name, text: text, author: author, createdAt: now.milliseconds).save(db)
        }
    }

    public func removeMacro(name: String) async throws {
        try await self.committer.write { db in
            guard try MacroRecord.deleteOne(db, key: name) else { throw StoreError.macroNotFound(name) }
        }
    }

    public func macros() async throws -> [MacroRecord] {
        try await self.writer.read { db in try MacroRecord.order(Column("name")).fetchAll(db) }
    }

    public func macro(named name: String) async throws -> MacroRecord {
        try await self.writer.read { db in
            guard let macro = try MacroRecord.fetchOne(db, key: name) else { throw StoreError.macroNotFound(name) }
            return macro
        }
    }
}

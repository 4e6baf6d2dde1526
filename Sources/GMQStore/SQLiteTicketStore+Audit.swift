import Foundation
import GMQCore
import GRDB

/// What moderators read: closed tickets by filter, the integrity of the history, and the report's figures.
extension SQLiteTicketStore {
    /// Closed tickets matching `filter`, most recently closed first.
    public func audit(_ filter: AuditFilter) async throws -> [Ticket] {
        try await self.writer.read { db in
            var request = Ticket.filter(Column("state") == TicketState.closed.rawValue)
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
            var verifier = EventChain.Verifier()
            let perTicket = try TicketEvent.fetchCursor(db, sql: "SELECT * FROM events ORDER BY ticket_id, seq")
            while let event = try perTicket.next() {
                if let broken = verifier.checkTicketOrder(event) { return broken }
            }
            let global = try TicketEvent.fetchCursor(db, sql: "SELECT * FROM events ORDER BY chain_seq")
            while let event = try global.next() {
                if let broken = verifier.checkChainOrder(event) { return broken }
            }
            // Every attachment's bytes against the hash its chained event names.
            var verification = verifier.finish()
            guard verification.broken == nil else { return verification }
            let attachments = try Row.fetchCursor(db, sql: """
                SELECT a.*, b.bytes, e.text FROM attachments a LEFT JOIN blobs b ON b.sha256 = a.sha256
                    LEFT JOIN events e ON e.ticket_id = a.ticket_id AND e.seq = a.event_seq
                ORDER BY a.ticket_id, a.number
                """)
            while let row = try attachments.next() {
                if let broken = EventChain.Verifier.checkAttachment(
                    Self.attachment(row), bytes: row["bytes"], eventSeq: row["event_seq"], eventText: row["text"])
                {
                    verification.broken = broken
                    return verification
                }
            }
            return verification
        }
    }

    /// The report's input: every ticket opened in [since, until) of `category` and handled by `gm` (nil: any),
    /// with overdue judged as of `now` for tickets still open.
    public func reportTickets(since: Int64, until: Int64, category: String?, gm: String?, now: Date) async throws
        -> [Report.Ticket]
    {
        try await self.writer.read { db in
            var request = Ticket.filter(Column("created_at") >= since && Column("created_at") < until)
            if let category { request = request.filter(Column("category") == category) }
            let tickets = try request.fetchAll(db)
            // Their events in one read, in order (`tickets_created`, then each ticket's events by its key).
            var events: [Int64: [TicketEvent]] = [:]
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT e.ticket_id, e.seq, e.kind, e.actor_id, e.actor_name, e.actor_role, e.at,
                        \(Self.reportEventText(on: "e")) AS text
                    FROM tickets t JOIN events e ON e.ticket_id = t.id
                    WHERE t.created_at >= ? AND t.created_at < ? AND (? IS NULL OR t.category = ?)
                    ORDER BY e.ticket_id, e.seq
                    """,
                arguments: [since, until, category, category])
            while let row = try rows.next() {
                let event = TicketEvent(
                    ticketID: row["ticket_id"], seq: row["seq"], kind: row["kind"], actorID: row["actor_id"],
                    actorName: row["actor_name"], actorRole: row["actor_role"], at: row["at"], text: row["text"])
                events[event.ticketID, default: []].append(event)
            }
            return tickets.compactMap { self.reportRow($0, events: events[$0.id] ?? [], gm: gm, now: now) }
        }
    }

    // MARK: Macros

    /// Adds or replaces the macro `name`.
    public func saveMacro(name: String, text: String, author: String, at now: Date) async throws {
        guard Macro.isValidName(name) else { throw StoreError.macroNameInvalid(name) }
        try await self.committer.write { db in
            let replaced = try SavedMacro.fetchOne(db, key: name) != nil
            try SavedMacro(name: name, text: text, author: author, createdAt: now.milliseconds).save(db)
            try Self.log(
                .macroSaved, target: name, detail: Macro.logDetail(text: text, replaced: replaced), by: author, at: now,
                in: db)
        }
    }

    public func removeMacro(name: String, by actor: String, at now: Date) async throws {
        try await self.committer.write { db in
            guard try SavedMacro.deleteOne(db, key: name) else { throw StoreError.macroNotFound(name) }
            try Self.log(.macroRemoved, target: name, detail: "removed", by: actor, at: now, in: db)
        }
    }

    public func macros() async throws -> [SavedMacro] {
        try await self.writer.read { db in try SavedMacro.order(Column("name")).fetchAll(db) }
    }

    public func macro(named name: String) async throws -> SavedMacro {
        try await self.writer.read { db in
            guard let macro = try SavedMacro.fetchOne(db, key: name) else { throw StoreError.macroNotFound(name) }
            return macro
        }
    }
}

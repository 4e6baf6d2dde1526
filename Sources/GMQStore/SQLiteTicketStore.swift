import Foundation
import GMQCore
import GRDB
import ServiceLifecycle

/// The embedded engine: the `TicketStore` contract in one SQLite file.
///
/// Every method that writes runs one transaction and returns only after it committed (WAL with
/// `synchronous=FULL`). SQLite has one writer, so read-check-write sequences such as CLAIM are atomic: two GMs
/// racing for a ticket are serialised and the lifecycle refuses the second. Only one process writes the file, so
/// `changes()` has nothing to report: the server hears its own changes directly.
public final class SQLiteTicketStore: TicketStore {
    let writer: any DatabaseWriter
    /// Every write goes through group commit; reads go straight to the pool.
    let committer: GroupCommitter
    /// Checkpoints beside the writer (`open`); nil where SQLite checkpoints inside commits.
    let checkpointer: Checkpointer?
    /// Service targets per category: a ticket's priority and deadlines.
    public let serviceLevels: ServiceLevels
    /// How much one player may add to one ticket.
    public let replyLimits: ReplyLimits

    /// Runs the migrations on `writer`; tests pass a pool on a temporary file.
    public convenience init(
        writer: any DatabaseWriter, serviceLevels: ServiceLevels = .standard, replyLimits: ReplyLimits = .standard,
        maximumQueuedWrites: Int = 20_000
    ) throws {
        try self.init(
            writer: writer, serviceLevels: serviceLevels, replyLimits: replyLimits,
            maximumQueuedWrites: maximumQueuedWrites, restartFrames: nil)
    }

    /// `restartFrames`: with a number, the writer's automatic checkpoint must be off (`configuration`) and a
    /// `Checkpointer` restarting the log after that many pages takes over; nil leaves checkpoints to SQLite.
    init(
        writer: any DatabaseWriter, serviceLevels: ServiceLevels, replyLimits: ReplyLimits, maximumQueuedWrites: Int,
        restartFrames: Int?, monitor: StoreMonitor = .none
    ) throws {
        self.writer = writer
        self.serviceLevels = serviceLevels
        self.replyLimits = replyLimits
        try Schema.migrator.migrate(writer)
        self.checkpointer = try restartFrames.map { try Checkpointer(path: writer.path, restartFrames: $0) }
        let memory = WriterMemory()
        self.committer = GroupCommitter(
            writer: writer, maximumQueued: maximumQueuedWrites, checkpointer: self.checkpointer, monitor: monitor,
            memory: memory
        ) { db in
            try memory.writeCounters(db)
            try Self.indexNewEvents(db, minimum: Self.searchBatch)
        }
    }

    deinit {
        self.committer.finish()
    }

    /// Adds the events that wait for the search index to it, when at least `minimum` wait: a transaction's
    /// commit indexes once `searchBatch` have gathered, a search (`search(_:view:)`) indexes whatever waits before
    /// it reads, so every search sees every committed event. A trigger per event ran inside each write's
    /// savepoint, where FTS5 flushes its pending terms to a new segment every time (60,000 submissions: 6,159/s
    /// with the trigger, 9,166/s without any index; `gmq-bench-store`); indexing every transaction still made a
    /// segment, a merge and their WAL pages per commit (see `searchBatch`). Then merges the index's segments by
    /// `searchMergePages` for each 64 events indexed (v19).
    @Sendable static func indexNewEvents(_ db: Database, minimum: Int64 = 1) throws {
        // The newest event indexed is kept beside the index: a scan of an external-content FTS5 table reads the
        // content table, not the index.
        let waiting = try Int64.fetchOne(db.cachedStatement(sql: """
            SELECT coalesce((SELECT max(chain_seq) FROM events), 0) - indexed FROM search_state
            """)) ?? 0
        guard waiting >= minimum else { return }
        try db.cachedStatement(sql: """
            INSERT INTO search (rowid, text)
            SELECT chain_seq, text FROM events WHERE chain_seq > (SELECT indexed FROM search_state)
            """).execute()
        try db.cachedStatement(sql: "INSERT INTO search (search, rank) VALUES ('merge', ?)")
            .execute(arguments: [Self.searchMergePages * max(1, Int((waiting + 63) / 64))])
        try db.cachedStatement(sql: "UPDATE search_state SET indexed = indexed + ?").execute(arguments: [waiting])
    }

    /// Events that wait before a commit indexes them. Indexing each batch's events at its commit, in batches of
    /// 6.6 submissions (open loop at 2,800/s after 20 s of closed loop), was 19.6% of the writer thread's samples
    /// and made a new segment and a merge step per commit.
    static let searchBatch: Int64 = 256

    /// Pages of the search index's segments merged per 64 events indexed (FTS5's `merge` command), now that
    /// FTS5 merges nothing by itself (v19). Its own merges came in steps of 5 to 44 ms inside single batches, which
    /// were the open loop's p99: 1,800 submissions/s, 256 connections, 15 s, p99 21.6 and 28.1 ms with them, 9.8 and
    /// 10.0 ms with no index at all, 13.2 ms with 16 pages a batch (64: 15.6 ms); alternated pairs with the final
    /// build, 19.1, 13.4 and 15.8 ms against 27.8, 22.8 and 22.3 ms (a fourth pair, right after a build, 332 against
    /// 51 ms, both disturbed). After 30 s of the closed loop (110,000 events) the index had 12 segments, against 9
    /// with FTS5's merging: 16 pages a batch keep up.
    static let searchMergePages = 16

    /// The writer thread runs from `init` (so that one-shot commands need no service group); this keeps it until
    /// graceful shutdown, then lets it drain what is queued and stop. Writes after that are refused as busy.
    public func run() async throws {
        try? await gracefulShutdown()
        self.committer.finish()
    }

    public func changes() -> AsyncStream<StoreChange> { AsyncStream { $0.finish() } }

    /// One process: its own view is everyone's.
    public func sharePresence(node: String, local: [Int64: StaffPresenceEntry], at now: Date) async throws
        -> [Int64: StaffPresenceEntry]
    {
        local
    }

    /// Transactions and writes committed so far: writes per transaction is the group-commit batch size.
    public var commitStatistics: (transactions: Int, writes: Int, largestBatch: Int) {
        let counts = self.committer.counts
        return (counts.transactions, counts.writes, counts.largestBatch)
    }

    /// Opens (creating if needed) the database file at `path` as a WAL-mode pool with durable commits.
    /// `monitor` hears of every group transaction (the operator's metrics).
    public static func open(
        path: String, serviceLevels: ServiceLevels = .standard, replyLimits: ReplyLimits = .standard,
        monitor: StoreMonitor = .none
    ) throws -> SQLiteTicketStore {
        try DataDirectory.createPrivately(path)
        return try SQLiteTicketStore(
            writer: DatabasePool(path: path, configuration: Self.configuration), serviceLevels: serviceLevels,
            replyLimits: replyLimits, maximumQueuedWrites: 20_000, restartFrames: 4_096, monitor: monitor)
    }

    /// The connections' settings; checkpoints are the `Checkpointer`'s.
    static var configuration: Configuration {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            // FULL: a commit returns only after the WAL is fsynced, so an acknowledged request survives power loss.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // Every group-committed write runs in its own savepoint, and SQLite copies each page a savepoint
            // changes into a statement journal first: in memory instead of a temporary file, that is a copy instead
            // of two write calls. Store-only benchmark (`gmq-bench-store`): 2.88 GB written per 60,000 submissions
            // → 0.52 GB, 7,800 → 8,900 submissions/s.
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            // Checkpoints run on the Checkpointer's connection, beside the writer instead of inside its commits.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
        }
        return configuration
    }

    // MARK: Categories

    public func categories() async throws -> [Category] {
        try await self.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT id, title FROM categories ORDER BY rowid").map {
                Category(id: $0["id"], title: $0["title"])
            }
        }
    }

    /// Adds a category; its queue starts empty. Ids are stable snake_case names used on the wire.
    public func addCategory(id: String, title: String, by actor: String, at now: Date) async throws -> Category {
        guard Category.isValidID(id) else { throw StoreError.categoryIDInvalid(id) }
        return try await self.committer.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM categories WHERE id = ?", arguments: [id]) != nil {
                throw StoreError.categoryExists(id)
            }
            try db.execute(sql: "INSERT INTO categories (id, title) VALUES (?, ?)", arguments: [id, title])
            try Self.log(.categoryAdded, target: id, detail: "title \(title)", by: actor, at: now, in: db)
            return Category(id: id, title: title)
        }
    }

    // MARK: Players

    /// In one transaction: adds the text to the player's open ticket that it repeats, or refuses it when the player
    /// has too many open tickets, or stores a new ticket and its `submitted` event.
    public func submit(_ submission: Submission, policy: SubmitPolicy, at now: Date) async throws
        -> SubmitOutcome
    {
        // Without a savepoint (GroupCommitter.write): a submission fails on a category that does not exist, before
        // it writes, and otherwise only if the database does.
        try await self.committer.write(inSavepoint: false) { db in
            // Every category has a queue_depth row (kept by triggers, and for new tickets by the writer at the end
            // of each transaction): one read checks the category and gives the new ticket's place, the newest open
            // ticket of its category being last.
            let memory = self.committer.memory
            guard let depth = try Int.fetchOne(
                db.cachedStatement(sql: "SELECT open FROM queue_depth WHERE category = ?"),
                arguments: [submission.category]).map({ $0 + memory.pending(queue: submission.category) })
            else {
                let known = try String.fetchAll(db, sql: "SELECT id FROM categories ORDER BY rowid")
                throw StoreError.unknownCategory(submission.category, known: known)
            }
            // Only the player's newest open tickets of the category are compared, so the cost of the check inside
            // the writer's transaction stays bounded however many tickets a player has open. The index gives their
            // ids in order (v18), and the writer remembers the fingerprints it stored (`WriterMemory`): a row is
            // read only for a ticket it does not remember, and its text only for one from before fingerprints (v4).
            let repeated = try Int64.fetchAll(
                db.cachedStatement(sql: Self.duplicateCandidates), arguments: [submission.player.id, submission.category]
            ).first { id in
                if let fingerprint = memory.fingerprint(of: id) { return policy.isDuplicate("", fingerprint) }
                let row = try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT content_words, text FROM tickets WHERE id = ?"), arguments: [id])
                let fingerprint: Data? = row?[0]
                return policy.isDuplicate(fingerprint == nil ? row?[1] ?? "" : "", fingerprint)
            }
            if let repeated, let existing = try Self.ticket(repeated, in: db) {
                let replies = try Self.playerReplies(on: existing, in: db)
                if !SubmitPolicy.merges(submission, into: existing, replies: replies, limits: self.replyLimits, now: now) {
                    return .folded(existing, position: try Self.position(of: existing, in: db))
                }
                let change = try self.apply(
                    .reply(substantive: true), to: existing, by: submission.player, text: submission.text, at: now,
                    in: db)
                return .merged(change, position: try Self.position(of: change.ticket, in: db))
            }
            // Kept by triggers (migration v7): counting the player's open tickets here cost in proportion to them,
            // 18% of the writer's time once the benchmark's 256 players had ~600 open tickets each.
            let openCount = try (Int.fetchOne(
                db.cachedStatement(sql: "SELECT open FROM open_tickets_by_player WHERE player_id = ?"),
                arguments: [submission.player.id]) ?? 0) + memory.pending(player: submission.player.id)
            if openCount >= policy.openLimit {
                return .openLimitReached(try Int64.fetchAll(
                    db, sql: "SELECT id FROM tickets WHERE player_id = ? AND state != 'closed' ORDER BY id LIMIT 20",
                    arguments: [submission.player.id]))
            }

            let ms = now.milliseconds
            let context = submission.context
            let target = self.serviceLevels.target(for: submission.category)
            var ticket = Ticket(id: 0, submission: submission, target: target, at: ms)
            try db.cachedStatement(sql: """
                    INSERT INTO tickets (category, state, player_id, player_name, text, realm, character_id,
                        character_name, map_id, zone, x, y, z, client_build, created_at, updated_at, content_words,
                        priority, due_at, incident_id)
                    VALUES (?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(
                arguments: [
                    submission.category, submission.player.id, submission.player.name, submission.text,
                    context.realm, context.characterID, context.characterName, context.mapID, context.zone,
                    context.x, context.y, context.z, context.clientBuild, ms, ms, submission.fingerprint,
                    ticket.priority, ticket.dueAt, submission.incident,
                ])
            ticket.id = db.lastInsertedRowID
            memory.inserted(player: ticket.playerID, queue: ticket.isQueued ? ticket.category : nil)
            if let fingerprint = submission.fingerprint { memory.stored(fingerprint, of: ticket.id) }
            _ = try self.append(
                TicketEvent(
                    ticketID: ticket.id, seq: 1, kind: .submitted, actorID: submission.player.id,
                    actorName: submission.player.name, actorRole: .player, at: ms, text: submission.text),
                previousInTicket: nil, in: db)
            return .created(ticket, position: ticket.isQueued ? depth + 1 : 0)
        }
    }

    /// A player's newest open tickets of a category, the duplicate check's candidates: from the index alone.
    static let duplicateCandidates = """
        SELECT id FROM tickets WHERE player_id = ? AND state != 'closed' AND category = ?
        ORDER BY id DESC LIMIT \(SubmitPolicy.duplicateCandidates)
        """

    /// One ticket by id through a cached statement: the query interface would prepare (and authorize) the
    /// statement again on every call, which showed as 12% of the writer's time under load (perf).
    static func ticket(_ id: Int64, in db: Database) throws -> Ticket? {
        try Ticket.fetchOne(db.cachedStatement(sql: "SELECT * FROM tickets WHERE id = ?"), arguments: [id])
    }

    /// 1-based place of an open ticket in its category's queue, in urgency order; 0 for a ticket not in the queue.
    public func position(of ticket: Ticket) async throws -> Int {
        try await self.writer.read { db in try Self.position(of: ticket, in: db) }
    }

    private static func position(of ticket: Ticket, in db: Database) throws -> Int {
        guard ticket.isQueued else { return 0 }
        return try Int.fetchOne(
            db.cachedStatement(sql: """
                SELECT COUNT(*) FROM tickets WHERE category = ? AND state = 'open' AND incident_id IS NULL
                    AND (priority > ? OR (priority = ? AND (due_at < ? OR (due_at = ? AND id <= ?))))
                """),
            arguments: [ticket.category, ticket.priority, ticket.priority, ticket.dueAt, ticket.dueAt, ticket.id]) ?? 0
    }

    /// A player's tickets, newest first.
    public func tickets(ofPlayer playerID: Int64, limit: Int) async throws -> [Ticket] {
        try await self.writer.read { db in
            try Ticket.fetchAll(
                db.cachedStatement(sql: "SELECT * FROM tickets WHERE player_id = ? ORDER BY id DESC LIMIT ?"),
                arguments: [playerID, limit])
        }
    }

    public func closedTickets(ofPlayers players: [Int64], since: Int64, limit: Int) async throws -> [Ticket] {
        try await self.writer.read { db in
            let statement = try db.cachedStatement(sql: """
                SELECT * FROM tickets INDEXED BY tickets_player_closed
                WHERE player_id = ? AND state = 'closed' AND closed_at >= ? ORDER BY closed_at DESC LIMIT ?
                """)
            return try players.flatMap { try Ticket.fetchAll(statement, arguments: [$0, since, limit]) }
        }
    }

    // MARK: Reading tickets

    /// Ticket `id` as `access` may see it: a player asking for a ticket that is not theirs learns only that they
    /// have no such ticket, as for one that does not exist; a GM is refused tickets outside their categories.
    public func ticket(_ id: Int64, as access: Access) async throws -> Ticket {
        try await self.writer.read { db in try Self.ticket(id, as: access, in: db) }
    }

    /// Ticket `id` for the server's own use (lease expiry, macro placeholders after an access check).
    public func ticket(_ id: Int64) async throws -> Ticket {
        try await self.writer.read { db in
            guard let ticket = try Self.ticket(id, in: db) else { throw StoreError.ticketNotFound(id) }
            return ticket
        }
    }

    /// Reads ticket `id` and checks that `access` reaches it (`Access.check`), inside the caller's transaction.
    static func ticket(_ id: Int64, as access: Access, in db: Database) throws -> Ticket {
        try access.reach(try Self.ticket(id, in: db), id: id)
    }

    /// The ticket's events in order.
    public func history(of ticketID: Int64) async throws -> [TicketEvent] {
        try await self.writer.read { db in
            try TicketEvent.fetchAll(
                db.cachedStatement(sql: "SELECT * FROM events WHERE ticket_id = ? ORDER BY seq"), arguments: [ticketID])
        }
    }

    /// Up to `limit` events of a ticket with a sequence number above `after`, in order, and how many events the
    /// history holds in all; only those `view` shows (what a player or a version 1 client may see).
    public func history(of ticketID: Int64, after: Int64, limit: Int, view: HistoryView) async throws
        -> (events: [TicketEvent], total: Int)
    {
        try await self.writer.read { db in
            let notes = view.sqlCondition
            let events = try TicketEvent.fetchAll(
                db.cachedStatement(sql: "SELECT * FROM events WHERE ticket_id = ? AND seq > ? \(notes) ORDER BY seq LIMIT ?"),
                arguments: [ticketID, after, limit])
            let total = try Int.fetchOne(
                db.cachedStatement(sql: "SELECT COUNT(*) FROM events WHERE ticket_id = ? \(notes)"), arguments: [ticketID]) ?? 0
            return (events, total)
        }
    }

    /// Tickets in `states` of `categories` (nil: all), most urgent first: priority, then the next deadline, then
    /// age. The order GMs work them in; the index `tickets_urgency` serves it without sorting the queue.
    /// `holder` narrows it to the tickets one GM holds.
    public func queue(categories: [String]?, states: [TicketState], holder: Int64?, limit: Int) async throws
        -> [Ticket]
    {
        try await self.writer.read { db in
            // A ticket linked to an incident waits with the incident, not in the queue (`tickets(ofIncident:)`).
            var request = Self.inCategories(categories, Ticket.filter(states.contains(Column("state"))))
                .filter(sql: "(incident_id IS NULL OR state != 'open')")
            if let holder { request = request.filter(Column("assignee_id") == holder) }
            return try request.order(Self.urgency).limit(limit).fetchAll(db)
        }
    }

    static var urgency: [any SQLOrderingTerm] { [Column("priority").desc, Column("due_at"), Column("id")] }

    /// Restricts `request` to `categories`, nil meaning all. "All" is spelled as the categories table rather than
    /// no condition, so that SQLite walks the urgency index (category, state, …) instead of every ticket in id
    /// order: with 100,000 open tickets behind 900,000 closed ones, QUEUE's first page took 110 ms without it and
    /// 0.5 ms with it (`Tools/bench/run`).
    private static func inCategories(
        _ categories: [String]?, _ request: QueryInterfaceRequest<Ticket>
    ) -> QueryInterfaceRequest<Ticket> {
        guard let categories else { return request.filter(sql: "category IN (SELECT id FROM categories)") }
        return request.filter(categories.contains(Column("category")))
    }

    // MARK: Changing tickets

    /// Applies `command` by `access`'s actor to ticket `id` in one transaction: checks that the actor reaches the
    /// ticket and that the lifecycle allows the step, updates the ticket, appends the event and, where the step
    /// notifies the player, queues a notification.
    public func apply(
        _ command: TicketLifecycle.Command, to id: Int64, as access: Access, text: String, at now: Date
    ) async throws -> TicketChange {
        try await self.committer.write { db in
            let ticket = try Self.ticket(id, as: access, in: db)
            if case .reply = command, access.actor.role == .player {
                let replies = try Self.playerReplies(on: ticket, in: db)
                do throws(ReplyLimits.Refusal) {
                    try self.replyLimits.check(replies: replies.count, recent: replies.map(\.at), now: now)
                } catch {
                    throw StoreError.replyLimit(error, ticketID: ticket.id)
                }
            }
            return try self.apply(command, to: ticket, by: access.actor, text: text, at: now, in: db)
        }
    }

    /// The owner's replies on `ticket` (merged submissions included), newest first: what `ReplyLimits` counts.
    /// At most `perTicket` of them exist, so the read is bounded.
    private static func playerReplies(on ticket: Ticket, in db: Database) throws -> [(at: Date, text: String)] {
        try Row.fetchAll(
            db.cachedStatement(sql: """
                SELECT at, text FROM events WHERE ticket_id = ? AND actor_id = ? AND actor_role = 'player'
                    AND kind IN ('replied', 'reopened') ORDER BY seq DESC
                """),
            arguments: [ticket.id, ticket.playerID]
        ).map { (Date(milliseconds: $0["at"]), $0["text"]) }
    }

    /// Claims the most urgent open ticket for `access`'s actor: in `category`, which they must work, or (empty) in
    /// any category they work.
    public func claimNext(category: String, as access: Access, at now: Date) async throws -> TicketChange {
        let categories = try access.queueScope(requested: category)
        return try await self.committer.write { db in
            let request = Self.inCategories(categories, Ticket.filter(Column("state") == TicketState.open.rawValue))
                .filter(Column("incident_id") == nil)
            guard let ticket = try request.order(Self.urgency).fetchOne(db) else { throw StoreError.queueEmpty(categories: categories) }
            return try self.apply(.claim, to: ticket, by: access.actor, text: "", at: now, in: db)
        }
    }

    /// Runs `command` through `TicketEffects` and writes what it decided: the ticket's row, the event (chained),
    /// and the player's notification.
    func apply(
        _ command: TicketLifecycle.Command, detail: TicketEffects.Detail = .none, to ticket: Ticket, by actor: Actor,
        text: String, at now: Date, in db: Database
    ) throws -> TicketChange {
        let step = try TicketEffects.step(
            command, detail: detail, to: ticket, by: actor, at: now, levels: self.serviceLevels)
        if step.changed { try step.ticket.update(db) }
        let previous = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT seq, hash FROM events WHERE ticket_id = ? ORDER BY seq DESC LIMIT 1"),
            arguments: [ticket.id])
        let records = TicketEffects.records(of: step, by: actor, text: text, seq: (previous?["seq"] ?? 0) + 1, at: now)
        let event = try self.append(records.event, previousInTicket: previous?["hash"], in: db)
        var notification = records.notification
        if var record = notification {
            try record.insert(db)
            record.id = db.lastInsertedRowID
            notification = record
        }
        return TicketChange(ticket: step.ticket, event: event, notification: notification)
    }

    /// Inserts `event` with its links to the previous event of its ticket and to the global chain's head, which
    /// the writer remembers (`WriterMemory`) and reads only when it does not. Should another connection have
    /// appended meanwhile, the remembered head is behind, and the unique chain position refuses the event: the head
    /// is then read again, once.
    func append(_ event: TicketEvent, previousInTicket: Data?, in db: Database) throws -> TicketEvent {
        let memory = self.committer.memory
        do {
            return try Self.append(event, previousInTicket: previousInTicket, head: memory.head, memory: memory, in: db)
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            memory.forgetHead()
            return try Self.append(event, previousInTicket: previousInTicket, head: nil, memory: memory, in: db)
        }
    }

    private static func append(
        _ event: TicketEvent, previousInTicket: Data?, head: EventChain.Link?, memory: WriterMemory, in db: Database
    ) throws -> TicketEvent {
        let head = try head ?? {
            let head = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT chain_seq, chain_hash FROM events ORDER BY chain_seq DESC LIMIT 1")
            ).flatMap { row -> EventChain.Link? in
                guard let seq: Int64 = row[0], let hash: Data = row[1] else { return nil }
                return .head(chainSeq: seq, chainHash: hash)
            } ?? .genesis
            memory.knowHead(head)
            return head
        }()
        let link = EventChain.link(event, previousInTicket: previousInTicket, head: head)
        let linked = event.linked(link)
        try db.cachedStatement(sql: """
            INSERT INTO events (ticket_id, seq, kind, actor_id, actor_name, actor_role, at, text,
                chain_seq, prev_hash, hash, chain_hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        ).execute(arguments: [
            linked.ticketID, linked.seq, linked.kind, linked.actorID, linked.actorName, linked.actorRole, linked.at,
            linked.text, linked.chainSeq, linked.previousHash, linked.hash, linked.chainHash,
        ])
        memory.appended(link)
        return linked
    }

    /// Moves a ticket to `category`'s queue, unclaimed; its deadlines follow the new category's targets and its
    /// priority is at least the new category's.
    public func transfer(_ id: Int64, to category: String, as access: Access, text: String, at now: Date) async throws
        -> TicketChange
    {
        try await self.committer.write { db in
            let ticket = try Self.ticket(id, as: access, in: db)
            let known = try String.fetchAll(db, sql: "SELECT id FROM categories ORDER BY rowid")
            guard known.contains(category) else { throw StoreError.unknownCategory(category, known: known) }
            try access.checkTransfer(ticket.target, to: category)
            return try self.apply(
                .transfer, detail: .transfer(to: category, priority: self.serviceLevels.target(for: category).priority),
                to: ticket, by: access.actor, text: text, at: now, in: db)
        }
    }

    /// Records the owner's rating (1–5) of a closed ticket, once per close.
    public func rate(_ id: Int64, as access: Access, stars: Int, comment: String, at now: Date) async throws -> TicketChange {
        let player = access.actor
        return try await self.committer.write { db in
            let ticket = try Self.ticket(id, as: access, in: db)
            return try self.apply(
                .rate, detail: .rating(stars: stars), to: ticket, by: player,
                text: TicketEffects.ratingText(stars: stars, comment: comment), at: now, in: db)
        }
    }

    /// Returns a claimed ticket to the queue because its holder's lease ran out; `reason` says why, in the event.
    public func expireLease(_ id: Int64, holder: Actor, reason: String, at now: Date) async throws -> TicketChange {
        try await self.committer.write { db in
            guard let ticket = try Self.ticket(id, in: db) else { throw StoreError.ticketNotFound(id) }
            return try self.apply(.expireLease, to: ticket, by: holder, text: reason, at: now, in: db)
        }
    }

    /// Claimed tickets and their holders: what the lease keeper checks.
    public func claims() async throws -> [(ticketID: Int64, holder: Actor)] {
        try await self.writer.read { db in
            try Ticket.fetchAll(
                db, sql: """
                    SELECT * FROM tickets WHERE state = 'claimed' AND category IN (SELECT id FROM categories)
                    """
            ).compactMap { ticket in ticket.assignee.map { (ticket.id, $0) } }
        }
    }

    /// Seconds from opening to first response of the latest `limit` tickets of `category` that had one, newest
    /// first: what a new request's estimated wait is drawn from.
    public func recentFirstResponses(in category: String, limit: Int) async throws -> [(openedAt: Int64, respondedAt: Int64)] {
        try await self.writer.read { db in
            try Row.fetchAll(
                db.cachedStatement(sql: """
                    SELECT created_at, first_response_at FROM tickets
                    WHERE category = ? AND first_response_at IS NOT NULL ORDER BY first_response_at DESC LIMIT ?
                    """),
                arguments: [category, limit]
            ).map { ($0[0], $0[1]) }
        }
    }

    // MARK: Operations

    /// Per category the count `queue_depth` keeps and the oldest open ticket through the queue index (its first
    /// entry): a read of a few rows per category, whatever the number of tickets.
    public func statistics() async throws -> StoreStatistics {
        try await self.writer.read { db in
            let queues = try Row.fetchAll(db, sql: "SELECT category, open FROM queue_depth ORDER BY category").map { row in
                let category: String = row["category"]
                let oldest = try Int64.fetchOne(
                    db.cachedStatement(sql: """
                        SELECT created_at FROM tickets WHERE category = ? AND state = 'open' AND incident_id IS NULL
                        ORDER BY id LIMIT 1
                        """),
                    arguments: [category])
                return StoreStatistics.Queue(category: category, open: row["open"], oldestOpenAt: oldest)
            }
            let pending = try Int.fetchOne(db, sql: "SELECT count(*) FROM notifications WHERE acked_at IS NULL") ?? 0
            return StoreStatistics(queues: queues, pendingNotifications: pending)
        }
    }

    // MARK: Notifications

    /// Notifications the player has not acknowledged, oldest first.
    public func pendingNotifications(for playerID: Int64) async throws -> [PlayerNotification] {
        try await self.writer.read { db in
            try PlayerNotification.fetchAll(
                db.cachedStatement(sql: "SELECT * FROM notifications WHERE player_id = ? AND acked_at IS NULL ORDER BY id"),
                arguments: [playerID])
        }
    }

    public func notification(_ id: Int64) async throws -> PlayerNotification? {
        try await self.writer.read { db in try PlayerNotification.fetchOne(db, key: id) }
    }

    public func pendingNotifications(forPlayers players: [Int64]) async throws -> [PlayerNotification] {
        try await self.writer.read { db in
            try PlayerNotification.filter(players.contains(Column("player_id")) && Column("acked_at") == nil)
                .order(Column("id")).fetchAll(db)
        }
    }

    /// Marks a notification seen. Acknowledging twice is harmless; another player's notification is not found.
    public func acknowledge(notification id: Int64, player playerID: Int64, at now: Date) async throws {
        try await self.committer.write { db in
            try db.cachedStatement(
                sql: "UPDATE notifications SET acked_at = ? WHERE id = ? AND player_id = ? AND acked_at IS NULL"
            ).execute(arguments: [now.milliseconds, id, playerID])
            if db.changesCount == 0,
                try Bool.fetchOne(
                    db.cachedStatement(sql: "SELECT 1 FROM notifications WHERE id = ? AND player_id = ?"), arguments: [id, playerID])
                    == nil
            {
                throw StoreError.notificationNotFound(id)
            }
        }
    }

    // MARK: Staff

    public func addStaff(
        name: String, role: Role, keyHash: String, categories: [String], expiresAt: Int64?, by actor: String,
        at now: Date
    ) async throws -> StaffAccount {
        try await self.committer.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM staff WHERE name = ?", arguments: [name]) != nil {
                throw StoreError.staffNameTaken(name)
            }
            let known = Set(try String.fetchAll(db, sql: "SELECT id FROM categories"))
            if let unknown = categories.first(where: { !known.contains($0) }) {
                throw StoreError.unknownCategory(unknown, known: known.sorted())
            }
            var record = StaffAccount(
                id: nil, name: name, role: role, keyHash: keyHash, categories: categories.joined(separator: ","),
                createdAt: now.milliseconds, expiresAt: expiresAt)
            try record.insert(db)
            record.id = db.lastInsertedRowID
            try Self.log(.staffAdded, target: name, detail: StaffAdministration.added(record), by: actor, at: now, in: db)
            return record
        }
    }

    public func staff(keyHash: String) async throws -> StaffAccount? {
        try await self.writer.read { db in
            try StaffAccount.fetchOne(db.cachedStatement(sql: "SELECT * FROM staff WHERE key_hash = ?"), arguments: [keyHash])
        }
    }

    public func staffAccount(id: Int64) async throws -> StaffAccount? {
        try await self.writer.read { db in try StaffAccount.fetchOne(db, key: id) }
    }

    public func staffAccounts() async throws -> [StaffAccount] {
        try await self.writer.read { db in
            try StaffAccount.fetchAll(db.cachedStatement(sql: "SELECT * FROM staff ORDER BY name, id"))
        }
    }

    public func changeStaff(named name: String, _ change: StaffChange, by actor: String, at now: Date) async throws
        -> StaffChangeResult
    {
        try await self.committer.write { db in
            let accounts = try StaffAccount.fetchAll(db, sql: "SELECT * FROM staff")
            guard let account = accounts.first(where: { $0.name.caseInsensitiveCompare(name) == .orderedSame }) else {
                throw StaffChangeError.notFound(name)
            }
            if case .set(_, let categories?, _) = change {
                let known = Set(try String.fetchAll(db, sql: "SELECT id FROM categories"))
                if let unknown = categories.first(where: { !known.contains($0) }) {
                    throw StoreError.unknownCategory(unknown, known: known.sorted())
                }
            }
            let outcome = try StaffAdministration.apply(change, to: account, among: accounts, at: now.milliseconds)
            try outcome.account.update(db)
            try Self.log(outcome.action, target: account.name, detail: outcome.detail, by: actor, at: now, in: db)
            var released: [TicketChange] = []
            if outcome.releasesClaims, let id = account.id {
                let reason = StaffAdministration.releaseReason(holder: account.name, because: outcome.action)
                for ticket in try Ticket.fetchAll(
                    db, sql: "SELECT * FROM tickets WHERE state = 'claimed' AND assignee_id = ? ORDER BY id", arguments: [id])
                {
                    released.append(try self.apply(.expireLease, to: ticket, by: account.actor, text: reason, at: now, in: db))
                }
            }
            return StaffChangeResult(account: outcome.account, released: released)
        }
    }

    // MARK: Incidents

    private static let incidentColumns = """
        i.id, i.title, i.category, i.match_text, i.build, i.zone, i.message, i.opened_by, i.opened_at, i.closed_by,
        i.closed_at, (SELECT count(*) FROM tickets t WHERE t.incident_id = i.id) AS linked,
        (SELECT count(*) FROM tickets t WHERE t.incident_id = i.id AND t.state != 'closed') AS still_open
        """

    private static func incident(_ row: Row) -> Incident {
        Incident(
            id: row["id"], title: row["title"], category: row["category"], match: row["match_text"], build: row["build"],
            zone: row["zone"], message: row["message"], openedBy: row["opened_by"], openedAt: row["opened_at"],
            closedBy: row["closed_by"], closedAt: row["closed_at"], linked: row["linked"], open: row["still_open"])
    }

    private static func incident(_ id: Int64, in db: Database) throws -> Incident? {
        try Row.fetchOne(db, sql: "SELECT \(Self.incidentColumns) FROM incidents i WHERE i.id = ?", arguments: [id])
            .map(Self.incident)
    }

    public func openIncident(_ incident: Incident, by actor: String, at now: Date) async throws -> Incident {
        try await self.committer.write { db in
            let known = try String.fetchAll(db, sql: "SELECT id FROM categories ORDER BY rowid")
            guard known.contains(incident.category) else {
                throw StoreError.unknownCategory(incident.category, known: known)
            }
            try db.execute(
                sql: """
                    INSERT INTO incidents (title, category, match_text, build, zone, message, opened_by, opened_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    incident.title, incident.category, incident.match, incident.build, incident.zone, incident.message,
                    actor, now.milliseconds,
                ])
            let id = db.lastInsertedRowID
            try Self.log(
                .incidentOpened, target: "incident \(id)", detail: IncidentText.logDetail(incident), by: actor, at: now,
                in: db)
            return try Self.incident(id, in: db)!
        }
    }

    public func incidents(includingClosed: Bool) async throws -> [Incident] {
        try await self.writer.read { db in
            let open = includingClosed ? "" : "WHERE i.closed_at IS NULL"
            return try Row.fetchAll(db, sql: "SELECT \(Self.incidentColumns) FROM incidents i \(open) ORDER BY i.id DESC")
                .map(Self.incident)
        }
    }

    public func incident(_ id: Int64) async throws -> Incident? {
        try await self.writer.read { db in try Self.incident(id, in: db) }
    }

    public func closeIncident(_ id: Int64, by actor: String, at now: Date) async throws -> Incident {
        try await self.committer.write { db in
            guard let incident = try Self.incident(id, in: db) else { throw StoreError.incidentNotFound(id) }
            guard incident.isOpen else { throw StoreError.incidentClosed(id) }
            try db.execute(
                sql: "UPDATE incidents SET closed_by = ?, closed_at = ? WHERE id = ?",
                arguments: [actor, now.milliseconds, id])
            // Its tickets still open go back to their queue (the triggers count them in again).
            try db.execute(
                sql: "UPDATE tickets SET incident_id = NULL WHERE incident_id = ? AND state != 'closed'", arguments: [id])
            try Self.log(
                .incidentClosed, target: "incident \(id)", detail: "\(incident.open) open tickets back in the queue",
                by: actor, at: now, in: db)
            return try Self.incident(id, in: db)!
        }
    }

    /// One transaction for every linked ticket: SQLite's single writer takes them in turn without a round trip.
    public func answerIncident(_ id: Int64, text: String, close: Resolution?, as access: Access, at now: Date)
        async throws -> IncidentAnswer
    {
        try await self.committer.write { db in
            guard let incident = try Self.incident(id, in: db) else { throw StoreError.incidentNotFound(id) }
            _ = try access.queueScope(requested: incident.category)
            let tickets = try Ticket.fetchAll(
                db, sql: "SELECT * FROM tickets WHERE incident_id = ? AND state != 'closed' ORDER BY id", arguments: [id])
            var changes: [TicketChange] = []
            var skipped = incident.linked - tickets.count
            let recorded = Incident.answerText(text, incident: id)
            for ticket in tickets {
                do {
                    changes.append(try self.apply(
                        .answerIncident(close: close), to: ticket, by: access.actor, text: recorded, at: now, in: db))
                } catch StoreError.refused {
                    skipped += 1
                }
            }
            try Self.log(
                .incidentAnswered, target: "incident \(id)",
                detail: IncidentText.answerDetail(answered: changes.count, skipped: skipped, close: close, text: text),
                by: access.actor.name, at: now, in: db)
            return IncidentAnswer(incident: id, changes: changes, skipped: skipped)
        }
    }

    public func linkIncident(_ id: Int64, tickets ids: [Int64], examples: [String], as access: Access, at now: Date)
        async throws -> IncidentLink
    {
        try await self.committer.write { db in
            guard let incident = try Self.incident(id, in: db) else { throw StoreError.incidentNotFound(id) }
            guard incident.isOpen else { throw StoreError.incidentClosed(id) }
            _ = try access.queueScope(requested: incident.category)
            let wanted = Array(Set(ids)).sorted()
            var tickets: [Ticket] = []
            for start in stride(from: 0, to: wanted.count, by: 500) {
                let chunk = Array(wanted[start..<min(start + 500, wanted.count)])
                tickets += try Ticket.fetchAll(
                    db,
                    sql: """
                        SELECT * FROM tickets WHERE id IN (\(chunk.map { _ in "?" }.joined(separator: ",")))
                            AND category = ? AND state = 'open' AND incident_id IS NULL ORDER BY id
                        """,
                    arguments: StatementArguments(chunk + [incident.category] as [any DatabaseValueConvertible]))
            }
            let text = Incident.linkText(incident)
            var changes: [TicketChange] = []
            for ticket in tickets {
                changes.append(try self.apply(
                    .linkIncident, detail: .incident(id), to: ticket, by: access.actor, text: text, at: now, in: db))
            }
            let match = incident.adding(examples: examples)
            if match != incident.match {
                try db.execute(sql: "UPDATE incidents SET match_text = ? WHERE id = ?", arguments: [match, id])
            }
            let skipped = wanted.count - changes.count
            try Self.log(
                .incidentLinked, target: "incident \(id)",
                detail: IncidentText.linkDetail(linked: changes.count, skipped: skipped, examples: examples.count),
                by: access.actor.name, at: now, in: db)
            return IncidentLink(incident: try Self.incident(id, in: db)!, changes: changes, skipped: skipped)
        }
    }

    public func queuedTickets(in categories: [String]?, since: Int64, limit: Int) async throws -> [Ticket] {
        try await self.writer.read { db in
            var sql = "SELECT * FROM tickets WHERE state = 'open' AND incident_id IS NULL AND created_at >= ?"
            var arguments: [any DatabaseValueConvertible] = [since]
            if let categories {
                sql += " AND category IN (\(categories.map { _ in "?" }.joined(separator: ",")))"
                arguments += categories as [any DatabaseValueConvertible]
            }
            sql += " ORDER BY created_at DESC, id DESC LIMIT ?"
            arguments.append(limit)
            return try Ticket.fetchAll(db, sql: sql, arguments: StatementArguments(arguments))
        }
    }

    public func tickets(ofIncident id: Int64, limit: Int) async throws -> [Ticket] {
        try await self.writer.read { db in
            try Ticket.fetchAll(
                db, sql: "SELECT * FROM tickets WHERE incident_id = ? ORDER BY id LIMIT ?", arguments: [id, limit])
        }
    }

    // MARK: Internal tickets

    public func openInternal(_ request: InternalRequest, as access: Access, at now: Date) async throws -> TicketChange {
        try request.checkOpener()
        _ = try access.queueScope(requested: request.category)
        return try await self.committer.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM categories WHERE id = ?", arguments: [request.category]) != nil
            else {
                let known = try String.fetchAll(db, sql: "SELECT id FROM categories ORDER BY rowid")
                throw StoreError.unknownCategory(request.category, known: known)
            }
            let ms = now.milliseconds
            var ticket = request.ticket(id: 0, target: self.serviceLevels.target(for: request.category), at: ms)
            try db.execute(
                sql: """
                    INSERT INTO tickets (category, state, player_id, player_name, text, realm, character_id,
                        character_name, map_id, zone, x, y, z, client_build, created_at, updated_at, priority, due_at,
                        about_player_id)
                    VALUES (?, 'open', ?, ?, ?, '', 0, '', 0, '', 0, 0, 0, '', ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    ticket.category, ticket.playerID, ticket.playerName, ticket.text, ms, ms, ticket.priority,
                    ticket.dueAt, ticket.aboutPlayerID,
                ])
            ticket.id = db.lastInsertedRowID
            self.committer.memory.inserted(player: ticket.playerID, queue: ticket.isQueued ? ticket.category : nil)
            let event = try self.append(request.event(ticketID: ticket.id, at: ms), previousInTicket: nil, in: db)
            return TicketChange(ticket: ticket, event: event, notification: nil)
        }
    }

    public func linkInternal(_ id: Int64, to internalID: Int64, as access: Access, at now: Date) async throws
        -> TicketChange
    {
        try await self.committer.write { db in
            let ticket = try Self.ticket(id, as: access, in: db)
            let staffTicket = try Self.ticket(internalID, as: access, in: db)
            try InternalLink.check(ticket, to: staffTicket)
            _ = try self.apply(
                .note, to: ticket, by: access.actor, text: InternalLink.noteOnTicket(linkedTo: staffTicket), at: now,
                in: db)
            return try self.apply(
                .note, to: staffTicket, by: access.actor, text: InternalLink.noteOnInternal(linkedFrom: ticket),
                at: now, in: db)
        }
    }

    // MARK: Reminders

    public func addReminder(ticket id: Int64, as access: Access, due: Int64, text: String, at now: Date) async throws
        -> StaffReminder
    {
        try await self.committer.write { db in
            let ticket = try Self.ticket(id, as: access, in: db)
            try StaffReminder.check(ticket, by: access.actor, due: due, now: now.milliseconds)
            var reminder = StaffReminder(
                id: 0, ticketID: id, staffID: access.actor.id, staffName: access.actor.name, due: due, text: text,
                createdAt: now.milliseconds)
            try db.execute(
                sql: """
                    INSERT INTO reminders (ticket_id, staff_id, staff_name, due, text, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [id, reminder.staffID, reminder.staffName, due, text, reminder.createdAt])
            reminder.id = db.lastInsertedRowID
            return reminder
        }
    }

    public func dueReminders(for staff: [Int64], at now: Int64) async throws -> [StaffReminder] {
        guard !staff.isEmpty else { return [] }
        return try await self.writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM reminders WHERE delivered_at IS NULL AND due <= ?
                        AND staff_id IN (\(staff.map { _ in "?" }.joined(separator: ", "))) ORDER BY due, id
                    """,
                arguments: StatementArguments([now] + staff)
            ).map(Self.reminder)
        }
    }

    public func markDelivered(reminder id: Int64, at now: Int64) async throws -> Bool {
        try await self.committer.write { db in
            try db.execute(
                sql: "UPDATE reminders SET delivered_at = ? WHERE id = ? AND delivered_at IS NULL", arguments: [now, id])
            return db.changesCount == 1
        }
    }

    private static func reminder(_ row: Row) -> StaffReminder {
        StaffReminder(
            id: row["id"], ticketID: row["ticket_id"], staffID: row["staff_id"], staffName: row["staff_name"],
            due: row["due"], text: row["text"], createdAt: row["created_at"], deliveredAt: row["delivered_at"])
    }

    // MARK: Help bans

    public func ban(player: Int64, until: Int64, reason: String, by actor: String, at now: Date) async throws -> HelpBan {
        let ban = HelpBan(playerID: player, until: until, reason: reason, by: actor, at: now.milliseconds)
        return try await self.committer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO help_bans (player_id, until, reason, banned_by, at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (player_id) DO UPDATE SET until = excluded.until, reason = excluded.reason,
                        banned_by = excluded.banned_by, at = excluded.at
                    """,
                arguments: [ban.playerID, ban.until, ban.reason, ban.by, ban.at])
            try Self.log(
                .playerBanned, target: "player \(player)", detail: HelpBanText.logDetail(ban), by: actor, at: now, in: db)
            return ban
        }
    }

    public func unban(player: Int64, by actor: String, at now: Date) async throws {
        try await self.committer.write { db in
            try db.execute(
                sql: "DELETE FROM help_bans WHERE player_id = ? AND until > ?", arguments: [player, now.milliseconds])
            guard db.changesCount > 0 else { throw StoreError.notBanned(player) }
            try Self.log(.playerUnbanned, target: "player \(player)", detail: "ban lifted", by: actor, at: now, in: db)
        }
    }

    public func bans(activeAt now: Int64) async throws -> [HelpBan] {
        try await self.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM help_bans WHERE until > ? ORDER BY until, player_id", arguments: [now])
                .map { row in
                    HelpBan(
                        playerID: row["player_id"], until: row["until"], reason: row["reason"], by: row["banned_by"],
                        at: row["at"])
                }
        }
    }

    // MARK: Staff action log

    /// Appends an entry linked to the log's last one. The writer's serial order is the log's order.
    static func log(
        _ action: StaffLogAction, target: String, detail: String, by actor: String, at now: Date, in db: Database
    ) throws {
        let last = try Row.fetchOne(db, sql: "SELECT seq, hash FROM staff_log ORDER BY seq DESC LIMIT 1")
        let entry = StaffLog.linked(
            StaffLogEntry(
                seq: (last?["seq"] ?? 0) + 1, at: now.milliseconds, actor: actor, action: action, target: target,
                detail: detail),
            after: last?["hash"])
        try db.execute(
            sql: """
                INSERT INTO staff_log (seq, at, actor, action, target, detail, prev_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                entry.seq, entry.at, entry.actor, entry.action.rawValue, entry.target, entry.detail,
                entry.previousHash, entry.hash,
            ])
    }

    public func staffLog(_ filter: StaffLogFilter) async throws -> [StaffLogEntry] {
        try await self.writer.read { db in
            try StaffLogEntry.fetchAll(
                db,
                sql: """
                    SELECT * FROM staff_log WHERE (? IS NULL OR actor = ? COLLATE NOCASE) AND (? IS NULL OR at >= ?)
                        AND (? IS NULL OR seq < ?)
                    ORDER BY seq DESC LIMIT ?
                    """,
                arguments: [
                    filter.actor, filter.actor, filter.since, filter.since, filter.before, filter.before, filter.limit,
                ])
        }
    }

    public func verifyStaffLog() async throws -> StaffLog.Verification {
        try await self.writer.read { db in
            var verifier = StaffLog.Verifier()
            let entries = try StaffLogEntry.fetchCursor(db, sql: "SELECT * FROM staff_log ORDER BY seq")
            while let entry = try entries.next() {
                if let broken = verifier.check(entry) { return broken }
            }
            return verifier.finish()
        }
    }
}


import Foundation

/// Where tickets, their append-only history, the notification outbox, staff accounts and macros live: one
/// contract, one implementation per engine (SQLite embedded, PostgreSQL shared by several nodes), one test suite
/// run against each.
///
/// Every method that writes runs one transaction and returns only after it committed durably, so a caller that
/// acknowledges after `await` acknowledges durable data. What a step does to a ticket is decided by
/// `TicketEffects`; a store reads, calls it, and persists the outcome atomically, so two GMs racing for a ticket
/// (on one node or on several) are serialised and the lifecycle refuses the second.
public protocol TicketStore: Sendable {
    /// Hosts the store's background work (a writer thread, a database client, a change listener) until cancelled;
    /// started before the server and stopped after it.
    func run() async throws

    /// Service targets per category: a ticket's priority and deadlines.
    var serviceLevels: ServiceLevels { get }

    // MARK: Categories
    func categories() async throws -> [Category]
    /// Adds a category; its queue starts empty. Ids are stable snake_case names used on the wire. Logged in the
    /// staff action log as done by `actor`.
    func addCategory(id: String, title: String, by actor: String, at now: Date) async throws -> Category

    // MARK: Players
    /// In one transaction: adds the text to the player's open ticket that it repeats, or refuses it when the player
    /// has too many open tickets, or stores a new ticket and its `submitted` event.
    func submit(_ submission: Submission, policy: SubmitPolicy, at now: Date) async throws -> SubmitOutcome
    /// 1-based place of an open ticket in its category's queue, in urgency order; 0 for a ticket not in the queue.
    func position(of ticket: Ticket) async throws -> Int
    /// A player's tickets, newest first.
    func tickets(ofPlayer playerID: Int64, limit: Int) async throws -> [Ticket]
    /// Each of `players`' tickets closed at or after `since` (ms), at most `limit` per player, each player's most
    /// recently closed first: what re-filings are compared with (`Refiling`), read through an index of closed
    /// tickets whatever the players' open ones, for every submission of a burst at once.
    func closedTickets(ofPlayers players: [Int64], since: Int64, limit: Int) async throws -> [Ticket]

    // MARK: Reading tickets
    /// Ticket `id` as `access` may see it (`Access.check`): a player learns only that they have no such ticket.
    func ticket(_ id: Int64, as access: Access) async throws -> Ticket
    /// Ticket `id` for the server's own use (lease expiry, cross-node pushes).
    func ticket(_ id: Int64) async throws -> Ticket
    /// The ticket's events in order.
    func history(of ticketID: Int64) async throws -> [TicketEvent]
    /// Up to `limit` events with a sequence number above `after`, in order, and how many the history holds in all;
    /// only those `view` shows.
    func history(of ticketID: Int64, after: Int64, limit: Int, view: HistoryView) async throws
        -> (events: [TicketEvent], total: Int)
    /// Tickets in `states` of `categories` (nil: all), most urgent first (`TicketOrder`); `holder` narrows it to
    /// the tickets one GM holds.
    func queue(categories: [String]?, states: [TicketState], holder: Int64?, limit: Int) async throws -> [Ticket]

    // MARK: Changing tickets
    /// Applies `command` by `access`'s actor to ticket `id`: access, reply limits, the lifecycle, then the write.
    func apply(_ command: TicketLifecycle.Command, to id: Int64, as access: Access, text: String, at now: Date)
        async throws -> TicketChange
    /// Claims the most urgent open ticket in `category` (empty: any the actor works). Exactly one caller wins
    /// each ticket, however many nodes race.
    func claimNext(category: String, as access: Access, at now: Date) async throws -> TicketChange
    /// Moves a ticket to `category`'s queue, unclaimed.
    func transfer(_ id: Int64, to category: String, as access: Access, text: String, at now: Date) async throws
        -> TicketChange
    /// Records the owner's rating (1–5) of a closed ticket, once per close.
    func rate(_ id: Int64, as access: Access, stars: Int, comment: String, at now: Date) async throws -> TicketChange
    /// Returns a claimed ticket to the queue because its holder's lease ran out.
    func expireLease(_ id: Int64, holder: Actor, reason: String, at now: Date) async throws -> TicketChange
    /// Claimed tickets and their holders: what the lease keeper checks.
    func claims() async throws -> [(ticketID: Int64, holder: Actor)]
    /// When the latest `limit` tickets of `category` to get a first response were opened and answered (ms), newest
    /// first.
    func recentFirstResponses(in category: String, limit: Int) async throws -> [(openedAt: Int64, respondedAt: Int64)]

    // MARK: Internal tickets
    /// Opens an internal ticket (`InternalRequest`) in a category `access` works: queued like a player's request,
    /// never shown or told to a player.
    func openInternal(_ request: InternalRequest, as access: Access, at now: Date) async throws -> TicketChange
    /// Links player ticket `id` to internal ticket `internalID` (`InternalLink`): a staff note on each, in one
    /// transaction; `access` must reach both. Returns the internal ticket's change.
    func linkInternal(_ id: Int64, to internalID: Int64, as access: Access, at now: Date) async throws -> TicketChange

    // MARK: Reminders
    /// Stores a reminder of ticket `id` for `access`'s actor, who must hold it (`StaffReminder.check`).
    func addReminder(ticket id: Int64, as access: Access, due: Int64, text: String, at now: Date) async throws
        -> StaffReminder
    /// Undelivered reminders of any of `staff` due by `now`, oldest first.
    func dueReminders(for staff: [Int64], at now: Int64) async throws -> [StaffReminder]
    /// Marks reminder `id` delivered: true only for the one call that did (nodes race for it).
    func markDelivered(reminder id: Int64, at now: Int64) async throws -> Bool

    // MARK: Staff presence
    /// Shares this node's view of its staff sessions (`local`) and returns every node's, merged: a GM's latest
    /// activity anywhere, and whether any live node holds a session of theirs. A single-process store returns
    /// `local` as it is.
    func sharePresence(node: String, local: [Int64: StaffPresenceEntry], at now: Date) async throws
        -> [Int64: StaffPresenceEntry]

    // MARK: Notifications
    /// Notifications the player has not acknowledged, oldest first.
    func pendingNotifications(for playerID: Int64) async throws -> [PlayerNotification]
    /// Marks a notification seen. Acknowledging twice is harmless; another player's notification is not found.
    func acknowledge(notification id: Int64, player playerID: Int64, at now: Date) async throws
    /// One notification by id (what a change feed names), acknowledged or not; nil if there is none.
    func notification(_ id: Int64) async throws -> PlayerNotification?
    /// The unacknowledged notifications of `players`, oldest first: what a node re-reads after its change feed
    /// may have missed something.
    func pendingNotifications(forPlayers players: [Int64]) async throws -> [PlayerNotification]
    /// What other nodes committed, as it happens: a shared store's change feed. A store that only this process
    /// writes finishes the stream at once, since the server hears its own changes directly.
    func changes() -> AsyncStream<StoreChange>

    // MARK: Staff
    /// Adds an account and logs it as done by `actor` (a staff name, or `operator:<user>` for `gmqd` on the host).
    func addStaff(
        name: String, role: Role, keyHash: String, categories: [String], expiresAt: Int64?, by actor: String,
        at now: Date
    ) async throws -> StaffAccount
    /// The account whose key hashes to `keyHash`, whatever its standing.
    func staff(keyHash: String) async throws -> StaffAccount?
    func staffAccount(id: Int64) async throws -> StaffAccount?
    /// Every staff account, by name.
    func staffAccounts() async throws -> [StaffAccount]
    /// In one transaction: applies `change` to the account named `name` as `StaffAdministration` decides, logs it
    /// as done by `actor`, and returns the account's claimed tickets to the queue when the outcome says so.
    func changeStaff(named name: String, _ change: StaffChange, by actor: String, at now: Date) async throws
        -> StaffChangeResult

    // MARK: Incidents (known issues)
    /// Opens an incident in `incident.category` (id, counts and closing ignored), logged as done by `actor`.
    func openIncident(_ incident: Incident, by actor: String, at now: Date) async throws -> Incident
    /// Incidents, newest first: the open ones, or all.
    func incidents(includingClosed: Bool) async throws -> [Incident]
    func incident(_ id: Int64) async throws -> Incident?
    /// Closes an incident; its tickets still open go back to their category's queue. Logged.
    func closeIncident(_ id: Int64, by actor: String, at now: Date) async throws -> Incident
    /// Answers every ticket linked to incident `id` as `access` may (`TicketLifecycle.Command.answerIncident`), in
    /// one bounded operation: one transaction, whatever the number. The text each ticket records names the incident.
    func answerIncident(_ id: Int64, text: String, close: Resolution?, as access: Access, at now: Date) async throws
        -> IncidentAnswer
    /// The tickets linked to incident `id`, oldest first.
    func tickets(ofIncident id: Int64, limit: Int) async throws -> [Ticket]
    /// Links the listed tickets that wait in the queue of the incident's category (open, held by nobody, linked to
    /// no incident; the others are skipped) to open incident `id`, each with a `linked` event that tells its player,
    /// and adds `examples` to its match phrases (`Incident.adding(examples:)`); in one transaction.
    func linkIncident(_ id: Int64, tickets: [Int64], examples: [String], as access: Access, at now: Date)
        async throws -> IncidentLink
    /// Tickets waiting in the queue (open, not linked) filed at or after `since` in `categories` (nil: all), newest
    /// first: what `TicketClustering` groups.
    func queuedTickets(in categories: [String]?, since: Int64, limit: Int) async throws -> [Ticket]

    // MARK: Search (PROTOCOL.md §5.25)

    /// Tickets whose events hold every term of `query` (what `view` shows of them), best first, one hit per ticket.
    func search(_ query: SearchQuery, view: HistoryView) async throws -> [SearchHit]

    // MARK: Attachments (PROTOCOL.md §5.24)

    /// Attaches `file` to ticket `id` as `access`'s actor (`TicketLifecycle`'s `attach`), the ticket holding at most
    /// `limit` (`StoreError.attachmentLimit`): its bytes (once per content), its row and its `attached` event, in
    /// one transaction.
    func attach(_ file: AttachmentFile, to id: Int64, as access: Access, limit: Int, at now: Date) async throws
        -> (attachment: Attachment, change: TicketChange)
    /// A ticket's attachments, in order.
    func attachments(of ticketID: Int64) async throws -> [Attachment]
    /// Up to `length` bytes from `offset` of the content with this hash, and its whole size; nil when none is
    /// stored. Only the part asked for is read.
    func attachmentBytes(_ sha256: Data, offset: Int, length: Int) async throws -> (size: Int, bytes: Data)?

    // MARK: Self-help (PROTOCOL.md §5.23)

    /// Adds an article (`id` 0) or replaces article `id`, as `normalized` left it; logged in the staff log.
    func saveArticle(_ article: Article, by actor: String, at now: Date) async throws -> Article
    func removeArticle(_ id: Int64, by actor: String, at now: Date) async throws
    /// Every article, oldest first.
    func articles() async throws -> [Article]
    /// Records a PREVIEW for the self-help figures.
    func recordPreview(_ preview: PreviewRecord) async throws
    /// The self-help figures of the previews made in [since, until), of one category or all (`SelfHelp`).
    func selfHelp(since: Int64, until: Int64, category: String?) async throws -> SelfHelp

    // MARK: Operations
    /// Each category's open queue and the notifications not yet acknowledged: what the operator's metrics show.
    func statistics() async throws -> StoreStatistics

    // MARK: Help bans
    /// Bans `player` from filing requests until `until` (replacing a ban they have), logged as done by `actor`.
    func ban(player: Int64, until: Int64, reason: String, by actor: String, at now: Date) async throws -> HelpBan
    /// Lifts `player`'s active ban (`StoreError.notBanned` if there is none), logged as done by `actor`.
    func unban(player: Int64, by actor: String, at now: Date) async throws
    /// Bans still in force at `now` (ms), soonest ending first.
    func bans(activeAt now: Int64) async throws -> [HelpBan]

    // MARK: Staff action log
    /// Entries matching `filter`, newest first.
    func staffLog(_ filter: StaffLogFilter) async throws -> [StaffLogEntry]
    /// Checks every entry's link (`StaffLog.Verifier`).
    func verifyStaffLog() async throws -> StaffLog.Verification

    // MARK: Moderation
    /// Closed tickets matching `filter`, most recently closed first.
    func audit(_ filter: AuditFilter) async throws -> [Ticket]
    /// Checks every event's links (`EventChain.Verifier`).
    func verifyChain() async throws -> EventChain.Verification
    /// The report's input: every ticket opened in [since, until) of `category` and handled by `gm` (nil: any).
    func reportTickets(since: Int64, until: Int64, category: String?, gm: String?, now: Date) async throws
        -> [Report.Ticket]

    // MARK: Macros
    /// Adds or replaces the macro `name`; logged as done by `author`.
    func saveMacro(name: String, text: String, author: String, at now: Date) async throws
    func removeMacro(name: String, by actor: String, at now: Date) async throws
    func macros() async throws -> [SavedMacro]
    func macro(named name: String) async throws -> SavedMacro
}

/// What a staff change did: the account after it and the tickets it returned to the queue.
public struct StaffChangeResult: Sendable {
    public var account: StaffAccount
    public var released: [TicketChange]

    public init(account: StaffAccount, released: [TicketChange]) {
        self.account = account
        self.released = released
    }
}

extension TicketStore {
    /// The categories a staff account works; nil for all (or for an unknown account).
    public func staffCategories(of staffID: Int64) async throws -> [String]? {
        try await self.staffAccount(id: staffID)?.categoryList
    }

    public func addStaff(name: String, role: Role, keyHash: String, categories: [String], at now: Date) async throws
        -> StaffAccount
    {
        try await self.addStaff(
            name: name, role: role, keyHash: keyHash, categories: categories, expiresAt: nil,
            by: StaffLog.localOperator, at: now)
    }

    public func addCategory(id: String, title: String) async throws -> Category {
        try await self.addCategory(id: id, title: title, by: StaffLog.localOperator, at: Date())
    }

    public func submit(_ submission: Submission, at now: Date) async throws -> SubmitOutcome {
        try await self.submit(submission, policy: .unlimited, at: now)
    }

    public func tickets(ofPlayer playerID: Int64) async throws -> [Ticket] {
        try await self.tickets(ofPlayer: playerID, limit: 100)
    }

    public func queue(categories: [String]?, states: [TicketState], limit: Int) async throws -> [Ticket] {
        try await self.queue(categories: categories, states: states, holder: nil, limit: limit)
    }

    /// Seconds of the category's working time from opening to first response of its latest tickets (at most
    /// `limit`), newest first: what a player's wait is estimated from.
    public func recentFirstResponseDelays(in category: String, limit: Int = 50) async throws -> [Int64] {
        let working = self.serviceLevels.target(for: category).working
        return try await self.recentFirstResponses(in: category, limit: limit).map {
            working.milliseconds(from: $0.openedAt, to: $0.respondedAt) / 1_000
        }
    }

    /// The report's row for `ticket`: who handled it and whether it is overdue (judged at `now` while open), and
    /// from its `events` (in order; the texts of `assigned` events and of the server's notes are enough) how long
    /// each GM worked it, whether it was re-filed and whether the player was asked for more.
    public func reportRow(_ ticket: Ticket, events: [TicketEvent], gm: String?, now: Date) -> Report.Ticket? {
        let handler = ticket.closedBy ?? ticket.assigneeName
        if let gm, handler?.caseInsensitiveCompare(gm) != .orderedSame { return nil }
        let clock = ServiceClock(target: self.serviceLevels.target(for: ticket.category))
        let overdue = ticket.state == .closed ? ticket.overdue : clock.isOverdue(ticket.serviceTimes, now: now.milliseconds)
        return Report.Ticket(
            category: ticket.category, gm: handler, createdAt: ticket.createdAt,
            firstResponseAt: ticket.firstResponseAt, closedAt: ticket.state == .closed ? ticket.closedAt : nil,
            overdue: overdue, reopenCount: ticket.reopenCount, rating: ticket.rating,
            handled: Report.handleTime(events), refiled: events.contains(where: Refiling.isFlag),
            asked: events.contains { $0.kind == .asked })
    }

    /// Which events' texts `reportRow` reads, as an SQL expression over the events table `alias` (the others' are left
    /// empty: a report reads every event of its period).
    public static func reportEventText(on alias: String) -> String {
        let e = alias + "."
        return "CASE WHEN \(e)kind = 'assigned' OR (\(e)kind = 'noted' AND \(e)actor_id = \(Refiling.noter.id) AND "
            + "\(e)actor_name = '\(Refiling.noter.name)') THEN \(e)text ELSE '' END"
    }
}

/// A staff member's presence on one node, or merged over all of them.
public struct StaffPresenceEntry: Sendable, Equatable {
    public var lastActivity: Date
    public var connected: Bool

    public init(lastActivity: Date, connected: Bool) {
        self.lastActivity = lastActivity
        self.connected = connected
    }
}

/// What another node committed, by id: the rows are the truth and are read again.
public enum StoreChange: Sendable, Equatable {
    /// A notification (its id) for a player: a node fetches only those of players connected to it.
    case notification(Int64, player: Int64)
    /// A ticket changed by its event `seq`: watching consoles are told.
    case ticket(Int64, seq: Int64)
    /// The feed may have missed changes (it reconnected): re-read what matters.
    case resync
}

/// What a player sends when they open a request.
public struct Submission: Sendable {
    public var player: Actor
    public var category: String
    public var text: String
    public var context: GameContext
    /// What the text describes, in the check's compact form, stored for later duplicate comparisons.
    public var fingerprint: Data?
    /// The open incident (known issue) the request matches: the new ticket is linked to it.
    public var incident: Int64?

    public init(
        player: Actor, category: String, text: String, context: GameContext, fingerprint: Data? = nil,
        incident: Int64? = nil
    ) {
        self.player = player
        self.category = category
        self.text = text
        self.context = context
        self.fingerprint = fingerprint
        self.incident = incident
    }
}

/// What a store does with a new request besides storing it: one problem, one ticket, and a cap on open ones.
public struct SubmitPolicy: Sendable {
    /// Most tickets a player may have open (not closed) at once.
    public var openLimit: Int
    /// Whether an open ticket, given by its text and stored fingerprint, describes the new request's problem.
    public var isDuplicate: @Sendable (_ existingText: String, _ existingFingerprint: Data?) -> Bool

    public init(openLimit: Int, isDuplicate: @escaping @Sendable (String, Data?) -> Bool) {
        self.openLimit = openLimit
        self.isDuplicate = isDuplicate
    }

    /// The rule a server submits with: an open ticket repeats the request whose content words (`words`) are at
    /// least `SubstantiveCheck.duplicateSimilarity` alike its own, read from its stored fingerprint where it has
    /// one (in place, `SubstantiveCheck.similarity(_:toFingerprint:)`), else from its text.
    public init(openLimit: Int, comparing words: SubstantiveCheck.ContentWords, with check: SubstantiveCheck) {
        self.init(openLimit: openLimit) { text, fingerprint in
            if let fingerprint, let similarity = check.similarity(words, toFingerprint: fingerprint) {
                return similarity >= SubstantiveCheck.duplicateSimilarity
            }
            let existing = fingerprint.flatMap(SubstantiveCheck.ContentWords.init(fingerprint:))
                ?? check.contentWords(of: text)
            return check.similarity(words, existing) >= SubstantiveCheck.duplicateSimilarity
        }
    }

    /// No merging and no limit.
    public static let unlimited = SubmitPolicy(openLimit: .max) { _, _ in false }

    /// How many of a player's newest open tickets in a category a new request is compared with: the check's cost
    /// inside the write stays bounded however many tickets a player has open.
    public static let duplicateCandidates = 10

    /// What to do with a submission that repeats `existing`, whose owner's replies are `replies` (newest first):
    /// fold it (nothing written) when it says nothing new or would pass the reply limits, else merge it as a reply.
    public static func merges(
        _ submission: Submission, into existing: Ticket, replies: [(at: Date, text: String)], limits: ReplyLimits,
        now: Date
    ) -> Bool {
        let repeatsItself = existing.text == submission.text || replies.contains { $0.text == submission.text }
        let withinLimits = (try? limits.check(replies: replies.count, recent: replies.map(\.at), now: now)) != nil
        return !repeatsItself && withinLimits
    }
}

/// What became of a submission.
public enum SubmitOutcome: Sendable, Equatable {
    /// A new ticket, at a 1-based place among the open tickets of its category.
    case created(Ticket, position: Int)
    /// The text repeated an open ticket of the player in the same category and was added to it as a reply.
    case merged(TicketChange, position: Int)
    /// The text repeated an open ticket of the player, and adding it would say nothing new (the ticket already
    /// holds exactly this text) or pass the ticket's reply limits: nothing was written.
    case folded(Ticket, position: Int)
    /// The player already has `policy.openLimit` open tickets: these.
    case openLimitReached([Int64])
}

/// What one accepted command wrote: the ticket after it, its new event, and the player's notification if the
/// step notifies them.
public struct TicketChange: Sendable, Equatable {
    public var ticket: Ticket
    public var event: TicketEvent
    public var notification: PlayerNotification?

    public init(ticket: Ticket, event: TicketEvent, notification: PlayerNotification?) {
        self.ticket = ticket
        self.event = event
        self.notification = notification
    }
}

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

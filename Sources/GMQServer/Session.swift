import Foundation
import GMQCore
import GMQProtocol

import Logging

/// One connection's requests: authenticates the HELLO, then routes each request to the store and answers it.
/// Each request's response is returned to the connection, which writes it with back-pressure; notifications for
/// the player go to `pushes`, which the connection opens once WELCOME is written.
///
/// `@unchecked Sendable`: the connection (`SessionHandler`) takes each frame's `step(for:)` on its event loop, one
/// at a time, in arrival order, so the state machine has one thread. HELLO, staff requests and uploads run alone:
/// after everything before them was answered, and before anything after them starts. Only a player's requests of
/// `overlapping` run together, and they read what HELLO set (the actor, locale and version, the logger's base) and
/// the shared context, which is thread-safe; they write nothing of the session.
final class Session: @unchecked Sendable {
    private var state: SessionState
    private let context: ServerContext
    private let pushes: Outbox
    private var subscription: (player: Int64, token: UInt64)?
    /// Set once a staff session sent WATCH.
    private var watchToken: UInt64?
    /// The staff member of this session, for presence (claim leases).
    private var staffID: Int64?
    /// The hash of the key this staff session opened with, and its registration with `StaffSessions`.
    private var staffKey: (hash: String, token: UInt64)?
    /// The categories of the staff account as read for the current request.
    private var currentCategories: [String]?
    /// The client's locale from HELLO: chooses the language of hints.
    private var locale = ""
    /// The protocol version HELLO asked for: a version 1 client is never sent what version 2 added.
    private var version: UInt16 = 1
    /// This connection's uploads in progress (ATTACH … ATTACH_END), by upload id.
    private var uploads: [UInt64: AttachmentUpload] = [:]
    private var nextUpload: UInt64 = 1
    /// Set by HELLO (serial); each log line adds the request's type from `requestType` (`log`).
    private var baseLogger: Logger
    /// Logs with the request's type added, building nothing for a line below the logger's level: a `Logger` with
    /// the type in its metadata, made for every request whether it logged or not, was 2% of gmqd's CPU under load.
    private func log(
        _ level: Logger.Level, _ message: @autoclosure () -> Logger.Message,
        metadata: @autoclosure () -> Logger.Metadata? = nil
    ) {
        guard level >= self.baseLogger.logLevel else { return }
        var logger = self.baseLogger
        if let type = Self.requestType { logger[metadataKey: "request.type"] = "\(type.specName)" }
        logger.log(level: level, message(), metadata: metadata())
    }
    /// The type of the request being served, for the logs of that request alone: concurrent requests of one
    /// session each have their own. Its name is spelled only when a line is logged.
    @TaskLocal static var requestType: MessageType?

    /// Default page of QUEUE when the request's limit is 0 (PROTOCOL.md §5.9).
    static let defaultQueuePage = 50
    /// CLUSTERS without `since`: the last hour.
    static let defaultClusterWindow: Int64 = 3_600_000
    /// The newest tickets CLUSTERS groups at most (PROTOCOL.md §5.22).
    static let clusteredTickets = 5_000

    /// Called once WELCOME is written: the connection's handler learns the session is open, and pushes flow.
    private let onOpened: @Sendable () -> Void

    init(
        port: SessionState.Port, context: ServerContext, pushes: Outbox, logger: Logger,
        opened: @escaping @Sendable () -> Void
    ) {
        self.state = SessionState(port: port)
        self.context = context
        self.pushes = pushes
        self.baseLogger = logger
        self.onOpened = opened
    }

    /// WELCOME is written.
    func opened() { self.onOpened() }

    /// The connection closes after a framing error, answered on request id 0.
    func framingError(_ error: FrameError) {
        self.baseLogger.notice("closing connection after a framing error", metadata: ["error": "\(error)"])
    }

    /// The connection ended with `error` (the peer reset it, a write failed).
    func ended(by error: any Error) {
        self.baseLogger.debug("connection ended with an error", metadata: ["error": "\(error)"])
    }

    /// Whether HELLO was accepted: pushes may flow from now on.
    var isOpen: Bool {
        if case .authenticated = self.state.state { return true }
        return false
    }

    /// Ends the session: it stops receiving pushes.
    func end() {
        if let subscription { self.context.hub.unsubscribe(player: subscription.player, token: subscription.token) }
        self.subscription = nil
        if let watchToken { self.context.hub.unwatch(token: watchToken) }
        self.watchToken = nil
        if let staffID { self.context.presence.disconnected(staffID, at: self.context.now()) }
        self.staffID = nil
        if let staffKey { self.context.staffSessions.unregister(staffKey.token) }
        self.staffKey = nil
        // A connection dropped mid-upload: nothing of the upload was stored, and its memory goes now.
        for upload in self.uploads.values { self.context.uploads.release(upload.declaredSize) }
        self.uploads = [:]
        self.pushes.close()
    }

    /// What a frame asks of the session, decided before it runs (`step(for:)`).
    enum Step: Sendable {
        /// An answer known at once (PING, a refusal, a frame that cannot be read), and whether to close after it.
        case answer(Envelope, close: Bool)
        case authenticate(Hello, requestID: UInt32)
        case serve(Message, as: Actor, requestID: UInt32)
    }

    /// A player's requests that may run while the connection's earlier requests still run (PROTOCOL.md §1: clients
    /// may pipeline): they change nothing of the session and never close it. HELLO, uploads (the session's upload
    /// table) and every staff request (the account is re-read per request and may end the session) run alone, in
    /// order.
    static let overlapping: Set<MessageType> = [
        .ping, .submit, .preview, .myTickets, .getTicket, .playerReply, .rate, .history, .notificationAck,
    ]

    /// Whether `frame` may run while earlier requests run, told from its header alone (before `step(for:)` moves
    /// the state machine): a request of `overlapping` on an open player session.
    func mayOverlap(_ frame: Frame) -> Bool {
        guard frame.requestID != 0, case .authenticated(let actor) = self.state.state, actor.role == .player,
            let type = MessageType(rawValue: frame.type)
        else { return false }
        return Self.overlapping.contains(type)
    }

    /// Reads `frame` and passes it through the session's state machine: what to do with it. Synchronous, and
    /// called for one frame at a time, in the order they arrived.
    func step(for frame: Frame) -> Step {
        guard frame.requestID != 0 else {
            // Id 0 carries the server's pushes and stream errors: an answer on it could not be told from them.
            return .answer(Envelope(requestID: 0, message: .error(ErrorMessage(
                .malformedFrame,
                "request id 0 is reserved for the server's pushes; number requests from 1 (PROTOCOL.md §1). The "
                    + "connection is closed"))), close: true)
        }
        let message: Message
        do {
            message = try frame.message()
        } catch {
            let code: ErrorCode = if case .unknownMessageType = error { .unknownMessageType } else { .malformedPayload }
            return .answer(Envelope(requestID: frame.requestID, message: .error(ErrorMessage(code, "cannot read this request: \(error)"))), close: false)
        }
        switch self.state.received(message) {
        case .respond(let response):
            return .answer(Envelope(requestID: frame.requestID, message: response), close: false)
        case .refuse(let error, let close):
            return .answer(Envelope(requestID: frame.requestID, message: .error(error)), close: close)
        case .authenticate(let hello):
            return .authenticate(hello, requestID: frame.requestID)
        case .serve(let actor):
            return .serve(message, as: actor, requestID: frame.requestID)
        }
    }

    /// Runs `step`: its response, and whether the connection must close after it.
    func perform(_ step: Step) async -> (response: Envelope, close: Bool) {
        switch step {
        case .answer(let envelope, let close):
            return (envelope, close)
        case .authenticate(let hello, let requestID):
            let (response, open) = await self.authenticate(hello)
            return (Envelope(requestID: requestID, message: response), !open)
        case .serve(let message, let actor, let requestID):
            return await Self.$requestType.withValue(message.type) {
                await self.serveAnswering(message, as: actor, requestID: requestID)
            }
        }
    }

    private func serveAnswering(_ message: Message, as actor: Actor, requestID: UInt32) async -> (response: Envelope, close: Bool) {
        let response: Message
        do {
            response = try await self.serve(message, as: actor)
        } catch let error as StoreError {
            response = .error(WireMapping.error(error, actor: actor))
        } catch let denial as Access.Denial {
            response = .error(WireMapping.error(denial))
        } catch let error as ErrorMessage {
            response = .error(error)
        } catch let revocation as StaffRevocation {
            // The account lost access while the session was open: told why, then closed.
            self.log(.notice, "staff session closed", metadata: ["reason": "\(revocation)"])
            return (Envelope(requestID: requestID, message: .error(revocation.error)), true)
        } catch let error as StaffChangeError {
            response = .error(WireMapping.error(error))
        } catch {
            self.context.metrics.storeFailed(type: message.type.rawValue)
            self.log(.error, "request failed", metadata: ["error": "\(error)"])
            response = .error(ErrorMessage(.internalError, "the server could not complete this request; retry later"))
        }
        let readable = self.version < 2
            ? WireDowngrade.forVersion1(response) ?? response
            : actor.role == .player ? WireDowngrade.withoutSnoozed(response) : response
        return (Envelope(requestID: requestID, message: readable), false)
    }

    // MARK: Handshake

    /// Checks HELLO's credential. Returns WELCOME and true, or an ERROR and false (the connection then closes).
    private func authenticate(_ hello: Hello) async -> (Message, Bool) {
        self.locale = hello.locale
        self.version = hello.protocolVersion
        self.pushes.speaks(hello.protocolVersion)
        do {
            switch hello.clientKind {
            case .player:
                let identity: PlayerTokenSigner.Identity
                do {
                    identity = try self.context.signer.verify(hello.credential, now: self.context.now())
                } catch .expired(let at) {
                    throw ErrorMessage(
                        .credentialExpired,
                        "your token expired at \(ISO8601DateFormatter().string(from: at)); log in to the game again for a new one")
                } catch .lifetimeTooLong {
                    throw ErrorMessage(
                        .invalidCredential,
                        "the player token is valid for longer than this server's maximum of 7 days; the game's login "
                            + "service must issue tokens that expire sooner")
                } catch {
                    throw ErrorMessage(.invalidCredential, "the player token is not valid; log in to the game again")
                }
                let actor = Actor(id: identity.playerID, name: identity.name, role: .player)
                // Subscribe before reading the outbox, so nothing committed in between is missed; the connection's
                // writer drops a notification it already sent.
                let token = self.context.hub.subscribe(player: actor.id, outbox: self.pushes)
                self.subscription = (actor.id, token)
                let pending = try await self.context.store.pendingNotifications(for: actor.id)
                self.state.authenticated(as: actor)
                self.baseLogger[metadataKey: "player.id"] = "\(actor.id)"
                // Pending notifications queue behind WELCOME: the connection opens the outbox after writing it.
                for notification in pending {
                    let push = WireMapping.push(notification)
                    self.pushes.send(.notification(push), once: push.notificationID)
                }
                return (
                    .welcome(Welcome(
                        protocolVersion: self.version, role: .player, principalID: UInt64(actor.id), displayName: actor.name,
                        pendingNotifications: UInt32(clamping: pending.count))),
                    true
                )
            case .staff:
                let keyHash = StaffKey.hash(hello.credential)
                guard let staff = try await self.context.store.staff(keyHash: keyHash) else {
                    throw ErrorMessage(
                        .invalidCredential, "the staff key is not valid; ask an admin for a key (gmqd staff add)")
                }
                if let revocation = StaffRevocation.check(staff, keyHash: keyHash, now: self.context.now().milliseconds) {
                    throw revocation.error
                }
                // Version 1 has no `game` role (PROTOCOL.md §3.2).
                if staff.role == .game && self.version < 2 {
                    throw ErrorMessage(
                        .unsupportedVersion,
                        "a game account speaks protocol version 2 or later; send version 2 in HELLO")
                }
                let pushes = self.pushes
                let token = self.context.staffSessions.register(
                    StaffSessions.Entry(
                        staffID: staff.actor.id, keyHash: keyHash, revoke: { error in pushes.end(with: error) },
                        push: { push in pushes.send(push) }, version: self.version))
                self.staffKey = (keyHash, token)
                self.state.authenticated(as: staff.actor)
                self.staffID = staff.actor.id
                self.context.presence.connected(staff.actor.id, at: self.context.now())
                self.baseLogger[metadataKey: "staff.name"] = "\(staff.name)"
                return (
                    .welcome(Welcome(
                        protocolVersion: self.version, role: WireMapping.role(staff.role), principalID: UInt64(staff.id ?? 0),
                        displayName: staff.name,
                        pendingNotifications: 0)),
                    true
                )
            }
        } catch let error as ErrorMessage {
            return (.error(error), false)
        } catch {
            self.log(.error, "handshake failed", metadata: ["error": "\(error)"])
            return (.error(ErrorMessage(.internalError, "the server could not open the session; retry later")), false)
        }
    }

    // MARK: Requests

    private func serve(_ message: Message, as actor: Actor) async throws -> Message {
        try Self.checkCharacters(message)
        let store = self.context.store
        let now = self.context.now()
        if actor.role == .player {
            let access = Access(actor: actor)
            switch message {
            case .submit(let submit):
                return try await self.submit(submit, as: actor, at: now)
            case .preview(let preview):
                return try await self.preview(preview, as: actor, at: now)
            case .attach, .attachChunk, .attachEnd, .attachmentList, .attachmentGet:
                return try await self.attachment(message, as: access, at: now)
            case .myTickets:
                var summaries: [TicketSummary] = []
                for ticket in try await store.tickets(ofPlayer: actor.id) {
                    let position = ticket.state == .open ? try await store.position(of: ticket) : 0
                    if ticket.state == .open { _ = await self.context.waits.estimate(category: ticket.category) }
                    summaries.append(self.context.summary(ticket, position: position))
                }
                return .ticketList(TicketList(tickets: summaries))
            case .getTicket(let request):
                let ticket = try await store.ticket(try Self.id(request.ticketID), as: access)
                let view = HistoryView.of(.player, version: self.version)
                let history = try await store.history(of: ticket.id).filter(view.shows)
                return .ticket(WireMapping.detail(ticket, summary: self.context.summary(ticket), history: history))
            case .playerReply(let reply):
                try Self.requireText(reply.text, field: "reply")
                if case .rateLimited(let seconds) = self.context.abuse.reply(actor.id, at: now) {
                    throw ErrorMessage(
                        .limitReached,
                        "you are sending replies faster than a game master can read them; wait \(seconds) s, or put "
                            + "everything into one reply")
                }
                let substantive = self.context.check.replyIntent(reply.text) == .substance
                return try await self.change(.reply(substantive: substantive), reply.ticketID, reply.text, access, now)
            case .rate(let rate):
                let change = try await store.rate(
                    try Self.id(rate.ticketID), as: access, stars: Int(rate.stars), comment: rate.comment, at: now)
                return self.committed(change)
            case .history(let request):
                return try await self.history(request, as: access)
            case .notificationAck(let ack):
                try await store.acknowledge(notification: Int64(clamping: ack.notificationID), player: actor.id, at: now)
                return .ok(Ok())
            default:
                throw Self.unrouted(message)
            }
        }
        let actor = try await self.currentStaff(actor)
        let access = self.access(of: actor)
        switch message {
        case .attach, .attachChunk, .attachEnd, .attachmentList, .attachmentGet:
            if actor.role != .game { try Self.require(.readTickets, actor) }
            return try await self.attachment(message, as: access, at: now)
        default:
            // A game server's account attaches evidence and does nothing else.
            guard actor.role != .game else {
                throw ErrorMessage(
                    .forbidden, "a game account only attaches evidence (ATTACH) and lists it; \(message.type.specName) "
                        + "needs a staff account")
            }
        }
        self.context.presence.active(actor.id, at: now)
        switch message {
        case .queue(let request):
            try await self.requireKnown(category: request.category)
            let categories = try access.queueScope(requested: request.category)
            let limit = request.limit == 0 ? Self.defaultQueuePage : min(Int(request.limit), ProtocolLimits.maximumListCount)
            let tickets = try await store.queue(
                categories: categories, states: WireMapping.states(request.filter),
                holder: request.filter == .mine ? actor.id : nil, limit: limit)
            return .ticketList(TicketList(tickets: tickets.map { self.context.summary($0) }))
        case .getTicket(let request):
            let ticket = try await store.ticket(try Self.id(request.ticketID), as: access)
            let view = HistoryView.of(actor.role, version: self.version)
            return .ticket(WireMapping.detail(
                ticket, summary: self.context.summary(ticket),
                history: try await store.history(of: ticket.id).filter(view.shows)))
        case .history(let request):
            return try await self.history(request, as: access)
        case .playerTickets(let request):
            // Player id 0 is no player: internal tickets are not one player's list.
            guard request.playerID != 0 else { return .ticketList(TicketList(tickets: [])) }
            // Only the tickets this GM may read: the list must not show another team's requests.
            let tickets = try await store.tickets(ofPlayer: Int64(clamping: request.playerID), limit: 20)
                .filter { access.mayRead($0.target) }
            return .ticketList(TicketList(tickets: tickets.map { self.context.summary($0) }))
        case .claim(let claim) where claim.ticketID == 0:
            guard actor.role.worksTickets else { throw StoreError.refused(.roleNotAllowed(allowed: [.gm, .admin]), ticketID: 0) }
            try await self.requireKnown(category: claim.category)
            let change = try await store.claimNext(category: claim.category, as: access, at: now)
            return self.committed(change)
        case .claim(let claim):
            return try await self.change(.claim, claim.ticketID, "", access, now)
        case .unclaim(let request):
            return try await self.change(.unclaim, request.ticketID, "", access, now)
        case .ask(let request):
            let text = try await self.expand(request.text, field: "question", ticket: request.ticketID, as: access)
            return try await self.change(.ask, request.ticketID, text, access, now)
        case .answer(let request):
            let text = try await self.expand(request.text, field: "answer", ticket: request.ticketID, as: access)
            return try await self.change(.answer, request.ticketID, text, access, now)
        case .note(let request):
            try Self.requireText(request.text, field: "note")
            return try await self.change(.note, request.ticketID, request.text, access, now)
        case .close(let request):
            let resolution = try WireMapping.resolution(request.resolution)
            let text = request.text.isEmpty
                ? "" : try await self.expand(request.text, field: "closing text", ticket: request.ticketID, as: access)
            return try await self.change(.close(resolution), request.ticketID, text, access, now)
        case .transfer(let request):
            let change = try await store.transfer(
                try Self.id(request.ticketID), to: request.category, as: access, text: request.text, at: now)
            return self.committed(change)
        case .escalate(let request):
            switch request.target {
            case .seniorGMs:
                return try await self.change(.escalate, request.ticketID, request.text, access, now)
            case .developers:
                let text = request.text.isEmpty ? "Handed to the developers as a bug report." : request.text
                return try await self.change(.close(.escalatedToDev), request.ticketID, text, access, now)
            }
        case .watch:
            if self.watchToken == nil {
                self.watchToken = self.context.hub.watch(categories: access.categories, outbox: self.pushes)
            }
            return .ok(Ok())
        case .macroList:
            try Self.require(.useMacros, or: .audit, actor)
            let macros = try await store.macros()
            return .macros(Macros(entries: WireMapping.fittingMacros(macros)))
        case .macroSave(let request):
            try Self.require(.manageMacros, actor)
            try Self.requireText(request.text, field: "macro text")
            try await store.saveMacro(name: request.name, text: request.text, author: actor.name, at: now)
            return .ok(Ok())
        case .macroRemove(let request):
            try Self.require(.manageMacros, actor)
            try await store.removeMacro(name: request.name, by: actor.name, at: now)
            return .ok(Ok())
        case .audit(let request):
            try Self.require(.audit, actor)
            let rows = try await store.audit(try WireMapping.auditFilter(request))
            return .auditList(AuditList(rows: rows.map {
                AuditList.Row(ticket: self.context.summary($0), resolution: $0.resolution?.rawValue ?? "")
            }))
        case .auditVerify:
            try Self.require(.audit, actor)
            return .auditVerified(WireMapping.verified(try await store.verifyChain()))
        case .staffList:
            try Self.require(.manageStaff, actor)
            let accounts = try await store.staffAccounts().prefix(ProtocolLimits.maximumListCount)
            return .staffAccounts(StaffAccounts(
                accounts: accounts.map { WireMapping.staffEntry($0, now: now.milliseconds) }))
        case .staffChange(let request):
            try Self.require(.manageStaff, actor)
            return try await self.changeStaff(request, by: actor, at: now)
        case .staffLog(let request):
            try Self.require(.audit, actor)
            let limit = request.limit == 0 ? 100 : min(Int(request.limit), ProtocolLimits.maximumListCount)
            let entries = try await store.staffLog(StaffLogFilter(
                actor: request.actor.isEmpty ? nil : request.actor, since: request.since == 0 ? nil : request.since,
                before: request.before == 0 ? nil : Int64(clamping: request.before), limit: limit + 1))
            return .staffLogPage(WireMapping.staffLogPage(entries, limit: limit))
        case .ban(let request):
            try Self.require(.banPlayers, actor)
            guard request.playerID > 0, request.playerID <= UInt64(Int64.max) else {
                throw ErrorMessage(.invalidArgument, "player id must be a positive number; got \(request.playerID)")
            }
            try Self.requireText(request.reason, field: "reason for the ban")
            let longest = now.milliseconds + HelpBan.maximumDuration
            guard request.until > now.milliseconds, request.until <= longest else {
                throw ErrorMessage(
                    .invalidArgument,
                    "a ban ends after now and within a year (until is ms since the epoch); for longer, use the game's "
                        + "own account tools")
            }
            let ban = try await store.ban(
                player: Int64(request.playerID), until: request.until, reason: request.reason, by: actor.name, at: now)
            self.context.bans.set(ban)
            self.log(.notice, "player banned from help", metadata: ["player.id": "\(ban.playerID)"])
            return .banList(BanList(bans: [WireMapping.banEntry(ban)]))
        case .unban(let request):
            try Self.require(.banPlayers, actor)
            try await store.unban(player: Int64(clamping: request.playerID), by: actor.name, at: now)
            self.context.bans.remove(Int64(clamping: request.playerID))
            return .ok(Ok())
        case .bans:
            try Self.require(.readBans, actor)
            let bans = try await store.bans(activeAt: now.milliseconds).prefix(ProtocolLimits.maximumListCount)
            return .banList(BanList(bans: bans.map(WireMapping.banEntry)))
        case .incidentOpen(let request):
            try Self.require(.manageIncidents, actor)
            try Self.requireText(request.title, field: "title")
            // The title stands in for an empty match text or message (PROTOCOL.md §5.21).
            let blank = { (text: String) in !text.contains { !$0.isWhitespace } }
            let match = blank(request.match) ? request.title : request.match
            let message = blank(request.message) ? request.title : request.message
            if let empty = IncidentMatch.phrases(of: match).first(where: { IncidentWords($0, check: self.context.check).count == 0 })
                ?? (IncidentMatch.phrases(of: match).isEmpty ? match : nil)
            {
                throw ErrorMessage(
                    .invalidArgument,
                    "the match phrase \"\(empty)\" names nothing a request would say; give the words players use, e.g. "
                        + "\"login error 132; ошибка 132 вход\" (phrases separated by ;)")
            }
            _ = try access.queueScope(requested: request.category)
            let incident = try await store.openIncident(
                Incident(
                    title: request.title, category: request.category, match: match, build: request.build,
                    zone: request.zone, message: message),
                by: actor.name, at: now)
            self.context.incidents.update(incident)
            self.log(.notice, "incident opened", metadata: ["incident.id": "\(incident.id)"])
            return .incident(IncidentInfo(incident: WireMapping.incidentEntry(incident)))
        case .incidentList(let request):
            try Self.require(.readIncidents, actor)
            let incidents = try await store.incidents(includingClosed: request.includeClosed)
                .filter { access.works($0.category) }.prefix(ProtocolLimits.maximumListCount)
            return .incidents(Incidents(incidents: incidents.map(WireMapping.incidentEntry)))
        case .incidentGet(let request):
            try Self.require(.readIncidents, actor)
            let incident = try await self.reachableIncident(request.incidentID, access)
            return .incident(IncidentInfo(incident: WireMapping.incidentEntry(incident)))
        case .incidentClose(let request):
            try Self.require(.manageIncidents, actor)
            let incident = try await self.reachableIncident(request.incidentID, access)
            let closed = try await store.closeIncident(incident.id, by: actor.name, at: now)
            self.context.incidents.update(closed)
            return .incident(IncidentInfo(incident: WireMapping.incidentEntry(closed)))
        case .incidentAnswer(let request):
            try Self.require(.manageIncidents, actor)
            // One text for every player: no macro (macros name the player).
            try Self.requireText(request.text, field: "answer")
            let text = request.text
            let resolution = request.resolution.isEmpty ? nil : try WireMapping.resolution(request.resolution)
            let incident = try await self.reachableIncident(request.incidentID, access)
            let answer = try await store.answerIncident(incident.id, text: text, close: resolution, as: access, at: now)
            for change in answer.changes { self.context.published(change) }
            self.log(.notice,
                "incident answered", metadata: ["incident.id": "\(incident.id)", "tickets": "\(answer.changes.count)"])
            return .incidentAnswered(IncidentAnswered(
                incidentID: UInt64(incident.id), answered: UInt32(clamping: answer.changes.count),
                skipped: UInt32(clamping: answer.skipped)))
        case .clusters(let request):
            try Self.require(.readIncidents, actor)
            let categories = try access.queueScope(requested: request.category)
            let since = request.since == 0 ? now.milliseconds - Self.defaultClusterWindow : request.since
            let limit = request.limit == 0 ? 20 : min(Int(request.limit), 100)
            let tickets = try await store.queuedTickets(in: categories, since: since, limit: Self.clusteredTickets)
            let clusters = TicketClustering.clusters(of: tickets, check: self.context.check).prefix(limit)
            return .clusterList(ClusterList(clusters: clusters.map(WireMapping.clusterEntry)))
        case .incidentLink(let request):
            try Self.require(.manageIncidents, actor)
            let incident = try await self.reachableIncident(request.incidentID, access)
            let link = try await store.linkIncident(
                incident.id, tickets: request.tickets.map { Int64(clamping: $0) }, examples: request.examples,
                as: access, at: now)
            self.context.incidents.update(link.incident)
            for change in link.changes { self.context.published(change) }
            self.log(.notice,
                "incident linked", metadata: ["incident.id": "\(incident.id)", "tickets": "\(link.changes.count)"])
            return .incidentLinked(IncidentLinked(
                incident: WireMapping.incidentEntry(link.incident), linked: UInt32(clamping: link.changes.count),
                skipped: UInt32(clamping: link.skipped)))
        case .incidentTickets(let request):
            try Self.require(.readIncidents, actor)
            let incident = try await self.reachableIncident(request.incidentID, access)
            let limit = request.limit == 0 ? Self.defaultQueuePage : min(Int(request.limit), ProtocolLimits.maximumListCount)
            let tickets = try await store.tickets(ofIncident: incident.id, limit: limit)
            return .ticketList(TicketList(tickets: tickets.map { self.context.summary($0) }))
        case .staffLogVerify:
            try Self.require(.audit, actor)
            return .staffLogVerified(WireMapping.verified(try await store.verifyStaffLog()))
        case .report(let request):
            let tickets = try await self.reportTickets(request, as: actor, at: now)
            return .reportResult(ReportResult(rows: Report.build(tickets).map(WireMapping.reportRow)))
        case .reportFigures(let request):
            return .reportFiguresResult(WireMapping.reportFigures(try await self.reportTickets(request.report, as: actor, at: now)))
        case .priority(let request):
            guard let urgency = Priority.Urgency(rawValue: Int(request.urgency)),
                let impact = Priority.Impact(rawValue: Int(request.impact))
            else {
                throw ErrorMessage(.invalidArgument, "send urgency (1 low … 4 critical) and impact (1 one player … 4 every realm)")
            }
            let change = try await store.apply(
                .prioritize(Priority.matrix(urgency: urgency, impact: impact)), to: try Self.id(request.ticketID), as: access,
                text: Priority.noteText(urgency: urgency, impact: impact), at: now)
            return self.committed(change)
        case .internalOpen(let request):
            try Self.requireText(request.text, field: "text")
            var about: (id: Int64, name: String)?
            if request.aboutPlayerID != 0 {
                let id = try Self.id(request.aboutPlayerID)
                // Their name as their newest ticket has it; none yet: the id alone.
                about = (id, try await store.tickets(ofPlayer: id, limit: 1).first?.playerName ?? "")
            }
            let change = try await store.openInternal(
                InternalRequest(
                    category: request.category, text: request.text, aboutPlayerID: about?.id,
                    aboutPlayerName: about?.name ?? "", opener: actor),
                as: access, at: now)
            return self.committed(change)
        case .internalLink(let request):
            return self.committed(try await store.linkInternal(
                try Self.id(request.ticketID), to: try Self.id(request.internalID), as: access, at: now))
        case .snooze(let request):
            // Until 0: back now, by the holder's (or an admin's) own step.
            guard request.until != 0 else {
                return try await self.change(.wake, request.ticketID, SnoozeText.wokenBy(actor.name), access, now)
            }
            return try await self.change(
                .snooze(until: Date(milliseconds: request.until)), request.ticketID,
                SnoozeText.snoozed(until: request.until, request.text), access, now)
        case .remind(let request):
            try Self.requireText(request.text, field: "text")
            let reminder = try await store.addReminder(
                ticket: try Self.id(request.ticketID), as: access, due: request.at, text: request.text, at: now)
            self.log(.info, "reminder set", metadata: ["ticket.id": "\(reminder.ticketID)", "reminder.id": "\(reminder.id)"])
            return .ok(Ok())
        case .assign(let request):
            // The new holder: an active account that works tickets of the ticket's category.
            let ticket = try await store.ticket(try Self.id(request.ticketID), as: access)
            guard let holder = try await store.staffAccounts().first(where: {
                $0.name.caseInsensitiveCompare(request.gm) == .orderedSame
            }), StaffRevocation.check(holder, keyHash: holder.keyHash, now: now.milliseconds) == nil
            else {
                throw ErrorMessage(.notFound, "no active staff account is named \(request.gm); `gmq staff list` (admins) shows them")
            }
            guard holder.role.worksTickets else {
                throw ErrorMessage(.invalidArgument, "\(holder.name) is a \(holder.role.rawValue) and does not work tickets; hand it to a GM")
            }
            if let categories = holder.categoryList, !categories.contains(ticket.category) {
                throw ErrorMessage(
                    .invalidArgument,
                    "\(holder.name) does not work \(ticket.category) (\(categories.joined(separator: ", "))); hand it to a GM "
                        + "of that category, or transfer it first")
            }
            let change = try await store.apply(
                .assign(to: holder.actor), to: ticket.id, as: access,
                text: TicketEffects.handOffText(to: holder.name, request.text), at: now)
            return self.committed(change)
        case .search(let request):
            try Self.require(.readTickets, actor)
            let terms = SearchQuery(text: request.text).terms
            guard !terms.isEmpty else {
                throw ErrorMessage(.invalidArgument, "give a word to search for: letters or digits")
            }
            let categories = try access.queueScope(requested: request.category)
            let limit = request.limit == 0 ? 20 : min(Int(request.limit), SearchQuery.maximumLimit)
            let query = SearchQuery(
                text: request.text, playerID: request.playerID == 0 ? nil : Int64(clamping: request.playerID),
                playerName: request.playerName.isEmpty ? nil : request.playerName,
                characterName: request.characterName.isEmpty ? nil : request.characterName,
                gm: request.gm.isEmpty ? nil : request.gm, categories: categories,
                state: request.status.map(WireMapping.state), since: request.since == 0 ? nil : request.since, limit: limit)
            let hits = try await store.search(query, view: HistoryView.of(actor.role, version: self.version))
            return .searchResult(SearchResult(hits: hits.map { hit in
                SearchResult.Hit(
                    ticket: self.context.summary(hit.ticket), sequence: UInt32(clamping: hit.seq),
                    kind: WireMapping.kind(hit.kind), actorName: hit.actorName, snippet: hit.snippet,
                    highlights: hit.highlights.flatMap { [UInt16(clamping: $0.lowerBound), UInt16(clamping: $0.upperBound)] })
            }))
        case .selfHelp(let request):
            try Self.require(.audit, actor)
            let period = try WireMapping.reportPeriod(ReportRequest(since: request.since, until: request.until))
            let figures = try await store.selfHelp(
                since: period.since, until: period.until, category: request.category.isEmpty ? nil : request.category)
            return .selfHelpResult(SelfHelpResult(
                previews: UInt32(clamping: figures.previews), drafts: UInt32(clamping: figures.drafts),
                offered: UInt32(clamping: figures.offered), deflected: UInt32(clamping: figures.deflected)))
        case .kbSave(let request):
            try Self.require(.manageArticles, actor)
            let draft = WireMapping.article(request.article)
            let article: Article
            do { article = try draft.normalized(check: self.context.check) } catch {
                throw ErrorMessage(.invalidArgument, error.description)
            }
            let saved = try await store.saveArticle(article, by: actor.name, at: now)
            self.context.articles.update(saved)
            return .kbArticles(KBArticles(articles: [WireMapping.articleEntry(saved)]))
        case .kbRemove(let request):
            try Self.require(.manageArticles, actor)
            let id = try Self.id(request.articleID)
            try await store.removeArticle(id, by: actor.name, at: now)
            self.context.articles.update(removed: id)
            return .ok(Ok())
        case .kbList(let request):
            try Self.require(.readTickets, actor)
            let locale = request.locale.lowercased()
            let articles = try await store.articles().filter { article in
                (request.category.isEmpty || article.category == request.category || article.category.isEmpty)
                    && (locale.isEmpty || locale.hasPrefix(article.locale))
            }
            return .kbArticles(KBArticles(articles: articles.map(WireMapping.articleEntry)))
        default:
            throw Self.unrouted(message)
        }
    }

    /// STAFF_CHANGE: adds an account (its key generated here and shown once), or changes one; a change that ends
    /// someone's access closes their sessions on this node at once and tells the players whose claims returned.
    private func changeStaff(_ request: StaffChangeRequest, by actor: Actor, at now: Date) async throws -> Message {
        let store = self.context.store
        guard request.action == .add else {
            let key = request.action == .rotateKey ? StaffKey.generate() : ""
            let result = try await store.changeStaff(
                named: request.name, try WireMapping.staffChange(request, keyHash: StaffKey.hash(key)), by: actor.name,
                at: now)
            for change in result.released { self.context.published(change) }
            self.context.enforce(result.account)
            self.log(.notice,
                "staff account changed", metadata: ["staff.target": "\(result.account.name)", "action": "\(request.action)"])
            return .staffChanged(StaffChanged(
                account: WireMapping.staffEntry(result.account, now: now.milliseconds), key: key,
                released: UInt32(clamping: result.released.count)))
        }
        guard let role = request.role else {
            throw ErrorMessage(.invalidArgument, "a new account needs a role: gm, moderator, admin or game")
        }
        guard !request.name.isEmpty else {
            throw ErrorMessage(.invalidArgument, "a new account needs a name, shown to players and in the audit log")
        }
        if let scalar = TextRules.firstForbidden(in: request.name, field: .name) {
            throw ErrorMessage(.invalidArgument, "the name holds \(TextRules.describe(scalar)); use printable characters")
        }
        var expiresAt: Int64?
        if case .at(let at) = try WireMapping.expiry(request) {
            guard at > now.milliseconds else {
                throw StaffChangeError.expiryInPast(request.name)
            }
            expiresAt = at
        }
        let key = StaffKey.generate()
        let account = try await store.addStaff(
            name: request.name, role: WireMapping.role(role), keyHash: StaffKey.hash(key), categories: request.categories,
            expiresAt: expiresAt, by: actor.name, at: now)
        self.log(.notice, "staff account added", metadata: ["staff.target": "\(account.name)"])
        return .staffChanged(StaffChanged(account: WireMapping.staffEntry(account, now: now.milliseconds), key: key))
    }

    /// A request that `SessionState` let through but no route serves: a bug, since the state machine refuses every
    /// type the port does not serve.
    private static func unrouted(_ message: Message) -> ErrorMessage {
        ErrorMessage(.internalError, "the server has no route for \(message.type.specName); retry later or report it")
    }

    /// A category a request names must exist (an empty one means "all I work"): a list filtered by a misspelt id
    /// would look like an empty queue.
    private func requireKnown(category: String) async throws {
        guard !category.isEmpty else { return }
        let known = try await self.context.store.categories().map(\.id)
        guard known.contains(category) else { throw StoreError.unknownCategory(category, known: known) }
    }

    /// A GM's text, with a macro call (`@name`) replaced by the macro filled in for the ticket.
    private func expand(_ text: String, field: String, ticket id: UInt64, as access: Access) async throws -> String {
        try Self.requireText(text, field: field)
        guard let name = Macro.reference(in: text) else { return text }
        try Self.require(.useMacros, access.actor)
        let ticket = try await self.context.store.ticket(try Self.id(id), as: access)
        let record = try await self.context.store.macro(named: name)
        return Macro(name: record.name, text: record.text).expand(
            player: ticket.playerName, character: ticket.characterName, gm: access.actor.name, ticket: ticket.id)
    }

    private static func require(_ action: StaffAction, or alternative: StaffAction? = nil, _ actor: Actor) throws {
        guard !actor.role.may(action), !(alternative.map(actor.role.may) ?? false) else { return }
        let roles = action.roles.map(\.rawValue).joined(separator: " or ")
        throw ErrorMessage(
            .forbidden, "to \(action.rawValue) you need the role \(roles); you are signed in as \(actor.role.rawValue)")
    }

    private func submit(_ submit: Submit, as actor: Actor, at now: Date) async throws -> Message {
        guard !submit.category.isEmpty else {
            let known = try await self.context.store.categories().map(\.id).joined(separator: ", ")
            throw ErrorMessage(.unknownCategory, "choose a category for the request: \(known)")
        }
        let language = Hints.language(
            locale: self.locale, textIsCyrillic: submit.text.unicodeScalars.contains { (0x0400...0x04FF).contains($0.value) })
        // Who may file at all, before the text is read: a ban, then the cooldown and the rate (issue 11 §4).
        if let ban = self.context.bans.ban(of: actor.id, at: now.milliseconds) {
            return .rejected(Rejected(
                reason: RejectionReason.banned.rawValue,
                hint: Hints.banned(until: ban.until, reason: ban.reason, in: language)))
        }
        switch self.context.abuse.submit(actor.id, at: now) {
        case .allowed: break
        case .coolingDown(let seconds):
            return .rejected(Rejected(
                reason: RejectionReason.cooldown.rawValue, hint: Hints.cooldown(seconds: seconds, in: language)))
        case .rateLimited(let seconds):
            return .rejected(Rejected(
                reason: RejectionReason.rateLimited.rawValue, hint: Hints.rateLimited(seconds: seconds, in: language)))
        }
        let check = self.context.check
        let context = WireMapping.context(submit.context)
        switch check.evaluate(
            submit.text, category: submit.category, locale: self.locale, context: context, readingContentWords: true)
        {
        case .rejected(let rejection):
            self.context.abuse.rejected(actor.id, at: now)
            return .rejected(Rejected(reason: rejection.reason.rawValue, hint: rejection.hint))
        case .accepted(let acceptance):
            let words = acceptance.words ?? check.contentWords(of: submit.text)
            let policy = SubmitPolicy(openLimit: self.context.openTicketLimit, comparing: words, with: check)
            // A request about an open incident is linked to it and told so at once (PROTOCOL.md §5.6).
            let incident = self.context.incidents.incident(for: submit.text, category: submit.category, context: context)
            let outcome = try await self.context.store.submit(
                Submission(
                    player: actor, category: submit.category, text: submit.text, context: context,
                    fingerprint: words.fingerprint, incident: incident?.id),
                policy: policy, at: now)
            switch outcome {
            case .created(let ticket, _) where ticket.incidentID != nil:
                self.log(.info,
                    "ticket linked to an incident",
                    metadata: ["ticket.id": "\(ticket.id)", "incident.id": "\(ticket.incidentID!)"])
                return .accepted(Accepted(
                    ticketID: UInt64(ticket.id), queuePosition: 0,
                    hint: Hints.knownIssue(incident?.message ?? "", in: language), estimatedWaitSeconds: 0))
            case .created(let ticket, let position):
                self.log(.info,
                    "ticket submitted", metadata: ["ticket.id": "\(ticket.id)", "ticket.category": "\(ticket.category)"])
                // After the answer: whether it repeats what was closed lately (a note for the GM, never the player).
                self.context.refiling.check(ticket, context: self.context)
                let wait = await self.context.waits.estimate(category: ticket.category)
                if self.context.hub.isWatched {
                    self.context.hub.publish(QueueChanged(
                        kind: .submitted, actorName: actor.name, ticket: self.context.summary(ticket, position: position)))
                }
                return .accepted(Accepted(
                    ticketID: UInt64(ticket.id), queuePosition: UInt32(clamping: position), hint: acceptance.hint ?? "",
                    estimatedWaitSeconds: wait))
            case .merged(let change, let position):
                self.log(.info, "request merged into an open ticket", metadata: ["ticket.id": "\(change.ticket.id)"])
                self.context.published(change)
                return .accepted(Accepted(
                    ticketID: UInt64(change.ticket.id), queuePosition: UInt32(clamping: position), merged: true,
                    hint: acceptance.hint ?? "",
                    estimatedWaitSeconds: position > 0 ? await self.context.waits.estimate(category: change.ticket.category) : 0))
            case .folded(let ticket, let position):
                self.log(.info, "repeated request folded into an open ticket", metadata: ["ticket.id": "\(ticket.id)"])
                return .accepted(Accepted(
                    ticketID: UInt64(ticket.id), queuePosition: UInt32(clamping: position), merged: true,
                    hint: acceptance.hint ?? "",
                    estimatedWaitSeconds: position > 0 ? await self.context.waits.estimate(category: ticket.category) : 0))
            case .openLimitReached(let open):
                return .rejected(Rejected(
                    reason: RejectionReason.openLimit.rawValue,
                    hint: Hints.openLimit(self.context.openTicketLimit, openTickets: open, in: language)))
            }
        }
    }

    /// PREVIEW: what SUBMIT would say about a draft (the check's verdict, an incident it would be linked to) and the
    /// articles that may answer it; nothing is filed, the preview is recorded for the self-help figures.
    private func preview(_ preview: Preview, as actor: Actor, at now: Date) async throws -> Message {
        if case .rateLimited(let seconds) = self.context.abuse.preview(actor.id, at: now) {
            throw ErrorMessage(.limitReached, "previews come faster than a player types; wait \(seconds) s before the next")
        }
        try await self.requireKnown(category: preview.category)
        let language = Hints.language(
            locale: self.locale, textIsCyrillic: preview.text.unicodeScalars.contains { (0x0400...0x04FF).contains($0.value) })
        var result = PreviewResult()
        let context = WireMapping.context(preview.context)
        switch self.context.check.evaluate(preview.text, category: preview.category, locale: self.locale, context: context) {
        case .rejected(let rejection):
            (result.reason, result.hint) = (rejection.reason.rawValue, rejection.hint)
        case .accepted(let acceptance):
            result.hint = acceptance.hint ?? ""
            if let incident = self.context.incidents.incident(for: preview.text, category: preview.category, context: context) {
                result.incidentID = UInt64(incident.id)
                result.incidentTitle = incident.title
                result.incidentMessage = incident.message
                result.hint = Hints.knownIssue(incident.message, in: language)
            }
        }
        let words = IncidentWords(preview.text, check: self.context.check)
        let articleLanguage = language == .russian ? "ru" : String(self.locale.lowercased().prefix(2))
        result.articles = self.context.articles.articles(
            for: words, category: preview.category, language: articleLanguage.isEmpty ? "en" : articleLanguage
        ).map { PreviewResult.Article(id: UInt64($0.id), title: $0.title, body: $0.body) }
        try await self.context.store.recordPreview(PreviewRecord(
            playerID: actor.id, category: preview.category, at: now.milliseconds, reason: result.reason,
            articles: result.articles.count, incidentID: result.incidentID == 0 ? nil : Int64(result.incidentID)))
        return .previewResult(result)
    }

    /// ATTACH, ATTACH_CHUNK, ATTACH_END, ATTACHMENT_LIST and ATTACHMENT_GET (PROTOCOL.md §5.24): an upload is
    /// kept in this session's memory, in order, until ATTACH_END stores it whole; nothing of it is stored before.
    private func attachment(_ message: Message, as access: Access, at now: Date) async throws -> Message {
        let limits = self.context.attachmentLimits
        let store = self.context.store
        for (id, upload) in self.uploads where upload.isExpired(at: now, limits: limits) { self.discard(id) }
        do {
            switch message {
            case .attach(let request):
                guard self.uploads.count < limits.uploadsPerSession else {
                    throw AttachmentProblem.tooManyUploads(limit: limits.uploadsPerSession)
                }
                // Refused before a byte is sent: a ticket out of reach, closed to the player, or full.
                let ticket = try await store.ticket(try Self.id(request.ticketID), as: access)
                var lifecycle = ticket.lifecycle
                do throws(TicketLifecycle.Refusal) {
                    try lifecycle.apply(.attach, by: access.actor, at: now)
                } catch {
                    throw StoreError.refused(error, ticketID: ticket.id)
                }
                let count = try await store.attachments(of: ticket.id).count
                guard count < limits.perTicket else { throw AttachmentProblem.tooMany(limit: limits.perTicket) }
                let upload = try AttachmentUpload(
                    ticketID: ticket.id, name: request.name, size: Int(request.size), limits: limits, at: now)
                guard self.context.uploads.reserve(upload.declaredSize) else {
                    throw ErrorMessage(
                        .busy, "the server holds too many uploads in progress; nothing was stored, retry in a minute")
                }
                let id = self.nextUpload
                self.nextUpload += 1
                self.uploads[id] = upload
                return .attachReady(AttachReady(
                    uploadID: id, chunkBytes: UInt32(limits.chunkBytes), maximumBytes: UInt32(limits.maximumBytes)))
            case .attachChunk(let chunk):
                guard var upload = self.uploads[chunk.uploadID] else { throw AttachmentProblem.unknownUpload(chunk.uploadID) }
                do throws(AttachmentProblem) {
                    try upload.append(Data(chunk.data), at: Int(chunk.offset), limits: limits, now: now)
                } catch {
                    self.discard(chunk.uploadID)
                    throw error
                }
                self.uploads[chunk.uploadID] = upload
                return .ok(Ok())
            case .attachEnd(let end):
                guard let upload = self.uploads[end.uploadID] else { throw AttachmentProblem.unknownUpload(end.uploadID) }
                let file: AttachmentFile
                do throws(AttachmentProblem) {
                    file = try upload.finish(expectedSHA256: Data(end.sha256))
                } catch {
                    // Bytes missing: the client may still send them; any other problem ends the upload.
                    if case .incomplete = error {} else { self.discard(end.uploadID) }
                    throw error
                }
                self.discard(end.uploadID)
                let (attachment, change) = try await store.attach(
                    file, to: upload.ticketID, as: access, limit: limits.perTicket, at: now)
                self.log(.info,
                    "attachment stored",
                    metadata: ["ticket.id": "\(attachment.ticketID)", "attachment.number": "\(attachment.number)"])
                // Nobody is notified (`attached` notifies no player) and watching consoles are not pushed the step:
                // QUEUE_CHANGED of version 1 has no such kind, and the queue did not change.
                _ = change
                return .attachment(AttachmentInfo(
                    ticketID: UInt64(attachment.ticketID), attachment: WireMapping.attachmentEntry(attachment)))
            case .attachmentList(let request):
                let ticket = try await store.ticket(try Self.id(request.ticketID), as: access)
                let visible = try await store.attachments(of: ticket.id).filter { $0.isVisible(to: access.actor) }
                return .attachments(Attachments(
                    ticketID: UInt64(ticket.id), attachments: visible.map(WireMapping.attachmentEntry)))
            case .attachmentGet(let request):
                let ticket = try await store.ticket(try Self.id(request.ticketID), as: access)
                let offset = Int(request.offset)
                let wanted = request.length == 0 ? limits.chunkBytes : min(Int(request.length), limits.chunkBytes)
                guard let attachment = try await store.attachments(of: ticket.id)
                    .first(where: { $0.number == Int(request.number) && $0.isVisible(to: access.actor) }),
                    let part = try await store.attachmentBytes(attachment.sha256, offset: offset, length: wanted)
                else { throw StoreError.attachmentNotFound(ticketID: ticket.id, number: Int(request.number)) }
                guard offset <= part.size else {
                    throw ErrorMessage(
                        .invalidArgument, "offset \(offset) is past the end of the \(part.size)-byte file; ask from 0")
                }
                return .attachmentData(AttachmentData(
                    ticketID: UInt64(ticket.id), number: request.number, size: UInt32(part.size),
                    offset: UInt32(offset), data: Array(part.bytes)))
            default:
                throw Self.unrouted(message)
            }
        } catch let problem as AttachmentProblem {
            throw WireMapping.error(problem)
        }
    }

    /// Drops an upload in progress and its memory.
    private func discard(_ id: UInt64) {
        guard let upload = self.uploads.removeValue(forKey: id) else { return }
        self.context.uploads.release(upload.declaredSize)
    }

    /// The tickets REPORT and REPORT_FIGURES describe: moderators' and admins' only.
    private func reportTickets(_ request: ReportRequest, as actor: Actor, at now: Date) async throws -> [Report.Ticket] {
        try Self.require(.audit, actor)
        let period = try WireMapping.reportPeriod(request)
        return try await self.context.store.reportTickets(
            since: period.since, until: period.until, category: request.category.isEmpty ? nil : request.category,
            gm: request.gm.isEmpty ? nil : request.gm, now: now)
    }

    private func change(
        _ command: TicketLifecycle.Command, _ ticketID: UInt64, _ text: String, _ access: Access, _ now: Date
    ) async throws -> Message {
        let change = try await self.context.store.apply(command, to: try Self.id(ticketID), as: access, text: text, at: now)
        return self.committed(change)
    }

    /// After a commit: pushes the notification to the player's live sessions and the change to watching staff,
    /// and answers with the ticket.
    private func committed(_ change: TicketChange) -> Message {
        self.context.published(change)
        self.context.metrics.stepped(change)
        self.log(.info,
            "ticket changed",
            metadata: [
                "ticket.id": "\(change.ticket.id)", "ticket.category": "\(change.ticket.category)",
                "event.kind": "\(change.event.kind.rawValue)",
            ])
        return .ticketUpdated(TicketUpdated(summary: self.context.summary(change.ticket)))
    }

    /// Incident `id` if it exists and its category is within `access`'s reach.
    private func reachableIncident(_ id: UInt64, _ access: Access) async throws -> Incident {
        guard id > 0, id <= UInt64(Int64.max), let incident = try await self.context.store.incident(Int64(id)) else {
            throw StoreError.incidentNotFound(Int64(clamping: id))
        }
        _ = try access.queueScope(requested: incident.category)
        return incident
    }

    /// One page of a ticket's history (PROTOCOL.md §5.8): at most the request's limit, and no more than one frame
    /// carries; `next_after` says where the rest starts, so no entry is ever left out unseen.
    private func history(_ request: History, as access: Access) async throws -> Message {
        let ticket = try await self.context.store.ticket(try Self.id(request.ticketID), as: access)
        let limit = request.limit == 0
            ? ProtocolLimits.defaultHistoryPage : min(Int(request.limit), ProtocolLimits.maximumListCount)
        let (events, total) = try await self.context.store.history(
            of: ticket.id, after: Int64(request.afterSequence), limit: limit + 1,
            view: HistoryView.of(access.actor.role, version: self.version))
        let page = WireMapping.page(events, limit: limit)
        return .historyPage(HistoryPageMessage(
            ticketID: UInt64(ticket.id), total: UInt32(clamping: total), entries: page.entries,
            nextAfter: page.nextAfter))
    }

    /// The session's staff member as their account stands now, read per request: a disabled account or a
    /// replaced or expired key ends the session (`StaffRevocation`), and a changed role counts at once.
    private func currentStaff(_ actor: Actor) async throws -> Actor {
        let account = try await self.context.store.staffAccount(id: actor.id)
        if let revocation = StaffRevocation.check(
            account, keyHash: self.staffKey?.hash ?? "", now: self.context.now().milliseconds)
        {
            throw revocation
        }
        self.currentCategories = account?.categoryList
        return account?.actor ?? actor
    }

    /// What `actor` reaches, read per request (`currentStaff`) so that an admin's change to a GM's categories
    /// counts at once.
    private func access(of actor: Actor) -> Access {
        guard actor.role == .gm else { return Access(actor: actor) }
        return Access(actor: actor, categories: self.currentCategories)
    }

    private static func id(_ wire: UInt64) throws -> Int64 {
        guard wire > 0, wire <= UInt64(Int64.max) else {
            throw ErrorMessage(.invalidArgument, "ticket id must be a positive number; got \(wire)")
        }
        return Int64(wire)
    }

    /// Refuses characters a request's fields must not carry (PROTOCOL.md §4.1): controls other than line feed,
    /// carriage return and tab in free text; controls and invisible (bidi, zero-width) characters in names and the
    /// game context. The message names the field and the character, never the text.
    static func checkCharacters(_ message: Message) throws {
        func check(_ value: String, _ field: String, _ kind: TextRules.Field = .text) throws {
            guard let scalar = TextRules.firstForbidden(in: value, field: kind) else { return }
            throw ErrorMessage(
                .invalidArgument,
                "the \(field) holds \(TextRules.describe(scalar)); send printable text (PROTOCOL.md §4.1)")
        }
        switch message {
        case .submit(let submit):
            try check(submit.text, "text")
            try check(submit.category, "category", .name)
            let context = submit.context
            for (value, field) in [
                (context.realm, "realm"), (context.characterName, "character_name"), (context.zone, "zone"),
                (context.clientBuild, "client_build"),
            ] {
                try check(value, field, .name)
            }
        case .playerReply(let request): try check(request.text, "reply")
        case .ask(let request): try check(request.text, "question")
        case .answer(let request): try check(request.text, "answer")
        case .note(let request): try check(request.text, "note")
        case .close(let request): try check(request.text, "closing text")
        case .rate(let request): try check(request.comment, "comment")
        case .transfer(let request): try check(request.text, "text")
        case .escalate(let request): try check(request.text, "text")
        case .macroSave(let request): try check(request.text, "macro text")
        case .assign(let request):
            try check(request.text, "text")
            try check(request.gm, "gm", .name)
        case .snooze(let request): try check(request.text, "text")
        case .reportFigures(let request):
            try check(request.report.category, "category", .name)
            try check(request.report.gm, "gm", .name)
        case .internalOpen(let request):
            try check(request.text, "text")
            try check(request.category, "category", .name)
        case .remind(let request): try check(request.text, "text")
        case .search(let request):
            try check(request.text, "text")
            for (value, field) in [(request.playerName, "player_name"), (request.characterName, "character_name"),
                                   (request.gm, "gm"), (request.category, "category")] {
                try check(value, field, .name)
            }
        case .preview(let preview):
            try check(preview.text, "text")
            try check(preview.category, "category", .name)
        case .kbSave(let request):
            let article = request.article
            for (value, field) in [(article.title, "title"), (article.body, "body")] { try check(value, field) }
            for keyword in article.keywords { try check(keyword, "keyword") }
            for (value, field) in [(article.category, "category"), (article.locale, "locale")] { try check(value, field, .name) }
        case .ban(let request): try check(request.reason, "reason")
        case .incidentOpen(let request):
            for (value, field) in [(request.title, "title"), (request.match, "match"), (request.message, "message")] {
                try check(value, field)
            }
            for (value, field) in [(request.category, "category"), (request.build, "build"), (request.zone, "zone")] {
                try check(value, field, .name)
            }
        case .incidentAnswer(let request): try check(request.text, "text")
        case .incidentLink(let request): for example in request.examples { try check(example, "example") }
        case .staffChange(let request):
            try check(request.name, "name", .name)
            for category in request.categories { try check(category, "category", .name) }
        default: break
        }
    }

    private static func requireText(_ text: String, field: String) throws {
        guard text.contains(where: { !$0.isWhitespace }) else {
            throw ErrorMessage(.invalidArgument, "the \(field) is empty; write the text to send")
        }
    }
}

import Foundation
import GMQCore
import GMQProtocol


/// Translations between stored domain values and their wire forms.
enum WireMapping {
    static func summary(_ ticket: Ticket, overdue: Bool, position: Int, estimatedWait: UInt32) -> TicketSummary {
        TicketSummary(
            id: UInt64(ticket.id), category: ticket.category, status: self.status(ticket.state),
            playerID: UInt64(ticket.playerID), playerName: ticket.playerName,
            assignee: (ticket.state == .closed ? ticket.closedBy : ticket.assigneeName) ?? "", createdAt: ticket.createdAt,
            updatedAt: ticket.updatedAt, preview: TicketSummary.preview(of: ticket.text),
            priority: UInt8(clamping: ticket.priority), dueAt: ticket.state == .closed ? 0 : ticket.state == .snoozed ? ticket.snoozedUntil ?? 0 : ticket.dueAt,
            overdue: overdue, rating: UInt8(clamping: ticket.rating ?? 0), reopenCount: UInt16(clamping: ticket.reopenCount),
            closedAt: ticket.state == .closed ? ticket.closedAt ?? 0 : 0, queuePosition: UInt32(clamping: position),
            estimatedWaitSeconds: estimatedWait)
    }

    static func detail(_ ticket: Ticket, summary: TicketSummary, history: [TicketEvent]) -> TicketDetail {
        let context = ticket.context
        return TicketDetail(
            summary: summary, text: ticket.text,
            context: GMQProtocol.GameContext(
                realm: context.realm, characterID: UInt64(clamping: context.characterID),
                characterName: context.characterName, mapID: UInt32(clamping: context.mapID), zone: context.zone,
                x: Float(context.x), y: Float(context.y), z: Float(context.z), clientBuild: context.clientBuild),
            resolution: ticket.resolution?.rawValue ?? "",
            history: self.fitting(history).map(self.entry))
    }

    static func entry(_ event: TicketEvent) -> HistoryEntry {
        HistoryEntry(
            sequence: UInt32(clamping: event.seq), kind: self.kind(event.kind), actorRole: self.role(event.actorRole),
            actorName: event.actorName, at: event.at, text: event.text)
    }

    /// The first `limit` of `events` that fit one HISTORY_PAGE frame, and the sequence the next page starts after
    /// (0 when `events`, fetched one past the limit, hold no more).
    static func page(_ events: [TicketEvent], limit: Int) -> (entries: [HistoryEntry], nextAfter: UInt32) {
        var budget = Int(ProtocolLimits.maximumFrameLength) - 64
        var entries: [HistoryEntry] = []
        for event in events.prefix(limit) {
            budget -= self.size(event)
            guard budget >= 0 else { break }
            entries.append(self.entry(event))
        }
        let more = entries.count < events.count
        return (entries, more ? entries.last?.sequence ?? 0 : 0)
    }

    /// Bytes an event takes in a HistoryEntry.
    private static func size(_ event: TicketEvent) -> Int { 20 + event.actorName.utf8.count + event.text.utf8.count }

    /// Bytes of history a TICKET frame may carry: the frame limit less room for the summary, text and context
    /// (at most about 4.5 KB, PROTOCOL.md §4).
    static let historyBudget = Int(ProtocolLimits.maximumFrameLength) - 16 * 1024

    /// The history that fits one frame: the first event (the request) and as many of the latest as fit,
    /// at most `maximumListCount` (PROTOCOL.md §5.8). Sequence numbers show what was left out.
    static func fitting(_ history: [TicketEvent]) -> [TicketEvent] {
        func size(_ event: TicketEvent) -> Int { self.size(event) }
        guard let first = history.first else { return [] }
        var budget = self.historyBudget - size(first)
        var latest: [TicketEvent] = []
        for event in history.dropFirst().reversed() {
            budget -= size(event)
            guard budget >= 0, latest.count + 1 < ProtocolLimits.maximumListCount else { break }
            latest.append(event)
        }
        return [first] + latest.reversed()
    }

    static func context(_ wire: GMQProtocol.GameContext) -> GMQCore.GameContext {
        GMQCore.GameContext(
            realm: wire.realm, characterID: Int64(clamping: wire.characterID), characterName: wire.characterName,
            mapID: Int64(wire.mapID), zone: wire.zone, x: Double(wire.x), y: Double(wire.y), z: Double(wire.z),
            clientBuild: wire.clientBuild)
    }

    static func push(_ notification: PlayerNotification) -> NotificationPush {
        NotificationPush(
            notificationID: UInt64(notification.id ?? 0), ticketID: UInt64(notification.ticketID),
            kind: self.kind(notification.kind), actorName: notification.actorName, at: notification.createdAt,
            text: notification.text)
    }

    static func status(_ state: TicketState) -> TicketStatus {
        switch state {
        case .open: .open
        case .claimed: .claimed
        case .waitingPlayer: .waitingPlayer
        case .snoozed: .snoozed
        case .closed: .closed
        }
    }

    static func state(_ status: TicketStatus) -> TicketState {
        switch status {
        case .open: .open
        case .claimed: .claimed
        case .waitingPlayer: .waitingPlayer
        case .snoozed: .snoozed
        case .closed: .closed
        }
    }

    static func states(_ filter: QueueFilter) -> [TicketState] {
        switch filter {
        case .active: [.open, .claimed, .waitingPlayer, .snoozed]
        case .open: [.open]
        case .claimed: [.claimed]
        case .waitingPlayer: [.waitingPlayer]
        case .snoozed: [.snoozed]
        case .closed: [.closed]
        case .mine: [.claimed, .waitingPlayer, .snoozed]
        }
    }

    static func role(_ role: Role) -> SessionRole {
        switch role {
        case .player: .player
        case .gm: .gm
        case .moderator: .moderator
        case .admin: .admin
        case .game: .game
        }
    }

    static func kind(_ kind: EventKind) -> HistoryKind {
        switch kind {
        case .submitted: .submitted
        case .claimed: .claimed
        case .unclaimed: .unclaimed
        case .asked: .asked
        case .replied: .replied
        case .answered: .answered
        case .noted: .noted
        case .closed: .closed
        case .reopened: .reopened
        case .transferred: .transferred
        case .escalated: .escalated
        case .rated: .rated
        case .leaseExpired: .leaseExpired
        case .attached: .attached
        case .assigned: .assigned
        case .snoozed: .snoozed
        case .woke: .woke
        }
    }

    /// The ERROR a store refusal becomes: what was wrong and what to do, naming the ticket and people involved.
    static func error(_ error: StoreError, actor: Actor) -> ErrorMessage {
        switch error {
        case .ticketNotFound(let id):
            return ErrorMessage(.notFound, "ticket \(id) does not exist; list tickets to find its id")
        case .unknownCategory(_, let known):
            // Never the requested id: an ERROR does not repeat what the request carried (PROTOCOL.md §5.3).
            return ErrorMessage(
                .unknownCategory, "no such category; use one of: \(known.joined(separator: ", "))")
        case .queueEmpty(let categories):
            let scope = categories.map { "in \($0.joined(separator: ", "))" } ?? "in any category"
            return ErrorMessage(.queueEmpty, "no open ticket \(scope); the queue is empty, try again later")
        case .staffNameTaken(let name):
            return ErrorMessage(.invalidArgument, "a staff account named '\(name)' already exists; pick another name")
        case .notificationNotFound(let id):
            return ErrorMessage(.notFound, "notification \(id) does not exist or is not yours")
        case .busy(let milliseconds):
            return ErrorMessage(.busy, "the server is busy and stored nothing; retry after \(milliseconds) ms")
        case .alreadyRated(let id):
            return ErrorMessage(.invalidTransition, "ticket \(id) is already rated; a ticket is rated once per close")
        case .sameCategory(let category):
            return ErrorMessage(.invalidArgument, "the ticket is already in '\(category)'; name another category")
        case .macroNotFound:
            return ErrorMessage(.notFound, "no macro has this name; `gmq macro list` shows them")
        case .categoryExists(let id):
            return ErrorMessage(.invalidArgument, "category '\(id)' already exists")
        case .categoryIDInvalid:
            return ErrorMessage(
                .invalidArgument, "a category id is 1 to 64 of a-z, 0-9 and '_', starting with a letter; choose such an id")
        case .macroNameInvalid:
            return ErrorMessage(
                .invalidArgument, "a macro name is 1 to 32 of a-z, 0-9, '-' and '_'; choose a name of those characters")
        case .notBanned(let player):
            return ErrorMessage(.notFound, "player \(player) has no help ban in force; `gmq bans` lists those who do")
        case .incidentNotFound(let id):
            return ErrorMessage(.notFound, "there is no incident \(id); `gmq incident list --all` lists them")
        case .attachmentLimit(let id, let limit):
            return ErrorMessage(.limitReached, "ticket \(id): " + AttachmentProblem.tooMany(limit: limit).description)
        case .notAPlayersTicket(let id):
            return ErrorMessage(
                .invalidArgument, "ticket \(id) is internal itself; link a player's ticket to an internal one")
        case .notInternal(let id):
            return ErrorMessage(
                .invalidArgument,
                "ticket \(id) is a player's ticket, not an internal one; open one with `gmq internal open` and link to it")
        case .attachmentNotFound(let id, let number):
            return ErrorMessage(
                .notFound, "ticket \(id) has no attachment \(number) that you may read; list them to find its number")
        case .articleNotFound(let id):
            return ErrorMessage(.notFound, "there is no article \(id); `gmq kb list` lists them")
        case .incidentClosed(let id):
            return ErrorMessage(
                .invalidTransition, "incident \(id) is closed already; open a new one if the problem came back")
        case .replyLimit(.ticketFull(let limit), let id):
            return ErrorMessage(
                .limitReached,
                "ticket \(id) holds \(limit) replies from you, the most one ticket takes; a GM reads them all — "
                    + "submit a new request only for a new problem")
        case .replyLimit(.tooFast(let limit, let window, let retryAfter), let id):
            return ErrorMessage(
                .limitReached,
                "you sent \(limit) replies to ticket \(id) within \(Int(window / 60)) minutes; wait "
                    + "\(Int(retryAfter)) s before the next, or put everything into one reply")
        case .refused(let refusal, let id):
            switch refusal {
            case .alreadyClaimed(let holder):
                return ErrorMessage(
                    .alreadyClaimed, "ticket \(id) is already claimed by \(holder); claim the next one instead")
            case .alreadyYours:
                return ErrorMessage(.alreadyClaimed, "you already hold ticket \(id)")
            case .notAssignee(let holder?):
                return ErrorMessage(
                    .notAssignee,
                    "ticket \(id) is held by \(holder); only the holder can do this (an admin can take it over with claim)")
            case .notAssignee(nil), .notClaimed:
                return ErrorMessage(.invalidTransition, "ticket \(id) is open and held by nobody; claim it first")
            case .closed:
                return ErrorMessage(.invalidTransition, "ticket \(id) is closed; nothing more can be done on it")
            case .roleNotAllowed(let allowed):
                let roles = allowed.map(\.rawValue).joined(separator: " or ")
                return ErrorMessage(.forbidden, "this needs the role \(roles); you are signed in as \(actor.role.rawValue)")
            case .notOwner:
                return self.error(.noSuchTicket(id))
            case .reopenWindowPassed:
                let days = Int(TicketLifecycle.reopenWindow / 86400)
                return ErrorMessage(
                    .invalidTransition,
                    "ticket \(id) was closed more than \(days) days ago and cannot be reopened; submit a new request")
            case .notClosed:
                return ErrorMessage(
                    .invalidTransition, "ticket \(id) is not closed yet; a ticket is rated after a GM closes it")
            case .notSnoozed:
                return ErrorMessage(
                    .invalidTransition, "ticket \(id) is not snoozed; only a snoozed ticket can be taken back early")
            case .notInFuture:
                return ErrorMessage(
                    .invalidArgument,
                    "ticket \(id): that time has already passed; give a later one (a snooze: --for 2d, a reminder: --in 4h)")
            }
        }
    }

    /// The ERROR for a ticket out of reach. A player gets one answer for "not yours" and "does not exist"
    /// (PROTOCOL.md §6 `not_found`), so that sequential ids reveal nothing of other players' tickets.
    /// A refused staff change: `invalid_argument` for what the admin can correct, `not_found` for an unknown
    /// account; the text is the error's own.
    static func error(_ error: StaffChangeError) -> ErrorMessage {
        switch error {
        case .notFound: ErrorMessage(.notFound, error.description)
        case .lastAdmin, .alreadyDisabled, .notDisabled: ErrorMessage(.invalidTransition, error.description)
        case .expiryInPast, .notAStaffRole, .nothingToChange: ErrorMessage(.invalidArgument, error.description)
        }
    }

    static func error(_ denial: Access.Denial) -> ErrorMessage {
        switch denial {
        case .noSuchTicket(let id):
            return ErrorMessage(.notFound, "you have no ticket \(id); MY_TICKETS lists the tickets you opened")
        case .outsideCategories(let ticketID, let category, let yours):
            let what = ticketID.map { "ticket \($0) is in '\(category)'" } ?? "'\(category)' is a category"
            return ErrorMessage(
                .forbidden,
                "\(what), which you do not work (yours: \(yours.joined(separator: ", "))); "
                    + "an admin can hand it to a GM of that category or change your categories")
        }
    }

    /// Macros that fit one MACROS frame, by name; at most `maximumListCount` (PROTOCOL.md §5.15).
    static func fittingMacros(_ macros: [SavedMacro]) -> [Macros.Entry] {
        var budget = self.historyBudget
        var entries: [Macros.Entry] = []
        for macro in macros {
            budget -= 6 + macro.name.utf8.count + macro.text.utf8.count + macro.author.utf8.count
            guard budget >= 0, entries.count < ProtocolLimits.maximumListCount else { break }
            entries.append(Macros.Entry(name: macro.name, text: macro.text, author: macro.author))
        }
        return entries
    }

    static func auditFilter(_ request: Audit) throws -> AuditFilter {
        var filter = AuditFilter()
        filter.gm = request.gm.isEmpty ? nil : request.gm
        filter.category = request.category.isEmpty ? nil : request.category
        if !request.resolution.isEmpty { filter.resolution = try self.resolution(request.resolution) }
        filter.minimumRating = request.minimumRating == 0 ? nil : Int(request.minimumRating)
        filter.maximumRating = request.maximumRating == 0 ? nil : Int(request.maximumRating)
        filter.since = request.since == 0 ? nil : request.since
        filter.until = request.until == 0 ? nil : request.until
        filter.overdueOnly = request.overdueOnly
        filter.reopenedOnly = request.reopenedOnly
        filter.limit = request.limit == 0 ? 100 : min(Int(request.limit), ProtocolLimits.maximumListCount)
        return filter
    }

    /// A resolution a request names (CLOSE, AUDIT), one of PROTOCOL.md §7.
    static func resolution(_ name: String) throws -> Resolution {
        guard let resolution = Resolution(rawValue: name) else {
            let known = Resolution.allCases.map(\.rawValue).joined(separator: ", ")
            throw ErrorMessage(.invalidArgument, "no such resolution; use one of: \(known)")
        }
        return resolution
    }

    /// REPORT's period, tickets opened in [since, until): 0 leaves that end open, as AUDIT's bounds do.
    /// The ERROR an upload's problem becomes (its text written once, on `AttachmentProblem`).
    static func error(_ problem: AttachmentProblem) -> ErrorMessage {
        let code: ErrorCode = switch problem {
        case .tooLarge, .tooMany, .tooManyUploads: .limitReached
        case .unknownUpload: .notFound
        case .empty, .nameInvalid, .outOfOrder, .chunkTooLarge, .beyondDeclaredSize, .incomplete, .unsupportedType,
             .digestMismatch:
            .invalidArgument
        }
        return ErrorMessage(code, problem.description)
    }

    static func attachmentEntry(_ attachment: Attachment) -> AttachmentEntry {
        AttachmentEntry(
            number: UInt16(clamping: attachment.number), name: attachment.name, contentType: attachment.type.rawValue,
            size: UInt32(clamping: attachment.size), sha256: Array(attachment.sha256), uploadedBy: attachment.uploadedBy,
            uploaderRole: self.role(attachment.uploaderRole), at: attachment.at)
    }

    static func article(_ entry: ArticleEntry) -> Article {
        Article(
            id: Int64(clamping: entry.id), title: entry.title, body: entry.body, keywords: entry.keywords,
            category: entry.category, locale: entry.locale)
    }

    static func articleEntry(_ article: Article) -> ArticleEntry {
        ArticleEntry(
            id: UInt64(article.id), title: article.title, body: article.body, keywords: article.keywords,
            category: article.category, locale: article.locale, updatedBy: article.updatedBy, updatedAt: article.updatedAt)
    }

    static func reportPeriod(_ request: ReportRequest) throws -> (since: Int64, until: Int64) {
        let since = request.since
        let until = request.until == 0 ? Int64.max : request.until
        guard until > since else {
            throw ErrorMessage(.invalidArgument, "the report period is empty: until must be after since (0 leaves an end open)")
        }
        return (since, until)
    }

    static func verified(_ verification: EventChain.Verification) -> AuditVerified {
        guard let broken = verification.broken else {
            return AuditVerified(events: UInt64(verification.events), head: Array(verification.head), intact: true)
        }
        return AuditVerified(
            events: UInt64(verification.events), head: [], intact: false, ticketID: UInt64(clamping: broken.ticketID),
            sequence: UInt32(clamping: broken.seq), chainSequence: UInt64(clamping: broken.chainSeq ?? 0),
            reason: broken.reason)
    }

    static func verified(_ verification: StaffLog.Verification) -> StaffLogVerified {
        guard let broken = verification.broken else {
            return StaffLogVerified(entries: UInt64(verification.entries), head: Array(verification.head), intact: true)
        }
        return StaffLogVerified(
            entries: UInt64(verification.entries), head: [], intact: false, seq: UInt64(clamping: broken.seq),
            reason: broken.reason)
    }

    static func role(_ role: SessionRole) -> Role {
        switch role {
        case .player: .player
        case .gm: .gm
        case .moderator: .moderator
        case .admin: .admin
        case .game: .game
        }
    }

    static func staffEntry(_ account: StaffAccount, now: Int64) -> StaffAccountEntry {
        let state: StaffState = switch account.standing(at: now) {
        case .active: .active
        case .disabled: .disabled
        case .expired: .expired
        }
        return StaffAccountEntry(
            id: UInt64(clamping: account.id ?? 0), name: account.name, role: self.role(account.role),
            categories: account.categoryList ?? [], state: state, createdAt: account.createdAt,
            expiresAt: account.expiresAt ?? 0)
    }

    /// The change STAFF_CHANGE asks for, other than `add`.
    static func staffChange(_ request: StaffChangeRequest, keyHash: String) throws -> StaffChange {
        switch request.action {
        case .disable: return .disable
        case .enable: return .enable
        case .rotateKey: return .rotateKey(keyHash: keyHash)
        case .set: return .set(
            role: request.role.map(self.role), categories: request.setCategories ? request.categories : nil,
            expiry: try self.expiry(request))
        case .add: throw ErrorMessage(.internalError, "STAFF_CHANGE add is not a change of an account")
        }
    }

    static func expiry(_ request: StaffChangeRequest) throws -> StaffChange.Expiry? {
        switch request.expiry {
        case .unchanged: return nil
        case .never: return .never
        case .at:
            guard request.expiresAt > 0 else {
                throw ErrorMessage(.invalidArgument, "expiry `at` needs expires_at, a time in ms since the epoch")
            }
            return .at(request.expiresAt)
        }
    }

    /// A page of the staff log that fits one frame; `nextBefore` is where the next one starts (0: no more).
    static func staffLogPage(_ entries: [StaffLogEntry], limit: Int) -> StaffLogPage {
        var budget = Int(ProtocolLimits.maximumFrameLength) - 64
        var page: [StaffLogPage.Entry] = []
        for entry in entries.prefix(limit) {
            let detail = Self.fitting(entry.detail, bytes: ProtocolLimits.maximumDetailBytes)
            budget -= 30 + entry.actor.utf8.count + entry.action.rawValue.utf8.count + entry.target.utf8.count
                + detail.utf8.count
            guard budget >= 0 else { break }
            page.append(StaffLogPage.Entry(
                seq: UInt64(clamping: entry.seq), at: entry.at, actor: entry.actor, action: entry.action.rawValue,
                target: entry.target, detail: detail))
        }
        let more = page.count < entries.count
        return StaffLogPage(entries: page, nextBefore: more ? page.last?.seq ?? 0 : 0)
    }

    /// `text` cut at a character boundary to at most `bytes` of UTF-8, marked with "…" when cut.
    static func fitting(_ text: String, bytes: Int) -> String {
        guard text.utf8.count > bytes else { return text }
        var cut = ""
        for character in text {
            guard cut.utf8.count + character.utf8.count + 3 <= bytes else { break }
            cut.append(character)
        }
        return cut + "…"
    }

    static func incidentEntry(_ incident: Incident) -> IncidentEntry {
        IncidentEntry(
            id: UInt64(clamping: incident.id), title: incident.title, category: incident.category, match: incident.match,
            build: incident.build, zone: incident.zone, message: incident.message, openedBy: incident.openedBy,
            openedAt: incident.openedAt, closedBy: incident.closedBy ?? "", closedAt: incident.closedAt ?? 0,
            linked: UInt32(clamping: incident.linked), open: UInt32(clamping: incident.open))
    }

    static func clusterEntry(_ cluster: TicketCluster) -> ClusterEntry {
        ClusterEntry(
            category: cluster.category, build: cluster.build, zone: cluster.zone,
            size: UInt32(clamping: cluster.tickets.count), firstAt: cluster.firstAt, lastAt: cluster.lastAt,
            words: cluster.words, samples: cluster.samples,
            tickets: cluster.tickets.prefix(ProtocolLimits.maximumListCount).map { UInt64(clamping: $0) })
    }

    static func banEntry(_ ban: HelpBan) -> BanList.Entry {
        BanList.Entry(
            playerID: UInt64(clamping: ban.playerID), until: ban.until, reason: ban.reason, bannedBy: ban.by, at: ban.at)
    }

    static func reportGroup(_ group: Report.Group) -> ReportGroup {
        switch group {
        case .total: .total
        case .category: .category
        case .gm: .gm
        }
    }

    /// The moderators' page's figures for `tickets` (REPORT_FIGURES_RESULT).
    static func reportFigures(_ tickets: [Report.Ticket]) -> ReportFiguresResult {
        let distribution = Report.distribution(tickets)
        return ReportFiguresResult(
            rows: Report.build(tickets).map { row in
                ReportFiguresResult.Row(
                    group: self.reportGroup(row.group), name: row.name, handleSeconds: UInt64(max(0, row.handleSeconds)),
                    refiled: UInt32(clamping: row.refiled), firstContact: UInt32(clamping: row.firstContact))
            },
            days: distribution.opened.map {
                ReportFiguresResult.Day(day: $0.day, category: $0.category, opened: UInt32(clamping: $0.count))
            },
            firstResponses: distribution.firstResponses.map {
                ReportFiguresResult.Bucket(upTo: UInt32(clamping: $0.upTo), count: UInt32(clamping: $0.count))
            },
            ratings: distribution.ratings.map { UInt32(clamping: $0) })
    }

    static func reportRow(_ row: Report.Row) -> ReportResult.Row {
        let group = self.reportGroup(row.group)
        func seconds(_ value: Int?) -> Int32 { value.map { Int32(clamping: $0) } ?? -1 }
        return ReportResult.Row(
            group: group, name: row.name, opened: UInt32(clamping: row.opened), closed: UInt32(clamping: row.closed),
            firstResponseMedian: seconds(row.firstResponseMedian), firstResponseP90: seconds(row.firstResponseP90),
            closeMedian: seconds(row.closeMedian), closeP90: seconds(row.closeP90),
            overduePerMille: UInt16(clamping: row.overduePerMille), reopened: UInt32(clamping: row.reopened),
            ratingAverageHundredths: row.ratingAverageHundredths.map { Int16(clamping: $0) } ?? -1,
            ratings: UInt32(clamping: row.ratings))
    }
}

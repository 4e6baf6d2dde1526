import Foundation
import GMQProtocol
import NIOCore

/// The canonical messages behind `Protocol/vectors/`: one or more per message type, with edge values
/// (empty strings, non-ASCII text, negative coordinates, the largest ids).
enum Vectors {
    static let context = GameContext(
        realm: "Argent Dawn", characterID: 9_001, characterName: "Thrall", mapID: 0, zone: "Ironforge",
        x: -4981.25, y: -881.5, z: 501.75, clientBuild: "3.3.5a-12340")
    static let summary = TicketSummary(
        id: 7, category: "stuck_character", status: .waitingPlayer, playerID: 42, playerName: "Thrall",
        assignee: "Mirna", createdAt: 1_795_543_466_251, updatedAt: 1_795_543_500_000,
        preview: "Stuck under the Ironforge bridge", priority: 1, dueAt: 1_795_544_366_251, overdue: false,
        rating: 0, reopenCount: 0, closedAt: 0, queuePosition: 0, estimatedWaitSeconds: 0)
    static let closedSummary = TicketSummary(
        id: 8, category: "bug", status: .closed, playerID: 43, playerName: "Jaina", assignee: "Mirna",
        createdAt: 1_795_543_466_251, updatedAt: 1_795_553_500_000, preview: "Quest item vanished after the reset",
        priority: 0, dueAt: 0, overdue: true, rating: 4, reopenCount: 1, closedAt: 1_795_553_500_000,
        queuePosition: 0, estimatedWaitSeconds: 0)

    static let all: [(name: String, envelope: Envelope)] = [
        ("01-hello-player", Envelope(requestID: 1, message: .hello(Hello(
            protocolVersion: 1, clientKind: .player, credential: "v1.42.VGhyYWxs.1795629755.zHK1eB", locale: "en",
            clientName: "WoW 3.3.5a")))),
        ("02-hello-staff", Envelope(requestID: 1, message: .hello(Hello(
            protocolVersion: 1, clientKind: .staff, credential: "gmqk_example", locale: "", clientName: "gmq")))),
        ("03-welcome", Envelope(requestID: 1, message: .welcome(Welcome(
            protocolVersion: 1, role: .player, principalID: 42, displayName: "Thrall", pendingNotifications: 2)))),
        ("04-error", Envelope(requestID: 9, message: .error(ErrorMessage(
            .alreadyClaimed, "ticket 7 is already claimed by Mirna; claim the next one instead")))),
        ("05b-error-tls-required", Envelope(requestID: 0, message: .error(ErrorMessage(
            .tlsRequired, "this port speaks TLS only; connect with TLS (gmq --tls, gmq-player --tls) and trust the server's certificate (--ca FILE for a private authority)")))),
        ("05-error-connection", Envelope(requestID: 0, message: .error(ErrorMessage(
            .frameTooLarge, "frame length 4294967295 exceeds the maximum of 1048576; the connection is closed")))),
        ("06-ok", Envelope(requestID: 12, message: .ok(Ok()))),
        ("06b-ping", Envelope(requestID: 17, message: .ping(Ping(nonce: 0x0102_0304_0506_0708)))),
        ("06c-pong", Envelope(requestID: 17, message: .pong(Pong(nonce: 0x0102_0304_0506_0708)))),
        ("06d-server-closing", Envelope(requestID: 0, message: .serverClosing(ServerClosing(
            retryAfterSeconds: 5,
            message: "the server is shutting down; every request answered before this was done, and a request without an answer was not: send it again after reconnecting")))),
        ("07-submit", Envelope(requestID: 2, message: .submit(Submit(
            category: "stuck_character", text: "Stuck under the Ironforge bridge, can't move", context: context)))),
        ("08-submit-russian", Envelope(requestID: 3, message: .submit(Submit(
            category: "bug", text: "Застрял в канализации Подгорода", context: GameContext())))),
        ("09-accepted", Envelope(requestID: 2, message: .accepted(Accepted(
            ticketID: 7, queuePosition: 3, estimatedWaitSeconds: 540)))),
        ("09b-accepted-merged-with-hint", Envelope(requestID: 2, message: .accepted(Accepted(
            ticketID: 7, queuePosition: 0, merged: true,
            hint: "If you have it, add the order or transaction number from your receipt.")))),
        ("10b-rejected-banned", Envelope(requestID: 7, message: .rejected(Rejected(
            reason: "banned",
            hint: "A game master has barred you from filing new requests until 2026-12-01T00:00:00Z (UTC): 40 empty requests in an hour. You can still reply to your open requests.")))),
        ("10c-rejected-cooldown", Envelope(requestID: 7, message: .rejected(Rejected(
            reason: "cooldown",
            hint: "Several of your requests in a row did not say what the problem is. Please wait 10 min (600 s), then describe what happened, where, and which item, quest or player it concerns.")))),
        ("10-rejected", Envelope(requestID: 2, message: .rejected(Rejected(
            reason: "contact_only",
            hint: "A game master will answer right here, there is no need to call one.")))),
        ("11-my-tickets", Envelope(requestID: 4, message: .myTickets(MyTickets()))),
        ("12-ticket-list", Envelope(requestID: 4, message: .ticketList(TicketList(tickets: [summary])))),
        ("13-ticket-list-empty", Envelope(requestID: 5, message: .ticketList(TicketList(tickets: [])))),
        ("14-get-ticket", Envelope(requestID: 6, message: .getTicket(GetTicket(ticketID: 7)))),
        ("15-ticket", Envelope(requestID: 6, message: .ticket(TicketDetail(
            summary: summary, text: "Stuck under the Ironforge bridge, can't move", context: context,
            resolution: "",
            history: [
                HistoryEntry(sequence: 1, kind: .submitted, actorRole: .player, actorName: "Thrall",
                    at: 1_795_543_466_251, text: "Stuck under the Ironforge bridge, can't move"),
                HistoryEntry(sequence: 2, kind: .claimed, actorRole: .gm, actorName: "Mirna",
                    at: 1_795_543_480_000, text: ""),
                HistoryEntry(sequence: 3, kind: .asked, actorRole: .gm, actorName: "Mirna",
                    at: 1_795_543_500_000, text: "Which side of the bridge?"),
            ])))),
        ("16-player-reply", Envelope(requestID: 7, message: .playerReply(PlayerReply(
            ticketID: 7, text: "North side, by the mailbox")))),
        ("17-ticket-updated", Envelope(requestID: 7, message: .ticketUpdated(TicketUpdated(summary: summary)))),
        ("18-queue", Envelope(requestID: 8, message: .queue(QueueRequest(category: "", filter: .active, limit: 50)))),
        ("19-claim", Envelope(requestID: 9, message: .claim(Claim(ticketID: 7)))),
        ("20-claim-next", Envelope(requestID: 10, message: .claim(Claim.next(category: "payment")))),
        ("21-unclaim", Envelope(requestID: 11, message: .unclaim(Unclaim(ticketID: 7)))),
        ("22-ask", Envelope(requestID: 12, message: .ask(Ask(ticketID: 7, text: "Which side of the bridge?")))),
        ("23-answer", Envelope(requestID: 13, message: .answer(Answer(
            ticketID: 7, text: "Teleported you to the gates.")))),
        ("24-note", Envelope(requestID: 14, message: .note(Note(ticketID: 7, text: "Known geometry hole, bug #311")))),
        ("25-close", Envelope(requestID: 15, message: .close(Close(
            ticketID: 7, resolution: "solved", text: "Enjoy your game!")))),
        ("26-notification", Envelope(requestID: 0, message: .notification(NotificationPush(
            notificationID: 3, ticketID: 7, kind: .answered, actorName: "Mirna", at: 1_795_543_500_000,
            text: "Teleported you to the gates.")))),
        ("27-notification-ack", Envelope(requestID: 16, message: .notificationAck(NotificationAck(notificationID: 3)))),
        ("28-ack-max-ids", Envelope(requestID: UInt32.max, message: .notificationAck(NotificationAck(
            notificationID: UInt64.max)))),
        ("29-rate", Envelope(requestID: 18, message: .rate(Rate(ticketID: 8, stars: 4, comment: "Quick and kind")))),
        ("30-history", Envelope(requestID: 19, message: .history(History(ticketID: 7, afterSequence: 100, limit: 50)))),
        ("31-history-page", Envelope(requestID: 19, message: .historyPage(HistoryPageMessage(
            ticketID: 7, total: 347,
            entries: [
                HistoryEntry(sequence: 101, kind: .replied, actorRole: .player, actorName: "Thrall",
                    at: 1_795_543_600_000, text: "North side, by the mailbox"),
                HistoryEntry(sequence: 103, kind: .answered, actorRole: .gm, actorName: "Mirna",
                    at: 1_795_543_700_000, text: "Teleported you to the gates."),
            ],
            nextAfter: 103)))),
        ("32-history-page-last", Envelope(requestID: 20, message: .historyPage(HistoryPageMessage(
            ticketID: 7, total: 3, entries: [], nextAfter: 0)))),
        ("33-error-limit-reached", Envelope(requestID: 21, message: .error(ErrorMessage(
            .limitReached,
            "you sent 10 replies to ticket 7 within 10 minutes; wait 240 s before the next, or put everything into one reply")))),
        ("34-error-not-a-request", Envelope(requestID: 22, message: .error(ErrorMessage(
            .notARequest,
            "PONG is sent only by the server, as a response or push; a client sends the requests of PROTOCOL.md §5")))),
        ("35-error-request-id-zero", Envelope(requestID: 0, message: .error(ErrorMessage(
            .malformedFrame,
            "request id 0 is reserved for the server's pushes; number requests from 1 (PROTOCOL.md §1). The connection is closed")))),
        ("36-preview", Envelope(requestID: 5, message: .preview(Preview(
            category: "stuck_character", text: "Fell under the map near the Booty Bay docks", context: context)))),
        ("37-preview-result", Envelope(requestID: 5, message: .previewResult(PreviewResult(
            articles: [PreviewResult.Article(
                id: 3, title: "Stuck in a wall or under the map", body: "Use the Unstuck button in the Help menu.")])))),
        ("38-preview-result-incident", Envelope(requestID: 6, message: .previewResult(PreviewResult(
            hint: "This is a known issue and game masters are on it: A hotfix is on its way tonight. You will be told here when it is resolved; reply to your request if your case is different.",
            incidentID: 7, incidentTitle: "Login error 132 after 3.3.5b",
            incidentMessage: "A hotfix is on its way tonight.")))),
        ("39-preview-result-rejected", Envelope(requestID: 7, message: .previewResult(PreviewResult(
            reason: "contact_only", hint: "A game master will answer right here, there is no need to call one.")))),
        ("40-attach", Envelope(requestID: 8, message: .attach(AttachRequest(
            ticketID: 7, name: "bridge.png", size: 300_000)))),
        ("41-attach-ready", Envelope(requestID: 8, message: .attachReady(AttachReady(
            uploadID: 1, chunkBytes: 262_144, maximumBytes: 2_097_152)))),
        ("42-attach-chunk", Envelope(requestID: 9, message: .attachChunk(AttachChunk(
            uploadID: 1, offset: 0, data: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])))),
        ("43-attach-end", Envelope(requestID: 10, message: .attachEnd(AttachEnd(
            uploadID: 1, sha256: Array(repeating: 0xAB, count: 32))))),
        ("44-attachment", Envelope(requestID: 10, message: .attachment(AttachmentInfo(
            ticketID: 7, attachment: AttachmentEntry(
                number: 1, name: "bridge.png", contentType: "image/png", size: 300_000,
                sha256: Array(repeating: 0xAB, count: 32), uploadedBy: "Thrall", uploaderRole: .player,
                at: 1_796_000_000_000))))),
        ("45-attachment-list", Envelope(requestID: 11, message: .attachmentList(AttachmentList(ticketID: 7)))),
        ("46-attachments", Envelope(requestID: 11, message: .attachments(Attachments(ticketID: 7, attachments: [
            AttachmentEntry(
                number: 1, name: "bridge.png", contentType: "image/png", size: 300_000,
                sha256: Array(repeating: 0xAB, count: 32), uploadedBy: "Thrall", uploaderRole: .player,
                at: 1_796_000_000_000),
            AttachmentEntry(
                number: 2, name: "chat-2026-12-01.txt", contentType: "text/plain", size: 1_840,
                sha256: Array(repeating: 0xCD, count: 32), uploadedBy: "realm-1", uploaderRole: .game,
                at: 1_796_000_060_000),
        ])))),
        ("47-attachment-get", Envelope(requestID: 12, message: .attachmentGet(AttachmentGet(
            ticketID: 7, number: 2, offset: 0, length: 0)))),
        ("48-attachment-data", Envelope(requestID: 12, message: .attachmentData(AttachmentData(
            ticketID: 7, number: 2, size: 12, offset: 0, data: Array("[Trade] hi!\n".utf8))))),
        ("49-hello-v2", Envelope(requestID: 1, message: .hello(Hello(
            protocolVersion: 2, clientKind: .staff, credential: "gmqk_realm1", locale: "", clientName: "realm-1")))),
        ("51-notification-assigned", Envelope(requestID: 0, message: .notification(NotificationPush(
            notificationID: 12, ticketID: 7, kind: .assigned, actorName: "Tharok", at: 1_796_000_120_000,
            text: "my shift ends, Tharok takes it from here")))),
        ("50-welcome-game", Envelope(requestID: 1, message: .welcome(Welcome(
            protocolVersion: 2, role: .game, principalID: 9, displayName: "realm-1", pendingNotifications: 0)))),
        // Staff-only messages: a game client never sends or receives these.
        ("staff/40-transfer", Envelope(requestID: 20, message: .transfer(Transfer(
            ticketID: 7, category: "bug", text: "This is a map bug, not a stuck character")))),
        ("staff/41-escalate", Envelope(requestID: 21, message: .escalate(Escalate(
            ticketID: 7, target: .seniorGMs, text: "Needs a character restore")))),
        ("staff/41b-escalate-developers", Envelope(requestID: 21, message: .escalate(Escalate(
            ticketID: 7, target: .developers, text: "Geometry hole under the bridge, reproducible")))),
        ("staff/42-watch", Envelope(requestID: 22, message: .watch(Watch()))),
        ("staff/42b-player-tickets", Envelope(requestID: 22, message: .playerTickets(PlayerTickets(playerID: 42)))),
        ("staff/42c-queue-mine", Envelope(requestID: 22, message: .queue(QueueRequest(filter: .mine)))),
        ("staff/43-queue-changed", Envelope(requestID: 0, message: .queueChanged(QueueChanged(
            kind: .submitted, actorName: "Thrall", ticket: summary)))),
        ("staff/44-macro-save", Envelope(requestID: 23, message: .macroSave(MacroSave(
            name: "unstuck", text: "Hello {player}, I moved {character} to the nearest graveyard. — {gm}")))),
        ("staff/45-macro-remove", Envelope(requestID: 24, message: .macroRemove(MacroRemove(name: "unstuck")))),
        ("staff/46-macro-list", Envelope(requestID: 25, message: .macroList(MacroList()))),
        ("staff/47-macros", Envelope(requestID: 25, message: .macros(Macros(entries: [
            Macros.Entry(name: "unstuck", text: "Hello {player}, I moved {character}.", author: "Mirna"),
        ])))),
        ("staff/48-audit", Envelope(requestID: 26, message: .audit(Audit(
            gm: "Mirna", category: "bug", resolution: "solved", minimumRating: 1, maximumRating: 3,
            since: 1_795_000_000_000, until: 1_796_000_000_000, overdueOnly: true, reopenedOnly: false, limit: 20)))),
        ("staff/49-audit-list", Envelope(requestID: 26, message: .auditList(AuditList(rows: [
            AuditList.Row(ticket: closedSummary, resolution: "solved"),
        ])))),
        ("staff/50-audit-verify", Envelope(requestID: 27, message: .auditVerify(AuditVerify()))),
        ("staff/51-audit-verified", Envelope(requestID: 27, message: .auditVerified(AuditVerified(
            events: 1234, head: [], intact: false, ticketID: 7, sequence: 3, chainSequence: 17,
            reason: "its stored fields do not match its hash: the event was edited")))),
        ("staff/52-report", Envelope(requestID: 28, message: .report(ReportRequest(
            since: 1_795_000_000_000, until: 1_796_000_000_000, category: "", gm: "")))),
        ("staff/52b-report-all-time", Envelope(requestID: 28, message: .report(ReportRequest(
            since: 0, until: 0, category: "bug", gm: "")))),
        ("staff/53-report-result", Envelope(requestID: 28, message: .reportResult(ReportResult(rows: [
            ReportResult.Row(
                group: .total, name: "all", opened: 120, closed: 100, firstResponseMedian: 300,
                firstResponseP90: 1_500, closeMedian: 3_600, closeP90: 86_400, overduePerMille: 125, reopened: 4,
                ratingAverageHundredths: 425, ratings: 60),
            ReportResult.Row(
                group: .gm, name: "Mirna", opened: 40, closed: 40, firstResponseMedian: -1, firstResponseP90: -1,
                closeMedian: 1_800, closeP90: 7_200, overduePerMille: 0, reopened: 0, ratingAverageHundredths: -1,
                ratings: 0),
        ])))),
        ("staff/54-staff-list", Envelope(requestID: 29, message: .staffList(StaffList()))),
        ("staff/55-staff-accounts", Envelope(requestID: 29, message: .staffAccounts(StaffAccounts(accounts: [
            StaffAccountEntry(
                id: 2, name: "Mirna", role: .gm, categories: ["bug", "payment"], state: .active,
                createdAt: 1_795_000_000_000, expiresAt: 1_802_000_000_000),
            StaffAccountEntry(
                id: 1, name: "Root", role: .admin, categories: [], state: .disabled, createdAt: 1_795_000_000_000,
                expiresAt: 0),
        ])))),
        ("staff/56-staff-change-add", Envelope(requestID: 30, message: .staffChange(StaffChangeRequest(
            action: .add, name: "Tharok", role: .gm, setCategories: true, categories: ["stuck_character"],
            expiry: .at, expiresAt: 1_802_000_000_000)))),
        ("staff/56b-staff-change-disable", Envelope(requestID: 31, message: .staffChange(StaffChangeRequest(
            action: .disable, name: "Mirna")))),
        ("staff/56c-staff-change-set", Envelope(requestID: 32, message: .staffChange(StaffChangeRequest(
            action: .set, name: "Mirna", role: .moderator, setCategories: true, categories: [], expiry: .never)))),
        ("staff/57-staff-changed", Envelope(requestID: 30, message: .staffChanged(StaffChanged(
            account: StaffAccountEntry(
                id: 3, name: "Tharok", role: .gm, categories: ["stuck_character"], state: .active,
                createdAt: 1_796_000_000_000, expiresAt: 1_802_000_000_000),
            key: "gmqk_5mJ3b1QkZ0x9T2vN8rPq4sW6yA7cE1dF3gH5jK7lM9o", released: 0)))),
        ("staff/57b-staff-changed-released", Envelope(requestID: 31, message: .staffChanged(StaffChanged(
            account: StaffAccountEntry(
                id: 2, name: "Mirna", role: .gm, categories: ["bug", "payment"], state: .disabled,
                createdAt: 1_795_000_000_000, expiresAt: 0),
            key: "", released: 2)))),
        ("staff/58-staff-log", Envelope(requestID: 33, message: .staffLog(StaffLogRequest(
            actor: "Root", since: 1_795_000_000_000, before: 0, limit: 50)))),
        ("staff/59-staff-log-page", Envelope(requestID: 33, message: .staffLogPage(StaffLogPage(
            entries: [
                StaffLogPage.Entry(
                    seq: 12, at: 1_796_000_060_000, actor: "Root", action: "staff_disabled", target: "Mirna",
                    detail: "disabled"),
                StaffLogPage.Entry(
                    seq: 11, at: 1_796_000_000_000, actor: "operator:ops", action: "staff_added", target: "Tharok",
                    detail: "role gm; categories stuck_character"),
            ],
            nextBefore: 11)))),
        ("staff/60-staff-log-verify", Envelope(requestID: 34, message: .staffLogVerify(StaffLogVerify()))),
        ("staff/61-staff-log-verified", Envelope(requestID: 34, message: .staffLogVerified(StaffLogVerified(
            entries: 12, head: Array(repeating: 0xAB, count: 32), intact: true)))),
        ("staff/63-ban", Envelope(requestID: 35, message: .ban(BanRequest(
            playerID: 42, until: 1_796_086_400_000, reason: "40 empty requests in an hour")))),
        ("staff/64-unban", Envelope(requestID: 36, message: .unban(UnbanRequest(playerID: 42)))),
        ("staff/65-bans", Envelope(requestID: 37, message: .bans(BansRequest()))),
        ("staff/66-ban-list", Envelope(requestID: 37, message: .banList(BanList(bans: [
            BanList.Entry(
                playerID: 42, until: 1_796_086_400_000, reason: "40 empty requests in an hour", bannedBy: "Mirna",
                at: 1_796_000_000_000),
        ])))),
        ("staff/67-incident-open", Envelope(requestID: 38, message: .incidentOpen(IncidentOpen(
            title: "Login error 132 after 3.3.5b", category: "account", match: "login error 132", build: "3.3.5b",
            message: "A hotfix is on its way tonight.")))),
        ("staff/68-incident", Envelope(requestID: 38, message: .incident(IncidentInfo(incident: IncidentEntry(
                id: 7, title: "Login error 132 after 3.3.5b", category: "account", match: "login error 132",
                build: "3.3.5b", zone: "", message: "A hotfix is on its way tonight.", openedBy: "Mirna",
                openedAt: 1_796_000_000_000, closedBy: "", closedAt: 0, linked: 412, open: 398))))),
        ("staff/69-incident-list", Envelope(requestID: 39, message: .incidentList(IncidentList(includeClosed: true)))),
        ("staff/70-incidents", Envelope(requestID: 39, message: .incidents(Incidents(incidents: [IncidentEntry(
                id: 7, title: "Login error 132 after 3.3.5b", category: "account", match: "login error 132",
                build: "3.3.5b", zone: "", message: "A hotfix is on its way tonight.", openedBy: "Mirna",
                openedAt: 1_796_000_000_000, closedBy: "", closedAt: 0, linked: 412, open: 398)])))),
        ("staff/71-incident-close", Envelope(requestID: 40, message: .incidentClose(IncidentClose(incidentID: 7)))),
        ("staff/72-incident-answer", Envelope(requestID: 41, message: .incidentAnswer(IncidentAnswerRequest(
            incidentID: 7, text: "The hotfix is live, please log in again.", resolution: "solved")))),
        ("staff/73-incident-answered", Envelope(requestID: 41, message: .incidentAnswered(IncidentAnswered(
            incidentID: 7, answered: 398, skipped: 14)))),
        ("staff/74-incident-tickets", Envelope(requestID: 42, message: .incidentTickets(IncidentTickets(
            incidentID: 7, limit: 50)))),
        ("staff/75-incident-get", Envelope(requestID: 43, message: .incidentGet(IncidentGet(incidentID: 7)))),
        ("staff/76-clusters", Envelope(requestID: 44, message: .clusters(ClustersRequest(
            category: "account", since: 1_796_000_000_000, limit: 20)))),
        ("staff/77-cluster-list", Envelope(requestID: 44, message: .clusterList(ClusterList(clusters: [ClusterEntry(
            category: "account", build: "3.3.5b", zone: "Orgrimmar", size: 3, firstAt: 1_796_000_060_000,
            lastAt: 1_796_000_180_000, words: ["error", "132", "login"],
            samples: ["Error 132 when I log in", "error #132 at login"], tickets: [21, 22, 25])])))),
        ("staff/78-incident-link", Envelope(requestID: 45, message: .incidentLink(IncidentLinkRequest(
            incidentID: 7, tickets: [21, 22, 25], examples: ["Error 132 when I log in"])))),
        ("staff/79-incident-linked", Envelope(requestID: 45, message: .incidentLinked(IncidentLinked(
            incident: IncidentEntry(
                id: 7, title: "Login error 132 after 3.3.5b", category: "account",
                match: "login error 132; Error 132 when I log in", build: "", zone: "",
                message: "A hotfix is on its way tonight.", openedBy: "Mirna", openedAt: 1_796_000_000_000,
                closedBy: "", closedAt: 0, linked: 3, open: 3),
            linked: 3, skipped: 0)))),
        ("staff/80-kb-save", Envelope(requestID: 46, message: .kbSave(KBSave(article: ArticleEntry(
            id: 0, title: "Stuck in a wall or under the map", body: "Use the Unstuck button in the Help menu.",
            keywords: ["stuck in wall", "fell under the map"], category: "stuck_character", locale: "en"))))),
        ("staff/81-kb-articles", Envelope(requestID: 46, message: .kbArticles(KBArticles(articles: [ArticleEntry(
            id: 3, title: "Stuck in a wall or under the map", body: "Use the Unstuck button in the Help menu.",
            keywords: ["stuck in wall", "fell under the map"], category: "stuck_character", locale: "en",
            updatedBy: "Ada", updatedAt: 1_796_000_000_000)])))),
        ("staff/82-kb-remove", Envelope(requestID: 47, message: .kbRemove(KBRemove(articleID: 3)))),
        ("staff/83-kb-list", Envelope(requestID: 48, message: .kbList(KBList(category: "stuck_character", locale: "ru")))),
        ("staff/84-self-help", Envelope(requestID: 49, message: .selfHelp(SelfHelpRequest(
            since: 1_796_000_000_000, until: 1_796_604_800_000, category: "")))),
        ("staff/85-self-help-result", Envelope(requestID: 49, message: .selfHelpResult(SelfHelpResult(
            previews: 1_250, drafts: 700, offered: 480, deflected: 190)))),
        ("staff/86-search", Envelope(requestID: 50, message: .search(SearchRequest(
            text: "gankmaster flight", gm: "Mirna", category: "player_report", status: .closed,
            since: 1_796_000_000_000, limit: 20)))),
        ("staff/87-search-result", Envelope(requestID: 50, message: .searchResult(SearchResult(hits: [SearchResult.Hit(
            ticket: closedSummary, sequence: 1, kind: .submitted, actorName: "Thrall",
            snippet: "Gankmaster camps the flight master in Tarren Mill", highlights: [0, 10, 21, 27])])))),
        ("staff/88-assign", Envelope(requestID: 51, message: .assign(Assign(
            ticketID: 7, gm: "Tharok", text: "my shift ends, Tharok takes it from here")))),
        ("staff/89-priority", Envelope(requestID: 52, message: .priority(PriorityRequest(ticketID: 7, urgency: 3, impact: 3)))),
        ("staff/90-snooze", Envelope(requestID: 53, message: .snooze(Snooze(
            ticketID: 7, until: 1_796_172_800_000, text: "until hotfix 3.4.1 ships")))),
        ("staff/91-snooze-off", Envelope(requestID: 54, message: .snooze(Snooze(ticketID: 7, until: 0, text: "")))),
        ("staff/92-remind", Envelope(requestID: 55, message: .remind(Remind(
            ticketID: 7, at: 1_796_014_400_000, text: "call Thrall back after the realm restart")))),
        ("staff/93-reminder", Envelope(requestID: 0, message: .reminder(Reminder(
            reminderID: 3, ticketID: 7, at: 1_796_014_400_000, text: "call Thrall back after the realm restart")))),
        ("staff/94-internal-open", Envelope(requestID: 56, message: .internalOpen(InternalOpen(
            category: "player_report", aboutPlayerID: 42, text: "Bot farm in the Barrens: 40 level-1 rogues")))),
        ("staff/95-internal-link", Envelope(requestID: 57, message: .internalLink(InternalLinkRequest(ticketID: 7, internalID: 9)))),
        ("staff/96-report-figures", Envelope(requestID: 58, message: .reportFigures(ReportFigures(ReportRequest(
            since: 1_795_392_000_000, until: 1_795_996_800_000, category: "", gm: ""))))),
        ("staff/97-report-figures-result", Envelope(requestID: 58, message: .reportFiguresResult(ReportFiguresResult(
            rows: [
                .init(group: .total, name: "all", handleSeconds: 5_400, refiled: 1, firstContact: 3),
                .init(group: .gm, name: "Mirna", handleSeconds: 3_600, refiled: 0, firstContact: 2),
            ],
            days: [.init(day: 1_795_910_400_000, category: "bug", opened: 4)],
            firstResponses: [.init(upTo: 300, count: 2), .init(upTo: 900, count: 1), .init(upTo: UInt32.max, count: 1)],
            ratings: [0, 0, 1, 0, 2])))),
        ("staff/62-error-credential-revoked", Envelope(requestID: 0, message: .error(ErrorMessage(
            .credentialRevoked, "the staff account Mirna is disabled; ask an admin to enable it")))),
    ]

    /// Frames every implementation must refuse, with the error code the server answers.
    static let invalid: [(name: String, expect: ErrorCode, why: String, bytes: [UInt8])] = [
        ("length-too-large", .frameTooLarge, "length field 0xFFFFFFFF, above 1,048,576",
            [0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x01]),
        ("length-too-small", .malformedFrame, "length field 5, below 6", [0x00, 0x00, 0x00, 0x05, 0x00, 0x13, 0, 0, 0]),
        ("unknown-type", .unknownMessageType, "type 0x7777", [0, 0, 0, 6, 0x77, 0x77, 0, 0, 0, 1]),
        ("trailing-byte", .malformedPayload, "GET_TICKET with a ninth payload byte",
            [0, 0, 0, 15, 0x00, 0x15, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 7, 0xAA]),
        ("truncated-u64", .malformedPayload, "GET_TICKET with 7 of 8 id bytes",
            [0, 0, 0, 13, 0x00, 0x15, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]),
        ("invalid-utf8", .malformedPayload, "PLAYER_REPLY whose text is the bytes C3 28",
            [0, 0, 0, 18, 0x00, 0x17, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 7, 0, 2, 0xC3, 0x28]),
        ("string-overruns-payload", .malformedPayload, "NOTE whose text claims 200 bytes but has 3",
            [0, 0, 0, 19, 0x00, 0x25, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 7, 0, 200, 0x61, 0x62, 0x63]),
        ("bad-bool", .malformedPayload, "ACCEPTED with merged 2",
            [0, 0, 0, 21, 0x00, 0x11, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 1, 2, 0, 0]),
        ("nan-coordinate", .malformedPayload, "SUBMIT whose x is NaN (0x7FC00000)",
            [0x00, 0x00, 0x00, 0x2E, 0x00, 0x10, 0x00, 0x00, 0x00, 0x01, 0x00, 0x03, 0x62, 0x75, 0x67, 0x00, 0x01, 0x61, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x7F, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]),
        ("bad-enum", .malformedPayload, "HELLO with client_kind 9",
            [0, 0, 0, 15, 0x00, 0x01, 0, 0, 0, 1, 0, 1, 9, 0, 0, 0, 0, 0, 0]),
        ("rate-stars-zero", .malformedPayload, "RATE with stars 0, below the range 1-5 (a range is layout, §2)",
            [0, 0, 0, 17, 0x00, 0x19, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0]),
        ("rate-stars-six", .malformedPayload, "RATE with stars 6, above the range 1-5",
            [0, 0, 0, 17, 0x00, 0x19, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 8, 6, 0, 0]),
        ("staff/audit-minimum-rating-six", .malformedPayload, "AUDIT with minimum_rating 6, above the range 0-5",
            [0, 0, 0, 34, 0x00, 0x50, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
             0, 0, 0, 0, 0, 0]),
        ("staff/staff-change-role-player", .malformedPayload,
            "STAFF_CHANGE add with role 1 (player), not a staff role",
            [0, 0, 0, 26, 0x00, 0x62, 0, 0, 0, 1, 1, 0, 4, 0x56, 0x61, 0x6C, 0x61, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
             0, 0]),
        ("staff/escalate-target-three", .malformedPayload, "ESCALATE with target 3, an enum value v1 does not define",
            [0, 0, 0, 17, 0x00, 0x28, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 7, 3, 0, 0]),
    ]

    static var directory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Protocol/vectors")
    }

    static func bytes(of envelope: Envelope) -> [UInt8] {
        var buffer = ByteBuffer()
        envelope.encode(into: &buffer)
        return Array(buffer.readableBytesView)
    }

    /// The file text: a description of every field, then the bytes in hex, 16 to a line.
    static func file(name: String, envelope: Envelope) -> String {
        var lines = ["# \(name): \(envelope.message.type.specName) (0x\(String(format: "%04x", envelope.message.type.rawValue)))",
                     "# request_id: \(envelope.requestID)"]
        lines += self.describe(envelope.message.payload, indent: "# ")
        lines += self.hex(self.bytes(of: envelope))
        return lines.joined(separator: "\n") + "\n"
    }

    static func hex(_ bytes: [UInt8]) -> [String] {
        stride(from: 0, to: bytes.count, by: 16).map { start in
            bytes[start..<min(start + 16, bytes.count)].map { String(format: "%02x", $0) }.joined(separator: " ")
        }
    }

    /// Parses a vector file: comments dropped, hex pairs read.
    static func parse(_ text: String) -> [UInt8]? {
        let hex = text.split(separator: "\n").filter { !$0.hasPrefix("#") }.joined().filter { !$0.isWhitespace }
        guard hex.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }

    /// `characterID` → `character_id`, `seniorGMs` → `senior_gms`: a Swift name as the spec spells it.
    static func snakeCase(_ name: String) -> String {
        var result = ""
        var previous: Character?
        for character in name.replacingOccurrences(of: "ID", with: "Id") {
            if character.isUppercase, let previous, previous.isLowercase || previous.isNumber { result += "_" }
            result += character.lowercased()
            previous = character
        }
        return result
    }

    /// Where a Swift property's name differs from the spec's field name.
    static let specFieldNames = [
        "estimated_wait_seconds": "estimated_wait", "rating_average_hundredths": "rating_average",
    ]

    /// Labels whose values are enum cases: the value is written as the spec's name and the byte, `waiting_player (3)`.
    private static func enumValue(_ value: Any) -> String? {
        func raw<T: RawRepresentable>(_ value: T) -> String { "\(value.rawValue)" }
        guard Mirror(reflecting: value).displayStyle == .enum, let representable = value as? any RawRepresentable else {
            return nil
        }
        return "\(self.snakeCase("\(value)")) (\(raw(representable)))"
    }

    private static func describe(_ value: Any, indent: String) -> [String] {
        let mirror = Mirror(reflecting: value)
        var lines: [String] = []
        for child in mirror.children {
            let swiftLabel = self.snakeCase(child.label ?? "-")
            let label = self.specFieldNames[swiftLabel] ?? swiftLabel
            let childMirror = Mirror(reflecting: child.value)
            if let code = child.value as? ErrorCode {
                lines.append("\(indent)\(label): \(code.name) (\(code.rawValue))")
            } else if let flag = child.value as? Bool {
                lines.append("\(indent)\(label): \(flag ? 1 : 0)")
            } else if let bytes = child.value as? [UInt8], type(of: child.value) == [UInt8].self {
                lines.append("\(indent)\(label): \(bytes.count) byte(s)\(bytes.isEmpty ? "" : " " + self.hex(bytes).joined())")
            } else if let value = self.enumValue(child.value) {
                lines.append("\(indent)\(label): \(value)")
            } else if childMirror.displayStyle == .optional {
                // STAFF_CHANGE's role: 0 on the wire leaves it as it is.
                if let wrapped = childMirror.children.first?.value, let value = self.enumValue(wrapped) {
                    lines.append("\(indent)\(label): \(value)")
                } else {
                    lines.append("\(indent)\(label): unchanged (0)")
                }
            } else if childMirror.displayStyle == .struct {
                lines.append("\(indent)\(label):")
                lines += self.describe(child.value, indent: indent + "  ")
            } else if childMirror.displayStyle == .collection {
                lines.append("\(indent)\(label): \(childMirror.children.count) item(s)")
                for (i, item) in childMirror.children.enumerated() {
                    if let text = item.value as? String {
                        lines.append("\(indent)  [\(i)]: \"\(text)\" (\(text.utf8.count) bytes)")
                        continue
                    }
                    lines.append("\(indent)  [\(i)]:")
                    lines += self.describe(item.value, indent: indent + "    ")
                }
            } else if let text = child.value as? String {
                lines.append("\(indent)\(label): \"\(text)\" (\(text.utf8.count) bytes)")
            } else {
                lines.append("\(indent)\(label): \(child.value)")
            }
        }
        return lines
    }
}

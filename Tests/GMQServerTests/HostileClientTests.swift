import Foundation
import GMQClient
import GMQCore
import GMQProtocol
import GMQServer
import GMQTestSupport
import NIOCore
import Testing

/// The player port faces the internet: garbage, floods, idle and slow peers. After each attack a well-behaved
/// client must still be served and what was stored before must still be there.
@Suite(.timeLimit(.minutes(2)))
struct HostileClientTests {
    /// A ticket stored before the attack and a player who checks it afterwards.
    struct Witness {
        let id: UInt64
        let server: TestServer

        init(_ server: TestServer) async throws {
            self.server = server
            let player = try await server.player(77, "Witness")
            self.id = try await player.submitAccepted("Witness ticket: stuck in the Stockade cell block").ticketID
            await player.close()
        }

        /// A new session is served and the ticket stored before is intact.
        func confirm() async throws {
            let player = try await self.server.player(77, "Witness")
            #expect(try await player.detail(self.id).text == "Witness ticket: stuck in the Stockade cell block")
            try await player.ping()
            await player.close()
        }
    }

    /// Opens a connection and waits until the server has taken it in (PING answered, allowed before HELLO), so that
    /// connections are admitted in the order they were opened.
    static func admitted(port: Int) async throws -> RawConnection {
        let raw = try await RawConnection.connect(port: port)
        try await raw.write(Envelope(requestID: 1, message: .ping(Ping(nonce: 1))))
        var frames = raw.received.makeAsyncIterator()
        guard case .pong? = try await frames.next()?.message() else { throw UnexpectedResponse(.ok(Ok())) }
        return raw
    }

    static func errors(from raw: RawConnection) async -> [ErrorMessage] {
        var errors: [ErrorMessage] = []
        for await frame in raw.received {
            if case .error(let error)? = try? frame.message() { errors.append(error) }
        }
        return errors
    }

    @Test func randomBytesGetAnErrorAndACloseAndNothingElseBreaks() async throws {
        try await withTestServer { server in
            let witness = try await Witness(server)
            var generator = SeededRandom(seed: 0x6D71)
            for round in 0..<20 {
                let raw = try await RawConnection.connect(port: server.ports.player)
                let bytes = (0..<(64 + round * 512)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                try await raw.write(bytes)
                await raw.close()
            }
            let raw = try await RawConnection.connect(port: server.ports.player)
            try await raw.write([0x7F, 0xFF, 0xFF, 0xFF] + (0..<100).map { _ in UInt8.random(in: 0...255, using: &generator) })
            #expect(await Self.errors(from: raw).map(\.code) == [.frameTooLarge])
            try await witness.confirm()
        }
    }

    @Test func aFrameWrittenOneByteAtATimeIsServed() async throws {
        try await withTestServer { server in
            let raw = try await RawConnection.connect(port: server.ports.player)
            var buffer = ByteBuffer()
            Envelope(requestID: 1, message: .hello(Hello(clientKind: .player, credential: server.token(player: 3, name: "Uther"))))
                .encode(into: &buffer)
            try await raw.writeBytewise(Array(buffer.readableBytesView))
            var frames = raw.received.makeAsyncIterator()
            guard case .welcome(let welcome)? = try await frames.next()?.message() else { Issue.record("no WELCOME"); return }
            #expect(welcome.displayName == "Uther")
            await raw.close()
        }
    }

    @Test func aThousandPipelinedRequestsAreAllAnsweredInOrder() async throws {
        try await withTestServer { server in
            let raw = try await RawConnection.connect(port: server.ports.player)
            var burst = ByteBuffer()
            Envelope(requestID: 1, message: .hello(Hello(clientKind: .player, credential: server.token(player: 4, name: "Tyrande"))))
                .encode(into: &burst)
            for id in UInt32(2)...UInt32(1001) {
                let message: Message = id % 2 == 0 ? .myTickets(MyTickets()) : .ping(Ping(nonce: UInt64(id)))
                Envelope(requestID: id, message: message).encode(into: &burst)
            }
            try await raw.write(Array(burst.readableBytesView))  // one write: the server sees them all at once
            var ids: [UInt32] = []
            for await frame in raw.received {
                ids.append(frame.requestID)
                if case .pong(let pong) = try frame.message() { #expect(UInt64(frame.requestID) == pong.nonce) }
                if ids.count == 1001 { break }
            }
            #expect(ids == Array(1...1001))
            await raw.close()
        }
    }

    @Test func invalidUTF8AndEveryTruncatedPayloadGetErrorsWhileTheSessionLives() async throws {
        try await withTestServer { server in
            let witness = try await Witness(server)
            let raw = try await RawConnection.connect(port: server.ports.player)
            var frames = raw.received.makeAsyncIterator()
            try await raw.write(Envelope(requestID: 1, message: .hello(Hello(
                clientKind: .player, credential: server.token(player: 5, name: "Malfurion")))))
            guard case .welcome? = try await frames.next()?.message() else { Issue.record("no WELCOME"); return }

            // PLAYER_REPLY to ticket 1 whose text is C3 28: not UTF-8.
            try await raw.write([0, 0, 0, 18, 0x00, 0x17, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2, 0xC3, 0x28])
            guard case .error(let utf8)? = try await frames.next()?.message() else { Issue.record("no ERROR"); return }
            #expect(utf8.code == .malformedPayload && utf8.message.contains("UTF-8"))

            var requestID: UInt32 = 10
            for type in MessageType.allCases {
                guard let sample = Self.sample(type), !sample.isEmpty else { continue }
                requestID += 1
                var frame = ByteBuffer()
                frame.writeInteger(UInt32(6 + sample.count - 1), endianness: .big)
                frame.writeInteger(type.rawValue, endianness: .big)
                frame.writeInteger(requestID, endianness: .big)
                frame.writeBytes(sample.dropLast())
                try await raw.write(Array(frame.readableBytesView))
                let answer = try #require(await frames.next())
                #expect(answer.requestID == requestID)
                guard case .error(let error) = try answer.message() else { Issue.record("\(type) was not refused"); continue }
                #expect(error.code == .malformedPayload, "\(type)")
            }
            try await raw.write(Envelope(requestID: 99, message: .ping(Ping(nonce: 99))))
            guard case .pong? = try await frames.next()?.message() else { Issue.record("the session died"); return }
            await raw.close()
            try await witness.confirm()
        }
    }

    /// A valid payload of `type`, from the golden vectors' messages.
    static func sample(_ type: MessageType) -> [UInt8]? {
        let context = GMQProtocol.GameContext(realm: "R", characterID: 1, characterName: "C", zone: "Z")
        let summary = TicketSummary(
            id: 1, category: "bug", status: .open, playerID: 1, playerName: "P", assignee: "", createdAt: 0, updatedAt: 0,
            preview: "x")
        let message: Message
        switch type {
        case .hello: message = .hello(Hello(clientKind: .player, credential: "x"))
        case .welcome: message = .welcome(Welcome(role: .player, principalID: 1, displayName: "P", pendingNotifications: 0))
        case .error: message = .error(ErrorMessage(.busy, "x"))
        case .ok: message = .ok(Ok())
        case .ping: message = .ping(Ping(nonce: 1))
        case .pong: message = .pong(Pong(nonce: 1))
        case .submit: message = .submit(Submit(category: "bug", text: "x", context: context))
        case .accepted: message = .accepted(Accepted(ticketID: 1, queuePosition: 1))
        case .rejected: message = .rejected(Rejected(reason: "x", hint: "y"))
        case .myTickets: message = .myTickets(MyTickets())
        case .ticketList: message = .ticketList(TicketList(tickets: [summary]))
        case .getTicket: message = .getTicket(GetTicket(ticketID: 1))
        case .ticket: message = .ticket(TicketDetail(summary: summary, text: "x", context: context, resolution: "", history: []))
        case .playerReply: message = .playerReply(PlayerReply(ticketID: 1, text: "x"))
        case .ticketUpdated: message = .ticketUpdated(TicketUpdated(summary: summary))
        case .queue: message = .queue(QueueRequest())
        case .claim: message = .claim(Claim(ticketID: 1))
        case .unclaim: message = .unclaim(Unclaim(ticketID: 1))
        case .ask: message = .ask(Ask(ticketID: 1, text: "x"))
        case .answer: message = .answer(Answer(ticketID: 1, text: "x"))
        case .note: message = .note(Note(ticketID: 1, text: "x"))
        case .close: message = .close(Close(ticketID: 1, resolution: "solved", text: "x"))
        case .notification:
            message = .notification(NotificationPush(notificationID: 1, ticketID: 1, kind: .answered, actorName: "G", at: 0, text: "x"))
        case .notificationAck: message = .notificationAck(NotificationAck(notificationID: 1))
        case .rate: message = .rate(Rate(ticketID: 1, stars: 5, comment: "x"))
        case .transfer: message = .transfer(Transfer(ticketID: 1, category: "bug", text: "x"))
        case .escalate: message = .escalate(Escalate(ticketID: 1, target: .seniorGMs, text: "x"))
        case .watch: message = .watch(Watch())
        case .playerTickets: message = .playerTickets(PlayerTickets(playerID: 1))
        case .history: message = .history(History(ticketID: 1, afterSequence: 0, limit: 10))
        case .historyPage:
            message = .historyPage(HistoryPageMessage(ticketID: 1, total: 0, entries: [], nextAfter: 0))
        case .queueChanged: message = .queueChanged(QueueChanged(kind: .submitted, actorName: "P", ticket: summary))
        case .macroSave: message = .macroSave(MacroSave(name: "m", text: "x"))
        case .macroRemove: message = .macroRemove(MacroRemove(name: "m"))
        case .macroList: message = .macroList(MacroList())
        case .macros: message = .macros(Macros(entries: [Macros.Entry(name: "m", text: "x", author: "G")]))
        case .audit: message = .audit(Audit(gm: "G"))
        case .auditList: message = .auditList(AuditList(rows: [AuditList.Row(ticket: summary, resolution: "solved")]))
        case .auditVerify: message = .auditVerify(AuditVerify())
        case .auditVerified: message = .auditVerified(AuditVerified(events: 1, head: [], intact: true))
        case .report: message = .report(ReportRequest(since: 0, until: 1, category: "bug"))
        case .reportResult:
            message = .reportResult(ReportResult(rows: [ReportResult.Row(
                group: .total, name: "all", opened: 1, closed: 1, firstResponseMedian: 1, firstResponseP90: 1,
                closeMedian: 1, closeP90: 1, overduePerMille: 0, reopened: 0, ratingAverageHundredths: 500, ratings: 1)]))
        case .staffList: message = .staffList(StaffList())
        case .staffAccounts:
            message = .staffAccounts(StaffAccounts(accounts: [StaffAccountEntry(
                id: 1, name: "G", role: .gm, categories: [], state: .active, createdAt: 0, expiresAt: 0)]))
        case .staffChange: message = .staffChange(StaffChangeRequest(action: .disable, name: "G"))
        case .staffChanged:
            message = .staffChanged(StaffChanged(account: StaffAccountEntry(
                id: 1, name: "G", role: .gm, categories: [], state: .disabled, createdAt: 0, expiresAt: 0)))
        case .staffLog: message = .staffLog(StaffLogRequest())
        case .staffLogPage: message = .staffLogPage(StaffLogPage(entries: [], nextBefore: 0))
        case .staffLogVerify: message = .staffLogVerify(StaffLogVerify())
        case .staffLogVerified: message = .staffLogVerified(StaffLogVerified(entries: 0, head: [], intact: true))
        case .serverClosing: message = .serverClosing(ServerClosing(retryAfterSeconds: 0, message: "x"))
        case .ban: message = .ban(BanRequest(playerID: 1, until: 1, reason: "x"))
        case .incidentOpen: message = .incidentOpen(IncidentOpen(title: "x", category: "x", match: "x", message: "x"))
        case .incident: message = .incident(IncidentInfo(incident: IncidentEntry(id: 1, title: "x", category: "x", match: "x", build: "", zone: "", message: "x", openedBy: "x", openedAt: 0, closedBy: "", closedAt: 0, linked: 0, open: 0)))
        case .incidentList: message = .incidentList(IncidentList())
        case .incidents: message = .incidents(Incidents(incidents: []))
        case .incidentClose: message = .incidentClose(IncidentClose(incidentID: 1))
        case .incidentAnswer: message = .incidentAnswer(IncidentAnswerRequest(incidentID: 1, text: "x"))
        case .incidentAnswered: message = .incidentAnswered(IncidentAnswered(incidentID: 1, answered: 0, skipped: 0))
        case .incidentTickets: message = .incidentTickets(IncidentTickets(incidentID: 1))
        case .incidentGet: message = .incidentGet(IncidentGet(incidentID: 1))
        case .clusters: message = .clusters(ClustersRequest())
        case .clusterList: message = .clusterList(ClusterList(clusters: []))
        case .incidentLink: message = .incidentLink(IncidentLinkRequest(incidentID: 1, tickets: [1]))
        case .incidentLinked: message = .incidentLinked(IncidentLinked(incident: IncidentEntry(id: 1, title: "x", category: "x", match: "x", build: "", zone: "", message: "x", openedBy: "x", openedAt: 0, closedBy: "", closedAt: 0, linked: 0, open: 0), linked: 0, skipped: 0))
        case .unban: message = .unban(UnbanRequest(playerID: 1))
        case .bans: message = .bans(BansRequest())
        case .banList: message = .banList(BanList(bans: []))
        case .preview: message = .preview(Preview(category: "bug", text: "x", context: context))
        case .previewResult: message = .previewResult(PreviewResult(reason: "too_short", hint: "x"))
        case .kbSave: message = .kbSave(KBSave(article: ArticleEntry(id: 0, title: "x", body: "x", keywords: ["x"], category: "", locale: "")))
        case .kbRemove: message = .kbRemove(KBRemove(articleID: 1))
        case .kbList: message = .kbList(KBList())
        case .kbArticles: message = .kbArticles(KBArticles(articles: []))
        case .selfHelp: message = .selfHelp(SelfHelpRequest(since: 0, until: 1))
        case .selfHelpResult: message = .selfHelpResult(SelfHelpResult(previews: 0, drafts: 0, offered: 0, deflected: 0))
        case .attach: message = .attach(AttachRequest(ticketID: 1, name: "x.png", size: 1))
        case .attachReady: message = .attachReady(AttachReady(uploadID: 1, chunkBytes: 1, maximumBytes: 1))
        case .attachChunk: message = .attachChunk(AttachChunk(uploadID: 1, offset: 0, data: [1]))
        case .attachEnd: message = .attachEnd(AttachEnd(uploadID: 1))
        case .attachment: message = .attachment(AttachmentInfo(ticketID: 1, attachment: AttachmentEntry(number: 1, name: "x", contentType: "text/plain", size: 1, sha256: [], uploadedBy: "P", uploaderRole: .player, at: 0)))
        case .attachmentList: message = .attachmentList(AttachmentList(ticketID: 1))
        case .attachments: message = .attachments(Attachments(ticketID: 1, attachments: []))
        case .attachmentGet: message = .attachmentGet(AttachmentGet(ticketID: 1, number: 1))
        case .attachmentData: message = .attachmentData(AttachmentData(ticketID: 1, number: 1, size: 1, offset: 0, data: [1]))
        case .search: message = .search(SearchRequest(text: "x"))
        case .searchResult: message = .searchResult(SearchResult(hits: []))
        case .assign: message = .assign(Assign(ticketID: 1, gm: "G"))
        case .priority: message = .priority(PriorityRequest(ticketID: 1, urgency: 3, impact: 3))
        case .snooze: message = .snooze(Snooze(ticketID: 1, until: 1_800_000_000_000, text: "x"))
        case .remind: message = .remind(Remind(ticketID: 1, at: 1_800_000_000_000, text: "x"))
        case .reminder: message = .reminder(Reminder(reminderID: 1, ticketID: 1, at: 1_800_000_000_000, text: "x"))
        case .internalOpen: message = .internalOpen(InternalOpen(category: "bug", aboutPlayerID: 42, text: "x"))
        case .internalLink: message = .internalLink(InternalLinkRequest(ticketID: 1, internalID: 2))
        case .reportFigures: message = .reportFigures(ReportFigures(ReportRequest(since: 0, until: 0)))
        case .reportFiguresResult: message = .reportFiguresResult(ReportFiguresResult(rows: [], days: [], firstResponses: [], ratings: [0, 0, 0, 0, 0]))
        }
        var buffer = ByteBuffer()
        message.payload.encode(into: &buffer)
        return Array(buffer.readableBytesView)
    }

    @Test func everyProtocolViolationGetsItsDocumentedErrorAndTheSessionGoesOn() async throws {
        try await withTestServer { server in
            let raw = try await RawConnection.connect(port: server.ports.player)
            var frames = raw.received.makeAsyncIterator()
            func answer(_ envelope: Envelope) async throws -> Message {
                try await raw.write(envelope)
                let frame = try #require(await frames.next())
                #expect(frame.requestID == envelope.requestID)
                return try frame.message()
            }
            func code(_ message: Message) -> ErrorCode? {
                if case .error(let error) = message { return error.code }
                return nil
            }
            #expect(code(try await answer(Envelope(requestID: 1, message: .myTickets(MyTickets())))) == .handshakeRequired)
            let hello = Hello(clientKind: .player, credential: server.token(player: 11, name: "Sylvanas"))
            guard case .welcome = try await answer(Envelope(requestID: 2, message: .hello(hello))) else {
                Issue.record("no WELCOME")
                return
            }
            #expect(code(try await answer(Envelope(requestID: 3, message: .hello(hello)))) == .alreadyAuthenticated)
            #expect(code(try await answer(Envelope(requestID: 4, message: .claim(Claim(ticketID: 1))))) == .wrongPort)

            // A reply of 4,001 bytes: one over the text limit, refused by the codec, not by the store.
            var tooLong = ByteBuffer()
            tooLong.writeInteger(UInt64(1), endianness: .big)
            tooLong.writeInteger(UInt16(ProtocolLimits.maximumTextBytes + 1), endianness: .big)
            tooLong.writeRepeatingByte(0x61, count: ProtocolLimits.maximumTextBytes + 1)
            var frame = ByteBuffer()
            frame.writeInteger(UInt32(6 + tooLong.readableBytes), endianness: .big)
            frame.writeInteger(MessageType.playerReply.rawValue, endianness: .big)
            frame.writeInteger(UInt32(5), endianness: .big)
            frame.writeBuffer(&tooLong)
            try await raw.write(Array(frame.readableBytesView))
            guard case .error(let limit)? = try await frames.next()?.message() else { Issue.record("no ERROR"); return }
            #expect(limit.code == .malformedPayload && limit.message.contains("'text'") && limit.message.contains("4000"))

            guard case .pong = try await answer(Envelope(requestID: 6, message: .ping(Ping(nonce: 6)))) else {
                Issue.record("the session died")
                return
            }
            await raw.close()
        }
    }

    @Test func connectionsOverThePortsTotalAreRefused() async throws {
        var configuration = GMQServer.Configuration.forTests
        configuration.maximumConnections = 4
        try await withTestServer(configuration: configuration) { server in
            var open: [RawConnection] = []
            for _ in 0..<4 { open.append(try await Self.admitted(port: server.ports.staff)) }
            let fifth = try await RawConnection.connect(port: server.ports.staff)
            let refusal = await Self.errors(from: fifth)
            #expect(refusal.map(\.code) == [.connectionLimit] && refusal.first?.message.contains("maximum of 4") == true)
            for connection in open { await connection.close() }
        }
    }

    @Test func twoThousandIdleConnectionsDoNotStopService() async throws {
        var configuration = GMQServer.Configuration.forTests
        configuration.maximumConnectionsPerAddress = 5000
        try await withTestServer(configuration: configuration) { server in
            let witness = try await Witness(server)
            var idle: [RawConnection] = []
            for _ in 0..<2000 { idle.append(try await RawConnection.connect(port: server.ports.player)) }
            try await witness.confirm()
            for connection in idle { await connection.close() }
        }
    }

    @Test func connectionsOverThePerAddressCapAreRefused() async throws {
        var configuration = GMQServer.Configuration.forTests
        configuration.maximumConnectionsPerAddress = 3
        try await withTestServer(configuration: configuration) { server in
            var open: [RawConnection] = []
            for _ in 0..<3 { open.append(try await Self.admitted(port: server.ports.player)) }
            let fourth = try await RawConnection.connect(port: server.ports.player)
            let refusal = await Self.errors(from: fourth)
            #expect(refusal.map(\.code) == [.connectionLimit])
            #expect(refusal.first?.message.contains("3 connections") == true)
            // The staff port has no per-address cap.
            let key = try await server.staffKey("Mirna", role: .gm)
            let gm = try await GMQConnection.connect(
                host: "127.0.0.1", port: server.ports.staff, hello: Hello(clientKind: .staff, credential: key))
            await gm.close()
            await open[0].close()
            // A slot freed is a slot usable again (the close is seen by the server shortly after).
            var admitted = false
            for _ in 0..<50 where !admitted {
                let again = try await RawConnection.connect(port: server.ports.player)
                // While the slot is still taken the server refuses and closes at once, and the write may fail.
                try? await again.write(Envelope(requestID: 1, message: .ping(Ping(nonce: 1))))
                var frames = again.received.makeAsyncIterator()
                if case .pong? = try await frames.next()?.message() { admitted = true }
                await again.close()
            }
            #expect(admitted)
            for connection in open.dropFirst() { await connection.close() }
        }
    }

    // The three timeouts each get a server of their own whose other timeouts are far away, so that a slow test
    // machine cannot trip the wrong one. When each deadline passes, and that PING keeps a session, is tested on the
    // same handlers with virtual time (ConnectionGuardTests): a keep-alive paced in real time flakes on a loaded
    // machine (15 pings 300 ms apart took 13 s beside two busy loops).

    @Test func aPeerThatNeverSaysHelloIsTimedOut() async throws {
        var configuration = GMQServer.Configuration.forTests
        configuration.timeouts = ConnectionTimeouts(handshake: .milliseconds(500), idle: .seconds(60), frame: .seconds(60))
        try await withTestServer(configuration: configuration) { server in
            let silent = try await RawConnection.connect(port: server.ports.player)
            let handshake = await Self.errors(from: silent)
            #expect(handshake.map(\.code) == [.timeout] && handshake.first?.message.contains("HELLO") == true, "\(handshake)")
        }
    }

    @Test func aTrickledFrameIsTimedOut() async throws {
        var configuration = GMQServer.Configuration.forTests
        configuration.timeouts = ConnectionTimeouts(handshake: .seconds(60), idle: .seconds(60), frame: .milliseconds(300))
        try await withTestServer(configuration: configuration) { server in
            let trickler = try await RawConnection.connect(port: server.ports.player)
            try await trickler.write(Envelope(requestID: 1, message: .hello(Hello(
                clientKind: .player, credential: server.token(player: 5, name: "Garrosh")))))
            var frames = trickler.received.makeAsyncIterator()
            let first = try await frames.next()?.message()
            guard case .welcome? = first else { Issue.record("expected WELCOME, got \(String(describing: first))"); return }
            try await trickler.write([0, 0, 0, 40, 0x00])  // a frame that never completes
            var frame: [ErrorMessage] = []
            while let next = await frames.next() {
                if case .error(let error)? = try? next.message() { frame.append(error) }
            }
            #expect(frame.map(\.code) == [.timeout] && frame.first?.message.contains("frame") == true, "\(frame)")
        }
    }

    @Test func aSilentSessionIsTimedOut() async throws {
        var configuration = GMQServer.Configuration.forTests
        configuration.timeouts = ConnectionTimeouts(handshake: .seconds(60), idle: .seconds(1), frame: .seconds(60))
        try await withTestServer(configuration: configuration) { server in
            let quiet = try await server.player(6, "Rexxar")
            let mailbox = Mailbox(quiet.notifications)
            _ = try? await mailbox.next(timeout: .seconds(30))  // ends when the server closes the session
            await #expect(throws: (any Error).self) { try await quiet.ping() }
        }
    }

    @Test func aClientThatDoesNotReadIsBackPressuredAndLosesNothing() async throws {
        try await withTestServer { server in
            let owner = try await server.player(8, "Kael")
            let id = try await owner.submitAccepted(
                String(repeating: "Stuck in the Sunwell plateau textures near the portal. ", count: 70)).ticketID
            await owner.close()

            let slow = try await RawConnection.connect(port: server.ports.player, reading: false)
            try await slow.write(Envelope(requestID: 1, message: .hello(Hello(
                clientKind: .player, credential: server.token(player: 8, name: "Kael")))))
            // First 2,000 GET_TICKETs, whose 4 KB answers (8 MB) are more than every buffer between the server and
            // this unread socket holds: the server can no longer write. Then frames of 64 KiB of an unknown type
            // (each answered by a short ERROR), which fill the server's receive buffer quickly once it stops
            // reading. A busy server makes the socket stall briefly too, so only a stall of a whole second counts.
            var sent: UInt32 = 1
            for _ in 0..<2000 {
                sent += 1
                slow.send(Envelope(requestID: sent, message: .getTicket(GetTicket(ticketID: id))))
            }
            var junk = ByteBuffer()
            junk.writeRepeatingByte(0x6A, count: 65_536)
            var stalled = false
            while !stalled && sent < 10_000 {
                while slow.isWritable && sent < 10_000 {
                    sent += 1
                    var frame = ByteBuffer()
                    frame.writeInteger(UInt32(6 + junk.readableBytes), endianness: .big)
                    frame.writeInteger(UInt16(0x7777), endianness: .big)
                    frame.writeInteger(sent, endianness: .big)
                    frame.writeImmutableBuffer(junk)
                    slow.send(frame)
                }
                stalled = true
                for _ in 0..<10 where stalled {
                    // Absence of an event, so fixed waits: a server still reading drains a few megabytes well
                    // within a second.
                    try await Task.sleep(for: .milliseconds(100))
                    stalled = !slow.isWritable
                }
            }
            #expect(stalled, "the server kept reading \(sent) requests whose answers nobody read")

            let witness = try await server.player(9, "Vashj")  // others are served meanwhile
            try await witness.ping()
            await witness.close()

            try await slow.startReading()
            var answered: UInt32 = 0
            for await frame in slow.received {
                answered += 1
                #expect(frame.requestID == answered)
                if answered == sent { break }
            }
            #expect(answered == sent, "every request was answered")
            await slow.close()
        }
    }
}

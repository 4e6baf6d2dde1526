import Crypto
import Foundation
import Synchronization
import GMQClient
import GMQCore
import GMQProtocol
import GMQServer
import GMQTestSupport
import Testing

/// Evidence attachments over the wire (issue 12 §6): a player's screenshot in chunks, a game server's chat log,
/// who sees what, and bad uploads refused with nothing half-stored.
@Suite struct AttachmentServerTests {
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + (0..<600_000).map { UInt8($0 % 251) })
    static let chat = Data("[Trade] Gankmaster: you are trash, uninstall\n[Trade] Thrall: reported\n".utf8)

    static func configuration(_ change: (inout GMQServer.Configuration) -> Void = { _ in }) -> GMQServer.Configuration {
        var configuration = GMQServer.Configuration.forTests
        configuration.abuseLimits = .none
        change(&configuration)
        return configuration
    }

    static func list(_ connection: GMQConnection, _ ticket: UInt64) async throws -> [AttachmentEntry] {
        guard case .attachments(let list) = try await connection.call(.attachmentList(AttachmentList(ticketID: ticket)))
        else { throw GMQClientError.undecodableResponse("no ATTACHMENTS") }
        return list.attachments
    }

    @Test func aPlayersScreenshotAndAGameServersChatLogAreKeptAndReadBack() async throws {
        try await withTestServer(configuration: Self.configuration()) { server in
            let thrall = try await server.player(42, "Thrall")
            let ticket = try await thrall.submitAccepted("Player Gankmaster insults everybody in trade chat", category: "player_report").ticketID
            // 600 KB in three chunks.
            let stored = try await AttachmentTransfer.upload(Self.png, name: "trade-chat.png", to: ticket, on: thrall)
            #expect(stored.attachment.number == 1 && stored.attachment.contentType == "image/png")
            #expect(stored.attachment.size == UInt32(Self.png.count) && stored.attachment.sha256 == Array(SHA256.hash(data: Self.png)))

            let realmKey = try await server.staffKey("realm-1", role: .game)
            let realm = try await GMQConnection.connect(
                host: "127.0.0.1", port: server.ports.staff, hello: Hello(clientKind: .staff, credential: realmKey))
            #expect(realm.welcome.role == .game && realm.welcome.protocolVersion == 2)
            let log = try await AttachmentTransfer.upload(Self.chat, name: "chat-reporter-reported.txt", to: ticket, on: realm)
            #expect(log.attachment.number == 2 && log.attachment.contentType == "text/plain" && log.attachment.uploaderRole == .game)
            #expect(try await realm.refusal(.queue(QueueRequest())).code == .forbidden, "a game account only attaches")

            // The GM sees both and fetches them whole; the player sees their own.
            let mirna = try await server.staff("Mirna", role: .gm)
            #expect(try await Self.list(mirna, ticket).map(\.number) == [1, 2])
            let fetched = try await AttachmentTransfer.download(
                number: 1, of: ticket, expecting: stored.attachment.sha256, on: mirna)
            #expect(fetched == Self.png)
            #expect(try await AttachmentTransfer.download(number: 2, of: ticket, expecting: log.attachment.sha256, on: mirna) == Self.chat)
            #expect(try await Self.list(thrall, ticket).map(\.number) == [1])
            #expect(try await thrall.refusal(.attachmentGet(AttachmentGet(ticketID: ticket, number: 2))).code == .notFound)
            #expect(try await mirna.refusal(.attach(AttachRequest(ticketID: ticket, name: "x.txt", size: 3))).code == .forbidden,
                "GMs read evidence, they do not add it")
            let other = try await server.player(43, "Jaina")
            #expect(try await other.refusal(.attachmentList(AttachmentList(ticketID: ticket))).code == .notFound)

            // Histories: staff see both events, the player their own; a version 1 client none (v1 has no such kind).
            let staffKinds = try await mirna.detail(ticket).history.filter { $0.kind == .attached }
            #expect(staffKinds.count == 2 && staffKinds[1].text.contains(log.attachment.sha256.map { String(format: "%02x", $0) }.joined()))
            #expect(try await thrall.detail(ticket).history.filter { $0.kind == .attached }.map(\.actorRole) == [.player])
            let old = try await GMQConnection.connect(
                host: "127.0.0.1", port: server.ports.player,
                hello: Hello(protocolVersion: 1, clientKind: .player, credential: server.token(player: 42, name: "Thrall")))
            #expect(old.welcome.protocolVersion == 1)
            #expect(try await old.detail(ticket).history.allSatisfy { $0.kind != .attached })
            guard case .historyPage(let page) = try await old.call(.history(History(ticketID: ticket, afterSequence: 0, limit: 0)))
            else { Issue.record("no page"); return }
            #expect(page.entries.allSatisfy { $0.kind != .attached } && page.total == 1)
            await #expect(throws: ErrorMessage.self) {
                try await GMQConnection.connect(
                    host: "127.0.0.1", port: server.ports.staff,
                    hello: Hello(protocolVersion: 1, clientKind: .staff, credential: realmKey))
            }

            // The chain covers the files.
            let vera = try await server.staff("Vera", role: .moderator)
            guard case .auditVerified(let verified) = try await vera.call(.auditVerify(AuditVerify())) else {
                Issue.record("no AUDIT_VERIFIED"); return
            }
            #expect(verified.intact)
        }
    }

    @Test func badUploadsAreRefusedAndLeaveNothingStored() async throws {
        // The server's clock, moved by the test: an upload stalls for 61 s without the test waiting.
        let clock = Mutex(Date())
        try await withTestServer(configuration: Self.configuration(), now: { clock.withLock { $0 } }) { server in
            let thrall = try await server.player(42, "Thrall")
            let ticket = try await thrall.submitAccepted("The auction house crashes my client with error 132", category: "bug").ticketID
            func begin(_ name: String, _ size: Int) async throws -> UInt64 {
                guard case .attachReady(let ready) = try await thrall.call(.attach(AttachRequest(
                    ticketID: ticket, name: name, size: UInt32(size))))
                else { throw GMQClientError.undecodableResponse("no ATTACH_READY") }
                return ready.uploadID
            }
            // Neither an image nor text: refused at the end, nothing kept.
            let exe = Data([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00])
            await #expect(throws: ErrorMessage.self) { try await AttachmentTransfer.upload(exe, name: "cheat.png", to: ticket, on: thrall) }
            let wrongType = try await thrall.refusal(.attachEnd(AttachEnd(uploadID: 99)))
            #expect(wrongType.code == .notFound)
            // Over the limit: refused before a byte is sent.
            let big = try await thrall.refusal(.attach(AttachRequest(ticketID: ticket, name: "big.png", size: 3_000_000)))
            #expect(big.code == .limitReached && big.message.contains("2097152"))
            // A chunk out of order discards the upload.
            let upload = try await begin("log.txt", 10)
            let order = try await thrall.refusal(.attachChunk(AttachChunk(uploadID: upload, offset: 5, data: Array("hello".utf8))))
            #expect(order.code == .invalidArgument && order.message.contains("offset 0 was expected"))
            #expect(try await thrall.refusal(.attachChunk(AttachChunk(uploadID: upload, offset: 0, data: [0x41]))).code == .notFound)
            // A stalled upload is discarded after the timeout.
            let stalled = try await begin("log.txt", 10)
            _ = try await thrall.call(.attachChunk(AttachChunk(uploadID: stalled, offset: 0, data: Array("hello".utf8))))
            clock.withLock { $0 += 61 }
            let expired = try await thrall.refusal(.attachChunk(AttachChunk(uploadID: stalled, offset: 5, data: Array("world".utf8))))
            #expect(expired.code == .notFound && expired.message.contains("discarded"))
            // A connection dropped mid-upload: nothing stored.
            let dropped = try await server.player(42, "Thrall")
            guard case .attachReady(let ready) = try await dropped.call(.attach(AttachRequest(ticketID: ticket, name: "half.txt", size: 10)))
            else { Issue.record("no ATTACH_READY"); return }
            _ = try await dropped.call(.attachChunk(AttachChunk(uploadID: ready.uploadID, offset: 0, data: Array("hello".utf8))))
            await dropped.close()
            // A closed ticket takes no more files from its player.
            #expect(try await Self.list(thrall, ticket).isEmpty, "nothing of the refused uploads was stored")
            let gm = try await server.staff("Mirna")
            _ = try await gm.update(.claim(Claim(ticketID: ticket)))
            _ = try await gm.update(.close(Close(ticketID: ticket, resolution: "solved", text: "Fixed in 3.3.5c")))
            #expect(try await thrall.refusal(.attach(AttachRequest(ticketID: ticket, name: "late.txt", size: 4))).code == .invalidTransition)
        }
    }

    @Test func aTicketTakesAtMostItsLimitOfFiles() async throws {
        let configuration = Self.configuration { $0.attachmentLimits.perTicket = 2 }
        try await withTestServer(configuration: configuration) { server in
            let thrall = try await server.player(42, "Thrall")
            let ticket = try await thrall.submitAccepted("Stuck under the Ironforge bridge, can't move").ticketID
            for n in 1...2 { _ = try await AttachmentTransfer.upload(Data("log \(n)".utf8), name: "\(n).txt", to: ticket, on: thrall) }
            let full = try await thrall.refusal(.attach(AttachRequest(ticketID: ticket, name: "3.txt", size: 5)))
            #expect(full.code == .limitReached && full.message.contains("2 attachments"))
        }
    }
}

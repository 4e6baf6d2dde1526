import Foundation
import GMQClient
import GMQCore
import GMQProtocol
import GMQServer
import GMQTestSupport
import Testing

/// Where a client written from PROTOCOL.md alone disagreed with the server (issue 15), checked against a live
/// server and against the spec's own text. The rest are session vectors (`SessionVectorTests`).
@Suite struct ProtocolAgreementTests {
    static let spec: String = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Protocol/PROTOCOL.md")
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }()

    /// §3.3 names the notified kinds in one list; it is exactly the set the core notifies about.
    @Test func theSpecListsExactlyTheNotifiedSteps() throws {
        let match = try #require(Self.spec.firstMatch(of: /\(notified: ([a-z_, \n]+)\)/), "§3.3 has no list")
        let listed = Set(match.output.1.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
        let notified = Set(EventKind.allCases.filter(\.notifiesPlayer).map(\.rawValue))
        #expect(listed == notified)
        #expect(!notified.contains(EventKind.reopened.rawValue), "a player is not notified of their own reply")
    }

    /// Disagreement 2: transfer and escalation notify as themselves, escalation to developers as `closed`, and the
    /// player's own reopening reply notifies nobody.
    @Test func eachStaffStepNotifiesTheKindTheSpecNames() async throws {
        try await withTestServer { server in
            let thrall = try await server.player(42, "Thrall")
            let mailbox = Mailbox(thrall.notifications)
            let mirna = try await server.staff("Mirna", role: .admin)
            let id = try await thrall.submitAccepted("Stuck under the Ironforge bridge, can't move or hearth").ticketID

            _ = try await mirna.update(.claim(Claim(ticketID: id)))
            #expect(try await mailbox.next().kind == .claimed)
            _ = try await mirna.update(.transfer(Transfer(ticketID: id, category: "bug", text: "A map bug")))
            let transferred = try await mailbox.next()
            #expect(transferred.kind == .transferred && transferred.text == "A map bug")
            _ = try await mirna.update(.claim(Claim(ticketID: id)))
            #expect(try await mailbox.next().kind == .claimed)
            _ = try await mirna.update(.escalate(Escalate(ticketID: id, target: .seniorGMs, text: "Needs a restore")))
            #expect(try await mailbox.next().kind == .escalated)
            _ = try await mirna.update(.claim(Claim(ticketID: id)))
            #expect(try await mailbox.next().kind == .claimed)
            let closed = try await mirna.update(.escalate(Escalate(ticketID: id, target: .developers, text: "Reported as bug 311")))
            #expect(closed.status == .closed)
            let toDevelopers = try await mailbox.next()
            #expect(toDevelopers.kind == .closed && toDevelopers.text == "Reported as bug 311")
            #expect(try await mirna.detail(id).resolution == "escalated_to_dev")

            let reopened = try await thrall.update(.playerReply(PlayerReply(
                ticketID: id, text: "The bridge still traps me on the north side after the fix")))
            #expect(reopened.status == .open && reopened.reopenCount == 1)
            _ = try await mirna.update(.claim(Claim(ticketID: id)))
            // The next push is the claim: nothing was pushed about the player's own reply.
            #expect(try await mailbox.next().kind == .claimed)
            #expect(mailbox.queued.isEmpty)
            await thrall.close()
            await mirna.close()
        }
    }

    /// §5.4: `estimated_wait` 0 means "no estimate", so a known estimate under a second is sent as 1.
    @Test func aKnownWaitIsNeverZero() async throws {
        try await withTestServer { server in
            // Filed, claimed and answered at one instant through the store: a first response of 0 s, whatever
            // the machine's load.
            let now = Date()
            let player = Actor(id: 7, name: "Jaina", role: .player)
            guard case .created(let seeded, _) = try await server.store.submit(
                .init(player: player, category: "bug", text: "Quest item vanished from my bags in Westfall",
                    context: GMQCore.GameContext(zone: "Westfall")), at: now)
            else { Issue.record("not created"); return }
            let admin = Access(actor: Actor(id: 1, name: "Root", role: .admin))
            _ = try await server.store.apply(.claim, to: seeded.id, as: admin, text: "", at: now)
            _ = try await server.store.apply(.answer, to: seeded.id, as: admin, text: "Restored the item.", at: now)
            let thrall = try await server.player(42, "Thrall")
            let accepted = try await thrall.submitAccepted(
                "My quest item vanished from the bags after the server reset", category: "bug")
            #expect(accepted.estimatedWaitSeconds == 1, "the only first response took under a second")
            let other = try await thrall.submitAccepted("Stuck under the Ironforge bridge, can't move or hearth")
            #expect(other.estimatedWaitSeconds == 0, "no ticket of this category was answered yet")
            await thrall.close()
        }
    }

    /// §5.4: `queue_position` is filled in MY_TICKETS only; TICKET, TICKET_UPDATED and the staff lists carry 0.
    @Test func theQueuePositionAppearsWhereTheSpecSays() async throws {
        try await withTestServer { server in
            let thrall = try await server.player(42, "Thrall")
            let mirna = try await server.staff("Mirna")
            let accepted = try await thrall.submitAccepted("Stuck under the Ironforge bridge, can't move or hearth")
            #expect(accepted.queuePosition == 1)
            guard case .ticketList(let mine) = try await thrall.call(.myTickets(MyTickets())) else {
                throw JourneyTests.Failure()
            }
            #expect(mine.tickets.map(\.queuePosition) == [1])
            #expect(try await thrall.detail(accepted.ticketID).summary.queuePosition == 0)
            guard case .ticketList(let queue) = try await mirna.call(.queue(QueueRequest())) else {
                throw JourneyTests.Failure()
            }
            #expect(queue.tickets.map(\.queuePosition) == [0])
            await thrall.close()
            await mirna.close()
        }
    }

    /// REPORT's bounds read as AUDIT's: 0 leaves an end open.
    @Test func aReportWithOpenEndsCoversAllTime() async throws {
        try await withTestServer { server in
            _ = try await server.seedTickets(3, category: "bug")
            let moderator = try await server.staff("Vol", role: .moderator)
            guard case .reportResult(let all) = try await moderator.call(.report(ReportRequest(
                since: 0, until: 0, category: "", gm: ""))) else { throw JourneyTests.Failure() }
            #expect(all.rows.first?.name == "all" && all.rows.first?.opened == 3)
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            guard case .reportResult(let before) = try await moderator.call(.report(ReportRequest(
                since: 0, until: now - 3_600_000, category: "", gm: ""))) else { throw JourneyTests.Failure() }
            #expect(before.rows.first?.opened == 0)
            await moderator.close()
        }
    }
}

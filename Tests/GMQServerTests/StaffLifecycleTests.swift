import Foundation
import GMQClient
import GMQCore
import GMQProtocol
import GMQServer
import GMQTestSupport
import Testing

/// A staff account that loses access loses its sessions and its claims at once (issue 11 §2), whoever changed it:
/// here the store directly, as `gmqd staff` on the host or another node does, so only the server's own check
/// can notice.
@Suite struct StaffLifecycleTests {
    static var configuration: GMQServer.Configuration {
        var configuration = GMQServer.Configuration.forTests
        configuration.staffCheckInterval = .milliseconds(100)
        return configuration
    }

    /// Waits for `connection` to be closed by the server, failing after `timeout`.
    static func closedByServer(_ connection: GMQConnection, within timeout: Duration = .seconds(10)) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { await connection.closed(); return true }
            group.addTask { try? await Task.sleep(for: timeout); return false }
            let first = await group.next()!
            group.cancelAll()
            return first
        }
    }

    @Test func aDisabledGMsSessionIsClosedAndTheirClaimReturnsWithANoticeToThePlayer() async throws {
        try await withTestServer(configuration: Self.configuration) { server in
            _ = try await server.staffKey("Root", role: .admin)
            let player = try await server.player(42, "Thrall")
            let notices = Mailbox(player.notifications)
            let id = try await player.submitAccepted("Stuck under the Ironforge bridge, can't move or hearth").ticketID
            let mirnaKey = try await server.staffKey("Mirna", role: .gm)
            let mirna = try await GMQConnection.connect(
                host: "127.0.0.1", port: server.ports.staff, hello: Hello(clientKind: .staff, credential: mirnaKey))
            _ = try await mirna.update(.claim(Claim(ticketID: id)))
            #expect(try await notices.next().kind == .claimed)

            _ = try await server.store.changeStaff(named: "Mirna", .disable, by: "operator:test", at: Date())
            #expect(await Self.closedByServer(mirna), "the session closes without a request of hers")
            let refusal = await Result { try await mirna.call(.ping(Ping(nonce: 1))) }
            #expect((refusal.failure as? ErrorMessage)?.code == .credentialRevoked, "\(refusal)")
            #expect((refusal.failure as? ErrorMessage)?.message.contains("Mirna is disabled") == true)

            let notice = try await notices.next()
            #expect(notice.kind == .leaseExpired && notice.text.contains("Mirna no longer has access"), "\(notice)")
            #expect(try await server.store.ticket(Int64(id)).state == .open)

            await #expect(throws: ErrorMessage(
                .credentialRevoked, "the staff account Mirna is disabled; ask an admin to enable it"
            )) {
                try await GMQConnection.connect(
                    host: "127.0.0.1", port: server.ports.staff, hello: Hello(clientKind: .staff, credential: mirnaKey))
            }
            _ = try await server.store.changeStaff(named: "Mirna", .enable, by: "operator:test", at: Date())
            let back = try await GMQConnection.connect(
                host: "127.0.0.1", port: server.ports.staff, hello: Hello(clientKind: .staff, credential: mirnaKey))
            _ = try await back.update(.claim(Claim(ticketID: id)))
            await back.close()
            await player.close()
        }
    }

    @Test func aReplacedKeyStopsWorkingAndAnExpiredKeyEndsItsSession() async throws {
        try await withTestServer(configuration: Self.configuration) { server in
            let oldKey = try await server.staffKey("Tharok", role: .gm)
            let tharok = try await GMQConnection.connect(
                host: "127.0.0.1", port: server.ports.staff, hello: Hello(clientKind: .staff, credential: oldKey))
            let newKey = StaffKey.generate()
            _ = try await server.store.changeStaff(
                named: "Tharok", .rotateKey(keyHash: StaffKey.hash(newKey)), by: "operator:test", at: Date())
            #expect(await Self.closedByServer(tharok))
            let refusal = await Result { try await tharok.call(.ping(Ping(nonce: 1))) }
            #expect((refusal.failure as? ErrorMessage)?.code == .credentialRevoked)
            await #expect(throws: ErrorMessage.self) {
                try await GMQConnection.connect(
                    host: "127.0.0.1", port: server.ports.staff, hello: Hello(clientKind: .staff, credential: oldKey))
            }

            let renewed = try await GMQConnection.connect(
                host: "127.0.0.1", port: server.ports.staff, hello: Hello(clientKind: .staff, credential: newKey))
            let ids = try await server.seedTickets(1)
            _ = try await renewed.update(.claim(Claim(ticketID: ids[0])))
            let soon = Date().addingTimeInterval(1).milliseconds
            _ = try await server.store.changeStaff(
                named: "Tharok", .set(role: nil, categories: nil, expiry: .at(soon)), by: "operator:test", at: Date())
            #expect(await Self.closedByServer(renewed))
            let expired = await Result { try await renewed.call(.ping(Ping(nonce: 1))) }
            #expect((expired.failure as? ErrorMessage)?.code == .credentialExpired, "\(expired)")
            // The guard returns an expired holder's claims too.
            var state = try await server.store.ticket(Int64(ids[0])).state
            for _ in 0..<600 where state != .open {  // up to a minute: this machine stalls
                try await Task.sleep(for: .milliseconds(100))
                state = try await server.store.ticket(Int64(ids[0])).state
            }
            #expect(state == .open)
            let history = try await server.store.history(of: Int64(ids[0]))
            #expect(history.last?.kind == .leaseExpired && history.last?.text.contains("Tharok's access expired") == true)
        }
    }
}

/// `gmq staff …` and `gmq audit staff` over the staff port: an admin's change acts at once on this node.
@Suite struct StaffAdministrationOverTheWireTests {
    @Test func anAdminManagesAccountsAndEveryStepIsLoggedAndVerifiable() async throws {
        var configuration = GMQServer.Configuration.forTests
        configuration.staffCheckInterval = .seconds(3_600)  // so only the admin's own request can close a session
        try await withTestServer(configuration: configuration) { server in
            let root = try await server.staff("Root", role: .admin)
            let vera = try await server.staff("Vera", role: .moderator)
            let player = try await server.player(42, "Thrall")
            let id = try await player.submitAccepted("Stuck under the Ironforge bridge, can't move or hearth").ticketID

            guard case .staffChanged(let added) = try await root.call(.staffChange(StaffChangeRequest(
                action: .add, name: "Mirna", role: .gm, setCategories: true, categories: ["stuck_character"])))
            else { Issue.record("no STAFF_CHANGED"); return }
            #expect(added.key.hasPrefix("gmqk_") && added.account.state == .active && added.account.role == .gm)
            let mirna = try await GMQConnection.connect(
                host: "127.0.0.1", port: server.ports.staff, hello: Hello(clientKind: .staff, credential: added.key))
            _ = try await mirna.update(.claim(Claim(ticketID: id)))
            #expect(try await mirna.refusal(.staffList(StaffList())).code == .forbidden, "GMs do not manage staff")
            #expect(try await vera.refusal(.staffChange(StaffChangeRequest(action: .disable, name: "Mirna"))).code == .forbidden)
            let unknown = try await root.refusal(.staffChange(StaffChangeRequest(
                action: .add, name: "Vala", role: .gm, setCategories: true, categories: ["nowhere"])))
            #expect(unknown.code == .unknownCategory)

            guard case .staffChanged(let disabled) = try await root.call(.staffChange(StaffChangeRequest(
                action: .disable, name: "mirna")))
            else { Issue.record("no STAFF_CHANGED"); return }
            #expect(disabled.account.state == .disabled && disabled.released == 1 && disabled.key.isEmpty)
            #expect(await StaffLifecycleTests.closedByServer(mirna, within: .seconds(5)), "closed by the change itself")
            #expect(mirna.serverClosingError?.code == .credentialRevoked)
            let again = try await root.refusal(.staffChange(StaffChangeRequest(action: .disable, name: "Mirna")))
            #expect(again.code == .invalidTransition && again.message.contains("already disabled"))
            let last = try await root.refusal(.staffChange(StaffChangeRequest(action: .disable, name: "Root")))
            #expect(last.code == .invalidTransition && last.message.contains("last active admin"))

            guard case .staffChanged(let rotated) = try await root.call(.staffChange(StaffChangeRequest(
                action: .rotateKey, name: "Mirna")))
            else { Issue.record("no STAFF_CHANGED"); return }
            #expect(rotated.key.hasPrefix("gmqk_") && rotated.key != added.key)

            guard case .staffAccounts(let list) = try await root.call(.staffList(StaffList())) else {
                Issue.record("no STAFF_ACCOUNTS"); return
            }
            #expect(list.accounts.map(\.name) == ["Mirna", "Root", "Vera"])
            #expect(list.accounts.first?.state == .disabled && list.accounts.first?.categories == ["stuck_character"])

            guard case .staffLogPage(let page) = try await vera.call(.staffLog(StaffLogRequest(actor: "root", limit: 2)))
            else { Issue.record("no STAFF_LOG_PAGE"); return }
            #expect(page.entries.map(\.action) == ["key_rotated", "staff_disabled"] && page.nextBefore == page.entries.last?.seq)
            guard case .staffLogPage(let rest) = try await vera.call(.staffLog(StaffLogRequest(
                actor: "root", before: page.nextBefore)))
            else { Issue.record("no STAFF_LOG_PAGE"); return }
            #expect(rest.entries.map(\.action) == ["staff_added"] && rest.nextBefore == 0)
            #expect(rest.entries.first?.detail == "role gm; categories stuck_character")
            guard case .staffLogVerified(let verified) = try await vera.call(.staffLogVerify(StaffLogVerify())) else {
                Issue.record("no STAFF_LOG_VERIFIED"); return
            }
            // Root, Vera (test setup, by the host's operator), Mirna added, disabled, re-keyed.
            #expect(verified.intact && verified.entries == 5 && verified.head.count == 32)
            let notices = Mailbox(player.notifications)
            #expect(try await notices.next().kind == .claimed)
            let released = try await notices.next()
            #expect(released.kind == .leaseExpired && released.text.contains("Mirna no longer has access"), "live")
            await root.close()
            await vera.close()
            await player.close()
        }
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

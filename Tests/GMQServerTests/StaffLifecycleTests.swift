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
        var configuration = GMQServer.Configuration(playerPort: 0, staffPort: 0)
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
            for _ in 0..<50 where state != .open {
                try await Task.sleep(for: .milliseconds(100))
                state = try await server.store.ticket(Int64(ids[0])).state
            }
            #expect(state == .open)
            let history = try await server.store.history(of: Int64(ids[0]))
            #expect(history.last?.kind == .leaseExpired && history.last?.text.contains("Tharok's access expired") == true)
        }
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

import Foundation
import GMQClient
import GMQCore
import GMQProtocol
import GMQServer
import GMQTestSupport
import Testing

/// Both ports over TLS (issue 11 §1) with a certificate the test's own authority issued.
@Suite struct TLSTests {
    static func configuration(_ certificates: TestCertificates) throws -> GMQServer.Configuration {
        var configuration = GMQServer.Configuration.forTests
        let tls = try ServerTLS(certificate: certificates.certificate, key: certificates.key)
        configuration.playerTLS = tls
        configuration.staffTLS = tls
        return configuration
    }

    @Test func theWholeJourneyRunsOverTLS() async throws {
        let certificates = try TestCertificates.make()
        defer { try? FileManager.default.removeItem(at: certificates.directory) }
        let tls = try ClientTLS(caFile: certificates.authority)
        try await withTestServer(configuration: try Self.configuration(certificates)) { server in
            let thrall = try await GMQConnection.connect(
                host: "127.0.0.1", port: server.ports.player,
                hello: Hello(clientKind: .player, credential: server.token(player: 42, name: "Thrall")), tls: tls)
            let notices = Mailbox(thrall.notifications)
            let id = try await thrall.submitAccepted("Stuck under the Ironforge bridge, can't move or hearth").ticketID
            // A host name is checked against the certificate's DNS entry, an address against its IP entry.
            let mirna = try await GMQConnection.connect(
                host: "localhost", port: server.ports.staff,
                hello: Hello(clientKind: .staff, credential: try await server.staffKey("Mirna", role: .gm)), tls: tls)
            _ = try await mirna.update(.claim(Claim(ticketID: id)))
            _ = try await mirna.update(.answer(Answer(ticketID: id, text: "Teleported you to the gates.")))
            _ = try await mirna.update(.close(Close(ticketID: id, resolution: "solved", text: "Enjoy!")))
            #expect(try await notices.next().kind == .claimed)
            #expect(try await notices.next().kind == .answered)
            let closed = try await notices.next()
            #expect(closed.kind == .closed && closed.text == "Enjoy!")
            _ = try await thrall.update(.rate(Rate(ticketID: id, stars: 5, comment: "quick")))
            #expect(try await thrall.detail(id).summary.rating == 5)
            await mirna.close()
            await thrall.close()
        }
    }

    @Test func aPlainClientOnATLSPortIsToldAndTheServerKeepsServing() async throws {
        let certificates = try TestCertificates.make()
        defer { try? FileManager.default.removeItem(at: certificates.directory) }
        try await withTestServer(configuration: try Self.configuration(certificates)) { server in
            let plain = await Result {
                try await GMQConnection.connect(
                    host: "127.0.0.1", port: server.ports.player,
                    hello: Hello(clientKind: .player, credential: server.token(player: 42, name: "Thrall")))
            }
            let refusal = try #require(plain.failure as? ErrorMessage, "\(plain)")
            #expect(refusal.code == .tlsRequired && refusal.message.contains("connect with TLS"))

            // Not trusting the server's authority, or trusting another one, is refused by the client.
            for untrusted in [try ClientTLS(), try ClientTLS(caFile: certificates.strangerAuthority)] {
                let attempt = await Result {
                    try await GMQConnection.connect(
                        host: "127.0.0.1", port: server.ports.staff,
                        hello: Hello(clientKind: .staff, credential: "gmqk_x"), tls: untrusted)
                }
                guard case .tlsFailed(let detail)? = attempt.failure as? GMQClientError else {
                    Issue.record("expected a TLS failure, got \(attempt)")
                    continue
                }
                #expect(!detail.isEmpty)
            }

            let trusted = try await GMQConnection.connect(
                host: "127.0.0.1", port: server.ports.player,
                hello: Hello(clientKind: .player, credential: server.token(player: 43, name: "Jaina")),
                tls: try ClientTLS(caFile: certificates.authority))
            #expect(try await trusted.call(.myTickets(MyTickets())) == .ticketList(TicketList(tickets: [])))
            await trusted.close()
        }
    }

    @Test func aTLSClientOnAPlainPortFailsClearly() async throws {
        let certificates = try TestCertificates.make()
        defer { try? FileManager.default.removeItem(at: certificates.directory) }
        try await withTestServer { server in
            let attempt = await Result {
                try await GMQConnection.connect(
                    host: "127.0.0.1", port: server.ports.player,
                    hello: Hello(clientKind: .player, credential: server.token(player: 42, name: "Thrall")),
                    tls: try ClientTLS(caFile: certificates.authority))
            }
            guard case .tlsFailed? = attempt.failure as? GMQClientError else {
                Issue.record("expected a TLS failure, got \(attempt)")
                return
            }
            #expect("\(attempt.failure!)".contains("drop --tls"))
        }
    }

    @Test func badCertificateFilesAreNamed() throws {
        let certificates = try TestCertificates.make()
        defer { try? FileManager.default.removeItem(at: certificates.directory) }
        #expect(throws: ServerTLSError.self) { try ServerTLS(certificate: "/nonexistent.pem", key: certificates.key) }
        do {
            _ = try ServerTLS(certificate: certificates.certificate, key: certificates.authority)
            Issue.record("a certificate is not a key")
        } catch {
            #expect(error.description.contains(certificates.authority))
        }
        #expect(throws: ClientTLSError.self) { try ClientTLS(caFile: certificates.key + ".missing") }
    }
}

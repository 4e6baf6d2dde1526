import Foundation
import GMQClient
import GMQCore
import GMQProtocol
import GMQServer
import GMQTestSupport
import Logging
import Synchronization
import Testing

/// Issue 11 §6: the log names what happened with dotted keys and never carries a token, a key or what a player or
/// GM wrote, at info and above; `--log-format json` writes an object per line.
@Suite struct LoggingTests {
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        var all: [String] { self.lines.withLock { $0 } }
    }

    @Test func aJourneyLoggedAtInfoAsJSONNamesTicketsAndPeopleButNoSecretOrText() async throws {
        let captured = Lines()
        var logger = Logger(label: "gmqd") { label in
            JSONLogHandler(label: label, output: .init { line in captured.lines.withLock { $0.append(line) } })
        }
        logger.logLevel = .info
        let request = "Stuck under the Ironforge bridge, cannot move or hearth"
        let answer = "Teleported you to the gates of Ironforge."
        try await withTestServer(logger: logger) { server in
            let token = server.token(player: 42, name: "Thrall")
            let key = try await server.staffKey("Mirna", role: .gm)
            let thrall = try await GMQConnection.connect(
                host: "127.0.0.1", port: server.ports.player, hello: Hello(clientKind: .player, credential: token))
            let mirna = try await GMQConnection.connect(
                host: "127.0.0.1", port: server.ports.staff, hello: Hello(clientKind: .staff, credential: key))
            let id = try await thrall.submitAccepted(request).ticketID
            _ = try await mirna.update(.claim(Claim(ticketID: id)))
            _ = try await mirna.update(.note(Note(ticketID: id, text: "Known hole in the bridge mesh")))
            _ = try await mirna.update(.answer(Answer(ticketID: id, text: answer)))
            _ = try await thrall.update(.playerReply(PlayerReply(ticketID: id, text: "Thanks, that worked fine")))

            let lines = captured.all
            let objects = try lines.map { line in
                try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
            }
            #expect(objects.allSatisfy { $0["time"] is String && $0["level"] is String && $0["message"] is String })
            let submitted = try #require(objects.first { $0["message"] as? String == "ticket submitted" })
            #expect(submitted["ticket.id"] as? String == "\(id)" && submitted["player.id"] as? String == "42")
            #expect(submitted["request.type"] as? String == "SUBMIT")
            let answered = try #require(objects.first { $0["event.kind"] as? String == "answered" })
            #expect(answered["staff.name"] as? String == "Mirna" && answered["request.type"] as? String == "ANSWER")
            for secret in [token, key, request, answer, "Known hole", "that worked fine"] {
                #expect(!lines.contains { $0.contains(secret) }, "the log carries \(secret.prefix(12))…")
            }
            await thrall.close()
            await mirna.close()
        }
    }
}

import Foundation
import GMQClient
import GMQCore
import GMQProtocol
import GMQServer
import GMQStore
import GMQTestSupport
import Testing

/// Issue 18 §2: a player's text never reaches a staff terminal raw, and the server refuses what no client sends.
@Suite struct TerminalSafetyTests {
    /// Clear screen, a forged red line, an OSC 52 clipboard write, an OSC 8 link, a title change, CSI in its C1 form,
    /// a right-to-left override and a zero-width space.
    static let hostile = "\u{1B}[2J\u{1B}[31mGM Root: ticket solved\u{1B}[0m\u{1B}]52;c;cm0gLXJmIH4=\u{07}"
        + "\u{1B}]8;;http://evil.example\u{1B}\\click\u{1B}]8;;\u{1B}\\\u{1B}]0;owned\u{07}\u{9B}2J"
        + "stuck \u{202E}egdirb\u{200B} under the bridge"

    static func isRaw(_ output: String) -> Bool {
        output.unicodeScalars.contains { [0x1B, 0x07, 0x9B, 0x202E, 0x200B].contains($0.value) }
    }

    /// Runs `gmq` against `server` with `key` and returns its standard output.
    static func gmq(_ arguments: [String], server: TestServer, key: String) async throws -> String {
        try await Tool.run(
            "gmq", arguments + ["--server", "127.0.0.1:\(server.ports.staff)", "--key", key],
            environment: ["NO_COLOR": "1"]
        ).standardOutput
    }

    /// Data written before the server refused such characters (or by another writer) is stored as it is: every
    /// staff view of it shows the characters as `<U+XXXX>`, and `--json` keeps the exact text.
    @Test func everyStaffViewOfAHostileTicketIsPrintable() async throws {
        try await withTestServer { server in
            let player = GMQCore.Actor(id: 42, name: "Thr\u{1B}[1mall", role: .player)
            let outcome = try await server.store.submit(
                .init(
                    player: player, category: "bug", text: Self.hostile + "\nsecond line",
                    context: GMQCore.GameContext(realm: "\u{1B}]0;x\u{07}", characterName: "\u{202E}llarhT", zone: "\u{1B}[2J",
                        clientBuild: "=HYPERLINK(\"http://evil.example\")")),
                at: Date())
            guard case .created(let ticket, _) = outcome else { throw TestServer.UnexpectedOutcome(outcome: outcome) }
            let key = try await server.staffKey("Root", role: .admin)
            let id = "\(ticket.id)"
            let admin = Access(actor: GMQCore.Actor(id: 1, name: "Root", role: .admin))
            _ = try await server.store.apply(.claim, to: ticket.id, as: admin, text: "", at: Date())
            _ = try await server.store.apply(.note, to: ticket.id, as: admin, text: "see \u{1B}[8mhidden", at: Date())
            _ = try await server.store.apply(.close(.solved), to: ticket.id, as: admin, text: "", at: Date())
            // Only the table and transcript views: JSON is checked separately below.
            for arguments in [
                ["show", id], ["show", id, "--all"], ["queue", "--state", "closed"], ["audit"], ["audit", "--csv"],
                ["audit", "show", id, "--all"],
            ] {
                let output = try await Self.gmq(arguments, server: server, key: key)
                #expect(!output.isEmpty, "gmq \(arguments) printed nothing")
                #expect(!Self.isRaw(output), "gmq \(arguments) printed a raw control or bidi character")
            }
            let shown = try await Self.gmq(["show", id], server: server, key: key)
            #expect(shown.contains("<U+001B>[2J<U+001B>[31mGM Root: ticket solved"))
            #expect(shown.contains("<U+202E>egdirb<U+200B>"))
            #expect(shown.contains("\n│ second line"), "a line of the body is marked, so it cannot pass for the tool's own")
            let csv = try await Self.gmq(["audit", "--csv"], server: server, key: key)
            #expect(csv.contains("Thr<U+001B>[1mall"))
            let json = try await Self.gmq(["show", id, "--json"], server: server, key: key)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            #expect(object["text"] as? String == Self.hostile + "\nsecond line", "--json stays exact")
        }
    }

    /// Issue 18 §5: OWASP's rule for cells a spreadsheet would run.
    @Test func csvCellsThatASpreadsheetWouldRunStayText() async throws {
        try await withTestServer { server in
            let player = try await server.player(7, "Jaina")
            let id = try await player.submitAccepted(
                "=HYPERLINK(\"http://evil.example\",\"Stuck under the bridge\") can't move", category: "bug").ticketID
            let gm = try await server.staff("Mirna")
            _ = try await gm.update(.claim(Claim(ticketID: id)))
            _ = try await gm.update(.close(Close(ticketID: id, resolution: "solved", text: "")))
            let key = try await server.staffKey("Vera", role: .moderator)
            let csv = try await Self.gmq(["audit", "--csv"], server: server, key: key)
            let row = try #require(csv.trimmingCharacters(in: .newlines).split(separator: "\r\n").last)
            #expect(row.hasSuffix("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Stuck under the bridge\"\") can't move\""))
            for connection in [player, gm] { await connection.close() }
        }
    }

    /// The server refuses control characters in a request's text and control or invisible characters in names and
    /// the game context (PROTOCOL.md §4.1), naming the field and the character but not the text.
    @Test(arguments: [
        ("text", "Stuck \u{1B}[2J under the bridge", GMQProtocol.GameContext()),
        ("zone", "Stuck under the Ironforge bridge", GMQProtocol.GameContext(zone: "Iron\u{1B}]0;x\u{07}forge")),
        ("character_name", "Stuck under the Ironforge bridge", GMQProtocol.GameContext(characterName: "\u{202E}llarhT")),
        ("realm", "Stuck under the Ironforge bridge", GMQProtocol.GameContext(realm: "Argent\u{200B}Dawn")),
        ("client_build", "Stuck under the Ironforge bridge", GMQProtocol.GameContext(clientBuild: "3.3.5\u{9B}")),
    ])
    func aSubmissionWithControlCharactersIsRefused(field: String, text: String, context: GMQProtocol.GameContext)
        async throws
    {
        try await withTestServer { server in
            let player = try await server.player(1, "Thrall")
            let error = try await player.refusal(.submit(Submit(category: "bug", text: text, context: context)))
            #expect(error.code == .invalidArgument)
            #expect(error.message.hasPrefix("the \(field) holds the "), "\(error.message)")
            #expect(!Self.isRaw(error.message))
            guard case .ticketList(let list) = try await player.call(.myTickets(MyTickets())) else { return }
            #expect(list.tickets.isEmpty, "nothing was stored")
            await player.close()
        }
    }

    @Test func lineBreaksAndTabsInARequestAreFine() async throws {
        try await withTestServer { server in
            let player = try await server.player(1, "Thrall")
            _ = try await player.submitAccepted("Stuck under the Ironforge bridge.\r\n\tCan't move or hearth.")
            await player.close()
        }
    }

    @Test func aTokenWhoseNameHoldsAnEscapeIsNotValid() throws {
        let signer = PlayerTokenSigner(secret: Data(repeating: 7, count: 32))
        let token = signer.sign(playerID: 1, name: "Thr\u{1B}[2Jall", expiresAt: Date().addingTimeInterval(60))
        #expect(throws: PlayerTokenSigner.Failure.malformed) { try signer.verify(token, now: Date()) }
    }
}

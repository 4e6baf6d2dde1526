import Foundation
import GMQTestSupport
import GMQClient
import GMQProtocol
import GMQServer
import Testing

/// Drives `gmq console` in a pseudo-terminal, keys and all, through a GM's work on a ticket that arrives while
/// the console is open, and checks what the screen shows.
@Suite(.timeLimit(.minutes(2)))
struct ConsoleTerminalTests {
    static let driver = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Resources/pty-drive.py")

    /// Runs `gmq console` under the driver with `steps`; returns its exit status, the raw screen and its text.
    static func drive(_ steps: [[String]], server: ReadmeWalkthroughTests.RunningServer, key: String,
                      environment extra: [String: String] = [:]) async throws -> (Int32, String, String) {
        let process = ChildProcess()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let gmq = ReadmeWalkthroughTests.binaries.appendingPathComponent("gmq").path
        process.arguments = [
            "python3", Self.driver.path, String(decoding: try JSONSerialization.data(withJSONObject: steps), as: UTF8.self),
            gmq, "console", "--server", "127.0.0.1:\(server.staffPort)", "--key", key,
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["TERM"] = "xterm-256color"
        environment.removeValue(forKey: "NO_COLOR")
        environment.merge(extra) { $1 }
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        let exit = ReadmeWalkthroughTests.exit(of: process)
        try process.run()
        let screen = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let complaint = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let status = await exit.value
        if status != 0 { Issue.record("console session failed (\(status)): \(complaint)") }
        let text = screen.replacingOccurrences(of: "\u{1B}\\[[0-9;]*[A-Za-z]", with: "", options: .regularExpression)
            .replacingOccurrences(of: "\r", with: "")
        return (status, screen, text)
    }

    /// Runs a built executable to completion and returns its last output line.
    static func run(_ tool: String, _ arguments: [String], environment: [String: String] = [:]) throws -> String {
        let process = ChildProcess()
        process.executableURL = ReadmeWalkthroughTests.binaries.appendingPathComponent(tool)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text.split(separator: "\n").last.map(String.init) ?? ""
    }

    @Test func aGMWorksATicketFromArrivalToCloseWithoutLeavingTheConsole() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gmq-console-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await ReadmeWalkthroughTests.startGMQD(
            arguments: ["--data", directory.path, "--log-level", "warning"], in: directory)
        defer { server.process.terminate() }
        let data = ["--data", directory.path]
        let key = try Self.run("gmqd", ["staff", "add", "Mirna", "--role", "gm"] + data)
        let admin = try Self.run("gmqd", ["staff", "add", "Root", "--role", "admin"] + data)
        let token = try Self.run("gmqd", ["token", "player", "--id", "42", "--name", "Thrall"] + data)
        _ = try Self.run("gmq", [
            "macro", "add", "--server", "127.0.0.1:\(server.staffPort)", "--key", admin, "unstuck",
            "Hello {player}, I moved {character} to the Ironforge gates.",
        ])
        let player = ReadmeWalkthroughTests.binaries.appendingPathComponent("gmq-player").path
        let submit = "GMQ_TOKEN='\(token)' '\(player)' submit --server 127.0.0.1:\(server.playerPort) "
            + "--category stuck_character --zone Ironforge --character Thrallin "
            + "\"Stuck under the Ironforge bridge, can't move or hearth\""

        let (_, screen, text) = try await Self.drive([
            ["expect", "Signed in as Mirna (gm)"],
            ["expect", "No tickets."],
            ["run", submit],
            ["expect", "» "], ["expect", "#1 stuck_character submitted by Thrall → open: Stuck under the Ironforge bridge"],
            ["expect", "1 open"],
            ["send", "queue"],
            ["expect", "ID  CATEGORY         STATE  PLAYER  GM  OPENED"], ["expect", " min  Stuck under the Ironforge bridge"],
            ["send", "next"],
            ["expect", "Ticket 1 · stuck_character · claimed · held by Mirna"],
            ["expect", "character Thrallin"], ["expect", "Ironforge"],
            ["send", "answer @unstuck"],
            ["expect", "answered by Mirna"],
            // A typo, recalled with Up, fixed with Home and Delete, sent again.
            ["send", "shwo"],
            ["expect", "unknown command 'shwo'"],
            ["keys", "1b5b41"], ["keys", "1b5b48"], ["keys", "1b5b337e1b5b337e1b5b337e1b5b337e"], ["keys", "73686f77"],
            ["keys", "0d"],
            ["expect", "History:"],
            ["expect", "answered by Mirna (gm): Hello Thrall, I moved Thrallin to the Ironforge gates."],
            ["send", "close solved Enjoy your game!"],
            ["expect", "ticket 1 is now closed by Mirna"],
            ["send", "history"],
            ["expect", "1  queue"], ["expect", "2  next"], ["expect", "4  shwo"], ["expect", "5  show"],
            ["send", "quit"],
        ], server: server, key: key)

        #expect(text.contains("ID  CATEGORY"), "the queue table is shown")
        #expect(screen.contains("\u{1B}[32m» "), "live changes are coloured on a terminal")
        #expect(screen.contains("\u{1B}[1mID  CATEGORY"), "the table header is bold")

        // What the console did is what the server recorded.
        let moderator = try Self.run("gmqd", ["staff", "add", "Vera", "--role", "moderator"] + data)
        let transcript = try Self.run(
            "gmq", ["audit", "show", "1", "--json", "--server", "127.0.0.1:\(server.staffPort)", "--key", moderator])
        let history = try #require(
            (try JSONSerialization.jsonObject(with: Data(transcript.utf8)) as? [String: Any])?["history"] as? [[String: Any]])
        #expect(history.compactMap { $0["kind"] as? String } == ["submitted", "claimed", "answered", "closed"])
    }

    @Test func aGMWorksAQueueOfFiftyTicketsWithoutLeavingTheConsole() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gmq-console-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await ReadmeWalkthroughTests.startGMQD(
            arguments: [
                "--data", directory.path, "--open-limit", "100", "--submit-rate", "off", "--log-level", "warning",
            ], in: directory)
        defer { server.process.terminate() }
        let key = try Self.run("gmqd", ["staff", "add", "Mirna", "--role", "gm", "--data", directory.path])
        let signer = PlayerTokenSigner(secret: try TokenSecret.loadOrCreate(in: directory))
        let player = try await GMQConnection.connect(
            host: "127.0.0.1", port: server.playerPort,
            hello: Hello(clientKind: .player, credential: signer.sign(
                playerID: 42, name: "Thrall", expiresAt: Date().addingTimeInterval(600))))
        for n in 1...50 {
            guard case .accepted = try await player.call(.submit(Submit(category: "bug", text: SampleRequests.text(n)))) else {
                Issue.record("request \(n) was not accepted")
                return
            }
        }
        await player.close()

        var steps: [[String]] = [["expect", "Signed in as Mirna"], ["expect", "50 open"]]
        for id in 1...50 {
            steps += [
                ["send", "next"], ["expect", "ticket \(id) is now claimed, held by Mirna"],
                ["send", "answer Restored from the realm backup, please relog."], ["expect", "answered by Mirna"],
                ["send", "close solved"], ["expect", "ticket \(id) is now closed by Mirna"],
            ]
        }
        steps += [["send", "queue"], ["expect", "No tickets."], ["expect", "0 open"], ["send", "quit"]]
        _ = try await Self.drive(steps, server: server, key: key)

        let moderator = try Self.run("gmqd", ["staff", "add", "Vera", "--role", "moderator", "--data", directory.path])
        let audit = try Self.run(
            "gmq", ["audit", "--json", "--server", "127.0.0.1:\(server.staffPort)", "--key", moderator])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(audit.utf8)) as? [[String: Any]])
        #expect(rows.count == 50 && rows.allSatisfy { $0["assignee"] as? String == "Mirna" && $0["resolution"] as? String == "solved" })
    }

    @Test func noColorTurnsColoursOff() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gmq-console-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await ReadmeWalkthroughTests.startGMQD(
            arguments: ["--data", directory.path, "--log-level", "warning"], in: directory)
        defer { server.process.terminate() }
        let key = try Self.run("gmqd", ["staff", "add", "Mirna", "--role", "gm", "--data", directory.path])
        let (_, screen, text) = try await Self.drive(
            [["expect", "Signed in as Mirna"], ["send", "help"], ["expect", "claim the most urgent"], ["send", "quit"]],
            server: server, key: key, environment: ["NO_COLOR": "1"])
        #expect(text.contains("claim the most urgent open ticket"))
        #expect(!screen.contains("\u{1B}[1m") && !screen.contains("\u{1B}[3"), "no colour codes with NO_COLOR")
    }
}

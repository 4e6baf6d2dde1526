import ArgumentParser
import Foundation
import GMQClient
import GMQProtocol

@main
struct GMQPlayer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gmq-player",
        abstract: "A game-client simulator: open requests and read answers as a player would.",
        discussion: """
            Connects to gmqd's player port with a player token (gmqd token player prints one). The server and \
            token come from --server and --token, or GMQ_SERVER and GMQ_TOKEN.
            """,
        subcommands: [Submit.self, List.self, Show.self, Reply.self, Rate.self, Listen.self, Attach.self, AttachmentsCommand.self]
    )
}

struct PlayerOptions: ParsableArguments {
    @Option(help: "The player port as HOST:PORT (default: GMQ_SERVER or 127.0.0.1:7070).")
    var server: String?

    @Option(help: "The player token (default: GMQ_TOKEN).")
    var token: String?

    @Option(help: "The game client's locale, e.g. en or ru; chooses the language of hints.")
    var locale: String = ""

    @Flag(help: "Speak TLS to the player port and check its certificate (default: GMQ_TLS=1).")
    var tls = false

    @Option(help: "PEM certificate of a private authority to trust for --tls (default: GMQ_CA).")
    var ca: String?

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func connect() async throws -> GMQConnection {
        let environment = ProcessInfo.processInfo.environment
        let text = self.server ?? environment["GMQ_SERVER"] ?? "127.0.0.1:7070"
        guard let address = ServerAddress(text) else {
            throw ValidationError("'\(text)' is not a server address; write HOST:PORT, e.g. 127.0.0.1:7070")
        }
        guard let token = self.token ?? environment["GMQ_TOKEN"], !token.isEmpty else {
            throw ValidationError("no player token: pass --token or set GMQ_TOKEN (gmqd token player prints one)")
        }
        let tls: ClientTLS?
        do {
            tls = try TLSArguments.client(flag: self.tls, ca: self.ca)
        } catch {
            self.fail(message: "\(error)")
        }
        do {
            return try await GMQConnection.connect(
                host: address.host, port: address.port,
                hello: Hello(clientKind: .player, credential: token, locale: self.locale, clientName: "gmq-player"),
                tls: tls)
        } catch let error as ErrorMessage {
            self.fail(error)
        } catch let error as GMQClientError {
            self.fail(message: "gmqd at \(text): \(error)")
        } catch {
            self.fail(message: "cannot reach gmqd at \(text): \(error); is it running?")
        }
    }

    /// Connects, sends one request, prints its result; a refusal prints the reason and exits with status 1.
    func run(_ message: Message, print render: (Message) -> (text: String, json: Any)?) async throws {
        try await self.run { connection in render(try await connection.call(message)) }
    }

    /// Connects, runs `body` on the session, prints what it returns; a refusal prints the reason and exits 1.
    func run(_ body: (GMQConnection) async throws -> (text: String, json: Any)?) async throws {
        let connection = try await self.connect()
        let output = await Result { try await body(connection) }
        await connection.close()
        switch output {
        case .failure(let error as ErrorMessage): self.fail(error)
        case .failure(let error): self.fail(message: "\(error)")
        case .success(nil): self.fail(message: "the server gave an unexpected answer")
        case .success(let output?): print(self.json ? Presentation.line(output.json) : output.text)
        }
    }

    func fail(_ error: ErrorMessage) -> Never {
        if self.json {
            print(Presentation.line(Presentation.json(error)))
        } else {
            FileHandle.standardError.write(Data((Presentation.describe(error) + "\n").utf8))
        }
        GMQPlayer.exit(withError: ExitCode.failure)
    }

    func fail(message: String) -> Never {
        if self.json {
            print(Presentation.line(["error": "client", "message": message]))
        } else {
            FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        }
        GMQPlayer.exit(withError: ExitCode.failure)
    }
}


struct Submit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open a request. Prints the ticket id and queue position, or why it was turned away (exit 2).")

    @OptionGroup var options: PlayerOptions
    @Option(help: "stuck_character, bug, player_report, account, payment or other.") var category: String
    @Argument(help: "What happened, where, and which item, quest or player it concerns.") var text: String
    @Option(help: "Realm name.") var realm: String = "Azeroth"
    @Option(name: .customLong("character-id"), help: "Character id.") var characterID: UInt64 = 1
    @Option(help: "Character name.") var character: String = ""
    @Option(help: "Map id.") var map: UInt32 = 0
    @Option(help: "Zone name.") var zone: String = ""
    @Option(parsing: .unconditional, help: "Position x.") var x: Float = 0
    @Option(parsing: .unconditional, help: "Position y.") var y: Float = 0
    @Option(parsing: .unconditional, help: "Position z.") var z: Float = 0
    @Option(help: "Client build.") var build: String = "gmq-player"
    @Flag(help: ArgumentHelp(
        "Only show what the player would see before sending: the verdict, a known issue it would join and up to three "
            + "articles (PREVIEW); nothing is filed.",
        discussion: "Exits 2 when the text would not be sent."))
    var preview = false

    func run() async throws {
        let context = GameContext(
            realm: self.realm, characterID: self.characterID, characterName: self.character, mapID: self.map,
            zone: self.zone, x: self.x, y: self.y, z: self.z, clientBuild: self.build)
        var rejected = false
        if self.preview {
            try await self.options.run(.preview(Preview(category: self.category, text: self.text, context: context))) {
                guard case .previewResult(let result) = $0 else { return nil }
                rejected = !result.reason.isEmpty
                return (Presentation.describe(result), Presentation.json(result))
            }
            if rejected { throw ExitCode(2) }
            return
        }
        try await self.options.run(.submit(GMQProtocol.Submit(category: self.category, text: self.text, context: context))) {
            switch $0 {
            case .accepted(let accepted):
                let wait = accepted.estimatedWaitSeconds > 0
                    ? " Estimated wait: about \(Presentation.duration(seconds: Int64(accepted.estimatedWaitSeconds)))." : ""
                // Position 0: it does not wait in the queue (a known issue's ticket; the hint says so).
                let place = accepted.queuePosition == 0 ? "" : ", position \(accepted.queuePosition) in the queue"
                let hint = accepted.hint.isEmpty ? "" : "\n" + TextRules.printable(accepted.hint)
                return (
                    "Accepted: ticket \(accepted.ticketID)\(place).\(wait)\(hint)",
                    [
                        "accepted": true, "ticket_id": accepted.ticketID, "queue_position": accepted.queuePosition,
                        "estimated_wait_seconds": accepted.estimatedWaitSeconds, "merged": accepted.merged,
                        "hint": accepted.hint,
                    ]
                )
            case .rejected(let rejection):
                rejected = true
                return (
                    "Not sent (\(TextRules.printable(rejection.reason))): \(TextRules.printable(rejection.hint))",
                    ["accepted": false, "reason": rejection.reason, "hint": rejection.hint]
                )
            default:
                return nil
            }
        }
        if rejected { throw ExitCode(2) }
    }
}

struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List your requests, newest first.")
    @OptionGroup var options: PlayerOptions

    func run() async throws {
        try await self.options.run(.myTickets(MyTickets())) {
            guard case .ticketList(let list) = $0 else { return nil }
            return (Presentation.playerTable(list.tickets), list.tickets.map(Presentation.json))
        }
    }
}

struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show one of your requests and everything said on it.")
    @OptionGroup var options: PlayerOptions
    @Argument(help: "Ticket id.") var id: UInt64

    func run() async throws {
        try await self.options.run { connection in
            guard case .ticket(var detail) = try await connection.call(.getTicket(GetTicket(ticketID: self.id))) else {
                return nil
            }
            // A player's history is short (PROTOCOL.md §4 caps their replies): all of it, page by page.
            let history = try await connection.history(of: self.id, page: nil) { _ in "" }
            detail.history = history.entries
            return (Presentation.describe(detail, history: history), Presentation.json(detail))
        }
    }
}

struct Rate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rate the help on a closed request, 1 (poor) to 5 (excellent), with an optional comment.")
    @OptionGroup var options: PlayerOptions
    @Argument(help: "Ticket id.") var id: UInt64
    @Argument(help: "Stars, 1 to 5.") var stars: UInt8
    @Argument(help: "A comment for the support team.") var comment: String = ""

    func validate() throws {
        guard (1...5).contains(self.stars) else { throw ValidationError("give 1 to 5 stars; got \(self.stars)") }
    }

    func run() async throws {
        try await self.options.run(.rate(GMQProtocol.Rate(ticketID: self.id, stars: self.stars, comment: self.comment))) {
            guard case .ticketUpdated(let update) = $0 else { return nil }
            return ("Thank you: ticket \(update.summary.id) rated \(self.stars)/5.", Presentation.json(update.summary))
        }
    }
}

struct Reply: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Reply on your request, e.g. with the details a GM asked for.")
    @OptionGroup var options: PlayerOptions
    @Argument(help: "Ticket id.") var id: UInt64
    @Argument(help: "Your reply.") var text: String

    func run() async throws {
        try await self.options.run(.playerReply(PlayerReply(ticketID: self.id, text: self.text))) {
            guard case .ticketUpdated(let update) = $0 else { return nil }
            return (Presentation.describe(update.summary), Presentation.json(update.summary))
        }
    }
}

struct Listen: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print notifications as they arrive, acknowledging each; first those missed while offline.")
    @OptionGroup var options: PlayerOptions
    @Option(help: "Stop after this many notifications.") var count: Int?
    @Option(help: "Stop after this many seconds.") var seconds: Double?

    func run() async throws {
        let connection = try await self.options.connect()
        if !self.options.json {
            let welcome = connection.welcome
            FileHandle.standardOutput.write(
                Data("Listening as \(TextRules.printable(welcome.displayName)); \(welcome.pendingNotifications) waiting.\n".utf8))
        }
        let deadline = self.seconds.map { ContinuousClock.now + .milliseconds(Int($0 * 1000)) }
        let count = self.count
        let json = self.options.json
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                var received = 0
                for await push in connection.notifications {
                    // Unbuffered, so that a script reading the pipe sees each notification as it arrives.
                    let line = json ? Presentation.line(Presentation.json(push)) : Presentation.describe(push)
                    FileHandle.standardOutput.write(Data((line + "\n").utf8))
                    try await connection.acknowledge(push)
                    received += 1
                    if let count, received >= count { return }
                }
                // The stream ends with the connection: say why when the server said so.
                if let closing = connection.serverClosing {
                    throw GMQClientError.serverClosing(closing)
                }
            }
            if let deadline {
                group.addTask { try await Task.sleep(until: deadline) }
            }
            group.addTask {
                // Keeps the session inside the server's idle timeout while no notification comes.
                while true {
                    try await Task.sleep(for: GMQConnection.keepAliveInterval)
                    try await connection.ping()
                }
            }
            try await group.next()
            group.cancelAll()
        }
        await connection.close()
    }
}

struct Attach: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Attach a screenshot (PNG or JPEG) or a text log to one of your requests (at most 2 MiB).")
    @OptionGroup var options: PlayerOptions
    @Argument(help: "Ticket id.") var id: UInt64
    @Argument(help: "The file to attach.") var file: String

    func run() async throws {
        // Read through a handle: the file may be a pipe, which has no size to read up to.
        guard let data = try? FileHandle(forReadingFrom: URL(fileURLWithPath: self.file)).readToEnd() ?? Data() else {
            self.options.fail(message: "cannot read \(self.file); check the path")
        }
        let name = URL(fileURLWithPath: self.file).lastPathComponent
        try await self.options.run { connection in
            let stored = try await AttachmentTransfer.upload(data, name: name, to: self.id, on: connection)
            return ("Attached to ticket \(stored.ticketID): " + Presentation.describe(stored.attachment),
                Presentation.json(stored.attachment))
        }
    }
}

struct AttachmentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attachments", abstract: "List the files you attached to one of your requests.")
    @OptionGroup var options: PlayerOptions
    @Argument(help: "Ticket id.") var id: UInt64

    func run() async throws {
        try await self.options.run(.attachmentList(AttachmentList(ticketID: self.id))) {
            guard case .attachments(let list) = $0 else { return nil }
            return (Presentation.attachmentList(list), list.attachments.map(Presentation.json))
        }
    }
}

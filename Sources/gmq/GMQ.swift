import ArgumentParser
import Foundation
import GMQClient
import GMQProtocol

@main
struct GMQ: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gmq",
        abstract: "The GMQueue staff console: work the queue of players' requests.",
        discussion: """
            Connects to gmqd's staff port. The server and key come from --server and --key, or GMQ_SERVER and \
            GMQ_KEY. Every command takes --json for scripts. `gmq console` is the interactive console with a live \
            queue; answer, ask and close take a canned response as @name (gmq macro list).
            """,
        subcommands: [
            Console.self, Queue.self, Mine.self, Show.self, ClaimTicket.self, Unclaim.self, AskPlayer.self,
            AnswerPlayer.self, NoteTicket.self, CloseTicket.self, TransferTicket.self, EscalateTicket.self,
            MacroCommand.self, AuditCommand.self, ReportCommand.self, StaffCommand.self, BanCommand.self, UnbanCommand.self,
            BansCommand.self, IncidentCommand.self, ClustersCommand.self, KBCommand.self, AttachmentCommand.self, SearchCommand.self,
            AssignTicket.self, ShiftCommand.self, PriorityTicket.self, SnoozeTicket.self, RemindTicket.self,
            InternalCommand.self,
            Validate.self,
        ]
    )
}

/// How to reach the staff port, and how to print.
struct StaffOptions: ParsableArguments {
    @Option(help: "The staff port as HOST:PORT (default: GMQ_SERVER or 127.0.0.1:7071).")
    var server: String?

    @Option(help: "Your staff API key (default: GMQ_KEY).")
    var key: String?

    @Flag(help: "Speak TLS to the staff port and check its certificate (default: GMQ_TLS=1).")
    var tls = false

    @Option(help: "PEM certificate of a private authority to trust for --tls (default: GMQ_CA).")
    var ca: String?

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func connect() async throws -> GMQConnection {
        let environment = ProcessInfo.processInfo.environment
        let text = self.server ?? environment["GMQ_SERVER"] ?? "127.0.0.1:7071"
        guard let address = ServerAddress(text) else {
            throw ValidationError("'\(text)' is not a server address; write HOST:PORT, e.g. 127.0.0.1:7071")
        }
        guard let key = self.key ?? environment["GMQ_KEY"], !key.isEmpty else {
            throw ValidationError("no staff key: pass --key or set GMQ_KEY (an admin creates one with gmqd staff add)")
        }
        let tls: ClientTLS?
        do {
            tls = try TLSArguments.client(flag: self.tls, ca: self.ca)
        } catch {
            throw CommandFailure(message: "\(error)", json: self.json)
        }
        do {
            return try await GMQConnection.connect(
                host: address.host, port: address.port,
                hello: Hello(clientKind: .staff, credential: key, clientName: "gmq"), tls: tls)
        } catch let error as ErrorMessage {
            throw CommandFailure(error, json: self.json)
        } catch let error as GMQClientError {
            throw CommandFailure(message: "gmqd at \(text): \(error)", json: self.json)
        } catch {
            throw CommandFailure(message: "cannot reach gmqd at \(text): \(error); is it running?", json: self.json)
        }
    }

    /// Connects, sends one request, prints its result or its error. A refusal exits with status 1.
    func run(_ message: Message, print render: @escaping (Message) -> (text: String, json: Any)?) async throws {
        try await self.run { connection in render(try await connection.call(message)) }
    }

    /// Connects, runs `body` on the session, prints what it returns or the error. A refusal exits with status 1.
    func run(_ body: (GMQConnection) async throws -> (text: String, json: Any)?) async throws {
        do {
            let connection = try await self.connect()
            let result = await Result { try await body(connection) }
            await connection.close()
            guard let output = try result.get() else {
                throw CommandFailure(message: "the server gave an unexpected answer", json: self.json)
            }
            print(self.json ? Presentation.line(output.json) : output.text)
        } catch let error as ErrorMessage {
            CommandFailure(error, json: self.json).report()
        } catch let failure as CommandFailure {
            failure.report()
        }
    }

    /// The common answer to ticket actions: the ticket's new state.
    static func updated(_ response: Message) -> (text: String, json: Any)? {
        guard case .ticketUpdated(let update) = response else { return nil }
        return (Presentation.describe(update.summary), Presentation.json(update.summary))
    }
}

/// A refusal from the server or a failure to reach it, printed as a readable line or JSON, with exit code 1.
struct CommandFailure: Error, CustomStringConvertible {
    var text: String
    init(_ error: ErrorMessage, json: Bool) {
        self.text = json ? Presentation.line(Presentation.json(error)) : Presentation.describe(error)
    }
    init(message: String, json: Bool) {
        self.text = json ? Presentation.line(["error": "client", "message": message]) : "error: \(message)"
    }
    var description: String { self.text }

    /// Prints the failure (JSON on standard output for scripts, text on standard error) and exits with status 1.
    func report() -> Never {
        if self.text.hasPrefix("{") {
            print(self.text)
        } else {
            FileHandle.standardError.write(Data((self.text + "\n").utf8))
        }
        GMQ.exit(withError: ExitCode.failure)
    }
}

struct Queue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List tickets, most urgent first: priority, then the next service deadline, then age.")

    @OptionGroup var options: StaffOptions

    @Option(help: "Only this category (default: every category you work).")
    var category: String = ""

    @Option(help: "active (default: all but closed), open, claimed (shows who holds what), waiting_player, snoozed, closed or mine.")
    var state: String = "active"

    @Option(help: "At most this many tickets (1-1000; default 50).")
    var limit: UInt16 = 0

    @Option(help: "Only the tickets linked to this incident, which wait outside the queue (gmq incident list).")
    var incident: UInt64?

    func validate() throws {
        if self.incident != nil, !self.category.isEmpty || self.state != "active" {
            throw ValidationError("--incident lists every ticket linked to the incident; leave out --category and --state")
        }
    }

    func run() async throws {
        if let incident = self.incident {
            return try await IncidentCommand.Tickets.list(incident, limit: self.limit, options: self.options)
        }
        let filters: [String: QueueFilter] = [
            "active": .active, "open": .open, "claimed": .claimed, "waiting_player": .waitingPlayer, "closed": .closed,
            "mine": .mine, "snoozed": .snoozed,
        ]
        guard let filter = filters[self.state] else {
            throw ValidationError("unknown state '\(self.state)'; use active, open, claimed, waiting_player, snoozed, closed or mine")
        }
        try await self.options.run(.queue(QueueRequest(category: self.category, filter: filter, limit: self.limit))) {
            guard case .ticketList(let list) = $0 else { return nil }
            return (Presentation.table(list.tickets, style: .standardOutput()), list.tickets.map(Presentation.json))
        }
    }
}

struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a ticket: the request, where the player was, and its history with internal notes, page by page.")

    @OptionGroup var options: StaffOptions
    @Argument(help: "Ticket id.") var id: UInt64
    @OptionGroup var pages: HistoryPages

    func run() async throws {
        try await self.options.run { connection in
            guard case .ticket(let detail) = try await connection.call(.getTicket(GetTicket(ticketID: self.id))) else {
                return nil
            }
            let history = try await self.pages.fetch(self.id, on: connection, command: "gmq show \(self.id)")
            guard case .ticketList(let earlier) = try await connection.call(
                .playerTickets(PlayerTickets(playerID: detail.summary.playerID)))
            else { return nil }
            var json = HistoryPages.json(detail, history)
            json["earlier_tickets"] = earlier.tickets.filter { $0.id != detail.summary.id }.map(Presentation.json)
            return (Presentation.describe(detail, history: history, earlier: earlier.tickets), json)
        }
    }
}

/// Which part of a long history to show: a page of 50 events (the first by default) or all of them. A page
/// always says where it stands and how to see the rest; nothing in the middle is dropped unseen.
struct HistoryPages: ParsableArguments {
    static let size = 50

    @Option(help: "Show this page of the history, 50 events each (default: the first).") var page: Int = 1
    @Flag(help: "Show every event of the history.") var all = false

    func validate() throws {
        guard self.page >= 1 else { throw ValidationError("--page counts from 1") }
    }

    func fetch(_ id: UInt64, on connection: GMQConnection, command: String) async throws -> HistoryPage {
        try await connection.history(of: id, page: self.all ? nil : self.page, size: Self.size) {
            "`\(command) --page \($0)`"
        }
    }

    /// The ticket's JSON with the page's history in place of TICKET's own, and where the page stands.
    static func json(_ detail: TicketDetail, _ history: HistoryPage) -> [String: Any] {
        var page = detail
        page.history = history.entries
        var json = Presentation.json(page)
        json["history_total"] = history.total
        json["history_first"] = history.first
        return json
    }
}

struct ClaimTicket: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "claim", abstract: "Take a ticket: a given one, or with --next the oldest open one.")

    @OptionGroup var options: StaffOptions
    @Argument(help: "Ticket id (omit with --next).") var id: UInt64?
    @Flag(help: "Claim the oldest open ticket in your categories.") var next = false
    @Option(help: "With --next: only this category.") var category: String = ""

    func validate() throws {
        guard (self.id == nil) == self.next else { throw ValidationError("give a ticket id or --next, not both or neither") }
        guard self.category.isEmpty || self.next else { throw ValidationError("--category goes with --next") }
    }

    func run() async throws {
        let claim = self.next ? Claim.next(category: self.category) : Claim(ticketID: self.id!)
        try await self.options.run(.claim(claim), print: StaffOptions.updated)
    }
}

struct Unclaim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Put a ticket you hold back in the queue.")
    @OptionGroup var options: StaffOptions
    @Argument(help: "Ticket id.") var id: UInt64

    func run() async throws {
        try await self.options.run(.unclaim(GMQProtocol.Unclaim(ticketID: self.id)), print: StaffOptions.updated)
    }
}

struct AskPlayer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask", abstract: "Ask the player for details; the ticket waits for their reply.")
    @OptionGroup var options: StaffOptions
    @Argument(help: "Ticket id.") var id: UInt64
    @Argument(help: "The question for the player, or @name for a canned response.") var text: String

    func run() async throws {
        try await self.options.run(.ask(Ask(ticketID: self.id, text: self.text)), print: StaffOptions.updated)
    }
}

struct AnswerPlayer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "answer", abstract: "Answer the player.")
    @OptionGroup var options: StaffOptions
    @Argument(help: "Ticket id.") var id: UInt64
    @Argument(help: "The answer for the player, or @name for a canned response.") var text: String

    func run() async throws {
        try await self.options.run(.answer(Answer(ticketID: self.id, text: self.text)), print: StaffOptions.updated)
    }
}

struct NoteTicket: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "note", abstract: "Add an internal note; the player never sees it.")
    @OptionGroup var options: StaffOptions
    @Argument(help: "Ticket id.") var id: UInt64
    @Argument(help: "The note for staff.") var text: String

    func run() async throws {
        try await self.options.run(.note(Note(ticketID: self.id, text: self.text)), print: StaffOptions.updated)
    }
}

struct CloseTicket: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "close", abstract: "Close a ticket you hold, with a resolution and a last message to the player.")
    @OptionGroup var options: StaffOptions
    @Argument(help: "Ticket id.") var id: UInt64
    @Option(help: "solved, duplicate, not_actionable, escalated_to_dev or no_response.") var resolution: String
    @Argument(help: "The last message to the player.") var text: String = ""

    func run() async throws {
        try await self.options.run(
            .close(Close(ticketID: self.id, resolution: self.resolution, text: self.text)), print: StaffOptions.updated)
    }
}

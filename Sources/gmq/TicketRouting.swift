import ArgumentParser
import Foundation
import GMQClient
import GMQProtocol

struct TransferTicket: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transfer", abstract: "Move a ticket to another category's queue, unclaimed, with a reason.")
    @OptionGroup var options: StaffOptions
    @Argument(help: "Ticket id.") var id: UInt64
    @Argument(help: "The category to move it to.") var category: String
    @Argument(help: "Why (kept in the history; the player is told it moved).") var text: String = ""

    func run() async throws {
        try await self.options.run(
            .transfer(Transfer(ticketID: self.id, category: self.category, text: self.text)), print: StaffOptions.updated)
    }
}

struct EscalateTicket: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "escalate",
        abstract: "Hand a ticket to senior GMs (back in the queue, higher priority) or to the developers' bug list.")
    @OptionGroup var options: StaffOptions
    @Argument(help: "Ticket id.") var id: UInt64
    @Option(help: "senior (default) or developers.") var to: String = "senior"
    @Argument(help: "What the next person needs to know.") var text: String = ""

    func run() async throws {
        guard let target = EscalationTarget(name: self.to) else {
            throw ValidationError("unknown escalation target '\(self.to)'; use senior or developers")
        }
        try await self.options.run(.escalate(Escalate(ticketID: self.id, target: target, text: self.text))) {
            guard case .ticketUpdated(let update) = $0 else { return nil }
            return (Presentation.describe(update.summary, escalatedTo: target), Presentation.json(update.summary))
        }
    }
}

struct Mine: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the tickets you hold, most urgent first.")
    @OptionGroup var options: StaffOptions

    func run() async throws {
        try await self.options.run(.queue(QueueRequest(filter: .mine))) {
            guard case .ticketList(let list) = $0 else { return nil }
            return (Presentation.table(list.tickets, style: .standardOutput()), list.tickets.map(Presentation.json))
        }
    }
}

extension EscalationTarget {
    init?(name: String) {
        switch name.lowercased() {
        case "senior", "senior_gms", "seniors": self = .seniorGMs
        case "developers", "dev", "devs": self = .developers
        default: return nil
        }
    }
}

struct AssignTicket: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign",
        abstract: "Hand a ticket to another GM: yours (an admin: anyone's), or an open one; the player is told who holds it.")
    @OptionGroup var options: StaffOptions
    @Argument(help: "Ticket id.") var id: UInt64
    @Argument(help: "The GM who takes it over (they must work its category).") var gm: String
    @Argument(help: "What they and the player need to know.") var text: String = ""

    func run() async throws {
        try await self.options.run(.assign(Assign(ticketID: self.id, gm: self.gm, text: self.text)), print: StaffOptions.updated)
    }
}

/// `gmq shift end`: at the end of a shift, every ticket the GM holds goes back to the queue or to a colleague.
struct ShiftCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shift", abstract: "The end of a shift.", subcommands: [End.self], defaultSubcommand: End.self)

    struct End: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Release every ticket you hold back to the queue, or hand them all to a colleague (--to GM).")
        @OptionGroup var options: StaffOptions
        @Option(help: "The GM who takes over your tickets (default: they go back to the queue).") var to: String?
        @Argument(help: "What the next GM needs to know (kept in each ticket's history).") var text: String = ""

        func run() async throws {
            try await self.options.run { connection in
                guard case .ticketList(let mine) = try await connection.call(.queue(QueueRequest(filter: .mine, limit: 1_000)))
                else { return nil }
                var lines: [String] = []
                var json: [[String: Any]] = []
                for ticket in mine.tickets {
                    let request: Message = if let to = self.to {
                        .assign(Assign(ticketID: ticket.id, gm: to, text: self.text))
                    } else {
                        .unclaim(GMQProtocol.Unclaim(ticketID: ticket.id))
                    }
                    switch try await connection.send(request) {
                    case .ticketUpdated(let update):
                        lines.append(Presentation.describe(update.summary))
                        json.append(Presentation.json(update.summary))
                    case .error(let error):
                        lines.append("ticket \(ticket.id): " + Presentation.describe(error))
                        json.append(["ticket_id": ticket.id, "error": Presentation.json(error)])
                    case let other:
                        throw GMQClientError.unexpectedResponse(request: request.type, response: other.type)
                    }
                }
                let head = mine.tickets.isEmpty
                    ? "you hold no tickets; the shift ends clean"
                    : "\(mine.tickets.count) ticket(s) " + (self.to.map { "handed to \($0)" } ?? "back in the queue") + ":"
                return (([head] + lines).joined(separator: "\n"), json)
            }
        }
    }
}

struct PriorityTicket: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "priority",
        abstract: "Set a ticket's priority from urgency × impact (one player's problem or a whole realm's).",
        discussion: """
            low/medium/high/critical × player/group/realm/all gives 0 to 4 (OTRS's matrix: high × realm is 3, \
            critical × all 4); the queue orders by priority, then deadline. Kept as an internal note.
            """)
    @OptionGroup var options: StaffOptions
    @Argument(help: "Ticket id.") var id: UInt64
    @Option(help: "low, medium, high or critical.") var urgency: String
    @Option(help: "player, group, realm or all.") var impact: String

    func run() async throws {
        let urgencies = ["low": 1, "medium": 2, "high": 3, "critical": 4]
        let impacts = ["player": 1, "group": 2, "realm": 3, "all": 4]
        guard let urgency = urgencies[self.urgency.lowercased()] else {
            throw ValidationError("--urgency '\(self.urgency)' is not low, medium, high or critical")
        }
        guard let impact = impacts[self.impact.lowercased()] else {
            throw ValidationError("--impact '\(self.impact)' is not player, group, realm or all")
        }
        try await self.options.run(
            .priority(PriorityRequest(ticketID: self.id, urgency: UInt8(urgency), impact: UInt8(impact))),
            print: StaffOptions.updated)
    }
}

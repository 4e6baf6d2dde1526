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

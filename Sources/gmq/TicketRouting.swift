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
            try await self.options.run { connection in try await ShiftEnd.run(on: connection, to: self.to, text: self.text) }
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
        guard let urgency = PriorityArgument.urgency(self.urgency) else {
            throw ValidationError("--urgency '\(self.urgency)' is not low, medium, high or critical")
        }
        guard let impact = PriorityArgument.impact(self.impact) else {
            throw ValidationError("--impact '\(self.impact)' is not player, group, realm or all")
        }
        try await self.options.run(
            .priority(PriorityRequest(ticketID: self.id, urgency: urgency, impact: impact)), print: StaffOptions.updated)
    }
}

struct SnoozeTicket: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snooze",
        abstract: "Set a ticket you hold aside until a time: out of your list, its service clock paused.",
        discussion: """
            It comes back to you by itself then (your console says so), or earlier when the player writes or you \
            take it back with --off. Answering, asking, closing or handing it over works on a snoozed ticket too.
            """)
    @OptionGroup var options: StaffOptions
    @Argument(help: "Ticket id.") var id: UInt64
    @Option(help: "How long: 30m, 4h, 2d, 1w.") var `for`: String?
    @Option(help: "Until when: 2026-12-24, or an ISO 8601 time such as 2026-12-24T09:00:00Z.") var until: String?
    @Flag(help: "Take a snoozed ticket back now.") var off = false
    @Argument(help: "Why (kept in the history, for staff only).") var text: String = ""

    func validate() throws {
        guard [self.for != nil, self.until != nil, self.off].filter({ $0 }).count == 1 else {
            throw ValidationError("give one of --for (such as 2d), --until (a time) or --off")
        }
    }

    func run() async throws {
        let until: Int64
        if self.off {
            until = 0
        } else if let span = self.for {
            guard let seconds = DurationArgument.seconds(span) else {
                throw ValidationError("--for '\(span)' is not a span; write 30m, 4h, 2d or 1w")
            }
            until = Int64(Date().timeIntervalSince1970 * 1000) + seconds * 1000
        } else {
            until = try TimeArgument.milliseconds(self.until, option: "--until", ages: false)
        }
        try await self.options.run(
            .snooze(Snooze(ticketID: self.id, until: until, text: self.text)), print: StaffOptions.updated)
    }
}

struct RemindTicket: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remind",
        abstract: "Be reminded of a ticket you hold: your console shows the text then (at your next sign-in if closed).")
    @OptionGroup var options: StaffOptions
    @Argument(help: "Ticket id.") var id: UInt64
    @Option(help: "In how long: 30m, 4h, 2d.") var `in`: String
    @Argument(help: "What to remind you of.") var text: String

    func run() async throws {
        guard let seconds = DurationArgument.seconds(self.in) else {
            throw ValidationError("--in '\(self.in)' is not a span; write 30m, 4h or 2d")
        }
        let at = Int64(Date().timeIntervalSince1970 * 1000) + seconds * 1000
        try await self.options.run(.remind(Remind(ticketID: self.id, at: at, text: self.text))) { response in
            guard case .ok = response else { return nil }
            return (
                "you will be reminded of ticket \(self.id) at \(Presentation.time(at))",
                ["ticket_id": self.id, "at": Presentation.time(at)])
        }
    }
}

/// `gmq internal`: tickets staff open for staff, which no player ever sees.
struct InternalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "internal", abstract: "Tickets for staff only: open one, or link a player's ticket to one.",
        subcommands: [Open.self, Link.self])

    struct Open: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open an internal ticket (\"bot farm in the Barrens\"): queued, timed and audited like a player's, seen by no player.")
        @OptionGroup var options: StaffOptions
        @Option(help: "The queue it goes to (one you work).") var category: String
        @Option(name: .customLong("about-player"), help: "The player id it concerns.") var aboutPlayer: UInt64?
        @Option(help: "Hand it straight to this GM (they must work the category).") var assign: String?
        @Argument(help: "What staff need to do.") var text: String

        func run() async throws {
            try await self.options.run { connection in
                guard case .ticketUpdated(let opened) = try await connection.call(.internalOpen(InternalOpen(
                    category: self.category, aboutPlayerID: self.aboutPlayer ?? 0, text: self.text)))
                else { return nil }
                var summary = opened.summary
                if let gm = self.assign {
                    guard case .ticketUpdated(let handed) = try await connection.call(
                        .assign(Assign(ticketID: summary.id, gm: gm, text: "")))
                    else { return nil }
                    summary = handed.summary
                }
                let holder = summary.assignee.isEmpty ? ", open in its queue" : ", held by \(summary.assignee)"
                return (
                    "internal ticket \(summary.id) opened in \(summary.category)\(holder) (\(summary.playerName))",
                    Presentation.json(summary))
            }
        }
    }

    struct Link: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Link a player's ticket to an internal one: a staff note on each names the other.")
        @OptionGroup var options: StaffOptions
        @Argument(help: "The player's ticket id.") var ticket: UInt64
        @Argument(help: "The internal ticket id.") var internalTicket: UInt64

        func run() async throws {
            try await self.options.run(
                .internalLink(InternalLinkRequest(ticketID: self.ticket, internalID: self.internalTicket)),
                print: StaffOptions.updated)
        }
    }
}

import ArgumentParser
import Foundation
import GMQClient
import GMQProtocol

/// `gmq incident …`: known issues. A request that matches an open incident is linked to it and its player told at
/// once; one answer reaches every linked ticket.
struct IncidentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incident",
        abstract: "Known issues: open one, see it, answer every linked ticket at once, close it.",
        discussion: """
            A new request in the incident's category whose words match its --match text (and its build and zone, \
            when given) is linked to it: the player is told the incident's message at once, and the ticket waits \
            with the incident instead of in the queue (`gmq incident tickets ID`). Closing an incident puts its \
            tickets still open back in the queue.
            """,
        subcommands: [Open.self, List.self, Show.self, Tickets.self, Answer.self, Close.self],
        defaultSubcommand: List.self)

    struct Open: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Declare a known issue (GMs and admins).")
        @OptionGroup var options: StaffOptions
        @Argument(help: "A short title, e.g. \"Login error 132 after 3.3.5b\".") var title: String
        @Option(help: "The category whose requests it catches.") var category: String
        @Option(help: ArgumentHelp(
            "The ways players put it, phrases separated by ;, e.g. \"login error 132; ошибка 132 при входе\" "
                + "(default: the title).",
            discussion: "A request matches when it holds at least half of one phrase's words (two at least)."))
        var match: String = ""
        @Option(help: "Only requests from this client build.") var build: String = ""
        @Option(help: "Only requests from this zone.") var zone: String = ""
        @Option(help: "What a matching player is told at once (default: the title).") var message: String = ""

        func run() async throws {
            let request = IncidentOpen(
                title: self.title, category: self.category, match: self.match, build: self.build, zone: self.zone,
                message: self.message)
            try await self.options.run(.incidentOpen(request)) {
                guard case .incident(let info) = $0 else { return nil }
                return ("incident #\(info.incident.id) opened: " + Presentation.describe(info.incident),
                    Presentation.json(info.incident))
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open incidents, newest first (--all: closed too).")
        @OptionGroup var options: StaffOptions
        @Flag(help: "Closed incidents too.") var all = false

        func run() async throws {
            try await self.options.run(.incidentList(IncidentList(includeClosed: self.all))) {
                guard case .incidents(let list) = $0 else { return nil }
                let text = list.incidents.isEmpty
                    ? "no incidents" : list.incidents.map { Presentation.describe($0) }.joined(separator: "\n")
                return (text, list.incidents.map(Presentation.json))
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One incident: its match, message and counts.")
        @OptionGroup var options: StaffOptions
        @Argument(help: "Incident id.") var id: UInt64

        func run() async throws {
            try await self.options.run(.incidentGet(IncidentGet(incidentID: self.id))) {
                guard case .incident(let info) = $0 else { return nil }
                return (Presentation.describe(info.incident, long: true), Presentation.json(info.incident))
            }
        }
    }

    struct Tickets: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The tickets linked to an incident, oldest first.")
        @OptionGroup var options: StaffOptions
        @Argument(help: "Incident id.") var id: UInt64
        @Option(help: "At most this many tickets (1-1000; default 50).") var limit: UInt16 = 0

        func run() async throws { try await Self.list(self.id, limit: self.limit, options: self.options) }

        /// The linked tickets as `gmq queue` shows tickets (also `gmq queue --incident ID`).
        static func list(_ id: UInt64, limit: UInt16, options: StaffOptions) async throws {
            try await options.run(.incidentTickets(IncidentTickets(incidentID: id, limit: limit))) {
                guard case .ticketList(let list) = $0 else { return nil }
                return (Presentation.table(list.tickets, style: .standardOutput()), list.tickets.map(Presentation.json))
            }
        }
    }

    struct Answer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Answer every linked ticket at once, each player told; --close closes them too.")
        @OptionGroup var options: StaffOptions
        @Argument(help: "Incident id.") var id: UInt64
        @Argument(help: "The answer every player reads.") var text: String
        @Option(help: "Close them too: solved, duplicate, not_actionable, escalated_to_dev or no_response.")
        var close: String = ""

        func run() async throws {
            let request = IncidentAnswerRequest(incidentID: self.id, text: self.text, resolution: self.close)
            try await self.options.run(.incidentAnswer(request)) {
                guard case .incidentAnswered(let result) = $0 else { return nil }
                let verb = self.close.isEmpty ? "answered" : "answered and closed"
                return ("incident #\(result.incidentID): \(result.answered) tickets \(verb), \(result.skipped) left "
                    + "alone (closed already or held by another GM)",
                    ["incident": result.incidentID, "answered": result.answered, "skipped": result.skipped])
            }
        }
    }

    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Close an incident; its tickets still open go back to the queue.")
        @OptionGroup var options: StaffOptions
        @Argument(help: "Incident id.") var id: UInt64

        func run() async throws {
            try await self.options.run(.incidentClose(IncidentClose(incidentID: self.id))) {
                guard case .incident(let info) = $0 else { return nil }
                return ("incident #\(info.incident.id) closed; \(info.incident.open) tickets back in the queue",
                    Presentation.json(info.incident))
            }
        }
    }
}

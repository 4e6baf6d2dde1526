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
        subcommands: [Open.self, List.self, Show.self, Tickets.self, Link.self, Answer.self, Close.self],
        defaultSubcommand: List.self)

    struct Open: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Declare a known issue (GMs and admins), or turn a cluster into one (--from-cluster N).")
        @OptionGroup var options: StaffOptions
        @Argument(help: "A short title, e.g. \"Login error 132 after 3.3.5b\" (default with --from-cluster: its words).")
        var title: String = ""
        @Option(help: "The category whose requests it catches (default with --from-cluster: the cluster's).")
        var category: String = ""
        @OptionGroup var cluster: ClusterChoice
        @Option(help: ArgumentHelp(
            "The ways players put it, phrases separated by ;, e.g. \"login error 132; ошибка 132 при входе\" "
                + "(default: the title).",
            discussion: "A request matches when it holds at least half of one phrase's words (two at least)."))
        var match: String = ""
        @Option(help: "Only requests from this client build.") var build: String = ""
        @Option(help: "Only requests from this zone.") var zone: String = ""
        @Option(help: "What a matching player is told at once (default: the title).") var message: String = ""

        func validate() throws {
            guard self.cluster.fromCluster != nil || (!self.title.isEmpty && !self.category.isEmpty) else {
                throw ValidationError("give a TITLE and --category, or --from-cluster N (see gmq clusters)")
            }
        }

        func run() async throws {
            guard self.cluster.fromCluster != nil else {
                let request = IncidentOpen(
                    title: self.title, category: self.category, match: self.match, build: self.build, zone: self.zone,
                    message: self.message)
                return try await self.options.run(.incidentOpen(request)) {
                    guard case .incident(let info) = $0 else { return nil }
                    return ("incident #\(info.incident.id) opened: " + Presentation.describe(info.incident),
                        Presentation.json(info.incident))
                }
            }
            try await self.options.run { connection in
                let (number, cluster) = try await self.cluster.pick(on: connection, category: self.category)
                let words = cluster.words.joined(separator: " ")
                let request = IncidentOpen(
                    title: self.title.isEmpty ? words : self.title, category: cluster.category,
                    match: self.match.isEmpty ? words : self.match, build: self.build, zone: self.zone,
                    message: self.message)
                guard case .incident(let opened) = try await connection.call(.incidentOpen(request)) else { return nil }
                guard case .incidentLinked(let linked) = try await connection.call(.incidentLink(IncidentLinkRequest(
                    incidentID: opened.incident.id, tickets: cluster.tickets, examples: cluster.samples)))
                else { return nil }
                return ("incident #\(opened.incident.id) opened from cluster \(number): "
                    + ClusterChoice.summary(linked, cluster: cluster), Presentation.json(linked.incident))
            }
        }
    }

    struct Link: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Link tickets waiting in the queue to an incident: a cluster (--from-cluster N) or ticket ids.",
            discussion: """
                Each linked ticket leaves the queue and its player is told the incident's message. With \
                --from-cluster, the cluster's sample texts join the incident's match phrases, so later requests \
                worded like them are linked at once.
                """)
        @OptionGroup var options: StaffOptions
        @Argument(help: "Incident id.") var id: UInt64
        @Argument(help: "Ticket ids (or --from-cluster N).") var tickets: [UInt64] = []
        @Option(help: "With --from-cluster: only clusters of this category.") var category: String = ""
        @OptionGroup var cluster: ClusterChoice

        func validate() throws {
            guard (self.cluster.fromCluster == nil) != self.tickets.isEmpty else {
                throw ValidationError("give ticket ids or --from-cluster N, not both")
            }
        }

        func run() async throws {
            try await self.options.run { connection in
                var request = IncidentLinkRequest(incidentID: self.id, tickets: self.tickets)
                var picked: ClusterEntry?
                if self.cluster.fromCluster != nil {
                    let cluster = try await self.cluster.pick(on: connection, category: self.category).cluster
                    request = IncidentLinkRequest(incidentID: self.id, tickets: cluster.tickets, examples: cluster.samples)
                    picked = cluster
                }
                guard request.tickets.count <= ProtocolLimits.maximumListCount else {
                    throw ValidationError("at most \(ProtocolLimits.maximumListCount) tickets at a time")
                }
                guard case .incidentLinked(let linked) = try await connection.call(.incidentLink(request)) else {
                    return nil
                }
                let text = picked.map { ClusterChoice.summary(linked, cluster: $0) }
                    ?? "incident #\(linked.incident.id): \(linked.linked) tickets linked, \(linked.skipped) left alone "
                        + "(not waiting in its category's queue)"
                return (text, Presentation.json(linked.incident))
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

/// `--from-cluster N` and the window it is read in: which cluster of `gmq clusters` to use.
struct ClusterChoice: ParsableArguments {
    @Option(help: "Use cluster N of `gmq clusters` (1 is the biggest).") var fromCluster: Int?
    @Option(help: "With --from-cluster: tickets filed within this long, e.g. 30m, 2h (default 1h).") var since = "1h"

    /// Cluster `--from-cluster` of `category` ("" all), as `gmq clusters` lists them now.
    func pick(on connection: GMQConnection, category: String) async throws -> (number: Int, cluster: ClusterEntry) {
        guard let number = self.fromCluster, number >= 1 else { throw ValidationError("--from-cluster counts from 1") }
        guard let seconds = BanCommand.seconds(self.since) else {
            throw ValidationError("--since takes a duration such as 30m, 2h or 1d")
        }
        let since = Int64((Date().timeIntervalSince1970 - seconds) * 1000)
        guard case .clusterList(let list) = try await connection.call(.clusters(ClustersRequest(
            category: category, since: since, limit: UInt16(min(number, 100)))))
        else { throw ValidationError("the server gave an unexpected answer to CLUSTERS") }
        guard number <= list.clusters.count else {
            throw ValidationError(
                "there are \(list.clusters.count) clusters now, not \(number); run gmq clusters to see them again")
        }
        return (number, list.clusters[number - 1])
    }

    static func summary(_ linked: IncidentLinked, cluster: ClusterEntry) -> String {
        var text = "\(linked.linked) of its \(cluster.size) tickets linked, \(linked.skipped) left alone (taken or "
            + "closed since), its \(cluster.samples.count) sample texts added to the match phrases; "
            + Presentation.describe(linked.incident)
        if cluster.size > UInt32(cluster.tickets.count) {
            text += "\n\(Int(cluster.size) - cluster.tickets.count) more in the cluster: run the same command again"
        }
        return text
    }
}

/// `gmq clusters`: what the queue is full of.
struct ClustersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clusters",
        abstract: "Groups of waiting tickets that say the same thing, biggest first: candidates for an incident.",
        discussion: """
            Tickets waiting in the queue (open, not linked to an incident) are grouped by their words, category \
            and client build; each group shows its size, when it started, the words most of it uses and sample \
            texts. Turn one into an incident with `gmq incident open --from-cluster N`, or add it to one with \
            `gmq incident link ID --from-cluster N`.
            """)
    @OptionGroup var options: StaffOptions
    @Option(help: "Only this category (default: every category you work).") var category: String = ""
    @Option(help: "Tickets filed within this long, e.g. 30m, 2h, 1d (default 1h).") var since = "1h"
    @Option(help: "At most this many clusters (1-100; default 20).") var limit: UInt16 = 0

    func run() async throws {
        guard let seconds = BanCommand.seconds(self.since) else {
            throw ValidationError("--since takes a duration such as 30m, 2h or 1d")
        }
        let since = Int64((Date().timeIntervalSince1970 - seconds) * 1000)
        try await self.options.run(.clusters(ClustersRequest(category: self.category, since: since, limit: self.limit))) {
            guard case .clusterList(let list) = $0 else { return nil }
            let text = list.clusters.isEmpty
                ? "no two waiting tickets alike since \(Presentation.time(since))"
                : list.clusters.enumerated().map { Presentation.describe($1, number: $0 + 1) }.joined(separator: "\n")
            return (text, list.clusters.map(Presentation.json))
        }
    }
}

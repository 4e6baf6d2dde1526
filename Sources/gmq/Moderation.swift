import ArgumentParser
import Foundation
import GMQClient
import GMQProtocol

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Moderators: list closed tickets, read a full transcript, read the staff action log, verify that "
            + "neither was altered.",
        subcommands: [List.self, ShowTranscript.self, Sample.self, StaffActions.self, Verify.self],
        defaultSubcommand: List.self)

    /// Quality review: a few random closed tickets per GM, each with its whole transcript.
    struct Sample: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A sample for quality review: random closed tickets per GM with their transcripts.")
        @OptionGroup var options: StaffOptions
        @Option(name: .customLong("per-gm"), help: "Tickets per GM.") var perGM: Int = 5
        @Option(help: "Closed at or after: 2026-11-24, an ISO 8601 time, or an age such as 7d.") var since: String = "7d"
        @Option(help: "Only this GM.") var gm: String = ""
        @Option(help: "A seed, to draw the same sample again (default: a new one each time).") var seed: UInt64?

        func validate() throws {
            guard self.perGM >= 1 else { throw ValidationError("--per-gm is at least 1") }
        }

        func run() async throws {
            let since = try TimeArgument.milliseconds(self.since, option: "--since")
            try await self.options.run { connection in
                guard case .auditList(let list) = try await connection.call(.audit(Audit(
                    gm: self.gm, since: since, limit: UInt16(ProtocolLimits.maximumListCount))))
                else { return nil }
                var random = SeededRandom(seed: self.seed ?? UInt64.random(in: 1...UInt64.max))
                // Closed tickets by the GM who closed them, then a random few of each.
                let byGM = Dictionary(grouping: list.rows, by: \.ticket.assignee)
                var text: [String] = []
                var json: [[String: Any]] = []
                for gm in byGM.keys.sorted() {
                    let chosen = byGM[gm]!.shuffled(using: &random).prefix(self.perGM).sorted { $0.ticket.id < $1.ticket.id }
                    text.append("== \(TextRules.printable(gm)): \(chosen.count) of \(byGM[gm]!.count) closed ticket(s)")
                    for row in chosen {
                        guard case .ticket(let detail) = try await connection.call(.getTicket(GetTicket(ticketID: row.ticket.id)))
                        else { continue }
                        let history = try await connection.history(of: row.ticket.id, page: nil) { _ in "" }
                        text.append(Presentation.describe(detail, history: history))
                        var entry = HistoryPages.json(detail, history)
                        entry["gm"] = gm
                        json.append(entry)
                    }
                }
                return (text.isEmpty ? "no closed tickets in this period" : text.joined(separator: "\n\n"), json)
            }
        }
    }

    struct StaffActions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "staff",
            abstract: "What staff changed outside tickets (accounts, keys, macros, categories), newest first; "
                + "--json or --csv to export.")
        @OptionGroup var options: StaffOptions
        @Option(help: "Only what this actor did (a staff name, or operator:USER for gmqd on the host).") var actor: String = ""
        @Option(help: "From: YYYY-MM-DD, an ISO 8601 time, or an age such as 7d or 12h.") var since: String?
        @Option(help: "At most this many (1-10000; default 100).") var limit: Int = 100
        @Flag(help: "Print CSV (RFC 4180) for spreadsheets.") var csv = false

        func validate() throws {
            guard (1...10_000).contains(self.limit) else { throw ValidationError("--limit must be 1 to 10000") }
            guard !(self.csv && self.options.json) else { throw ValidationError("choose --csv or --json, not both") }
        }

        func run() async throws {
            let since = try TimeArgument.milliseconds(self.since, option: "--since")
            let (actor, limit, csv) = (self.actor, self.limit, self.csv)
            try await self.options.run { connection in
                // Page by page (a page fits one frame) until the limit or the log's start.
                var entries: [StaffLogPage.Entry] = []
                var before: UInt64 = 0
                repeat {
                    let request = StaffLogRequest(
                        actor: actor, since: since, before: before, limit: UInt16(min(limit - entries.count, 1000)))
                    guard case .staffLogPage(let page) = try await connection.call(.staffLog(request)) else { return nil }
                    entries += page.entries
                    before = page.nextBefore
                } while before != 0 && entries.count < limit
                let text = csv ? Presentation.staffLogCSV(entries) : Presentation.staffLogTable(entries)
                return (text, entries.map(Presentation.json))
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Closed tickets by filter, most recently closed first; --json or --csv to export.")
        @OptionGroup var options: StaffOptions
        @Option(help: "The GM who closed them.") var gm: String = ""
        @Option(help: "Only this category.") var category: String = ""
        @Option(help: "solved, duplicate, not_actionable, escalated_to_dev or no_response.") var resolution: String = ""
        @Option(name: .customLong("min-rating"), help: "Rated at least this (1-5).") var minimumRating: UInt8 = 0
        @Option(name: .customLong("max-rating"), help: "Rated at most this (1-5).") var maximumRating: UInt8 = 0
        @Option(help: "Closed at or after: YYYY-MM-DD, an ISO 8601 time, or an age such as 7d or 12h.") var since: String?
        @Option(help: "Closed before: as --since.") var until: String?
        @Flag(help: "Only tickets that missed a service deadline.") var overdue = false
        @Flag(help: "Only tickets that were reopened.") var reopened = false
        @Option(help: "At most this many (1-1000; default 100).") var limit: UInt16 = 0
        @Flag(help: "Print CSV (RFC 4180) for spreadsheets.") var csv = false

        func validate() throws {
            guard self.minimumRating <= 5, self.maximumRating <= 5 else { throw ValidationError("ratings are 1 to 5") }
            guard !(self.csv && self.options.json) else { throw ValidationError("choose --csv or --json, not both") }
        }

        func run() async throws {
            let request = Audit(
                gm: self.gm, category: self.category, resolution: self.resolution, minimumRating: self.minimumRating,
                maximumRating: self.maximumRating, since: try TimeArgument.milliseconds(self.since, option: "--since"),
                until: try TimeArgument.milliseconds(self.until, option: "--until"), overdueOnly: self.overdue,
                reopenedOnly: self.reopened, limit: self.limit)
            let csv = self.csv
            try await self.options.run(.audit(request)) {
                guard case .auditList(let list) = $0 else { return nil }
                let text = csv ? Presentation.auditCSV(list.rows) : Presentation.auditTable(list.rows)
                return (text, list.rows.map(Presentation.json))
            }
        }
    }

    struct ShowTranscript: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "The transcript of a ticket: every event in order, internal notes included, with actor and time; --all for the whole of a long one.")
        @OptionGroup var options: StaffOptions
        @Argument(help: "Ticket id.") var id: UInt64
        @OptionGroup var pages: HistoryPages

        func run() async throws {
            try await self.options.run { connection in
                guard case .ticket(let detail) = try await connection.call(.getTicket(GetTicket(ticketID: self.id))) else {
                    return nil
                }
                let history = try await self.pages.fetch(self.id, on: connection, command: "gmq audit show \(self.id)")
                return (Presentation.describe(detail, history: history), HistoryPages.json(detail, history))
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the hash chains of every event and of the staff action log; names the first broken link "
                + "(exit 3) if either was altered.")
        @OptionGroup var options: StaffOptions

        func run() async throws {
            var intact = true
            try await self.options.run { connection in
                guard case .auditVerified(let events) = try await connection.call(.auditVerify(AuditVerify())),
                    case .staffLogVerified(let staff) = try await connection.call(.staffLogVerify(StaffLogVerify()))
                else { return nil }
                intact = events.intact && staff.intact
                var json = Presentation.json(events)
                json["staff_log"] = Presentation.json(staff)
                return (Presentation.describe(events) + "\n" + Presentation.describe(staff), json)
            }
            if !intact { throw ExitCode(3) }
        }
    }
}

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Moderators: opened and closed tickets, response and close times, overdue share, reopens and ratings, per category and per GM.")
    @OptionGroup var options: StaffOptions
    @Option(help: "Tickets opened at or after: YYYY-MM-DD, an ISO 8601 time, or an age such as 7d (default 7d).")
    var since: String = "7d"
    @Option(help: "Tickets opened before (default: now).") var until: String?
    @Option(help: "Only this category.") var category: String = ""
    @Option(help: "Only tickets this GM handled.") var gm: String = ""
    @Option(help: "Also write the report as a self-contained web page with charts to this file.") var html: String?

    func run() async throws {
        let since = try TimeArgument.milliseconds(self.since, option: "--since")
        let until = try TimeArgument.milliseconds(self.until, option: "--until")
        let request = ReportRequest(
            since: since, until: until == 0 ? Int64(Date().timeIntervalSince1970 * 1000) + 1 : until,
            category: self.category, gm: self.gm)
        try await self.options.run { connection in
            guard case .reportResult(let result) = try await connection.call(.report(request)),
                case .selfHelpResult(let selfHelp) = try await connection.call(.selfHelp(SelfHelpRequest(
                    since: request.since, until: request.until, category: self.category)))
            else { return nil }
            // A server older than REPORT_FIGURES answers unknown_message_type: the report without them.
            var figures: ReportFiguresResult?
            switch try await connection.send(.reportFigures(ReportFigures(request))) {
            case .reportFiguresResult(let result): figures = result
            case .error(let error) where error.code == .unknownMessageType: figures = nil
            case .error(let error): throw error
            case let other: throw GMQClientError.unexpectedResponse(request: .reportFigures, response: other.type)
            }
            let json = Presentation.reportJSON(
                result.rows, figures: figures, selfHelp: selfHelp, since: request.since, until: request.until)
            var text = Presentation.report(result.rows, style: .standardOutput())
            if let figures { text += "\n" + Presentation.figures(result.rows, figures, style: .standardOutput()) + "\n" }
            text += "\n" + Presentation.describe(selfHelp)
            if let html = self.html {
                do {
                    try Presentation.reportPage(json).write(toFile: html, atomically: true, encoding: .utf8)
                } catch {
                    throw ValidationError("cannot write \(html): \(error.localizedDescription)")
                }
                text += "\n\nwrote \(html): open it in a browser"
            }
            return (text, json)
        }
    }
}

struct MacroCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "macro",
        abstract: "Canned responses: use one as `gmq answer ID @name`. Placeholders: {player} {character} {gm} {ticket}.",
        subcommands: [Add.self, List.self, Remove.self], defaultSubcommand: List.self)

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add or replace a macro (admins).")
        @OptionGroup var options: StaffOptions
        @Argument(help: "Its name: a-z, 0-9, '-' and '_'.") var name: String
        @Argument(help: "Its text, with placeholders.") var text: String

        func run() async throws {
            let name = self.name.hasPrefix("@") ? String(self.name.dropFirst()) : self.name
            try await self.options.run(.macroSave(MacroSave(name: name, text: self.text))) {
                guard case .ok = $0 else { return nil }
                return ("macro @\(name) saved", ["saved": name])
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the macros.")
        @OptionGroup var options: StaffOptions

        func run() async throws {
            try await self.options.run(.macroList(MacroList())) {
                guard case .macros(let macros) = $0 else { return nil }
                return (
                    Presentation.macrosTable(macros.entries),
                    macros.entries.map { ["name": $0.name, "text": $0.text, "author": $0.author] }
                )
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove a macro (admins).")
        @OptionGroup var options: StaffOptions
        @Argument(help: "Its name.") var name: String

        func run() async throws {
            let name = self.name.hasPrefix("@") ? String(self.name.dropFirst()) : self.name
            try await self.options.run(.macroRemove(MacroRemove(name: name))) {
                guard case .ok = $0 else { return nil }
                return ("macro @\(name) removed", ["removed": name])
            }
        }
    }
}

/// Times on the command line: a date, an ISO 8601 time, or an age back from now.
enum TimeArgument {
    /// Milliseconds since the epoch; 0 for nil.
    /// `ages`: whether `7d` means 7 days ago (false: only times are accepted).
    static func milliseconds(_ text: String?, option: String, ages: Bool = true, now: Date = Date()) throws -> Int64 {
        guard let text, !text.isEmpty else { return 0 }
        if ages, let unit = text.last, let amount = Double(text.dropLast()), amount >= 0 {
            let seconds: Double? = switch unit {
            case "d": amount * 86400
            case "h": amount * 3600
            case "m": amount * 60
            default: nil
            }
            if let seconds { return Int64((now.timeIntervalSince1970 - seconds) * 1000) }
        }
        let full = ISO8601DateFormatter()
        if let date = full.date(from: text) { return Int64(date.timeIntervalSince1970 * 1000) }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        if let date = day.date(from: text) { return Int64(date.timeIntervalSince1970 * 1000) }
        throw ValidationError(
            "\(option) '\(text)' is not a time; write 2026-11-24, 2026-11-24T18:00:00Z"
                + (ages ? ", or an age such as 7d, 12h, 30m" : ""))
    }
}

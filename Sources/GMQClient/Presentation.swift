import Foundation
import GMQProtocol

/// How the command-line tools show protocol values: readable text for people, JSON for scripts.
/// Names in both match the spec's snake_case names (PROTOCOL.md §5).
public enum Presentation {
    // MARK: Names

    public static func name(_ status: TicketStatus) -> String {
        switch status {
        case .open: "open"
        case .claimed: "claimed"
        case .waitingPlayer: "waiting_player"
        case .snoozed: "snoozed"
        case .closed: "closed"
        }
    }

    public static func name(_ kind: HistoryKind) -> String {
        switch kind {
        case .submitted: "submitted"
        case .claimed: "claimed"
        case .unclaimed: "unclaimed"
        case .asked: "asked"
        case .replied: "replied"
        case .answered: "answered"
        case .noted: "noted"
        case .closed: "closed"
        case .reopened: "reopened"
        case .transferred: "transferred"
        case .escalated: "escalated"
        case .rated: "rated"
        case .leaseExpired: "lease_expired"
        case .attached: "attached"
        case .assigned: "assigned"
        case .snoozed: "snoozed"
        case .woke: "woke"
        }
    }

    public static func name(_ role: SessionRole) -> String {
        switch role {
        case .player: "player"
        case .gm: "gm"
        case .moderator: "moderator"
        case .admin: "admin"
        case .game: "game"
        }
    }

    public static func time(_ milliseconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }

    // MARK: JSON

    public static func json(_ summary: TicketSummary) -> [String: Any] {
        var object: [String: Any] = [
            "id": summary.id, "category": summary.category, "state": self.name(summary.status),
            "player_id": summary.playerID, "player_name": summary.playerName, "assignee": summary.assignee,
            "created_at": self.time(summary.createdAt), "updated_at": self.time(summary.updatedAt),
            "preview": summary.preview, "priority": summary.priority, "overdue": summary.overdue,
            "reopen_count": summary.reopenCount,
        ]
        if summary.dueAt != 0 { object["due_at"] = self.time(summary.dueAt) }
        if summary.closedAt != 0 { object["closed_at"] = self.time(summary.closedAt) }
        if summary.rating != 0 { object["rating"] = summary.rating }
        if summary.queuePosition != 0 { object["queue_position"] = summary.queuePosition }
        if summary.estimatedWaitSeconds != 0 { object["estimated_wait_seconds"] = summary.estimatedWaitSeconds }
        return object
    }

    public static func json(_ detail: TicketDetail) -> [String: Any] {
        var object = self.json(detail.summary)
        object["text"] = detail.text
        object["resolution"] = detail.resolution
        let context = detail.context
        object["context"] = [
            "realm": context.realm, "character_id": context.characterID, "character_name": context.characterName,
            "map_id": context.mapID, "zone": context.zone, "x": Double(context.x), "y": Double(context.y),
            "z": Double(context.z), "client_build": context.clientBuild,
        ] as [String: Any]
        object["history"] = detail.history.map {
            [
                "seq": $0.sequence, "kind": self.name($0.kind), "actor": $0.actorName,
                "actor_role": self.name($0.actorRole), "at": self.time($0.at), "text": $0.text,
            ] as [String: Any]
        }
        return object
    }

    public static func json(_ push: NotificationPush) -> [String: Any] {
        [
            "notification_id": push.notificationID, "ticket_id": push.ticketID, "kind": self.name(push.kind),
            "actor": push.actorName, "at": self.time(push.at), "text": push.text,
        ]
    }

    public static func json(_ error: ErrorMessage) -> [String: Any] {
        ["error": error.code.name, "code": error.code.rawValue, "message": error.message]
    }

    /// One line of compact, key-sorted JSON.
    public static func line(_ object: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    // MARK: Text

    /// A table of tickets with aligned columns, most urgent first as the server sent them. With `style.colors`,
    /// overdue tickets are red and tickets waiting on the player dimmed.
    public static func table(_ tickets: [TicketSummary], now: Date = Date(), style: Style = .plain) -> String {
        guard !tickets.isEmpty else { return "No tickets." }
        var rows = [["ID", "CATEGORY", "STATE", "PLAYER", "GM", "OPENED", "DUE", "REQUEST"]]
        for ticket in tickets {
            rows.append([
                "\(ticket.id)" + (ticket.priority > 0 ? String(repeating: "!", count: Int(min(ticket.priority, 3))) : ""),
                ticket.category, self.name(ticket.status), ticket.playerName,
                ticket.assignee.isEmpty ? "-" : ticket.assignee, self.time(ticket.createdAt),
                self.due(ticket, now: now), self.clip(ticket.preview, to: 48),
            ])
        }
        let lines = self.align(rows).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return zip(lines, [nil] + tickets).map { line, ticket in
            guard let ticket else { return style.paint(line, .bold) }
            if ticket.overdue { return style.paint(line, .red) }
            if ticket.status == .waitingPlayer || ticket.status == .snoozed { return style.paint(line, .dim) }
            return line
        }.joined(separator: "\n")
    }

    /// When the next service deadline falls, relative to `now`: "in 12 min", "overdue 5 min", or "-".
    public static func due(_ ticket: TicketSummary, now: Date) -> String {
        if ticket.overdue {
            guard ticket.dueAt != 0, ticket.status != .waitingPlayer, ticket.status != .snoozed else { return "overdue" }
            let late = Int64(now.timeIntervalSince1970 * 1000) - ticket.dueAt
            return late > 0 ? "overdue \(self.duration(seconds: late / 1000))" : "overdue"
        }
        guard ticket.dueAt != 0, ticket.status != .closed else { return "-" }
        if ticket.status == .waitingPlayer { return "paused" }
        let left = ticket.dueAt - Int64(now.timeIntervalSince1970 * 1000)
        // A snoozed ticket's due_at is when it wakes (PROTOCOL.md §5.4).
        if ticket.status == .snoozed { return left > 0 ? "snoozed, wakes in \(self.duration(seconds: left / 1000))" : "waking" }
        return left > 0 ? "in \(self.duration(seconds: left / 1000))" : "due now"
    }

    /// "45 s", "9 min", "2 h 5 min", "3 d 4 h".
    public static func duration(seconds: Int64) -> String {
        switch seconds {
        case ..<60: return "\(max(0, seconds)) s"
        case ..<3600: return "\(seconds / 60) min"
        case ..<86400: return "\(seconds / 3600) h" + (seconds % 3600 >= 60 ? " \(seconds % 3600 / 60) min" : "")
        default: return "\(seconds / 86400) d" + (seconds % 86400 >= 3600 ? " \(seconds % 86400 / 3600) h" : "")
        }
    }

    /// How text is decorated: ANSI colours on a terminal, nothing when `NO_COLOR` is set or output is not a
    /// terminal (https://no-color.org).
    public struct Style: Sendable, Equatable {
        public var colors: Bool

        public static let plain = Style(colors: false)

        /// Colours for standard output when it is a terminal and `NO_COLOR` is unset or empty.
        public static func standardOutput(environment: [String: String] = ProcessInfo.processInfo.environment) -> Style {
            Style(colors: isatty(STDOUT_FILENO) == 1 && (environment["NO_COLOR"] ?? "").isEmpty)
        }

        public enum Paint: String, Sendable {
            case red = "31"
            case green = "32"
            case yellow = "33"
            case dim = "2"
            case bold = "1"
        }

        public func paint(_ text: String, _ paint: Paint) -> String {
            self.colors ? "\u{1B}[\(paint.rawValue)m\(text)\u{1B}[0m" : text
        }
    }

    public static func describe(
        _ detail: TicketDetail, showsNotes: Bool = true, earlier: [TicketSummary] = [], now: Date = Date()
    ) -> String {
        self.describe(detail, history: nil, showsNotes: showsNotes, earlier: earlier, now: now)
    }

    /// A ticket for a person: header, game context, the request and its history, and the player's earlier
    /// tickets. `history` is a page fetched with HISTORY (its position is stated); nil shows the TICKET frame's own
    /// entries. Every text that came from a user is made printable (`TextRules`): a multi-line body keeps its line
    /// breaks, each continuation line marked so that no text can pass for a line of the tool's own.
    public static func describe(
        _ detail: TicketDetail, history: HistoryPage?, showsNotes: Bool = true, earlier: [TicketSummary] = [],
        now: Date = Date()
    ) -> String {
        let s = detail.summary
        let c = detail.context
        func shown(_ text: String, _ placeholder: String = "-") -> String {
            text.isEmpty ? placeholder : TextRules.printable(text)
        }
        var lines = [
            "Ticket \(s.id) · \(shown(s.category)) · \(self.name(s.status))"
                + (s.assignee.isEmpty ? "" : " · held by \(shown(s.assignee))")
                + (detail.resolution.isEmpty ? "" : " · resolution \(shown(detail.resolution))"),
            // Player id 0: an internal ticket, whose player name says whom it is about (PROTOCOL.md §5.30).
            (s.playerID == 0 ? "Internal ticket, staff only (\(shown(s.playerName)))" : "Player \(shown(s.playerName)) (id \(s.playerID))")
                + " · opened \(self.time(s.createdAt))"
                + (s.priority > 0 ? " · priority \(s.priority)" : "")
                + (s.status == .closed ? "" : " · due \(self.due(s, now: now))")
                + (s.rating > 0 ? " · rated \(s.rating)/5" : "") + (s.reopenCount > 0 ? " · reopened \(s.reopenCount)×" : ""),
            "Where: realm \(shown(c.realm)), character \(shown(c.characterName))"
                + " (id \(c.characterID)), map \(c.mapID) \(shown(c.zone)) at "
                + String(format: "%.1f, %.1f, %.1f", c.x, c.y, c.z) + ", client \(shown(c.clientBuild))",
            "",
            self.block(detail.text, marker: "│ "),
            "",
        ]
        let entries: [HistoryEntry]
        if let history {
            entries = history.entries
            lines.append(history.heading)
        } else {
            entries = detail.history
            lines.append("History:")
        }
        for entry in entries where showsNotes || entry.kind != .noted {
            let text = entry.text.isEmpty ? "" : ": " + self.block(entry.text, marker: "      │ ")
            lines.append(
                "  #\(entry.sequence) \(self.time(entry.at)) \(self.name(entry.kind)) by \(shown(entry.actorName))"
                    + " (\(self.name(entry.actorRole)))\(text)")
        }
        if let footer = history?.footer { lines.append(footer) }
        let others = earlier.filter { $0.id != s.id }
        if !others.isEmpty {
            lines.append("")
            lines.append("Earlier tickets of \(shown(s.playerName)):")
            for ticket in others.prefix(10) {
                lines.append(
                    "  #\(ticket.id) \(self.time(ticket.createdAt)) \(shown(ticket.category)) \(self.name(ticket.status))"
                        + (ticket.rating > 0 ? " rated \(ticket.rating)/5" : "") + ": \(self.clip(ticket.preview, to: 60))")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// A user's multi-line text made printable, each line after the first starting with `marker`.
    static func block(_ text: String, marker: String) -> String {
        TextRules.printable(text, keepingLineFeeds: true).replacingOccurrences(of: "\r\n", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .map { $0.offset == 0 ? String($0.element) : marker + $0.element }
            .joined(separator: "\n")
    }

    /// An ERROR as the tools print it; the server's message made printable.
    public static func describe(_ error: ErrorMessage) -> String {
        "error (\(error.code.name)): \(TextRules.printable(error.message))"
    }

    public static func describe(_ push: NotificationPush) -> String {
        let what: String
        switch push.kind {
        case .claimed: what = "\(push.actorName) is looking at your request"
        case .unclaimed: what = "your request is back in the queue"
        case .asked: what = "\(push.actorName) asks"
        case .answered: what = "\(push.actorName) answered"
        case .closed: what = "\(push.actorName) closed the request"
        case .reopened: what = "your request was reopened"
        case .transferred: what = "your request was moved to another team's queue"
        case .escalated: what = "your request was handed to a senior game master"
        case .leaseExpired: what = "your request is back in the queue; the next game master will pick it up"
        case .assigned: what = "\(push.actorName) took over your request"
        case .submitted, .replied, .noted, .rated, .attached, .snoozed, .woke: what = self.name(push.kind)
        }
        let rating = push.kind == .closed ? " (how did we do? rate 1 to 5: gmq-player rate \(push.ticketID) N)" : ""
        return "[ticket \(push.ticketID)] \(TextRules.printable(what))"
            + (push.text.isEmpty ? "" : ": \(TextRules.printable(push.text))") + rating
    }

    public static func describe(_ reminder: Reminder) -> String {
        "⏰ reminder, ticket \(reminder.ticketID) (due \(self.time(reminder.at))): \(TextRules.printable(reminder.text))"
    }

    public static func describe(_ summary: TicketSummary) -> String {
        "ticket \(summary.id) is now \(self.name(summary.status))"
            + (summary.assignee.isEmpty
                ? "" : (summary.status == .closed ? " by " : ", held by ") + TextRules.printable(summary.assignee))
            + (summary.status == .open && summary.priority > 0 ? " (priority \(summary.priority))" : "")
            + (summary.status == .snoozed && summary.dueAt != 0 ? " until \(self.time(summary.dueAt))" : "")
    }

    /// An escalation's outcome, named by where the ticket went: the summary alone says only "open" or "closed".
    public static func describe(_ summary: TicketSummary, escalatedTo target: EscalationTarget) -> String {
        switch target {
        case .seniorGMs:
            "ticket \(summary.id) is with the senior GMs: back in the queue at priority \(summary.priority), unclaimed"
        case .developers:
            "ticket \(summary.id) is on the developers' bug list: closed as escalated_to_dev"
        }
    }

    /// One printable line of at most `width` characters.
    static func clip(_ text: String, to width: Int) -> String {
        let flat = TextRules.printable(text)
        return flat.count <= width ? flat : String(flat.prefix(width - 1)) + "…"
    }

    /// Rows as aligned columns. Every cell is made printable here, so that no table prints a user's text raw.
    static func align(_ rows: [[String]]) -> String {
        let rows = rows.map { $0.map { TextRules.printable($0) } }
        var widths = [Int](repeating: 0, count: rows[0].count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        return rows.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}

/// A `host:port` address as given on the command line or in `GMQ_SERVER`.
public struct ServerAddress: Sendable, Equatable {
    public var host: String
    public var port: Int

    public init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (1...65535).contains(port)
        else { return nil }
        let host = String(text[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        guard !host.isEmpty else { return nil }
        self.host = host
        self.port = port
    }
}

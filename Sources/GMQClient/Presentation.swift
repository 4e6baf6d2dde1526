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
        }
    }

    public static func name(_ role: SessionRole) -> String {
        switch role {
        case .player: "player"
        case .gm: "gm"
        case .moderator: "moderator"
        case .admin: "admin"
        }
    }

    public static func time(_ milliseconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }

    // MARK: JSON

    public static func json(_ summary: TicketSummary) -> [String: Any] {
        [
            "id": summary.id, "category": summary.category, "state": self.name(summary.status),
            "player_id": summary.playerID, "player_name": summary.playerName, "assignee": summary.assignee,
            "created_at": self.time(summary.createdAt), "updated_at": self.time(summary.updatedAt),
            "preview": summary.preview,
        ]
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

    /// A table of tickets with aligned columns.
    public static func table(_ tickets: [TicketSummary]) -> String {
        guard !tickets.isEmpty else { return "No tickets." }
        var rows = [["ID", "CATEGORY", "STATE", "PLAYER", "GM", "OPENED", "REQUEST"]]
        for ticket in tickets {
            rows.append([
                "\(ticket.id)", ticket.category, self.name(ticket.status), ticket.playerName,
                ticket.assignee.isEmpty ? "-" : ticket.assignee, self.time(ticket.createdAt),
                self.clip(ticket.preview, to: 48),
            ])
        }
        return self.align(rows)
    }

    public static func describe(_ detail: TicketDetail, showsNotes: Bool = true) -> String {
        let s = detail.summary
        let c = detail.context
        var lines = [
            "Ticket \(s.id) · \(s.category) · \(self.name(s.status))"
                + (s.assignee.isEmpty ? "" : " · held by \(s.assignee)")
                + (detail.resolution.isEmpty ? "" : " · resolution \(detail.resolution)"),
            "Player \(s.playerName) (id \(s.playerID)) · opened \(self.time(s.createdAt))",
            "Where: realm \(c.realm.isEmpty ? "-" : c.realm), character \(c.characterName.isEmpty ? "-" : c.characterName)"
                + " (id \(c.characterID)), map \(c.mapID) \(c.zone) at "
                + String(format: "%.1f, %.1f, %.1f", c.x, c.y, c.z) + ", client \(c.clientBuild.isEmpty ? "-" : c.clientBuild)",
            "",
            detail.text,
            "",
            "History:",
        ]
        for entry in detail.history where showsNotes || entry.kind != .noted {
            let text = entry.text.isEmpty ? "" : ": \(entry.text)"
            lines.append(
                "  #\(entry.sequence) \(self.time(entry.at)) \(self.name(entry.kind)) by \(entry.actorName)"
                    + " (\(self.name(entry.actorRole)))\(text)")
        }
        return lines.joined(separator: "\n")
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
        case .submitted, .replied, .noted, .rated: what = self.name(push.kind)
        }
        let rating = push.kind == .closed ? " (how did we do? rate 1 to 5: gmq-player rate \(push.ticketID) N)" : ""
        return "[ticket \(push.ticketID)] \(what)" + (push.text.isEmpty ? "" : ": \(push.text)") + rating
    }

    public static func describe(_ summary: TicketSummary) -> String {
        "ticket \(summary.id) is now \(self.name(summary.status))"
            + (summary.assignee.isEmpty ? "" : ", held by \(summary.assignee)")
    }

    private static func clip(_ text: String, to width: Int) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        return flat.count <= width ? flat : String(flat.prefix(width - 1)) + "…"
    }

    private static func align(_ rows: [[String]]) -> String {
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

import Foundation
import GMQProtocol

/// How moderators' results read: audit lists (text, JSON, CSV), the chain verification and the report.
extension Presentation {
    public static func auditTable(_ rows: [AuditList.Row]) -> String {
        guard !rows.isEmpty else { return "No closed tickets match." }
        var lines = [["ID", "CATEGORY", "PLAYER", "GM", "RESOLUTION", "RATING", "OPENED", "CLOSED", "FLAGS", "REQUEST"]]
        for row in rows {
            let t = row.ticket
            var flags: [String] = []
            if t.overdue { flags.append("overdue") }
            if t.reopenCount > 0 { flags.append("reopened \(t.reopenCount)×") }
            lines.append([
                "\(t.id)", t.category, t.playerName, t.assignee.isEmpty ? "-" : t.assignee, row.resolution,
                t.rating == 0 ? "-" : "\(t.rating)/5", self.time(t.createdAt), t.closedAt == 0 ? "-" : self.time(t.closedAt),
                flags.isEmpty ? "-" : flags.joined(separator: ","), self.clip(t.preview, to: 40),
            ])
        }
        return self.align(lines)
    }

    public static func json(_ row: AuditList.Row) -> [String: Any] {
        var object = self.json(row.ticket)
        object["resolution"] = row.resolution
        return object
    }

    /// RFC 4180 CSV with a header line: fields with a comma, quote or line break are quoted. Cells are made
    /// printable, and a cell a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a
    /// carriage return: OWASP's CSV-injection rule) gets a leading `'`, so that a player's `=HYPERLINK(…)` stays
    /// text in the moderator's spreadsheet.
    /// One CSV field (RFC 4180), neutralised: printable, and a leading `= + - @` quoted so that a spreadsheet
    /// does not run it as a formula.
    static func csvField(_ raw: String) -> String {
        var value = TextRules.printable(raw)
        if let first = raw.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { value = "'" + value }
        return value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
    }

    public static func auditCSV(_ rows: [AuditList.Row]) -> String {
        let field = Self.csvField
        var lines = ["id,category,player_id,player_name,gm,resolution,rating,opened_at,closed_at,overdue,reopen_count,request"]
        for row in rows {
            let t = row.ticket
            lines.append([
                "\(t.id)", t.category, "\(t.playerID)", t.playerName, t.assignee, row.resolution,
                t.rating == 0 ? "" : "\(t.rating)", self.time(t.createdAt), t.closedAt == 0 ? "" : self.time(t.closedAt),
                t.overdue ? "true" : "false", "\(t.reopenCount)", t.preview,
            ].map(field).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n")
    }

    public static func describe(_ verified: AuditVerified) -> String {
        if verified.intact {
            return "intact: \(verified.events) events, every link holds; chain head "
                + verified.head.map { String(format: "%02x", $0) }.joined()
                + " (keep it: a later verify that ends elsewhere shows the log was cut)"
        }
        return "BROKEN: ticket \(verified.ticketID), event \(verified.sequence)"
            + (verified.chainSequence == 0 ? "" : " (chain position \(verified.chainSequence))")
            + ": \(TextRules.printable(verified.reason)); \(verified.events) events read up to there"
    }

    public static func describe(_ verified: StaffLogVerified) -> String {
        if verified.intact {
            return "staff log intact: \(verified.entries) entries, every link holds; head "
                + verified.head.map { String(format: "%02x", $0) }.joined()
        }
        return "staff log BROKEN at entry \(verified.seq): \(TextRules.printable(verified.reason)); "
            + "\(verified.entries) entries read up to there"
    }

    public static func json(_ verified: StaffLogVerified) -> [String: Any] {
        var object: [String: Any] = ["intact": verified.intact, "entries": verified.entries]
        if verified.intact {
            object["head"] = verified.head.map { String(format: "%02x", $0) }.joined()
        } else {
            object["broken"] = ["seq": verified.seq, "reason": verified.reason] as [String: Any]
        }
        return object
    }

    /// The staff action log, newest first: seq, time, actor, action, target, detail.
    public static func staffLogTable(_ entries: [StaffLogPage.Entry]) -> String {
        guard !entries.isEmpty else { return "no staff actions match" }
        return entries.map { entry in
            "#\(entry.seq)  \(self.time(entry.at))  \(TextRules.printable(entry.actor))  \(entry.action)  "
                + "\(TextRules.printable(entry.target))  \(TextRules.printable(entry.detail))"
        }.joined(separator: "\n")
    }

    public static func staffLogCSV(_ entries: [StaffLogPage.Entry]) -> String {
        var lines = ["seq,at,actor,action,target,detail"]
        for entry in entries {
            lines.append([
                "\(entry.seq)", self.time(entry.at), entry.actor, entry.action, entry.target, entry.detail,
            ].map(self.csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n")
    }

    public static func json(_ entry: StaffLogPage.Entry) -> [String: Any] {
        [
            "seq": entry.seq, "at": self.time(entry.at), "actor": entry.actor, "action": entry.action,
            "target": entry.target, "detail": entry.detail,
        ]
    }

    public static func json(_ incident: IncidentEntry) -> [String: Any] {
        [
            "id": incident.id, "title": incident.title, "category": incident.category, "match": incident.match,
            "build": incident.build, "zone": incident.zone, "message": incident.message, "opened_by": incident.openedBy,
            "opened_at": self.time(incident.openedAt), "closed_by": incident.closedBy.isEmpty ? NSNull() : incident.closedBy,
            "closed_at": incident.closedAt == 0 ? NSNull() : self.time(incident.closedAt), "linked": incident.linked,
            "open": incident.open,
        ]
    }

    /// One line (or, `long`, several) about an incident, every text printable.
    public static func describe(_ incident: IncidentEntry, long: Bool = false) -> String {
        let state = incident.closedAt == 0
            ? "open" : "closed \(self.time(incident.closedAt)) by \(TextRules.printable(incident.closedBy))"
        let line = "#\(incident.id) [\(TextRules.printable(incident.category))] \(TextRules.printable(incident.title)) — "
            + "\(incident.linked) linked, \(incident.open) open; \(state)"
        guard long else { return line }
        let phrases = incident.match.split(whereSeparator: { $0 == ";" || $0.isNewline })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var lines = [line, "match phrases:"] + phrases.map { "  - " + TextRules.printable($0) }
        if !incident.build.isEmpty { lines.append("build: \(TextRules.printable(incident.build))") }
        if !incident.zone.isEmpty { lines.append("zone: \(TextRules.printable(incident.zone))") }
        lines.append("told to players: \(TextRules.printable(incident.message))")
        lines.append("opened \(self.time(incident.openedAt)) by \(TextRules.printable(incident.openedBy))")
        return lines.joined(separator: "\n")
    }

    /// One cluster of `gmq clusters`: its number, size, scope and time, the words most of it uses, sample texts.
    public static func describe(_ cluster: ClusterEntry, number: Int) -> String {
        var scope = "[\(TextRules.printable(cluster.category))]"
        if !cluster.build.isEmpty { scope += " build \(TextRules.printable(cluster.build))" }
        if !cluster.zone.isEmpty { scope += " zone \(TextRules.printable(cluster.zone))" }
        var lines = [
            "\(number). \(cluster.size) tickets \(scope), \(self.time(cluster.firstAt)) to \(self.time(cluster.lastAt))",
            "   words: \(cluster.words.map { TextRules.printable($0) }.joined(separator: " "))",
        ]
        lines += cluster.samples.map { "   \"\(TextRules.printable($0))\"" }
        return lines.joined(separator: "\n")
    }

    public static func json(_ cluster: ClusterEntry) -> [String: Any] {
        [
            "category": cluster.category, "build": cluster.build, "zone": cluster.zone, "size": cluster.size,
            "first_at": self.time(cluster.firstAt), "last_at": self.time(cluster.lastAt), "words": cluster.words,
            "samples": cluster.samples, "tickets": cluster.tickets,
        ]
    }

    public static func json(_ ban: BanList.Entry) -> [String: Any] {
        [
            "player_id": ban.playerID, "until": self.time(ban.until), "reason": ban.reason, "banned_by": ban.bannedBy,
            "at": self.time(ban.at),
        ]
    }

    /// Staff accounts by name: id, name, role, categories, state, expiry.
    public static func staffTable(_ accounts: [StaffAccountEntry]) -> String {
        guard !accounts.isEmpty else { return "no staff accounts" }
        return accounts.map { account in
            let categories = account.categories.isEmpty ? "all" : account.categories.joined(separator: ",")
            let expiry = account.expiresAt == 0 ? "no expiry" : "expires " + self.time(account.expiresAt)
            return "\(account.id)  \(TextRules.printable(account.name))  \(self.roleName(account.role))  \(categories)  "
                + "\(self.stateName(account.state))  \(expiry)"
        }.joined(separator: "\n")
    }

    public static func json(_ account: StaffAccountEntry) -> [String: Any] {
        [
            "id": account.id, "name": account.name, "role": self.roleName(account.role), "categories": account.categories,
            "state": self.stateName(account.state), "created_at": self.time(account.createdAt),
            "expires_at": account.expiresAt == 0 ? NSNull() : self.time(account.expiresAt) as Any,
        ]
    }

    static func roleName(_ role: SessionRole) -> String { self.name(role) }

    static func stateName(_ state: StaffState) -> String {
        switch state {
        case .active: "active"
        case .disabled: "disabled"
        case .expired: "expired"
        }
    }

    public static func json(_ verified: AuditVerified) -> [String: Any] {
        var object: [String: Any] = ["intact": verified.intact, "events": verified.events]
        if verified.intact {
            object["head"] = verified.head.map { String(format: "%02x", $0) }.joined()
        } else {
            object["broken"] = [
                "ticket_id": verified.ticketID, "seq": verified.sequence, "chain_seq": verified.chainSequence,
                "reason": verified.reason,
            ] as [String: Any]
        }
        return object
    }

    /// The report as a table per group, with inline bars for opened tickets and overdue share.
    public static func report(_ rows: [ReportResult.Row], style: Style = .plain) -> String {
        guard rows.contains(where: { $0.group == .total && $0.opened > 0 }) else { return "No tickets in this period." }
        let widest = max(1, rows.map(\.opened).max() ?? 1)
        func bar(_ value: UInt32, of maximum: UInt32, width: Int = 16) -> String {
            let filled = Int((Double(value) / Double(max(maximum, 1)) * Double(width)).rounded())
            return String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        }
        func seconds(_ value: Int32) -> String { value < 0 ? "-" : self.duration(seconds: Int64(value)) }
        func rating(_ row: ReportResult.Row) -> String {
            row.ratingAverageHundredths < 0
                ? "-" : String(format: "%.2f", Double(row.ratingAverageHundredths) / 100) + " (\(row.ratings))"
        }
        var out: [String] = []
        for (group, title) in [(ReportGroup.total, "All tickets"), (.category, "By category"), (.gm, "By GM")] {
            let members = rows.filter { $0.group == group }
            guard !members.isEmpty else { continue }
            out.append(style.paint(title, .bold))
            var table = [[
                "", "OPENED", "", "CLOSED", "1ST RESP p50/p90", "CLOSE p50/p90", "OVERDUE", "", "REOPENED", "RATING",
            ]]
            for row in members {
                let overdue = String(format: "%.1f%%", Double(row.overduePerMille) / 10)
                table.append([
                    row.name, "\(row.opened)", bar(row.opened, of: widest), "\(row.closed)",
                    "\(seconds(row.firstResponseMedian)) / \(seconds(row.firstResponseP90))",
                    "\(seconds(row.closeMedian)) / \(seconds(row.closeP90))", overdue,
                    bar(UInt32(row.overduePerMille), of: 1000, width: 10), "\(row.reopened)", rating(row),
                ])
            }
            out.append(self.align(table))
            out.append("")
        }
        return out.joined(separator: "\n")
    }

    public static func json(_ row: ReportResult.Row) -> [String: Any] {
        func seconds(_ value: Int32) -> Any { value < 0 ? NSNull() : Int(value) }
        let group = switch row.group {
        case .total: "total"
        case .category: "category"
        case .gm: "gm"
        }
        return [
            "group": group, "name": row.name, "opened": row.opened, "closed": row.closed,
            "first_response_median_s": seconds(row.firstResponseMedian),
            "first_response_p90_s": seconds(row.firstResponseP90), "close_median_s": seconds(row.closeMedian),
            "close_p90_s": seconds(row.closeP90), "overdue_percent": Double(row.overduePerMille) / 10,
            "reopened": row.reopened,
            "rating_average": row.ratingAverageHundredths < 0 ? NSNull() : Double(row.ratingAverageHundredths) / 100,
            "ratings": row.ratings,
        ]
    }

    public static func macrosTable(_ entries: [Macros.Entry]) -> String {
        guard !entries.isEmpty else { return "No macros yet; an admin adds them with gmq macro add NAME TEXT." }
        var rows = [["NAME", "BY", "TEXT"]]
        for entry in entries { rows.append(["@" + entry.name, entry.author, self.clip(entry.text, to: 80)]) }
        return self.align(rows)
    }
}

extension Presentation {
    /// A player's own tickets: where each stands, its place in the queue and the estimated wait while open.
    public static func playerTable(_ tickets: [TicketSummary]) -> String {
        guard !tickets.isEmpty else { return "No requests yet." }
        var rows = [["ID", "CATEGORY", "STATE", "OPENED", "QUEUE", "REQUEST"]]
        for ticket in tickets {
            var queue = "-"
            if ticket.queuePosition > 0 {
                queue = "#\(ticket.queuePosition)"
                    + (ticket.estimatedWaitSeconds > 0
                        ? ", about \(self.duration(seconds: Int64(ticket.estimatedWaitSeconds)))" : "")
            } else if ticket.status == .closed {
                queue = ticket.rating > 0 ? "rated \(ticket.rating)/5" : "closed, not rated yet"
            }
            rows.append([
                "\(ticket.id)", ticket.category, self.name(ticket.status), self.time(ticket.createdAt), queue,
                self.clip(ticket.preview, to: 48),
            ])
        }
        return self.align(rows)
    }
}

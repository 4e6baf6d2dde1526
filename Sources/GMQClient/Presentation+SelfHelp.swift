import Foundation
import GMQProtocol

extension Presentation {
    /// One article of `gmq kb list`: id, scope, title, keywords; with `long`, its body too.
    public static func describe(_ article: ArticleEntry, long: Bool = false) -> String {
        let scope = [
            article.category.isEmpty ? "any category" : TextRules.printable(article.category),
            article.locale.isEmpty ? "any language" : TextRules.printable(article.locale),
        ].joined(separator: ", ")
        var lines = ["#\(article.id) [\(scope)] \(TextRules.printable(article.title))"]
        if !article.keywords.isEmpty {
            lines.append("   keywords: " + article.keywords.map { TextRules.printable($0) }.joined(separator: "; "))
        }
        if long {
            lines.append("   " + TextRules.printable(article.body))
            lines.append("   saved \(self.time(article.updatedAt)) by \(TextRules.printable(article.updatedBy))")
        }
        return lines.joined(separator: "\n")
    }

    public static func json(_ article: ArticleEntry) -> [String: Any] {
        [
            "id": article.id, "title": article.title, "body": article.body, "keywords": article.keywords,
            "category": article.category, "locale": article.locale, "updated_by": article.updatedBy,
            "updated_at": self.time(article.updatedAt),
        ]
    }

    /// What a player would see for a draft: the verdict, the incident it would join, the articles offered.
    public static func describe(_ preview: PreviewResult) -> String {
        var lines: [String] = []
        if preview.reason.isEmpty {
            lines.append(preview.incidentID == 0 ? "Would be accepted." : "Would be accepted and linked to known issue "
                + "#\(preview.incidentID): \(TextRules.printable(preview.incidentTitle))")
        } else {
            lines.append("Would not be sent (\(TextRules.printable(preview.reason)))")
        }
        if !preview.hint.isEmpty { lines.append(TextRules.printable(preview.hint)) }
        if preview.articles.isEmpty {
            lines.append("No article matches.")
        } else {
            lines.append("Does this answer your question?")
            for article in preview.articles {
                lines.append("  [\(article.id)] \(TextRules.printable(article.title))")
                lines.append("      \(TextRules.printable(article.body))")
            }
        }
        return lines.joined(separator: "\n")
    }

    public static func json(_ preview: PreviewResult) -> [String: Any] {
        [
            "accepted": preview.reason.isEmpty, "reason": preview.reason, "hint": preview.hint,
            "articles": preview.articles.map { ["id": $0.id, "title": $0.title, "body": $0.body] as [String: Any] },
            "incident": preview.incidentID == 0 ? NSNull() : [
                "id": preview.incidentID, "title": preview.incidentTitle, "message": preview.incidentMessage,
            ] as [String: Any],
        ]
    }

    /// The self-help line of `gmq report`.
    public static func describe(_ figures: SelfHelpResult) -> String {
        guard figures.previews > 0 else { return "Self-help: no previews in this period." }
        var line = "Self-help: \(figures.previews) previews in \(figures.drafts) drafts; \(figures.offered) offered an "
            + "article or a known issue, \(figures.deflected) of them ended without a request"
        if figures.offered > 0 {
            line += String(format: " (deflection %.1f%%)", Double(figures.deflected) * 100 / Double(figures.offered))
        }
        return line + "."
    }

    public static func json(_ figures: SelfHelpResult) -> [String: Any] {
        [
            "previews": figures.previews, "drafts": figures.drafts, "offered": figures.offered,
            "deflected": figures.deflected,
            "deflection_percent": figures.offered == 0
                ? NSNull() : Double(figures.deflected) * 100 / Double(figures.offered) as Any,
        ]
    }
}

extension Presentation {
    /// One attachment: number, name, type, size, who attached it when, and its SHA-256.
    public static func describe(_ attachment: AttachmentEntry) -> String {
        "\(attachment.number). \(TextRules.printable(attachment.name)) (\(TextRules.printable(attachment.contentType)), "
            + "\(attachment.size) bytes) by \(TextRules.printable(attachment.uploadedBy)) "
            + "(\(self.name(attachment.uploaderRole))) \(self.time(attachment.at)); SHA-256 "
            + attachment.sha256.map { String(format: "%02x", $0) }.joined()
    }

    public static func json(_ attachment: AttachmentEntry) -> [String: Any] {
        [
            "number": attachment.number, "name": attachment.name, "content_type": attachment.contentType,
            "size": attachment.size, "sha256": attachment.sha256.map { String(format: "%02x", $0) }.joined(),
            "uploaded_by": attachment.uploadedBy, "uploader_role": self.name(attachment.uploaderRole),
            "at": self.time(attachment.at),
        ]
    }

    public static func attachmentList(_ list: Attachments) -> String {
        list.attachments.isEmpty
            ? "ticket \(list.ticketID) has no attachments"
            : list.attachments.map { self.describe($0) }.joined(separator: "\n")
    }
}

extension Presentation {
    /// One search hit: the ticket, the event that matched, and its snippet with the words found in bold (or between
    /// » « without colours).
    public static func describe(_ hit: SearchResult.Hit, style: Style = .plain) -> String {
        let ticket = hit.ticket
        var snippet = ""
        let bytes = Array(hit.snippet.utf8)
        var at = 0
        var pairs = stride(from: 0, to: hit.highlights.count - 1, by: 2).map {
            (Int(hit.highlights[$0]), Int(hit.highlights[$0 + 1]))
        }.filter { $0.0 >= 0 && $0.0 < $0.1 && $0.1 <= bytes.count }
        pairs.sort { $0.0 < $1.0 }
        for (start, end) in pairs where start >= at {
            snippet += TextRules.printable(String(decoding: bytes[at..<start], as: UTF8.self))
            let word = TextRules.printable(String(decoding: bytes[start..<end], as: UTF8.self))
            snippet += style.colors ? style.paint(word, .bold) : "»\(word)«"
            at = end
        }
        snippet += TextRules.printable(String(decoding: bytes[at...], as: UTF8.self))
        let holder = ticket.assignee.isEmpty ? "" : " · " + TextRules.printable(ticket.assignee)
        return "#\(ticket.id) [\(TextRules.printable(ticket.category))] \(self.name(ticket.status))\(holder) · "
            + "\(TextRules.printable(ticket.playerName)) (player \(ticket.playerID)) · \(self.time(ticket.createdAt))\n"
            + "    \(self.name(hit.kind)) by \(TextRules.printable(hit.actorName)): \(snippet)"
    }

    public static func json(_ hit: SearchResult.Hit) -> [String: Any] {
        [
            "ticket": self.json(hit.ticket), "sequence": hit.sequence, "kind": self.name(hit.kind),
            "actor_name": hit.actorName, "snippet": hit.snippet,
            "highlights": stride(from: 0, to: hit.highlights.count - 1, by: 2).map {
                [hit.highlights[$0], hit.highlights[$0 + 1]]
            },
        ]
    }
}

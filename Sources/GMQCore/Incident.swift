import Foundation

/// A known issue: staff declare it when many players meet the same problem (a patch broke logins), new requests
/// that match it are linked to it instead of queueing, and one answer reaches every linked player.
public struct Incident: Sendable, Equatable {
    public var id: Int64
    public var title: String
    public var category: String
    /// Words or phrases that requests about it use; what `IncidentMatch` compares.
    public var match: String
    /// Only requests from this client build, and this zone, when not empty.
    public var build: String
    public var zone: String
    /// What a matching player is told at once.
    public var message: String
    public var openedBy: String
    public var openedAt: Int64
    public var closedBy: String?
    public var closedAt: Int64?
    /// Tickets linked to it, and those of them not closed (as read).
    public var linked: Int
    public var open: Int

    public init(
        id: Int64 = 0, title: String, category: String, match: String, build: String = "", zone: String = "",
        message: String, openedBy: String = "", openedAt: Int64 = 0, closedBy: String? = nil, closedAt: Int64? = nil,
        linked: Int = 0, open: Int = 0
    ) {
        self.id = id
        self.title = title
        self.category = category
        self.match = match
        self.build = build
        self.zone = zone
        self.message = message
        self.openedBy = openedBy
        self.openedAt = openedAt
        self.closedBy = closedBy
        self.closedAt = closedAt
        self.linked = linked
        self.open = open
    }

    public var isOpen: Bool { self.closedAt == nil }

    /// The text each linked ticket records for the incident's answer: the incident named, then what staff wrote.
    public static func answerText(_ text: String, incident id: Int64) -> String { "Incident #\(id): \(text)" }

    /// The longest title.
    public static let maximumTitleBytes = 200
    /// The longest match text with its examples (the wire's longest text).
    public static let maximumMatchBytes = 4_000

    /// The match text with `examples` (request texts staff judged to be this incident) added as phrases (after
    /// "; ", each on one line and without `;`), repeats left out, as many as fit `maximumMatchBytes`.
    public func adding(examples: [String]) -> String {
        var match = self.match
        var phrases = Set(IncidentMatch.phrases(of: match).map { $0.lowercased() })
        for example in examples {
            let phrase = example.split(whereSeparator: { $0.isNewline || $0 == ";" }).joined(separator: " ")
                .trimmingCharacters(in: .whitespaces)
            guard !phrase.isEmpty, phrases.insert(phrase.lowercased()).inserted else { continue }
            let grown = match + "; " + phrase
            guard grown.utf8.count <= Self.maximumMatchBytes else { break }
            match = grown
        }
        return match
    }

    /// The text a ticket's `linked` event records and its player is told: the incident and its message.
    public static func linkText(_ incident: Incident) -> String { "Incident #\(incident.id): \(incident.message)" }
}

/// What linking tickets to an incident did.
public struct IncidentLink: Sendable, Equatable {
    /// The incident after it: its match text with the examples, its counts.
    public var incident: Incident
    /// One change per ticket linked, for the notifications and pushes.
    public var changes: [TicketChange]
    /// Listed tickets left alone: not waiting in the queue of the incident's category, or not found.
    public var skipped: Int

    public init(incident: Incident, changes: [TicketChange], skipped: Int) {
        self.incident = incident
        self.changes = changes
        self.skipped = skipped
    }
}

/// What answering an incident did.
public struct IncidentAnswer: Sendable, Equatable {
    public var incident: Int64
    /// The changes made, one per ticket answered or closed, for the notifications and pushes.
    public var changes: [TicketChange]
    /// Linked tickets left alone: closed already, or held by another GM.
    public var skipped: Int

    public init(incident: Int64, changes: [TicketChange], skipped: Int) {
        self.incident = incident
        self.changes = changes
        self.skipped = skipped
    }
}

/// Whether a new request is about an open incident: the same category, the build and zone it names (if any), and
/// its words (`IncidentWords`) against one of the incident's match phrases (its match text split at `;` or a line
/// break, so that one incident can hold the ways players put it, in several languages): at least half of the
/// phrase's words, and at least two of them when it has two or more. Pure: the server keeps the open incidents'
/// words and asks for every accepted request.
public struct IncidentMatch: Sendable {
    public struct Candidate: Sendable {
        public var incident: Incident
        /// Each match phrase's words (phrases with none left out).
        public var phrases: [IncidentWords]

        public init(incident: Incident, check: SubstantiveCheck) {
            self.incident = incident
            self.phrases = IncidentMatch.phrases(of: incident.match).map { IncidentWords($0, check: check) }
                .filter { $0.count > 0 }
        }
    }

    public let candidates: [Candidate]

    public init(incidents: [Incident], check: SubstantiveCheck) {
        self.candidates = incidents.filter(\.isOpen).map { Candidate(incident: $0, check: check) }
    }

    /// A match text's phrases: split at `;` and line breaks, trimmed, empty ones dropped.
    public static func phrases(of match: String) -> [String] {
        match.split(whereSeparator: { $0 == ";" || $0.isNewline })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Whether any open incident takes requests of `category`: when none does, a request's words need not be read.
    public func covers(_ category: String) -> Bool { self.candidates.contains { $0.incident.category == category } }

    /// The open incident a request (its `words`) in `category` from `context` matches best, if any: the one with the
    /// phrase the request holds the largest part of (then the most words, then the newest incident).
    public func incident(for words: IncidentWords, category: String, context: GameContext) -> Incident? {
        var best: (incident: Incident, share: Double, common: Int)?
        for candidate in self.candidates where candidate.incident.category == category {
            let incident = candidate.incident
            if !incident.build.isEmpty, incident.build.caseInsensitiveCompare(context.clientBuild) != .orderedSame {
                continue
            }
            if !incident.zone.isEmpty, incident.zone.caseInsensitiveCompare(context.zone) != .orderedSame { continue }
            for phrase in candidate.phrases {
                let wanted = phrase.count
                let common = phrase.found(in: words)
                guard common * 2 >= wanted, common >= min(2, wanted) else { continue }
                let share = Double(common) / Double(wanted)
                if let current = best,
                    (current.share, current.common, current.incident.id) >= (share, common, incident.id)
                {
                    continue
                }
                best = (incident, share, common)
            }
        }
        return best?.incident
    }
}

/// How incident actions read in the staff action log.
public enum IncidentText {
    public static func logDetail(_ incident: Incident) -> String {
        var parts = ["\(incident.category): \(incident.title)", "match: \(incident.match)"]
        if !incident.build.isEmpty { parts.append("build \(incident.build)") }
        if !incident.zone.isEmpty { parts.append("zone \(incident.zone)") }
        return parts.joined(separator: "; ")
    }

    public static func linkDetail(linked: Int, skipped: Int, examples: Int) -> String {
        "\(linked) tickets linked, \(skipped) left alone; \(examples) examples added"
    }

    public static func answerDetail(answered: Int, skipped: Int, close: Resolution?, text: String) -> String {
        let verb = close.map { "closed as \($0.rawValue)" } ?? "answered"
        return "\(answered) tickets \(verb), \(skipped) left alone; text: \(text)"
    }
}

/// A group of tickets waiting in the queue that say the same thing from the same client build: a surge staff may
/// turn into an incident (`gmq clusters`, `gmq incident open --from-cluster N`).
public struct TicketCluster: Sendable, Equatable {
    public var category: String
    public var build: String
    /// The zone at least half of its tickets name; "" when none does.
    public var zone: String
    /// Its tickets, oldest first.
    public var tickets: [Int64]
    public var firstAt: Int64
    public var lastAt: Int64
    /// The words at least half of its tickets use, the most used first: a match phrase for an incident.
    public var words: [String]
    /// Up to three texts: the first, then the latest that differ from those before.
    public var samples: [String]

    public init(
        category: String, build: String, zone: String, tickets: [Int64], firstAt: Int64, lastAt: Int64,
        words: [String], samples: [String]
    ) {
        self.category = category
        self.build = build
        self.zone = zone
        self.tickets = tickets
        self.firstAt = firstAt
        self.lastAt = lastAt
        self.words = words
        self.samples = samples
    }
}

/// Groups tickets by what they say (their `IncidentWords`), category and client build, biggest group first. A
/// ticket joins the group whose first or latest ticket it resembles most, when they share at least half of their
/// words in all (`2 × common / (a + b) ≥ 0.5`); only groups sharing a word stem with it are compared. Pure.
public enum TicketClustering {
    public static let similarity = 0.5
    /// Groups compared per ticket at most: those sharing the most word stems with it.
    static let candidates = 16
    static let sampleCount = 3
    static let wordCount = 8

    private struct Group {
        var key: String
        var leader: IncidentWords
        var latest: IncidentWords
        var members: [(ticket: Ticket, words: IncidentWords)] = []
    }

    /// The groups of at least `minimumSize` tickets among `tickets`, biggest first (then the latest).
    public static func clusters(of tickets: [Ticket], check: SubstantiveCheck, minimumSize: Int = 2) -> [TicketCluster] {
        var groups: [Group] = []
        var index: [String: [Int]] = [:]
        for ticket in tickets.sorted(by: { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }) {
            let words = IncidentWords(ticket.text, check: check)
            guard words.count > 0 else { continue }
            let key = ticket.category + "\u{0}" + ticket.clientBuild.lowercased()
            var shared: [Int: Int] = [:]
            for stem in Self.stems(words) {
                for group in index[key + "\u{0}" + stem, default: []] { shared[group, default: 0] += 1 }
            }
            let compared = shared.sorted { ($0.value, $0.key) > ($1.value, $1.key) }.prefix(Self.candidates)
            var best: (group: Int, similarity: Double)?
            for (group, _) in compared {
                let similarity = max(Self.similarity(words, groups[group].leader), Self.similarity(words, groups[group].latest))
                if similarity >= Self.similarity, similarity > best?.similarity ?? 0 { best = (group, similarity) }
            }
            if let best {
                groups[best.group].members.append((ticket, words))
                groups[best.group].latest = words
            } else {
                groups.append(Group(key: key, leader: words, latest: words, members: [(ticket, words)]))
                for stem in Self.stems(words) { index[key + "\u{0}" + stem, default: []].append(groups.count - 1) }
            }
        }
        return groups.filter { $0.members.count >= max(1, minimumSize) }.map(Self.cluster)
            .sorted { ($0.tickets.count, $0.lastAt) > ($1.tickets.count, $1.lastAt) }
    }

    /// `2 × common / (a + b)`, common counted both ways (stems match loosely).
    static func similarity(_ a: IncidentWords, _ b: IncidentWords) -> Double {
        guard a.count + b.count > 0 else { return 0 }
        return Double(a.found(in: b) + b.found(in: a)) / Double(a.count + b.count)
    }

    /// Where a ticket's words are filed in the index: numbers whole, letter words by their first three letters
    /// (words sharing a stem share them).
    private static func stems(_ words: IncidentWords) -> Set<String> {
        Set(words.words.map { word in
            String(decoding: word.isNumber ? word.letters : Array(word.letters.prefix(3)), as: UTF8.self)
        })
    }

    private static func cluster(_ group: Group) -> TicketCluster {
        let members = group.members
        let size = members.count
        var counts: [IncidentWords.Word: (count: Int, first: Int)] = [:]
        for (position, member) in members.enumerated() {
            for word in member.words.words { counts[word, default: (0, position)].count += 1 }
        }
        let words = counts.filter { $0.value.count * 2 >= size }
            .sorted { ($0.value.count, -$0.value.first) > ($1.value.count, -$1.value.first) }
            .prefix(Self.wordCount).map(\.key.surface)
        var zones: [String: Int] = [:]
        for member in members where !member.ticket.zone.isEmpty { zones[member.ticket.zone, default: 0] += 1 }
        let zone = zones.max { ($0.value, $1.key) < ($1.value, $0.key) }.flatMap { $0.value * 2 >= size ? $0.key : nil }
        var samples: [String] = []
        var seen = Set<String>()
        for member in [members[0]] + members.dropFirst().reversed() {
            guard samples.count < Self.sampleCount else { break }
            if seen.insert(member.ticket.text.lowercased()).inserted { samples.append(member.ticket.text) }
        }
        return TicketCluster(
            category: members[0].ticket.category, build: members[0].ticket.clientBuild, zone: zone ?? "",
            tickets: members.map(\.ticket.id), firstAt: members[0].ticket.createdAt,
            lastAt: members[size - 1].ticket.createdAt, words: words, samples: samples)
    }
}

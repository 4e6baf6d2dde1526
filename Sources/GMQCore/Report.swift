/// The moderators' report (issue "GM console" §8): per category and per GM, how many tickets opened and closed,
/// how fast the first response and the close came, how many were overdue or reopened, and how players rated it.
/// Pure: the store supplies one `Report.Ticket` per ticket of the period.
public enum Report {
    /// What the report needs of one ticket. Times in milliseconds since the Unix epoch.
    public struct Ticket: Sendable, Equatable {
        public var category: String
        /// The GM who closed it, or who holds it; nil while nobody has.
        public var gm: String?
        public var createdAt: Int64
        public var firstResponseAt: Int64?
        public var closedAt: Int64?
        public var overdue: Bool
        public var reopenCount: Int
        public var rating: Int?
        /// Milliseconds each GM held it and worked it (`Report.handleTime`).
        public var handled: [String: Int64]
        /// The server flagged it as the re-filing of a ticket closed within the week before (`Refiling`).
        public var refiled: Bool
        /// A GM asked the player for details at some point.
        public var asked: Bool

        public init(
            category: String, gm: String?, createdAt: Int64, firstResponseAt: Int64?, closedAt: Int64?,
            overdue: Bool, reopenCount: Int, rating: Int?, handled: [String: Int64] = [:], refiled: Bool = false,
            asked: Bool = false
        ) {
            self.category = category
            self.gm = gm
            self.createdAt = createdAt
            self.firstResponseAt = firstResponseAt
            self.closedAt = closedAt
            self.overdue = overdue
            self.reopenCount = reopenCount
            self.rating = rating
            self.handled = handled
            self.refiled = refiled
            self.asked = asked
        }

        /// Closed at the first contact: closed, never reopened, and the player never asked for more.
        public var resolvedAtFirstContact: Bool { self.closedAt != nil && self.reopenCount == 0 && !self.asked }
    }

    public enum Group: String, Sendable, Equatable, CaseIterable {
        case total
        case category
        case gm
    }

    /// One line of the report. Durations in seconds; nil where no ticket had one.
    public struct Row: Sendable, Equatable {
        public var group: Group
        public var name: String
        public var opened: Int
        public var closed: Int
        public var firstResponseMedian: Int?
        public var firstResponseP90: Int?
        public var closeMedian: Int?
        public var closeP90: Int?
        /// Of all tickets in the row, per thousand (so that 12.5% travels as an integer).
        public var overduePerMille: Int
        public var reopened: Int
        /// Hundredths of a star; nil with no ratings.
        public var ratingAverageHundredths: Int?
        public var ratings: Int
        /// Seconds GMs held and worked the row's tickets; for a GM's row, their own time on any ticket.
        public var handleSeconds: Int = 0
        /// Tickets the server flagged as re-filed (`Refiling`).
        public var refiled: Int = 0
        /// Closed tickets resolved at the first contact (`Ticket.resolvedAtFirstContact`).
        public var firstContact: Int = 0

        public init(
            group: Group, name: String, opened: Int, closed: Int, firstResponseMedian: Int?, firstResponseP90: Int?,
            closeMedian: Int?, closeP90: Int?, overduePerMille: Int, reopened: Int, ratingAverageHundredths: Int?,
            ratings: Int
        ) {
            self.group = group
            self.name = name
            self.opened = opened
            self.closed = closed
            self.firstResponseMedian = firstResponseMedian
            self.firstResponseP90 = firstResponseP90
            self.closeMedian = closeMedian
            self.closeP90 = closeP90
            self.overduePerMille = overduePerMille
            self.reopened = reopened
            self.ratingAverageHundredths = ratingAverageHundredths
            self.ratings = ratings
        }
    }

    /// The total row, then one row per category and one per GM, each sorted by name.
    public static func build(_ tickets: [Ticket]) -> [Row] {
        var rows = [self.row(.total, "all", tickets)]
        for (category, group) in Dictionary(grouping: tickets, by: \.category).sorted(by: { $0.key < $1.key }) {
            rows.append(self.row(.category, category, group))
        }
        // A GM's row: the tickets they closed or hold, and their working time on any ticket (a GM who handed every
        // ticket on still has a row, for the time they put in).
        let byGM = Dictionary(grouping: tickets.filter { $0.gm != nil }, by: { $0.gm! })
        let workers = Set(byGM.keys).union(tickets.flatMap(\.handled.keys))
        for gm in workers.sorted() {
            var row = self.row(.gm, gm, byGM[gm] ?? [])
            row.handleSeconds = Int(tickets.reduce(0) { $0 + ($1.handled[gm] ?? 0) } / 1000)
            rows.append(row)
        }
        return rows
    }

    static func row(_ group: Group, _ name: String, _ tickets: [Ticket]) -> Row {
        var row = self.baseRow(group, name, tickets)
        row.handleSeconds = Int(tickets.reduce(0) { $0 + $1.handled.values.reduce(0, +) } / 1000)
        row.refiled = tickets.filter(\.refiled).count
        row.firstContact = tickets.filter(\.resolvedAtFirstContact).count
        return row
    }

    static func baseRow(_ group: Group, _ name: String, _ tickets: [Ticket]) -> Row {
        let firstResponses = tickets.compactMap { t in t.firstResponseAt.map { Int(($0 - t.createdAt) / 1000) } }.sorted()
        let closes = tickets.compactMap { t in t.closedAt.map { Int(($0 - t.createdAt) / 1000) } }.sorted()
        let ratings = tickets.compactMap(\.rating)
        let overdue = tickets.filter(\.overdue).count
        return Row(
            group: group, name: name, opened: tickets.count, closed: closes.count,
            firstResponseMedian: self.percentile(50, of: firstResponses),
            firstResponseP90: self.percentile(90, of: firstResponses),
            closeMedian: self.percentile(50, of: closes), closeP90: self.percentile(90, of: closes),
            overduePerMille: tickets.isEmpty ? 0 : overdue * 1000 / tickets.count,
            reopened: tickets.filter { $0.reopenCount > 0 }.count,
            ratingAverageHundredths: ratings.isEmpty ? nil : ratings.reduce(0, +) * 100 / ratings.count,
            ratings: ratings.count)
    }

    /// How long each GM held a ticket and worked it, from its events in order (milliseconds per GM name): from a
    /// claim, a hand-off to them, a wake, or the player's reply or the GM's answer that takes it out of waiting,
    /// until they ask the player (it then waits), snooze it, hand it on, put it back, or close it. Time waiting on
    /// the player or snoozed is nobody's work.
    public static func handleTime(_ events: [TicketEvent]) -> [String: Int64] {
        var handled: [String: Int64] = [:]
        var holder: String?
        var since: Int64?
        func stop(_ at: Int64) {
            if let holder, let since { handled[holder, default: 0] += max(0, at - since) }
            since = nil
        }
        for event in events {
            switch event.kind {
            case .claimed:
                stop(event.at)
                (holder, since) = (event.actorName, event.at)
            case .assigned:
                let working = since != nil
                stop(event.at)
                holder = TicketEffects.handedTo(in: event.text)
                if working { since = event.at }
            case .woke:
                since = holder == nil ? nil : event.at
            case .replied, .answered:
                // Out of waiting (or back from a snooze) into the holder's hands.
                if holder != nil, since == nil { since = event.at }
            case .asked, .snoozed:
                stop(event.at)
            case .unclaimed, .leaseExpired, .transferred, .escalated, .closed, .reopened:
                stop(event.at)
                holder = nil
            case .submitted, .noted, .rated, .attached:
                break
            }
        }
        return handled
    }

    /// Chart data for the moderators' page (`gmq report --html`): tickets opened per day and category, how
    /// long the first responses took, and how players rated.
    public struct Distribution: Sendable, Equatable {
        /// (day as ms at UTC midnight, category, tickets opened), by day then category.
        public var opened: [(day: Int64, category: String, count: Int)]
        /// First responses per bucket: at most `upTo` seconds (the last bucket: any longer), counted once each.
        public var firstResponses: [(upTo: Int, count: Int)]
        /// Ratings of 1 to 5 stars: index 0 is one star.
        public var ratings: [Int]

        public static func == (a: Self, b: Self) -> Bool {
            a.opened.elementsEqual(b.opened, by: ==) && a.firstResponses.elementsEqual(b.firstResponses, by: ==)
                && a.ratings == b.ratings
        }
    }

    /// The buckets of the first-response distribution, in seconds: 5 min, 15 min, 1 h, 4 h, 1 day, longer.
    public static let firstResponseBuckets = [300, 900, 3_600, 14_400, 86_400, Int.max]

    public static func distribution(_ tickets: [Ticket]) -> Distribution {
        var opened: [Int64: [String: Int]] = [:]
        for ticket in tickets {
            let day = ticket.createdAt - ((ticket.createdAt % 86_400_000) + 86_400_000) % 86_400_000
            opened[day, default: [:]][ticket.category, default: 0] += 1
        }
        var buckets = Array(repeating: 0, count: self.firstResponseBuckets.count)
        for ticket in tickets {
            guard let first = ticket.firstResponseAt else { continue }
            let seconds = Int((first - ticket.createdAt) / 1000)
            buckets[self.firstResponseBuckets.firstIndex { seconds <= $0 } ?? buckets.count - 1] += 1
        }
        var ratings = Array(repeating: 0, count: 5)
        for rating in tickets.compactMap(\.rating) where (1...5).contains(rating) { ratings[rating - 1] += 1 }
        return Distribution(
            opened: opened.sorted { $0.key < $1.key }.flatMap { day, counts in
                counts.sorted { $0.key < $1.key }.map { (day, $0.key, $0.value) }
            },
            firstResponses: zip(self.firstResponseBuckets, buckets).map { ($0, $1) },
            ratings: ratings)
    }

    /// Nearest-rank percentile of sorted values: the smallest value with at least `p`% of values at or below it.
    static func percentile(_ p: Int, of sorted: [Int]) -> Int? {
        guard !sorted.isEmpty else { return nil }
        let rank = (p * sorted.count + 99) / 100
        return sorted[max(0, rank - 1)]
    }
}

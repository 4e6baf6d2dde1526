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

        public init(
            category: String, gm: String?, createdAt: Int64, firstResponseAt: Int64?, closedAt: Int64?,
            overdue: Bool, reopenCount: Int, rating: Int?
        ) {
            self.category = category
            self.gm = gm
            self.createdAt = createdAt
            self.firstResponseAt = firstResponseAt
            self.closedAt = closedAt
            self.overdue = overdue
            self.reopenCount = reopenCount
            self.rating = rating
        }
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
        let handled = tickets.filter { $0.gm != nil }
        for (gm, group) in Dictionary(grouping: handled, by: { $0.gm! }).sorted(by: { $0.key < $1.key }) {
            rows.append(self.row(.gm, gm, group))
        }
        return rows
    }

    static func row(_ group: Group, _ name: String, _ tickets: [Ticket]) -> Row {
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

    /// Nearest-rank percentile of sorted values: the smallest value with at least `p`% of values at or below it.
    static func percentile(_ p: Int, of sorted: [Int]) -> Int? {
        guard !sorted.isEmpty else { return nil }
        let rank = (p * sorted.count + 99) / 100
        return sorted[max(0, rank - 1)]
    }
}

import Foundation

/// When a team works, for service targets that count business time (as OTRS and osTicket do): opening hours per
/// weekday in a time zone, and holidays. Written as in the SLA file:
///
/// ```
/// "hours": "mon-fri 09:00-18:00; sat 10:00-14:00 Europe/Berlin", "holidays": ["2026-12-25", "2026-12-26"]
/// ```
/// Local times follow the zone's daylight-saving changes (a day of 09:00-18:00 is nine hours in March too). Without
/// hours the clock runs around the clock (24/7).
public struct BusinessHours: Sendable, Equatable {
    /// Open intervals per weekday (1 Sunday … 7 Saturday, as `Calendar`), in minutes after local midnight.
    public var week: [Int: [Range<Int>]]
    public var timeZone: TimeZone
    /// Local dates ("2026-12-25") on which nobody works.
    public var holidays: Set<String>

    public init(week: [Int: [Range<Int>]], timeZone: TimeZone, holidays: Set<String> = []) {
        self.week = week
        self.timeZone = timeZone
        self.holidays = holidays
    }

    /// Why hours cannot be read; says what is expected.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public let text: String
        public let problem: String

        public init(text: String, problem: String) {
            self.text = text
            self.problem = problem
        }
        public var description: String {
            "'\(self.text)' is not a working week: \(self.problem); write e.g. \"mon-fri 09:00-18:00 Europe/Berlin\" "
                + "(groups separated by ';', a time zone last, holidays as \"YYYY-MM-DD\")"
        }
    }

    static let dayNames = ["sun": 1, "mon": 2, "tue": 3, "wed": 4, "thu": 5, "fri": 6, "sat": 7]

    /// Reads "DAYS HH:MM-HH:MM [HH:MM-HH:MM …][; …] [ZONE]" and holidays "YYYY-MM-DD".
    public static func parse(_ text: String, holidays: [String] = []) throws(ParseError) -> BusinessHours {
        func fail(_ problem: String) -> ParseError { ParseError(text: text, problem: problem) }
        var words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        var zone = TimeZone(identifier: "UTC")!
        if let last = words.last, last.contains("/") || last == "UTC" {
            guard let named = TimeZone(identifier: last) else { throw fail("'\(last)' is not a time zone") }
            zone = named
            words.removeLast()
        }
        var week: [Int: [Range<Int>]] = [:]
        for group in words.joined(separator: " ").split(separator: ";") {
            let parts = group.split(whereSeparator: \.isWhitespace).map(String.init)
            guard let dayText = parts.first, parts.count >= 2 else { throw fail("'\(group)' needs days and hours") }
            var days: [Int] = []
            for spec in dayText.lowercased().split(separator: ",") {
                let ends = spec.split(separator: "-").map(String.init)
                guard (1...2).contains(ends.count), let first = Self.dayNames[ends[0]],
                    let last = Self.dayNames[ends.count == 2 ? ends[1] : ends[0]]
                else { throw fail("'\(spec)' is not a day or a range of days (mon … sun)") }
                var day = first
                while true {
                    days.append(day)
                    if day == last { break }
                    day = day % 7 + 1
                }
            }
            for range in parts.dropFirst() {
                let ends = range.split(separator: "-").map { Self.minutes(String($0)) }
                guard ends.count == 2, let open = ends[0], let close = ends[1], open < close else {
                    throw fail("'\(range)' is not opening hours HH:MM-HH:MM (24:00 ends a day)")
                }
                for day in days { week[day, default: []].append(open..<close) }
            }
        }
        guard !week.isEmpty else { throw fail("no day has opening hours") }
        for day in week.keys { week[day]!.sort { $0.lowerBound < $1.lowerBound } }
        for holiday in holidays where Self.dayFormatter(zone).date(from: holiday) == nil {
            throw fail("holiday '\(holiday)' is not a date YYYY-MM-DD")
        }
        return BusinessHours(week: week, timeZone: zone, holidays: Set(holidays))
    }

    static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let hours = Int(parts[0]), let minutes = Int(parts[1]), (0...59).contains(minutes),
            (0...24).contains(hours), hours * 60 + minutes <= 1_440
        else { return nil }
        return hours * 60 + minutes
    }

    static func dayFormatter(_ zone: TimeZone) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter
    }

    private var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = self.timeZone
        return calendar
    }

    /// The open intervals (ms since the epoch) of the local day that `instant` falls in.
    private func openIntervals(ofDayAt instant: Int64, _ calendar: Calendar, _ formatter: DateFormatter)
        -> (intervals: [Range<Int64>], nextDay: Int64)
    {
        let date = Date(milliseconds: instant)
        let midnight = calendar.startOfDay(for: date)
        let next = calendar.date(byAdding: .day, value: 1, to: midnight)!
        let weekday = calendar.component(.weekday, from: midnight)
        guard !self.holidays.contains(formatter.string(from: midnight)), let ranges = self.week[weekday] else {
            return ([], next.milliseconds)
        }
        let intervals = ranges.map { range -> Range<Int64> in
            // Local clock times, so that a daylight-saving day keeps its hours.
            func at(_ minutes: Int) -> Int64 {
                if minutes >= 1_440 { return next.milliseconds }
                return calendar.date(bySettingHour: minutes / 60, minute: minutes % 60, second: 0, of: midnight)!.milliseconds
            }
            return at(range.lowerBound)..<max(at(range.lowerBound), at(range.upperBound))
        }
        return (intervals, next.milliseconds)
    }

    /// The instant at which `milliseconds` of working time after `start` have passed (at `start` for 0).
    public func adding(_ milliseconds: Int64, to start: Int64) -> Int64 {
        guard milliseconds > 0 else { return start }
        let calendar = self.calendar
        let formatter = Self.dayFormatter(self.timeZone)
        var remaining = milliseconds
        var cursor = start
        // Ten years of days at most: hours were checked to hold at least one interval.
        for _ in 0..<3_700 {
            let (intervals, next) = self.openIntervals(ofDayAt: cursor, calendar, formatter)
            for interval in intervals where interval.upperBound > cursor {
                let from = max(interval.lowerBound, cursor)
                let available = interval.upperBound - from
                if remaining <= available { return from + remaining }
                remaining -= available
            }
            cursor = next
        }
        return cursor + remaining
    }

    /// Working time between two instants.
    public func milliseconds(from start: Int64, to end: Int64) -> Int64 {
        guard end > start else { return 0 }
        let calendar = self.calendar
        let formatter = Self.dayFormatter(self.timeZone)
        var total: Int64 = 0
        var cursor = start
        while cursor < end {
            let (intervals, next) = self.openIntervals(ofDayAt: cursor, calendar, formatter)
            for interval in intervals {
                let from = max(interval.lowerBound, cursor)
                let to = min(interval.upperBound, end)
                if to > from { total += to - from }
            }
            cursor = next
        }
        return total
    }
}

/// The clock a target counts on: around the clock, or a team's working hours.
public enum WorkingTime: Sendable, Equatable {
    case always
    case hours(BusinessHours)

    public func adding(_ milliseconds: Int64, to start: Int64) -> Int64 {
        switch self {
        case .always: start + milliseconds
        case .hours(let hours): hours.adding(milliseconds, to: start)
        }
    }

    public func milliseconds(from start: Int64, to end: Int64) -> Int64 {
        switch self {
        case .always: max(0, end - start)
        case .hours(let hours): hours.milliseconds(from: start, to: end)
        }
    }
}

import Foundation

/// Per-category service targets: how soon a first response and a resolution are due, and the priority a
/// category's tickets start with. `gmqd --sla FILE` loads them from JSON; `standard` applies otherwise.
///
/// ```json
/// {"fallback": {"first_response_minutes": 240, "resolution_minutes": 4320, "priority": 0},
///  "categories": {"stuck_character": {"first_response_minutes": 15, "resolution_minutes": 120, "priority": 1},
///                 "payment": {"first_response_minutes": 120, "resolution_minutes": 960,
///                             "hours": "mon-fri 09:00-18:00 Europe/Berlin", "holidays": ["2026-12-25"]}},
///  "hours": "mon-sat 08:00-22:00 Europe/Berlin", "holidays": ["2026-12-25", "2026-12-26"]}
/// ```
/// Targets count minutes of `hours` (a target's own, else the file's; none: around the clock), holidays excluded
/// (`BusinessHours`).
public struct ServiceLevels: Sendable, Equatable, Codable {
    public struct Target: Sendable, Equatable, Codable {
        public var firstResponseMinutes: Int
        public var resolutionMinutes: Int
        /// 0 normal; higher is worked first. Escalation raises a ticket above its category's priority (to at least 2).
        public var priority: Int
        /// The clock the minutes are counted on.
        public var working: WorkingTime
        /// Reminding and closing tickets that wait on a silent player; nil: never.
        public var stale: StalePolicy?
        /// The hours as written, when the target names its own.
        var hoursText: String?
        var holidays: [String]?

        public init(firstResponseMinutes: Int, resolutionMinutes: Int, priority: Int = 0, working: WorkingTime = .always) {
            self.firstResponseMinutes = firstResponseMinutes
            self.resolutionMinutes = resolutionMinutes
            self.priority = priority
            self.working = working
        }

        enum CodingKeys: String, CodingKey {
            case priority, hours, holidays, stale
            case firstResponseMinutes = "first_response_minutes", resolutionMinutes = "resolution_minutes"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.firstResponseMinutes = try container.decode(Int.self, forKey: .firstResponseMinutes)
            self.resolutionMinutes = try container.decode(Int.self, forKey: .resolutionMinutes)
            self.priority = try container.decodeIfPresent(Int.self, forKey: .priority) ?? 0
            self.hoursText = try container.decodeIfPresent(String.self, forKey: .hours)
            self.holidays = try container.decodeIfPresent([String].self, forKey: .holidays)
            self.stale = try container.decodeIfPresent(StalePolicy.self, forKey: .stale)
            self.working = .always
            if let hours = self.hoursText {
                self.working = .hours(try BusinessHours.parse(hours, holidays: self.holidays ?? []))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(self.firstResponseMinutes, forKey: .firstResponseMinutes)
            try container.encode(self.resolutionMinutes, forKey: .resolutionMinutes)
            try container.encode(self.priority, forKey: .priority)
            try container.encodeIfPresent(self.hoursText, forKey: .hours)
            try container.encodeIfPresent(self.holidays, forKey: .holidays)
            try container.encodeIfPresent(self.stale, forKey: .stale)
        }
    }

    public var fallback: Target
    public var categories: [String: Target]

    public init(fallback: Target, categories: [String: Target]) {
        self.fallback = fallback
        self.categories = categories
    }

    enum CodingKeys: String, CodingKey { case fallback, categories, hours, holidays }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.fallback = try container.decode(Target.self, forKey: .fallback)
        self.categories = try container.decodeIfPresent([String: Target].self, forKey: .categories) ?? [:]
        // The file's hours count for every target that names none of its own.
        if let hours = try container.decodeIfPresent(String.self, forKey: .hours) {
            let holidays = try container.decodeIfPresent([String].self, forKey: .holidays) ?? []
            let working = WorkingTime.hours(try BusinessHours.parse(hours, holidays: holidays))
            if self.fallback.hoursText == nil { self.fallback.working = working }
            for (id, target) in self.categories where target.hoursText == nil { self.categories[id]?.working = working }
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.fallback, forKey: .fallback)
        try container.encode(self.categories, forKey: .categories)
    }

    public func target(for category: String) -> Target { self.categories[category] ?? self.fallback }

    /// Targets in the spirit of live-game support desks: a stuck character is answered within a quarter hour,
    /// harassment and payment come before bugs, which may take days to resolve.
    public static let standard = ServiceLevels(
        fallback: Target(firstResponseMinutes: 240, resolutionMinutes: 4_320),
        categories: [
            "stuck_character": Target(firstResponseMinutes: 15, resolutionMinutes: 120, priority: 1),
            "player_report": Target(firstResponseMinutes: 60, resolutionMinutes: 1_440, priority: 1),
            "payment": Target(firstResponseMinutes: 60, resolutionMinutes: 1_440, priority: 1),
            "account": Target(firstResponseMinutes: 120, resolutionMinutes: 2_880),
        ])

    /// Reads targets from a JSON file; says which file and what is wrong when it cannot.
    public static func load(path: String) throws -> ServiceLevels {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ServiceLevelsError("cannot read the SLA file \(path): \(error.localizedDescription)")
        }
        let levels: ServiceLevels
        do {
            levels = try JSONDecoder().decode(ServiceLevels.self, from: data)
        } catch {
            throw ServiceLevelsError(
                "the SLA file \(path) is not valid: \(error); expected {\"fallback\": {\"first_response_minutes\": N, "
                    + "\"resolution_minutes\": N, \"priority\": N}, \"categories\": {\"ID\": {…}}}")
        }
        for (name, target) in [("fallback", levels.fallback)] + levels.categories.sorted(by: { $0.key < $1.key })
        where target.stale.map({ $0.remindAfterHours <= 0 || $0.closeAfterHours <= $0.remindAfterHours }) ?? false {
            throw ServiceLevelsError(
                "the SLA file \(path): '\(name)' needs stale.remind_after_hours > 0 and close_after_hours above it")
        }
        for (name, target) in [("fallback", levels.fallback)] + levels.categories.sorted(by: { $0.key < $1.key })
        where target.firstResponseMinutes <= 0 || target.resolutionMinutes < target.firstResponseMinutes {
            throw ServiceLevelsError(
                "the SLA file \(path): '\(name)' needs first_response_minutes > 0 and resolution_minutes ≥ it")
        }
        return levels
    }
}

public struct ServiceLevelsError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// When a ticket's service clock ran and stood still, in milliseconds since the Unix epoch. Time waiting on the
/// player, and time closed before a reopen, does not count against the targets.
public struct ServiceTimes: Sendable, Equatable {
    public var createdAt: Int64
    public var firstResponseAt: Int64?
    /// Milliseconds the clock stood still so far (waiting on the player, closed before a reopen).
    public var pausedMilliseconds: Int64
    /// Set while the clock stands still: since when.
    public var pausedSince: Int64?

    public init(createdAt: Int64, firstResponseAt: Int64? = nil, pausedMilliseconds: Int64 = 0, pausedSince: Int64? = nil) {
        self.createdAt = createdAt
        self.firstResponseAt = firstResponseAt
        self.pausedMilliseconds = pausedMilliseconds
        self.pausedSince = pausedSince
    }

    /// The staff steps that answer the player: the first of them is the ticket's first response.
    public static let responses: Set<EventKind> = [.asked, .answered, .closed]

    /// The times after `transition` at `now`: a staff step that reaches the player is a response; the clock stops
    /// while the ticket waits on the player, is snoozed or is closed, and runs again when it leaves those states. A pause
    /// counts the working time it took (`working`), which is what the targets count.
    public func after(_ transition: TicketLifecycle.Transition, at now: Int64, working: WorkingTime = .always) -> ServiceTimes {
        var times = self
        if times.firstResponseAt == nil, Self.responses.contains(transition.event) {
            times.firstResponseAt = now
        }
        let stands: (TicketState) -> Bool = { $0 == .waitingPlayer || $0 == .snoozed || $0 == .closed }
        if stands(transition.to), !stands(transition.from) {
            times.pausedSince = now
        } else if !stands(transition.to), let since = times.pausedSince {
            times.pausedMilliseconds += working.milliseconds(from: since, to: now)
            times.pausedSince = nil
        }
        return times
    }
}

/// A ticket's deadlines under a target, and whether it is overdue.
public struct ServiceClock: Sendable, Equatable {
    public var target: ServiceLevels.Target

    public init(target: ServiceLevels.Target) { self.target = target }

    /// The first response's deadline, pushed back by the pauses before it (only a snooze can pause a ticket
    /// nobody has answered yet), and as of `now` by one still going on.
    public func firstResponseDue(_ times: ServiceTimes, now: Int64? = nil) -> Int64 {
        var ongoing: Int64 = 0
        if let since = times.pausedSince, let now { ongoing = self.target.working.milliseconds(from: since, to: now) }
        return self.target.working.adding(
            Int64(self.target.firstResponseMinutes) * 60_000 + times.pausedMilliseconds + ongoing, to: times.createdAt)
    }

    /// The resolution deadline as of `now`: pushed back by every pause, the current one included (in working time).
    public func resolutionDue(_ times: ServiceTimes, now: Int64) -> Int64 {
        let working = self.target.working
        let ongoing = times.pausedSince.map { working.milliseconds(from: $0, to: now) } ?? 0
        return working.adding(
            Int64(self.target.resolutionMinutes) * 60_000 + times.pausedMilliseconds + ongoing, to: times.createdAt)
    }

    /// The deadline the queue orders by: the first response until there is one, then the resolution (not counting
    /// a pause still going on, which only matters to a ticket that is not in the GMs' hands).
    public func nextDue(_ times: ServiceTimes) -> Int64 {
        times.firstResponseAt == nil
            ? self.firstResponseDue(times)
            : self.target.working.adding(
                Int64(self.target.resolutionMinutes) * 60_000 + times.pausedMilliseconds, to: times.createdAt)
    }

    /// Whether a deadline passed: the first response came (or has not come) too late, or the resolution is late.
    /// For a closed ticket `now` should be its close time.
    public func isOverdue(_ times: ServiceTimes, now: Int64) -> Bool {
        let firstResponse = times.firstResponseAt ?? now
        let due = self.firstResponseDue(times, now: times.firstResponseAt == nil ? now : nil)
        return firstResponse > due || now > self.resolutionDue(times, now: now)
    }
}

import Foundation
import GMQCore
import Testing

@Suite struct ServiceLevelTests {
    static let target = ServiceLevels.Target(firstResponseMinutes: 15, resolutionMinutes: 120, priority: 1)
    static let clock = ServiceClock(target: target)
    static let minute: Int64 = 60_000
    static let opened: Int64 = 1_800_000_000_000

    static func transition(_ event: EventKind, _ from: TicketState, _ to: TicketState) -> TicketLifecycle.Transition {
        TicketLifecycle.Transition(event: event, from: from, to: to)
    }

    @Test func deadlinesCountFromOpeningAndTheFirstResponseStopsTheFirstClock() {
        var times = ServiceTimes(createdAt: Self.opened)
        #expect(Self.clock.nextDue(times) == Self.opened + 15 * Self.minute)
        #expect(!Self.clock.isOverdue(times, now: Self.opened + 15 * Self.minute))
        #expect(Self.clock.isOverdue(times, now: Self.opened + 15 * Self.minute + 1))
        times = times.after(Self.transition(.answered, .claimed, .claimed), at: Self.opened + 10 * Self.minute)
        #expect(times.firstResponseAt == Self.opened + 10 * Self.minute)
        #expect(Self.clock.nextDue(times) == Self.opened + 120 * Self.minute, "then the resolution is next")
        #expect(!Self.clock.isOverdue(times, now: Self.opened + 100 * Self.minute))
        #expect(Self.clock.isOverdue(times, now: Self.opened + 121 * Self.minute))
    }

    @Test func aLateFirstResponseStaysOverdue() {
        let times = ServiceTimes(createdAt: Self.opened)
            .after(Self.transition(.asked, .claimed, .waitingPlayer), at: Self.opened + 20 * Self.minute)
        #expect(Self.clock.isOverdue(times, now: Self.opened + 21 * Self.minute))
    }

    @Test func timeWaitingOnThePlayerDoesNotCount() {
        var times = ServiceTimes(createdAt: Self.opened)
            .after(Self.transition(.asked, .claimed, .waitingPlayer), at: Self.opened + 5 * Self.minute)
        #expect(times.pausedSince == Self.opened + 5 * Self.minute)
        // Three hours on the player: the resolution deadline moves with the pause, so nothing is overdue.
        let later = Self.opened + 185 * Self.minute
        #expect(Self.clock.resolutionDue(times, now: later) == Self.opened + 300 * Self.minute)
        #expect(!Self.clock.isOverdue(times, now: later))
        times = times.after(Self.transition(.replied, .waitingPlayer, .claimed), at: later)
        #expect(times.pausedSince == nil && times.pausedMilliseconds == 180 * Self.minute)
        #expect(Self.clock.nextDue(times) == Self.opened + 300 * Self.minute)
        #expect(Self.clock.isOverdue(times, now: Self.opened + 301 * Self.minute))
    }

    @Test func timeClosedBeforeAReopenDoesNotCount() {
        var times = ServiceTimes(createdAt: Self.opened)
            .after(Self.transition(.closed, .claimed, .closed), at: Self.opened + 10 * Self.minute)
        times = times.after(Self.transition(.reopened, .closed, .open), at: Self.opened + 1010 * Self.minute)
        #expect(times.pausedMilliseconds == 1000 * Self.minute)
        #expect(!Self.clock.isOverdue(times, now: Self.opened + 1110 * Self.minute))
        #expect(Self.clock.isOverdue(times, now: Self.opened + 1121 * Self.minute))
    }

    @Test func stepsThatDoNotReachThePlayerAreNoResponse() {
        for event in [EventKind.claimed, .noted, .transferred, .escalated] {
            let times = ServiceTimes(createdAt: Self.opened).after(Self.transition(event, .open, .claimed), at: Self.opened + 1)
            #expect(times.firstResponseAt == nil, "\(event)")
        }
    }

    @Test func levelsComeFromJSONAndBadFilesSayWhatIsWrong() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sla-\(UUID().uuidString).json")
        try Data("""
            {"fallback": {"first_response_minutes": 60, "resolution_minutes": 600, "priority": 0},
             "categories": {"payment": {"first_response_minutes": 5, "resolution_minutes": 30, "priority": 2}}}
            """.utf8).write(to: url)
        let levels = try ServiceLevels.load(path: url.path)
        #expect(levels.target(for: "payment") == ServiceLevels.Target(firstResponseMinutes: 5, resolutionMinutes: 30, priority: 2))
        #expect(levels.target(for: "bug").firstResponseMinutes == 60)
        try Data(#"{"fallback": {"first_response_minutes": 0, "resolution_minutes": 10, "priority": 0}, "categories": {}}"#.utf8)
            .write(to: url)
        #expect { try ServiceLevels.load(path: url.path) } throws: { "\($0)".contains("first_response_minutes > 0") }
        try Data("{".utf8).write(to: url)
        #expect { try ServiceLevels.load(path: url.path) } throws: { "\($0)".contains("is not valid") }
    }
}

@Suite struct ClaimLeaseTests {
    static let lease = ClaimLease(duration: 600)
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func aClaimLastsTheLeaseAfterTheHoldersLastRequest() {
        let last = Self.start.addingTimeInterval(100)
        #expect(!Self.lease.hasExpired(lastActivity: last, serverStart: Self.start, now: last.addingTimeInterval(600)))
        #expect(Self.lease.hasExpired(lastActivity: last, serverStart: Self.start, now: last.addingTimeInterval(601)))
    }

    @Test func aHolderNotSeenSinceARestartGetsAFullLease() {
        #expect(!Self.lease.hasExpired(lastActivity: nil, serverStart: Self.start, now: Self.start.addingTimeInterval(599)))
        #expect(Self.lease.hasExpired(lastActivity: nil, serverStart: Self.start, now: Self.start.addingTimeInterval(601)))
        let beforeRestart = Self.start.addingTimeInterval(-3600)
        #expect(!Self.lease.hasExpired(lastActivity: beforeRestart, serverStart: Self.start, now: Self.start.addingTimeInterval(1)))
    }

    @Test func theReasonSaysWhetherTheHolderLeftOrIdled() {
        #expect(Self.lease.reason(holder: "Mirna", connected: false).contains("Mirna left more than 10 min ago"))
        #expect(Self.lease.reason(holder: "Mirna", connected: true).contains("Mirna was idle for more than 10 min"))
    }
}

@Suite struct ReportTests {
    static let t0: Int64 = 1_800_000_000_000

    static func ticket(_ category: String, _ gm: String?, response: Int64?, close: Int64?, overdue: Bool = false,
                       reopens: Int = 0, rating: Int? = nil) -> Report.Ticket {
        Report.Ticket(
            category: category, gm: gm, createdAt: t0, firstResponseAt: response.map { t0 + $0 * 1000 },
            closedAt: close.map { t0 + $0 * 1000 }, overdue: overdue, reopenCount: reopens, rating: rating)
    }

    @Test func rowsForTheTotalEachCategoryAndEachGM() {
        let rows = Report.build([
            Self.ticket("bug", "Mirna", response: 60, close: 600, rating: 5),
            Self.ticket("bug", "Tharok", response: 120, close: 1200, overdue: true, reopens: 1, rating: 2),
            Self.ticket("payment", "Mirna", response: 30, close: nil),
            Self.ticket("payment", nil, response: nil, close: nil, overdue: true),
        ])
        #expect(rows.map(\.name) == ["all", "bug", "payment", "Mirna", "Tharok"])
        let total = rows[0]
        #expect(total.opened == 4 && total.closed == 2 && total.reopened == 1)
        #expect(total.firstResponseMedian == 60 && total.firstResponseP90 == 120)
        #expect(total.closeMedian == 600 && total.closeP90 == 1200)
        #expect(total.overduePerMille == 500 && total.ratings == 2 && total.ratingAverageHundredths == 350)
        let mirna = rows[3]
        #expect(mirna.group == .gm && mirna.opened == 2 && mirna.firstResponseMedian == 30 && mirna.ratingAverageHundredths == 500)
        let payment = rows[2]
        #expect(payment.closeMedian == nil && payment.ratingAverageHundredths == nil && payment.overduePerMille == 500)
    }

    @Test(arguments: [(50, [1, 2, 3, 4], 2), (90, [1, 2, 3, 4], 4), (50, [7], 7), (90, Array(1...10), 9)])
    func percentilesAreNearestRank(p: Int, values: [Int], expected: Int) {
        let rows = Report.build(values.map { Self.ticket("bug", nil, response: Int64($0), close: nil) })
        #expect((p == 50 ? rows[0].firstResponseMedian : rows[0].firstResponseP90) == expected)
    }

    @Test func anEmptyPeriodHasAnEmptyTotal() {
        let rows = Report.build([])
        #expect(rows.count == 1 && rows[0].opened == 0 && rows[0].firstResponseMedian == nil)
    }
}

@Suite struct MacroTests {
    @Test func placeholdersAreFilledFromTheTicketAndTheGM() {
        let macro = Macro(name: "unstuck", text: "Hello {player}, {character} is free. — {gm}, ticket {ticket}")
        #expect(macro.expand(player: "Thrall", character: "Thrallin", gm: "Mirna", ticket: 7)
            == "Hello Thrall, Thrallin is free. — Mirna, ticket 7")
        #expect(macro.expand(player: "Thrall", character: "", gm: "Mirna", ticket: 7).contains("Thrall is free"))
    }

    @Test(arguments: [("@unstuck", "unstuck"), ("@a", "a"), ("@", nil), ("@un stuck", nil), ("unstuck", nil), ("mail @x", nil)])
    func aMacroIsCalledByTheWholeText(text: String, name: String?) {
        #expect(Macro.reference(in: text) == name)
    }

    @Test(arguments: [("unstuck", true), ("re-set_2", true), ("", false), ("Unstuck", false), ("a b", false),
                      (String(repeating: "a", count: 33), false)])
    func namesAreShortLowercaseWords(name: String, valid: Bool) {
        #expect(Macro.isValidName(name) == valid)
    }
}

@Suite struct RolePermissionTests {
    @Test func eachRoleMayDoWhatTheIssueSays() {
        #expect(Role.gm.may(.useMacros) && !Role.gm.may(.audit) && !Role.gm.may(.manageMacros))
        #expect(Role.moderator.may(.audit) && Role.moderator.may(.readTickets) && !Role.moderator.may(.useMacros))
        #expect(Role.admin.may(.manageMacros) && Role.admin.may(.audit) && Role.admin.may(.useMacros))
        #expect(StaffAction.allCases.allSatisfy { !Role.player.may($0) })
        #expect(!Role.moderator.worksTickets, "moderators read; they cannot change a ticket")
    }
}

import Foundation
import GMQCore
import Testing

/// Service targets in working hours (issue 13 §6): week-ends, holidays and a daylight-saving change, on an
/// injected clock (every instant here is written out).
@Suite struct BusinessHoursTests {
    static let berlin = TimeZone(identifier: "Europe/Berlin")!

    /// Milliseconds of a local time in Berlin.
    static func at(_ text: String) -> Int64 {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = Self.berlin
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.date(from: text)!.milliseconds
    }

    static let office = try! BusinessHours.parse(
        "mon-fri 09:00-18:00 Europe/Berlin", holidays: ["2026-12-24", "2026-12-25", "2026-12-26"])
    static let hour: Int64 = 3_600_000

    @Test func timeAddsUpInWorkingHoursOnly() {
        let hours = Self.office
        // Within a day, from before opening, and across the evening.
        #expect(hours.adding(Self.hour, to: Self.at("2026-12-02 10:00")) == Self.at("2026-12-02 11:00"))
        #expect(hours.adding(Self.hour, to: Self.at("2026-12-02 07:30")) == Self.at("2026-12-02 10:00"))
        #expect(hours.adding(2 * Self.hour, to: Self.at("2026-12-02 17:00")) == Self.at("2026-12-03 10:00"))
        // Friday evening to Monday: the week-end does not count.
        #expect(hours.adding(Self.hour, to: Self.at("2026-12-04 17:30")) == Self.at("2026-12-07 09:30"))
        #expect(hours.milliseconds(from: Self.at("2026-12-04 17:30"), to: Self.at("2026-12-07 09:30")) == Self.hour)
        // Christmas Eve to Boxing Day are holidays: Wednesday 23rd evening to Monday 28th.
        #expect(hours.adding(Self.hour, to: Self.at("2026-12-23 17:30")) == Self.at("2026-12-28 09:30"))
        #expect(hours.milliseconds(from: Self.at("2026-12-21 09:00"), to: Self.at("2026-12-28 09:00")) == 27 * Self.hour)
        #expect(hours.adding(0, to: Self.at("2026-12-05 12:00")) == Self.at("2026-12-05 12:00"))
    }

    @Test func daylightSavingChangesKeepLocalHours() {
        // Berlin goes to summer time on Sunday 29 March 2026 at 02:00 (the night has 23 hours).
        let always = try! BusinessHours.parse("mon-sun 00:00-24:00 Europe/Berlin")
        #expect(always.milliseconds(from: Self.at("2026-03-28 12:00"), to: Self.at("2026-03-29 12:00")) == 23 * Self.hour)
        let office = Self.office
        // Monday after the change still opens at 09:00 local: Friday 17:00 + 2 h of work → Monday 10:00.
        #expect(office.adding(2 * Self.hour, to: Self.at("2026-03-27 17:00")) == Self.at("2026-03-30 10:00"))
        #expect(office.milliseconds(from: Self.at("2026-03-30 00:00"), to: Self.at("2026-03-31 00:00")) == 9 * Self.hour)
        // And back in October (25 October 2026, a 25-hour night).
        #expect(office.adding(2 * Self.hour, to: Self.at("2026-10-23 17:00")) == Self.at("2026-10-26 10:00"))
    }

    @Test func hoursAreReadOrRefusedWithWhatToWrite() throws {
        let split = try BusinessHours.parse("mon-fri 09:00-12:00 13:00-18:00; sat 10:00-14:00 UTC")
        #expect(split.week[2] == [540..<720, 780..<1080] && split.week[7] == [600..<840] && split.week[1] == nil)
        #expect(split.timeZone.secondsFromGMT() == 0)
        #expect(try BusinessHours.parse("fri-mon 22:00-24:00").week.keys.sorted() == [1, 2, 6, 7], "ranges wrap")
        for bad in ["mon-fri", "mon-fri 18:00-09:00", "someday 09:00-18:00", "mon-fri 09:00-18:00 Mars/Olympus", ""] {
            #expect(throws: BusinessHours.ParseError.self) { try BusinessHours.parse(bad) }
        }
        #expect(throws: BusinessHours.ParseError.self) { try BusinessHours.parse("mon 09:00-10:00", holidays: ["25.12."]) }
        #expect(BusinessHours.ParseError(text: "x", problem: "y").description.contains("mon-fri 09:00-18:00 Europe/Berlin"))
    }

    @Test func targetsCountWorkingTimeAndPausesCountTheirWorkingTime() throws {
        let levels = try JSONDecoder().decode(ServiceLevels.self, from: Data("""
            {"fallback": {"first_response_minutes": 240, "resolution_minutes": 4320},
             "categories": {"payment": {"first_response_minutes": 60, "resolution_minutes": 480},
                            "stuck_character": {"first_response_minutes": 15, "resolution_minutes": 120,
                                                "hours": "mon-sun 00:00-24:00 UTC"}},
             "hours": "mon-fri 09:00-18:00 Europe/Berlin", "holidays": ["2026-12-25"]}
            """.utf8))
        let payment = ServiceClock(target: levels.target(for: "payment"))
        let filed = ServiceTimes(createdAt: Self.at("2026-12-04 17:30"))
        #expect(payment.firstResponseDue(filed) == Self.at("2026-12-07 09:30"), "a Friday-evening request is due Monday")
        #expect(payment.nextDue(filed) == Self.at("2026-12-07 09:30"))
        // Answered Monday 09:10; the resolution (8 working hours) runs from the filing: half an hour on Friday,
        // seven and a half on Monday.
        var answered = filed
        answered.firstResponseAt = Self.at("2026-12-07 09:10")
        #expect(payment.resolutionDue(answered, now: Self.at("2026-12-07 09:10")) == Self.at("2026-12-07 16:30"))
        #expect(!payment.isOverdue(answered, now: Self.at("2026-12-07 16:00")))
        #expect(payment.isOverdue(answered, now: Self.at("2026-12-07 16:31")))
        // Waiting on the player from Monday 10:00 to Tuesday 10:00 pauses 9 working hours, not 24.
        let wait = TicketLifecycle.Transition(event: .asked, from: .claimed, to: .waitingPlayer)
        let back = TicketLifecycle.Transition(event: .replied, from: .waitingPlayer, to: .claimed)
        let working = levels.target(for: "payment").working
        let paused = answered.after(wait, at: Self.at("2026-12-07 10:00"), working: working)
            .after(back, at: Self.at("2026-12-08 10:00"), working: working)
        #expect(paused.pausedMilliseconds == 9 * Self.hour, "Monday 10:00-18:00 and Tuesday 09:00-10:00")
        #expect(payment.resolutionDue(paused, now: Self.at("2026-12-08 10:00")) == Self.at("2026-12-08 16:30"))
        // A category with its own hours keeps them; 24/7 stays the default without any.
        #expect(ServiceClock(target: levels.target(for: "stuck_character")).firstResponseDue(filed)
            == Self.at("2026-12-04 17:45"))
        let plain = ServiceClock(target: ServiceLevels.standard.target(for: "payment"))
        #expect(plain.firstResponseDue(filed) == Self.at("2026-12-04 18:30"))
    }
}

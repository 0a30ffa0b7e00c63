import Foundation
import Scheduler
import Testing

struct QuietHoursTests {
    let night: QuietHours

    init() throws {
        night = try QuietHours(start: "21:00", end: "08:00")
    }

    @Test func oneInstantInThreeTimeZones() throws {
        // 22:00 in Shanghai, 10:00 in New York (EDT), 14:00 in London (GMT).
        let afternoonUTC = try instant("2026-03-10T14:00:00Z")
        #expect(night.check(now: afternoonUTC, timeZone: try zone("Asia/Shanghai")) == .deferUntil(try instant("2026-03-11T00:00:00Z")))
        #expect(night.check(now: afternoonUTC, timeZone: try zone("America/New_York")) == .allowed)
        #expect(night.check(now: afternoonUTC, timeZone: try zone("Europe/London")) == .allowed)

        // 23:30 in London, 07:30 next morning in Shanghai, 19:30 in New York.
        let lateUTC = try instant("2026-03-10T23:30:00Z")
        #expect(night.check(now: lateUTC, timeZone: try zone("Europe/London")) == .deferUntil(try instant("2026-03-11T08:00:00Z")))
        #expect(night.check(now: lateUTC, timeZone: try zone("Asia/Shanghai")) == .deferUntil(try instant("2026-03-11T00:00:00Z")))
        #expect(night.check(now: lateUTC, timeZone: try zone("America/New_York")) == .allowed)
    }

    @Test func acrossMidnightTheStartIsQuietAndTheEndIsNot() throws {
        let shanghai = try zone("Asia/Shanghai")
        let morning = try instant("2026-03-11T00:00:00Z")  // 08:00 local
        #expect(night.check(now: try instant("2026-03-10T12:59:59Z"), timeZone: shanghai) == .allowed)
        #expect(night.check(now: try instant("2026-03-10T13:00:00Z"), timeZone: shanghai) == .deferUntil(morning))
        #expect(night.check(now: try instant("2026-03-10T16:00:00Z"), timeZone: shanghai) == .deferUntil(morning))  // 00:00
        #expect(night.check(now: try instant("2026-03-10T17:00:00Z"), timeZone: shanghai) == .deferUntil(morning))  // 01:00
        #expect(night.check(now: try instant("2026-03-10T23:59:59Z"), timeZone: shanghai) == .deferUntil(morning))
        #expect(night.check(now: morning, timeZone: shanghai) == .allowed)
    }

    @Test func springForwardNightIsAnHourShorter() throws {
        // New York, 2026-03-08: 02:00 EST becomes 03:00 EDT; 08:00 EDT is 12:00 UTC.
        let newYork = try zone("America/New_York")
        let end = try instant("2026-03-08T12:00:00Z")
        #expect(night.check(now: try instant("2026-03-08T04:00:00Z"), timeZone: newYork) == .deferUntil(end))  // 23:00 EST
        #expect(night.check(now: try instant("2026-03-08T06:30:00Z"), timeZone: newYork) == .deferUntil(end))  // 01:30 EST
        #expect(night.check(now: try instant("2026-03-08T07:30:00Z"), timeZone: newYork) == .deferUntil(end))  // 03:30 EDT
        #expect(night.check(now: end, timeZone: newYork) == .allowed)
        #expect(night.check(now: try instant("2026-03-08T11:59:00Z"), timeZone: newYork) == .deferUntil(end))
    }

    @Test func fallBackNightIsAnHourLonger() throws {
        // New York, 2026-11-01: 02:00 EDT becomes 01:00 EST; 08:00 EST is 13:00 UTC.
        let newYork = try zone("America/New_York")
        let end = try instant("2026-11-01T13:00:00Z")
        #expect(night.check(now: try instant("2026-11-01T01:00:00Z"), timeZone: newYork) == .deferUntil(end))  // 21:00 EDT
        #expect(night.check(now: try instant("2026-11-01T05:30:00Z"), timeZone: newYork) == .deferUntil(end))  // first 01:30
        #expect(night.check(now: try instant("2026-11-01T06:30:00Z"), timeZone: newYork) == .deferUntil(end))  // second 01:30
        #expect(night.check(now: try instant("2026-11-01T12:00:00Z"), timeZone: newYork) == .deferUntil(end))  // 07:00 EST
        #expect(night.check(now: end, timeZone: newYork) == .allowed)
    }

    @Test func londonSpringForward() throws {
        // 2026-03-29: 01:00 GMT becomes 02:00 BST; 08:00 BST is 07:00 UTC.
        let london = try zone("Europe/London")
        #expect(night.check(now: try instant("2026-03-28T22:00:00Z"), timeZone: london) == .deferUntil(try instant("2026-03-29T07:00:00Z")))
    }

    @Test func anEndThatDoesNotExistThatDayBecomesTheFirstTimeAfterTheGap() throws {
        let window = try QuietHours(start: "22:00", end: "02:30")
        // New York has no 02:30 on 2026-03-08; the window ends at 03:00 EDT (07:00 UTC).
        let decision = window.check(now: try instant("2026-03-08T04:00:00Z"), timeZone: try zone("America/New_York"))
        #expect(decision == .deferUntil(try instant("2026-03-08T07:00:00Z")))
    }

    @Test func aWindowWithinOneDay() throws {
        let lunch = try QuietHours(start: "12:00", end: "13:30")
        #expect(!lunch.crossesMidnight)
        let shanghai = try zone("Asia/Shanghai")
        let end = try instant("2026-03-10T05:30:00Z")  // 13:30 local
        #expect(lunch.check(now: try instant("2026-03-10T03:59:59Z"), timeZone: shanghai) == .allowed)
        #expect(lunch.check(now: try instant("2026-03-10T04:00:00Z"), timeZone: shanghai) == .deferUntil(end))
        #expect(lunch.check(now: try instant("2026-03-10T04:45:00Z"), timeZone: shanghai) == .deferUntil(end))
        #expect(lunch.check(now: end, timeZone: shanghai) == .allowed)
        #expect(lunch.check(now: try instant("2026-03-10T14:00:00Z"), timeZone: shanghai) == .allowed)  // 22:00
        #expect(lunch.check(now: try instant("2026-03-10T17:00:00Z"), timeZone: shanghai) == .allowed)  // 01:00
    }

    @Test func aWindowThatStartsWhereItEndsIsEmpty() throws {
        let none = try QuietHours(start: "09:00", end: "09:00")
        #expect(none.check(now: try instant("2026-03-10T01:00:00Z"), timeZone: try zone("Asia/Shanghai")) == .allowed)
    }

    @Test(arguments: ["25:00", "24:00", "12:60", "8:00", "08:0", "", "ab:cd", "12:00:00", " 8:00"])
    func badTimesAreRejected(text: String) {
        #expect(throws: QuietHours.ParseError.self) { try QuietHours(start: text, end: "08:00") }
    }

    @Test func theErrorNamesTheFieldAndTheInput() {
        do {
            _ = try QuietHours(start: "21:00", end: "25:00")
            Issue.record("25:00 was accepted")
        } catch {
            #expect(error.field == "end")
            #expect(error.input == "25:00")
            #expect(error.code == "bad_time_of_day")
            #expect(error.description == "quiet hours end '25:00' is not a time HH:MM between 00:00 and 23:59")
        }
    }

    @Test func minutesAreParsed() throws {
        let window = try QuietHours(start: "00:00", end: "23:59")
        #expect(window.startMinute == 0)
        #expect(window.endMinute == 23 * 60 + 59)
        #expect(night.crossesMidnight)
    }
}

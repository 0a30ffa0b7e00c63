import CoreModel
import Foundation

/// How money and dates are written for one recipient: in their locale, and
/// times in their time zone. Templates reach it through transforms
/// (`{{yuan(amount)}}`, `{{date(expires_on)}}`), so a campaign gives one value
/// and each member reads it their way.
///
/// Written by hand rather than with `DateFormatter`/`NumberFormatter`: it runs
/// for every message of a campaign, and ICU's output differs between platforms
/// and versions, which a message (and its test) must not.
public struct RecipientFormat: Sendable, Hashable {
    /// The transforms a template may use, with what they take.
    public enum Transform: String, Sendable, CaseIterable {
        /// `368`, `368.5`, `12800.00` → `¥368`, `¥368.50`, `¥12,800`.
        case yuan
        /// `2026-12-22` (or a date-time) → `2026年12月22日`, `Dec 22, 2026`.
        case date
        /// `2026-12-22` (or a date-time) → `12月22日`, `Dec 22`.
        case monthday
        /// `2026-12-21T18:30:00+08:00` → `18:30` in the recipient's zone.
        case time
        /// `2026-12-21T18:30:00+08:00` → `12月21日 18:30`, `Dec 21, 18:30` in the recipient's zone.
        case datetime
        // swift-mustache's own string transforms, kept for templates that used them.
        case uppercased, lowercased, capitalized
    }

    enum Style: Sendable, Hashable {
        case chinese, english, iso
    }

    let style: Style
    public let timeZone: TimeZone

    /// `locale` like `zh-CN` or `en-US`: Chinese and Japanese locales write `12月22日`,
    /// English ones `Dec 22`, anything else ISO dates.
    public init(locale: String, timeZone: TimeZone) {
        let language = locale.prefix { $0 != "-" && $0 != "_" }.lowercased()
        switch language {
        case "zh", "ja": style = .chinese
        case "en": style = .english
        default: style = .iso
        }
        self.timeZone = timeZone
    }

    /// The value `transform` makes of `text`, or nil when `text` is not what it takes.
    public func apply(_ transform: Transform, to text: String) -> String? {
        switch transform {
        case .yuan: return yuan(text)
        case .date: return CivilTime(text, in: timeZone).map { fullDate($0) }
        case .monthday: return CivilTime(text, in: timeZone).map { monthDay($0) }
        case .time: return CivilTime(text, in: timeZone).flatMap { $0.hasTime ? clock($0) : nil }
        case .datetime: return CivilTime(text, in: timeZone).flatMap { $0.hasTime ? "\(dayAndClockPrefix($0))\(clock($0))" : nil }
        case .uppercased: return text.uppercased()
        case .lowercased: return text.lowercased()
        case .capitalized: return text.capitalized
        }
    }

    /// What a transform takes, for error messages.
    public static func expectation(of transform: Transform) -> String {
        switch transform {
        case .yuan: "an amount in yuan like 368 or 368.50"
        case .date, .monthday: "a date like 2026-12-22 (or a date-time like 2026-12-22T18:30:00+08:00)"
        case .time, .datetime: "a date-time with its offset like 2026-12-21T18:30:00+08:00"
        case .uppercased, .lowercased, .capitalized: "any text"
        }
    }

    /// `¥` and the amount with thousands separators; whole yuan without decimals.
    public func yuan(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let negative = trimmed.hasPrefix("-")
        let digits = negative ? trimmed.dropFirst() : Substring(trimmed)
        let parts = digits.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.allSatisfy(\.isASCIIDigit) else { return nil }
        var fraction = parts.count > 1 ? String(parts[1]) : ""
        guard fraction.allSatisfy(\.isASCIIDigit), fraction.count <= 2, parts.count == 1 || !fraction.isEmpty else { return nil }
        let integer = String(whole.drop { $0 == "0" }).isEmpty ? "0" : String(whole.drop { $0 == "0" })
        var grouped = ""
        for (offset, character) in integer.enumerated() {
            if offset > 0, (integer.count - offset) % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        if fraction.count == 1 { fraction += "0" }
        let cents = fraction.isEmpty || fraction == "00" ? "" : ".\(fraction)"
        let isZero = integer == "0" && cents.isEmpty
        return "\(negative && !isZero ? "-" : "")¥\(grouped)\(cents)"
    }

    private static let englishMonths = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    private func fullDate(_ t: CivilTime) -> String {
        switch style {
        case .chinese: "\(t.year)年\(t.month)月\(t.day)日"
        case .english: "\(Self.englishMonths[t.month - 1]) \(t.day), \(t.year)"
        case .iso: "\(t.year)-\(Self.twoDigits(t.month))-\(Self.twoDigits(t.day))"
        }
    }

    private func monthDay(_ t: CivilTime) -> String {
        switch style {
        case .chinese: "\(t.month)月\(t.day)日"
        case .english: "\(Self.englishMonths[t.month - 1]) \(t.day)"
        case .iso: "\(Self.twoDigits(t.month))-\(Self.twoDigits(t.day))"
        }
    }

    private func dayAndClockPrefix(_ t: CivilTime) -> String {
        switch style {
        case .chinese: "\(monthDay(t)) "
        case .english: "\(monthDay(t)), "
        case .iso: "\(fullDate(t)) "
        }
    }

    private func clock(_ t: CivilTime) -> String { "\(Self.twoDigits(t.hour)):\(Self.twoDigits(t.minute))" }

    static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}

/// A calendar date, and a wall-clock time when the text had one, as the recipient reads it.
struct CivilTime: Hashable {
    var year: Int, month: Int, day: Int
    var hour = 0, minute = 0
    var hasTime = false

    /// `yyyy-MM-dd` is a calendar date (no zone applies); `yyyy-MM-ddTHH:mm[:ss](Z|±HH:mm)`
    /// is an instant, shown in `timeZone`. A date-time without an offset is refused:
    /// whose 18:30 it meant cannot be known.
    init?(_ text: String, in timeZone: TimeZone) {
        let text = text.trimmingCharacters(in: .whitespaces)
        let scalars = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= scalars.count else { return nil }
            var value = 0
            for byte in scalars[range] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard scalars.count >= 10, scalars[4] == UInt8(ascii: "-"), scalars[7] == UInt8(ascii: "-"),
            let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            (1...12).contains(month), (1...Self.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        if scalars.count == 10 {
            self.init(year: year, month: month, day: day)
            return
        }
        guard scalars[10] == UInt8(ascii: "T") || scalars[10] == UInt8(ascii: " "), scalars.count >= 16,
            scalars[13] == UInt8(ascii: ":"), let hour = number(11..<13), let minute = number(14..<16), hour < 24, minute < 60
        else { return nil }
        var index = 16
        var second = 0
        if index < scalars.count, scalars[index] == UInt8(ascii: ":") {
            guard let s = number(17..<19), s < 60 else { return nil }
            second = s
            index = 19
        }
        let offsetSeconds: Int
        if index < scalars.count, scalars[index] == UInt8(ascii: "Z"), index + 1 == scalars.count {
            offsetSeconds = 0
        } else if index + 6 == scalars.count, scalars[index] == UInt8(ascii: "+") || scalars[index] == UInt8(ascii: "-"),
            scalars[index + 3] == UInt8(ascii: ":"), let h = number(index + 1..<index + 3), let m = number(index + 4..<index + 6)
        {
            offsetSeconds = (scalars[index] == UInt8(ascii: "-") ? -1 : 1) * (h * 3600 + m * 60)
        } else {
            return nil
        }
        let utc = Self.daysFromCivil(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        self.init(instant: Date(timeIntervalSince1970: TimeInterval(utc)), in: timeZone)
    }

    init(year: Int, month: Int, day: Int) {
        (self.year, self.month, self.day) = (year, month, day)
    }

    /// The wall clock in `timeZone` at `instant`.
    init(instant: Date, in timeZone: TimeZone) {
        let local = Int(instant.timeIntervalSince1970.rounded(.down)) + timeZone.secondsFromGMT(for: instant)
        let days = Int((Double(local) / 86_400).rounded(.down))
        let seconds = local - days * 86_400
        let civil = Self.civilFromDays(days)
        self.init(year: civil.year, month: civil.month, day: civil.day)
        hour = seconds / 3600
        minute = seconds % 3600 / 60
        hasTime = true
    }

    /// `2026-12-22`.
    var isoDate: String { "\(year)-\(RecipientFormat.twoDigits(month))-\(RecipientFormat.twoDigits(day))" }

    static func daysIn(month: Int, year: Int) -> Int { CivilCalendar.daysIn(month: month, year: year) }

    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        CivilCalendar.daysFromCivil(year: year, month: month, day: day)
    }

    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) { CivilCalendar.civilFromDays(days) }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

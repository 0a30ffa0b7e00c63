import Foundation

/// Typed access to one row's fields, turning each problem into a `RowError`
/// that names the column.
struct FieldReader {
    let fields: [String: String]
    let row: Int
    let timeZone: TimeZone

    func text(_ column: String) -> String? {
        guard let value = fields[column]?.trimmedWhitespace, !value.isEmpty else { return nil }
        return value
    }

    /// Each of `columns` present in the row within `FieldLimits`; the first too long is the error.
    func checkLengths(_ columns: [String]) throws(RowError) {
        for column in columns {
            guard let value = text(column) else { continue }
            let limit = FieldLimits.maxLength(of: column)
            // Bytes bound characters from above: most fields need no count.
            guard value.utf8.count > limit, value.count > limit else { continue }
            throw RowError(row: row, column: column, reason: "is \(value.count) characters long; the limit is \(limit)")
        }
    }

    func required(_ column: String) throws(RowError) -> String {
        guard let value = text(column) else { throw RowError(row: row, column: column, reason: "is required but empty") }
        return value
    }

    func integer(_ column: String, in range: ClosedRange<Int> = Int.min...Int.max) throws(RowError) -> Int? {
        guard let raw = text(column) else { return nil }
        guard let value = Int(raw) else { throw RowError(row: row, column: column, reason: "'\(raw)' is not a whole number") }
        guard range.contains(value) else {
            throw RowError(row: row, column: column, reason: "\(value) is outside \(range.lowerBound)…\(range.upperBound)")
        }
        return value
    }

    /// Yuan with up to two decimals ("128.5") to fen.
    func money(_ column: String) throws(RowError) -> Int? {
        guard let raw = text(column) else { return nil }
        let cleaned = raw.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "¥", with: "").replacingOccurrences(of: "￥", with: "")
        let parts = cleaned.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let yuan = Int(parts[0]), yuan >= 0,
            parts.count == 1 || (parts[1].count <= 2 && parts[1].allSatisfy(\.isASCII) && Int(parts[1]) != nil)
        else { throw RowError(row: row, column: column, reason: "'\(raw)' is not an amount in yuan (e.g. 128.50)") }
        let fraction = parts.count == 2 ? Int(parts[1].padding(toLength: 2, withPad: "0", startingAt: 0))! : 0
        return yuan * 100 + fraction
    }

    func choice<T: RawRepresentable & CaseIterable>(_ column: String, _ type: T.Type) throws(RowError) -> T? where T.RawValue == String {
        guard let raw = text(column) else { return nil }
        guard let value = T(rawValue: raw.lowercased()) else {
            throw RowError(row: row, column: column, reason: "'\(raw)' is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    func requiredChoice<T: RawRepresentable & CaseIterable>(_ column: String, _ type: T.Type) throws(RowError) -> T where T.RawValue == String {
        guard let value = try choice(column, type) else { throw RowError(row: row, column: column, reason: "is required but empty") }
        return value
    }

    func date(_ column: String) throws(RowError) -> Date? {
        guard let raw = text(column) else { return nil }
        guard let date = DateText.parse(raw, timeZone: timeZone) else {
            throw RowError(row: row, column: column, reason: "'\(raw)' is not a date (YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS] or ISO 8601)")
        }
        return date
    }

    /// `MM-DD` from `YYYY-MM-DD`, `MM-DD` or `M月D日`; the year is dropped.
    /// 02-29 is a day (members born on it have a birthday in leap years, and the brief lists them on 02-28 otherwise).
    func birthday(_ column: String) throws(RowError) -> String? {
        guard let raw = text(column) else { return nil }
        let parts = raw.precomposedStringWithCompatibilityMapping
            .split(whereSeparator: { "-/月日.".contains($0) }).map(String.init)
        let monthDay = parts.count == 3 && parts[0].count == 4 ? Array(parts.dropFirst()) : parts
        let lengths = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard monthDay.count == 2, let month = Int(monthDay[0]), let day = Int(monthDay[1]), (1...12).contains(month),
            (1...lengths[month - 1]).contains(day)
        else {
            throw RowError(row: row, column: column, reason: "'\(raw)' is not a birthday (YYYY-MM-DD, MM-DD or 3月8日)")
        }
        return Member.birthday(month: month, day: day)
    }

    func requiredDate(_ column: String) throws(RowError) -> Date {
        guard let date = try date(column) else { throw RowError(row: row, column: column, reason: "is required but empty") }
        return date
    }
}

/// Dates as they appear in call-centre exports. Local times are read in the
/// configured time zone; an explicit `Z` or `±hh:mm` wins.
public enum DateText {
    /// "2026-06-01" as midnight in Shanghai (UTC+8).
    public static func parseDay(_ text: String) -> Date? {
        guard text.count == 10 else { return nil }
        return parse(text, timeZone: TimeZone(identifier: "Asia/Shanghai")!)
    }

    public static func parse(_ text: String, timeZone: TimeZone) -> Date? {
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<index + count] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            index += count
            return value
        }
        func expect(_ choices: Set<UInt8>) -> Bool {
            guard index < bytes.count, choices.contains(bytes[index]) else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect([45, 47]), let month = number(2), expect([45, 47]), let day = number(2) else { return nil }
        guard (1900...2200).contains(year), (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day) else { return nil }
        var hour = 0, minute = 0, second = 0
        var offset: Int?
        if index < bytes.count {
            guard expect([32, 84]), let h = number(2), expect([58]), let m = number(2) else { return nil }
            hour = h
            minute = m
            if index < bytes.count, bytes[index] == 58 {
                index += 1
                guard let s = number(2) else { return nil }
                second = s
            }
            if index < bytes.count, bytes[index] == 46 {  // fractional seconds are ignored
                index += 1
                while index < bytes.count, (48...57).contains(bytes[index]) { index += 1 }
            }
            if index < bytes.count {
                if bytes[index] == 90 {
                    index += 1
                    offset = 0
                } else if bytes[index] == 43 || bytes[index] == 45 {
                    let sign = bytes[index] == 45 ? -1 : 1
                    index += 1
                    guard let oh = number(2) else { return nil }
                    _ = expect([58])
                    guard let om = number(2) else { return nil }
                    offset = sign * (oh * 3600 + om * 60)
                }
            }
            guard index == bytes.count, hour < 24, minute < 60, second < 61 else { return nil }
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        let localSeconds = days * 86_400 + hour * 3600 + minute * 60 + second
        let guess = Date(timeIntervalSince1970: TimeInterval(localSeconds))
        let zoneOffset = offset ?? timeZone.secondsFromGMT(for: guess.addingTimeInterval(-TimeInterval(timeZone.secondsFromGMT(for: guess))))
        return Date(timeIntervalSince1970: TimeInterval(localSeconds - zoneOffset))
    }

    static func daysIn(month: Int, year: Int) -> Int { CivilCalendar.daysIn(month: month, year: year) }

    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        CivilCalendar.daysFromCivil(year: year, month: month, day: day)
    }
}

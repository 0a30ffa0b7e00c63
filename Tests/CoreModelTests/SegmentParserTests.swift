import CoreModel
import Foundation
import Testing

/// The segment language, parsed without a database: trees for what is
/// right, the column and the reason for what is not.
struct SegmentParserTests {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!
    // 2026-11-26 20:00 in Shanghai.
    static let now = Date(timeIntervalSince1970: 1_795_694_400)
    let parser = SegmentParser(now: now, timeZone: zone)

    static func day(_ text: String) -> Date { DateText.parse(text, timeZone: zone)! }

    @Test func precedenceAndShapes() throws {
        #expect(try parser.parse("") == .all)
        #expect(try parser.parse(" all ") == .all)
        #expect(
            try parser.parse("level = gold OR points >= 100 AND NOT has_phone")
                == .or(
                    .compare(.level, .equal, .text("gold")),
                    .and(.compare(.points, .greaterOrEqual, .integer(100)), .not(.isTrue(.hasPhone)))))
        #expect(
            try parser.parse("(level = 'gold' or level = 'diamond') and orders(1y) >= 3")
                == .and(
                    .or(.compare(.level, .equal, .text("gold")), .compare(.level, .equal, .text("diamond"))),
                    .compare(.orders(days: 365), .greaterOrEqual, .integer(3))))
        #expect(try parser.parse("level NOT IN ('regular', silver)") == .not(.within(.level, [.text("regular"), .text("silver")])))
        #expect(try parser.parse("spend(90d) BETWEEN 100 AND 888.5") == .between(.spend(days: 90), .money(10_000), .money(88_850)))
        #expect(try parser.parse("tags CONTAINS '爱辣'") == .contains(.tags, "爱辣"))
        #expect(try parser.parse("last_order IS NULL") == .isNull(.lastOrder, true))
        #expect(try parser.parse("consent(sms, marketing) = false") == .compare(.consent(.sms, .marketing), .equal, .bool(false)))
        #expect(try parser.parse("joined >= today - 30d") == .compare(.joined, .greaterOrEqual, .date(Self.day("2026-10-27"))))
        #expect(try parser.parse("joined < '2024-01-01'") == .compare(.joined, .less, .date(Self.day("2024-01-01"))))
        #expect(try parser.parse("branch = 'it''s'") == .compare(.branch, .equal, .text("it's")))
        #expect(try parser.parse("district <> \"黄浦区\"") == .compare(.district, .notEqual, .text("黄浦区")))
    }

    @Test(arguments: [
        ("pointz > 3", 1, "unknown field 'pointz'"),
        ("points >= AND level = gold", 11, "expected a whole number for points, found 'AND'"),
        ("points > 3 level = gold", 12, "expected AND, OR or the end, found 'level'"),
        ("(points > 3", 12, "expected ')' to close the '(' at column 1, found the end"),
        ("level = 'platinumx'", 9, "'platinumx' is not one of regular, silver, gold, platinum, diamond"),
        ("level > 'gold'", 7, "level can be compared with = or != only"),
        ("joined > '2026-13-01'", 10, "'2026-13-01' is not a date"),
        ("district = '黄浦区", 12, "unterminated string"),
        ("orders(90x) > 1", 8, "expected a window such as 90d"),
        ("consent(sms, ads)", 14, "expected a category"),
        ("tags = 'x'", 6, "expected CONTAINS after tags"),
        ("has_phone BETWEEN 1 AND 2", 11, "BETWEEN is for numbers and dates"),
        // Attempts to write SQL: errors at the first character that is not the language, never SQL.
        ("level = 'gold'; DROP TABLE members; --", 15, "unexpected character ';'"),
        ("points > 0) OR (1 = 1", 11, "expected AND, OR or the end, found ')'"),
        ("points > 0 OR 1 = 1", 15, "expected a field"),
        ("points > 0 -- comment", 12, "expected AND, OR or the end, found '-'"),
        ("m.points > 0", 2, "unexpected character '.'"),
        ("level = gold UNION SELECT * FROM members", 27, "unexpected character '*'"),
        ("points > (SELECT 1)", 10, "expected a whole number for points, found '('"),
        ("level = gold UNION SELECT id FROM members", 14, "expected AND, OR or the end, found 'UNION'"),
    ])
    func mistakesNameTheirColumn(_ expression: String, _ column: Int, _ message: String) {
        #expect {
            _ = try parser.parse(expression)
        } throws: { error in
            guard let error = error as? SegmentError else { return false }
            return error.column == column && error.message.contains(message)
        }
    }

    @Test func anErrorPointsAtItsColumn() {
        let error = SegmentError(column: 11, "expected a whole number for points, found 'AND'")
        #expect(error.pointing(at: "points >= AND x") == "points >= AND x\n          ^ expected a whole number for points, found 'AND'")
    }
}

import CoreModel
import Foundation
import Testing

struct DateTextTests {
    let shanghai = TimeZone(identifier: "Asia/Shanghai")!

    @Test(arguments: [
        ("2026-11-20", 1_795_104_000.0), ("2026/11/20", 1_795_104_000), ("2026-11-20 08:30", 1_795_134_600),
        ("2026-11-20T08:30:15", 1_795_134_615), ("2026-11-20T00:30:00Z", 1_795_134_600), ("2026-11-20T08:30:00+08:00", 1_795_134_600),
        ("2024-02-29", 1_709_136_000),
    ])
    func parses(_ text: String, _ epoch: Double) {
        #expect(DateText.parse(text, timeZone: shanghai) == Date(timeIntervalSince1970: epoch))
    }

    @Test(arguments: ["2026-13-01", "2025-02-29", "2026-11-31", "20261120", "2026-11-20 25:00", "yesterday", "2026-11-20 08:30 extra"])
    func rejects(_ text: String) {
        #expect(DateText.parse(text, timeZone: shanghai) == nil)
    }
}

import CoreModel
import Foundation
import Testing

struct ImporterTests {
    @Test func tenGoodRowsGoInAndThreeBadOnesAreReported() async throws {
        try await withStore { store, _ in
            let summary = try await importer(store, .members).run(path: fixture("members-10-good-3-bad.csv"))
            #expect(summary.rowsRead == 13)
            #expect(summary.inserted == 10)
            #expect(summary.rejected == 3)
            #expect(summary.failed)
            let errors = summary.errors.map { "\($0.row)|\($0.column)" }
            #expect(errors == ["12|phone", "13|member_no", "14|joined_on"])
            #expect(summary.errors[0].reason.contains("11 digits"))
            #expect(summary.errors[2].reason.contains("2024-13-45"))
            #expect(try await store.statistics().tables["members"] == 10)

            let again = try await importer(store, .members).run(path: fixture("members-10-good-3-bad.csv"))
            #expect(again.inserted == 0)
            #expect(again.updated == 0)
            #expect(again.unchanged == 10)
            #expect(again.rejected == 3)
            #expect(try await store.statistics().tables["members"] == 10)
        }
    }

    /// Consents go to the ledger with the file and row as evidence; the same
    /// file again appends nothing; each bad row says why.
    @Test func consentsAreImportedOnceWithTheirEvidence() async throws {
        try await withStore { store, directory in
            _ = try await importer(store, .members).run(path: fixture("members-10-good-3-bad.csv"))
            let path = directory.appendingPathComponent("consents.csv").path
            try """
                member_no,address,channel,category,granted,source,at,evidence
                A0001,,sms,marketing,yes,paper,2026-01-02,form 88
                A0001,,sms,survey,同意,,,
                ,+86 137 0000 0001,sms,marketing,no,enquiry,,
                A0404,,sms,marketing,yes,,,
                A0002,+8613700000002,sms,marketing,yes,,,
                A0003,,pager,marketing,yes,,,
                A0003,,sms,marketing,maybe,,,
                ,not-an-address,sms,marketing,no,,,

                """.write(toFile: path, atomically: true, encoding: .utf8)
            let first = try await importer(store, .consents).run(path: path)
            #expect(first.inserted == 3)
            #expect(first.errors.map { "\($0.row)|\($0.column)" } == ["5|member_no", "6|address", "7|channel", "8|granted", "9|address"])
            let again = try await importer(store, .consents).run(path: path)
            #expect(again.inserted == 0 && again.unchanged == 3 && again.rejected == 5)
            let history = try await store.consentHistory(.member("A0001"), limit: 10)
            #expect(history.count == 2)
            #expect(history.contains { $0.category == .marketing && $0.evidence == "consents.csv row 2: form 88" && $0.source == "paper" })
            #expect(try await store.consentState(.address("+8613700000001")).map(\.granted) == [false])
        }
    }

    /// Only the month and day of a birthday are kept; each bad one names its row.
    @Test func birthdaysKeepTheDayOnly() async throws {
        try await withStore { store, directory in
            let path = directory.appendingPathComponent("birthdays.csv").path
            try """
                member_no,name,birthday
                B1,甲,1988-03-08
                B2,乙,12-31
                B3,丙,2月29日
                B4,丁,
                B5,戊,1990-02-30
                B6,己,13-01
                B7,庚,tomorrow

                """.write(toFile: path, atomically: true, encoding: .utf8)
            let summary = try await importer(store, .members).run(path: path)
            #expect(summary.inserted == 4)
            #expect(summary.errors.map { "\($0.row)|\($0.column)" } == ["6|birthday", "7|birthday", "8|birthday"])
            #expect(summary.errors.first?.reason == "'1990-02-30' is not a birthday (YYYY-MM-DD, MM-DD or 3月8日)")
            var kept: [String?] = []
            for no in ["B1", "B2", "B3", "B4"] { kept.append(try await store.memberProfile(memberNo: no, timelineLimit: 0)?.member.birthday) }
            #expect(kept == ["03-08", "12-31", "02-29", nil])
        }
    }

    @Test func importedValuesAreNormalised() async throws {
        try await withStore { store, _ in
            _ = try await importer(store, .members).run(path: fixture("members-10-good-3-bad.csv"))
            let wang = try #require(try await store.memberProfile(memberNo: "A0001", timelineLimit: 5))
            #expect(wang.member.phone == .valid("+8613812345678"))
            #expect(wang.member.email == .valid("wang.wei@qq.com"))
            #expect(wang.member.tags == ["爱辣", "商务宴请"])
            #expect(wang.member.level == .gold)
            #expect(wang.member.joinedAt == Date(timeIntervalSince1970: 1_682_870_400))  // 2023-05-01 00:00 +08:00
            let zhao = try #require(try await store.memberProfile(memberNo: "A0008", timelineLimit: 5))
            #expect(zhao.member.phone.value == "+85291234567")
            #expect(zhao.member.timezone == "Asia/Hong_Kong")
        }
    }

    @Test func changedRowsAreUpdated() async throws {
        try await withStore { store, directory in
            _ = try await importer(store, .members).run(path: fixture("members-10-good-3-bad.csv"))
            let path = directory.appendingPathComponent("changed.csv").path
            try "member_no,name,phone\nA0001,王伟,13812345679\nA0002,李娜,+86 139 0000 1111\n".write(toFile: path, atomically: true, encoding: .utf8)
            let summary = try await importer(store, .members).run(path: path)
            #expect(summary.updated == 2)  // A0002 loses email/level/etc. columns → defaults
            #expect(try await store.memberProfile(memberNo: "A0001", timelineLimit: 1)?.member.phone.value == "+8613812345679")
        }
    }

    @Test func dryRunWritesNothing() async throws {
        try await withStore { store, _ in
            let summary = try await importer(store, .members).run(path: fixture("members-10-good-3-bad.csv"), dryRun: true)
            #expect(summary.inserted == 10)
            #expect(summary.rejected == 3)
            #expect(try await store.statistics().tables["members"] == 0)
        }
    }

    @Test func invalidContactsCanBeKeptMarkedInvalid() async throws {
        try await withStore { store, _ in
            let summary = try await importer(store, .members, acceptInvalidContacts: true).run(path: fixture("members-10-good-3-bad.csv"))
            #expect(summary.inserted == 11)
            let sun = try #require(try await store.memberProfile(memberNo: "A0011", timelineLimit: 1))
            #expect(sun.member.phone.status == .invalid)
            #expect(sun.member.phone.value == "1381234")
            #expect(sun.member.phone.reason?.contains("11 digits") == true)
            #expect(try await store.statistics().invalidContacts["phone"] == 1)
        }
    }

    @Test func byteOrderMarkIsTolerated() async throws {
        try await withStore { store, _ in
            let summary = try await importer(store, .members).run(path: fixture("members-bom.csv"))
            #expect(summary.inserted == 1)
            #expect(summary.rejected == 0)
        }
    }

    @Test func gb18030IsRefusedWithTheCommandToConvert() async throws {
        try await withStore { store, _ in
            let error = await #expect(throws: ImportFileError.self) {
                try await importer(store, .members).run(path: fixture("members-gb18030.csv"))
            }
            #expect(error?.description.contains("GB18030") == true)
            #expect(error?.description.contains("iconv -f GB18030 -t UTF-8") == true)
            #expect(error?.line == 2)
            let members = try await store.statistics().tables["members"]
            #expect(members == 0)
        }
    }

    @Test func missingRequiredColumnIsAFileError() async throws {
        try await withStore { store, directory in
            let path = directory.appendingPathComponent("no-name.csv").path
            try "member_no,phone\nX1,13812345678\n".write(toFile: path, atomically: true, encoding: .utf8)
            let error = await #expect(throws: ImportFileError.self) { try await importer(store, .members).run(path: path) }
            #expect(error?.description.contains("missing column name") == true)
        }
    }

    @Test func ordersFromJSONLinesCheckReferences() async throws {
        try await withStore { store, _ in
            _ = try await importer(store, .branches).run(path: fixture("reference.csv"))
            _ = try await importer(store, .menu).run(path: fixture("menu.csv"))
            _ = try await importer(store, .members).run(path: fixture("members-10-good-3-bad.csv"))
            let summary = try await importer(store, .orders).run(path: fixture("orders.jsonl"))
            #expect(summary.inserted == 2)
            let errors = summary.errors.map { "\($0.row)|\($0.column)" }
            #expect(errors == ["3|member_no", "4|scheduled_at", "5|(line)", "6|items"])
            let wang = try #require(try await store.memberProfile(memberNo: "A0001", timelineLimit: 5))
            #expect(wang.recentOrders.first?.amountFen == 2 * 6800 + 2800)
            let again = try await importer(store, .orders).run(path: fixture("orders.jsonl"))
            #expect(again.unchanged == 2)
            #expect(again.inserted == 0)
        }
    }

    @Test func csvRowWithWrongFieldCountIsRejected() async throws {
        try await withStore { store, directory in
            let path = directory.appendingPathComponent("short.csv").path
            try "member_no,name,phone\nX1,甲,13812345678\nX2,乙\n".write(toFile: path, atomically: true, encoding: .utf8)
            let summary = try await importer(store, .members).run(path: path)
            #expect(summary.inserted == 1)
            #expect(summary.errors.first?.row == 3)
        }
    }
}

import CoreModel
import Foundation
import Testing

/// `import prospects`: enquiries go in as prospect members under a number
/// from the phone, bad rows are reported by row and column and change
/// nothing, a member's phone is skipped, and the same file twice is a no-op.
struct ProspectImportTests {
    static let file = """
        phone,name,email,source,enquired_at,note,branch,party_size,event_date,marketing_consent
        13511110001,钱先生,qian@example.com,banquet_enquiry,2026-10-02 14:20,年会,B1,120,2027-01-18,yes
        135 1111 0002,孙女士,,reservation_enquiry,2026-10-05,,,,,no
        1351111,陈先生,,banquet_enquiry,2026-10-22,,B1,30,,yes
        13511110004,褚女士,,banquet_enquiry,2026-10-23,,B1,50,2026-13-40,yes
        13511110005,卫先生,,wedding,2026-10-23,,,,,yes
        13511110006,蒋女士,,call_centre,2026-10-24,,B9,,,yes
        13511110007,沈先生,,other,2026-10-25,,,,,maybe
        13812345678,王伟,,banquet_enquiry,2026-10-26,,,,,yes

        """

    func withProspects(_ body: (SQLiteStore, String) async throws -> Void) async throws {
        try await withStore { store, directory in
            let branch = Branch(code: "B1", name: "天河店", district: "天河区", address: "天河路1号", phone: nil, fax: nil, seats: 120)
            _ = try await store.apply(.branches([branch]), dryRun: false)
            _ = try await store.apply(
                .members([Member(memberNo: "A1", name: "王伟", phone: .valid("+8613812345678"))]), dryRun: false)
            let path = directory.appendingPathComponent("prospects.csv").path
            try Self.file.write(toFile: path, atomically: true, encoding: .utf8)
            try await body(store, path)
        }
    }

    @Test func goodRowsGoInBadRowsAreReportedAMembersPhoneIsSkipped() async throws {
        try await withProspects { store, path in
            let summary = try await importer(store, .prospects).run(path: path)
            #expect(summary.rowsRead == 8)
            #expect(summary.inserted == 2)
            #expect(summary.errors.map { "\($0.row)|\($0.column)" } == [
                "4|phone", "5|event_date", "6|source", "7|branch", "8|marketing_consent",
            ])
            #expect(summary.errors[1].reason.contains("2026-13-40"))
            #expect(summary.errors[3].reason == "unknown branch 'B9'")
            #expect(summary.skipped == 1)
            #expect(summary.skips == [RowSkip(row: 9, reason: "already a member A1")])
            // Two prospects and the one member: nothing from a bad or skipped row.
            #expect(try await store.statistics().tables["members"] == 3)

            let number = ProspectNumber.for(phone: "+8613511110001")
            let profile = try #require(try await store.memberProfile(memberNo: number, timelineLimit: 20))
            #expect(profile.member.name == "钱先生" && profile.member.phone == .valid("+8613511110001"))
            #expect(profile.member.email == .valid("qian@example.com") && profile.branchName == "天河店")
            let enquiry = try #require(profile.enquiry)
            #expect(enquiry.source == "banquet_enquiry" && enquiry.open)
            #expect(enquiry.note == "年会; 120 guests; event 2027-01-18")
            #expect(enquiry.at == DateText.parse("2026-10-02 14:20", timeZone: TimeZone(identifier: "Asia/Shanghai")!))
            #expect(profile.timeline.contains { $0.kind == "enquiry" && $0.text == "banquet_enquiry: 年会; 120 guests; event 2027-01-18" })
            let granted = try await store.consentHistory(.member(number), limit: 10)
            #expect(granted.map(\.channel).sorted { $0.rawValue < $1.rawValue } == [.email, .sms])
            #expect(granted.allSatisfy { $0.granted && $0.category == .marketing && $0.evidence == "prospects.csv row 2: enquiry" })
            // marketing_consent no records nothing.
            #expect(try await store.consentHistory(.member(ProspectNumber.for(phone: "+8613511110002")), limit: 10).isEmpty)
            #expect(try await store.consentHistory(.member("A1"), limit: 10).isEmpty, "a skipped row grants nothing")
        }
    }

    @Test func importingTheSameFileAgainChangesNothing() async throws {
        try await withProspects { store, path in
            _ = try await importer(store, .prospects).run(path: path)
            let ledger = try await store.statistics().tables["consent_ledger"]
            let again = try await importer(store, .prospects).run(path: path)
            #expect(again.inserted == 0 && again.updated == 0 && again.unchanged == 2)
            #expect(again.rejected == 5 && again.skipped == 1)
            #expect(try await store.statistics().tables["members"] == 3)
            #expect(try await store.statistics().tables["consent_ledger"] == ledger)
        }
    }

    @Test func aDryRunWritesNothing() async throws {
        try await withProspects { store, path in
            let summary = try await importer(store, .prospects).run(path: path, dryRun: true)
            #expect(summary.inserted == 2 && summary.skipped == 1)
            #expect(try await store.statistics().tables["members"] == 1)
            #expect(try await store.statistics().tables["consent_ledger"] == 0)
        }
    }

    @Test func theNumberComesFromThePhoneAndHidesIt() {
        let number = ProspectNumber.for(phone: "+8613511110001")
        // Pinned: a number that changed between versions would duplicate every prospect on re-import.
        #expect(number == "P336532709552")
        #expect(number != ProspectNumber.for(phone: "+8613511110002"))
        #expect(number.count == 13 && number.hasPrefix("P") && number.dropFirst().allSatisfy(\.isNumber))
        #expect(!number.contains("13511110001"))
    }
}

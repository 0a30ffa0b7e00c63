@testable import CoreModel
import Foundation
import GRDB
import Testing

/// What an import refuses as a whole or row by row: fields over their
/// limits, a quote that never closes, and what a stopped import says.
struct ImportLimitsTests {
    func write(_ text: String, _ name: String, in directory: URL) throws -> String {
        let path = directory.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func overlongFieldsAreRejectedWithColumnAndLimit() async throws {
        try await withStore { store, directory in
            let long = String(repeating: "王", count: 65)
            let tags = (1...21).map { "t\($0)" }.joined(separator: ";")
            let longTag = String(repeating: "辣", count: 33)
            let email = String(repeating: "a", count: 250) + "@qq.com"
            let members = try write(
                """
                member_no,name,tags,email
                M1,\(long),,
                M2,李娜,"\(tags)",
                M3,张敏,"爱辣;\(longTag)",
                M4,陈静,,\(email)
                M5,\(String(repeating: "王", count: 64)),"\((1...20).map { "t\($0)" }.joined(separator: ";"))",
                """, "members.csv", in: directory)
            let summary = try await importer(store, .members).run(path: members)
            #expect(summary.inserted == 1, "64 characters and 20 tags are within the limits")
            let errors = summary.errors.map { "\($0.row)|\($0.column)|\($0.reason)" }
            #expect(
                errors == [
                    "2|name|is 65 characters long; the limit is 64",
                    "3|tags|has 21 tags; the limit is 20",
                    "4|tags|tag '\(longTag.prefix(32))…' is 33 characters long; the limit is 32",
                    "5|email|is 257 characters long; the limit is 254",
                ])
        }
    }

    @Test func freeTextAndAddressesHaveTheirOwnLimits() async throws {
        try await withStore { store, directory in
            _ = try await importer(store, .branches).run(path: fixture("reference.csv"))
            _ = try await importer(store, .members).run(path: fixture("members-10-good-3-bad.csv"))
            let address = String(repeating: "路", count: 201)
            let orders = try write(
                """
                order_no,member_no,branch_code,source,kind,ordered_at,address
                SO1,A0001,B001,agent,delivery,2026-06-01 12:00,\(address)
                """, "orders.csv", in: directory)
            let ordered = try await importer(store, .orders).run(path: orders)
            #expect(
                ordered.errors.map { "\($0.column)|\($0.reason)" } == [
                    "address|is 201 characters long; the limit is 200"
                ])
            let complaints = try write(
                """
                complaint_no,member_no,department,description,opened_at
                C1,A0001,外卖部,\(String(repeating: "慢", count: 2001)),2026-06-01 12:00
                C2,A0001,外卖部,\(String(repeating: "慢", count: 2000)),2026-06-01 12:00
                """, "complaints.csv", in: directory)
            let complained = try await importer(store, .complaints).run(path: complaints)
            #expect(
                complained.errors.map { "\($0.row)|\($0.column)|\($0.reason)" } == [
                    "2|description|is 2001 characters long; the limit is 2000"
                ])
            #expect(complained.inserted == 1)
        }
    }

    @Test func anUnterminatedQuoteNamesTheLineItStartedOn() async throws {
        try await withStore { store, directory in
            let path = try write(
                "member_no,name,tags\nM1,王伟,\"爱辣\nM2,李娜,\"商务\"\"宴请\"\nM3,\"张\n敏\",x\nM4,陈静,\"a\n", "broken.csv",
                in: directory)
            let error = await #expect(throws: ImportFileError.self) {
                try await importer(store, .members).run(path: path)
            }
            // Line 2's field reads on past line 3's quote (text follows it) to the end of line 3; line 4's closes on
            // line 5; line 6's never does.
            #expect(error?.line == 6)
            #expect(
                error?.description.contains("unterminated quoted field starting at line 6") == true,
                "\(String(describing: error))")
            #expect(try await store.statistics().tables["members"] == 0, "nothing is imported from a broken file")
        }
    }

    @Test func quotedFieldsOverSeveralLinesAreFine() async throws {
        try await withStore { store, directory in
            let path = try write(
                "\u{FEFF}member_no,name,tags\r\n\"M1\",\"王\r\n伟\",\"a,\"\"b\"\"\"\r\nM2,李娜,\r\n", "ok.csv",
                in: directory)
            let summary = try await importer(store, .members).run(path: path)
            #expect(summary.inserted == 2, "\(summary.errors)")
        }
    }

    /// Batches before a failing one are committed: the message says how many, and that re-running is safe.
    @Test func aStoppedImportSaysWhatWasCommitted() async throws {
        try await withStore { store, directory in
            let rows = (1...5).map { "M\($0),会员\($0)" }.joined(separator: "\n")
            let path = try write("member_no,name\n\(rows)\n", "members.csv", in: directory)
            let database = try DatabaseQueue(path: directory.appendingPathComponent("test.sqlite").path)
            try await database.write { db in
                try db.execute(
                    sql: """
                        CREATE TRIGGER refuse_m4 BEFORE INSERT ON members WHEN NEW.member_no = 'M4'
                        BEGIN SELECT RAISE(ABORT, 'refused by a test trigger'); END
                        """)
            }
            try database.close()
            var batched = importer(store, .members)
            batched.batchSize = 2
            let error = await #expect(throws: ImportStoppedError.self) { try await batched.run(path: path) }
            #expect(error?.committed == 2)
            #expect(error?.description.contains("refused by a test trigger") == true, "\(String(describing: error))")
            #expect(
                error?.description.contains(
                    "2 rows were committed before the error; re-running the import is safe (rows are upserted by key)")
                    == true)
            #expect(try await store.statistics().tables["members"] == 2)
        }
    }
}

/// The quote state machine on its own, the way CSV.swift reads quotes.
struct CSVQuoteTrackerTests {
    func unterminated(_ text: String) -> Int? {
        var tracker = CSVQuoteTracker()
        tracker.feed(Array(text.utf8))
        tracker.finish()
        return tracker.unterminatedAt
    }

    @Test func quotesOpenOnlyAtTheStartOfAField() {
        #expect(unterminated("a,b\n1,\"x,y\"\n") == nil)
        #expect(unterminated("a,b\n1,x\"y\n") == nil, "a quote inside an unquoted field is text")
        #expect(unterminated("a,b\n1,\"x\n") == 2)
        #expect(unterminated("a,b\n1,\"x\"\"\n") == 2, "a doubled quote does not close the field")
        #expect(unterminated("a,b\n1,\"x\"") == nil, "a quote at the end of the file closes it")
        #expect(unterminated("a,b\r\n1,\"x\"\r\n2,\"y") == 3)
        #expect(unterminated("a,b\r1,\"x\"\r2,\"y") == 1, "a lone CR ends a row, but lines are counted by LF")
        #expect(unterminated("a,b\n1,\"x\" y,z\n") == 2, "CSV.swift reads on after a quote followed by text")
    }

    @Test func aByteOrderMarkIsSkippedButOtherTextIsNot() {
        #expect(unterminated("\u{FEFF}\"a\",b\n") == nil)
        #expect(unterminated("\u{FEFF}\"a,b\n") == 1)
        #expect(
            unterminated("\u{FF02}\"a,b\n") == nil,
            "a character that starts like a mark is text: the quote is inside a field")
    }
}

import ArgumentParser
import CoreModel
import Foundation
import Synchronization

extension ImportKind: ExpressibleByArgument {}
extension Importer.Format: ExpressibleByArgument {}

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: """
            Import branches, menu, members, orders, complaints, delivery feedback, consents, the blacklist, \
            prospects or members' managers.
            """,
        discussion: """
            Files are CSV (UTF-8, a BOM is fine; GB18030 exports are refused with the
            iconv command to convert them) or JSON Lines (.jsonl). Rows are upserted by
            their natural key (code, member_no, order_no, complaint_no), so importing
            the same file twice changes nothing. Each bad row is reported with its row
            number, column and reason; the good rows go in. Exit status 1 if any row
            was rejected. Fields are at most 64 characters (address 200, email 254,
            description, resolution, note and items 2000; at most 20 tags of 32).

            Examples:
              tidings import branches branches.csv
              tidings import members members.csv --dry-run
              tidings import orders orders.jsonl --errors rejected.csv
            Columns:
              branches   code,name,district,address[,phone,fax,email,seats]
              menu       code,name,price[,category]
              members    member_no,name[,phone,email,fax,level,points,tags,timezone,locale,branch_code,joined_on]
              orders     order_no,member_no,branch_code,source,kind,ordered_at[,status,scheduled_at,party_size,amount,address,items,taken_by]
                         (taken_by: the staff number who took it; another manager than the
                         member's own is recorded as a conflict, see `tidings manager conflicts`)
              complaints complaint_no,member_no,department,description,opened_at[,order_no,channel,status,resolution,resolved_at,satisfaction]
              feedback   order_no,outcome,recorded_at[,note]
              consents   channel,category,granted and member_no or address[,source,at,evidence]
                         (appended to the consent ledger with the file and row as evidence;
                         a row already imported from a file of that name is not appended again)
              blacklist  address[,reason,added_by,added_at]
              assignments member_no,staff_no
                         (each member's owning manager; the rows of one run are one batch
                         that `tidings manager allocations` tracks; a member already owned
                         by that manager is unchanged)
              prospects  phone[,name,email,source,enquired_at,note,branch,party_size,event_date,marketing_consent]
                         (people who enquired but never ordered: a member row marked as a
                         prospect, numbered P… from the phone; a phone that is already a
                         member's is skipped, not an error; marketing_consent yes is appended
                         to the consent ledger with "FILE row N: enquiry" as evidence; the
                         first order under the P number makes them a member)
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "What the file holds: one of the kinds above.")
    var kind: ImportKind
    @Argument(help: "The file to import.") var file: String
    @Option(help: "csv or jsonl (default: from the file name).") var format: Importer.Format?
    @Flag(help: "Validate everything, write nothing.") var dryRun = false
    @Flag(help: "Keep rows whose phone/email/fax is unusable, with that contact marked invalid.") var acceptInvalidContacts = false
    @Option(help: ArgumentHelp("Write every rejected row (row,column,reason) to this CSV file.", valueName: "path")) var errors: String?
    @Flag(help: "Print the summary as JSON.") var json = false
    @Option(help: "Who is importing, kept with consents and blacklist entries (default: $USER).") var by: String?

    func run() async throws {
        let config = try global.loadConfig()
        let store = try global.openStore(config)
        var parser = RecordParser(
            kind: kind, phones: PhoneNumberNormalizer(defaultRegion: config.defaults.region),
            timeZone: TimeZone(identifier: config.defaults.timezone) ?? .current, acceptInvalidContacts: acceptInvalidContacts)
        parser.actor = by ?? ConsentCommand.operatorName()
        let rejects = try errors.map { try RejectFile(path: $0) }
        let bar = ProgressBar(label: "import \(kind.rawValue)")
        let summary: Importer.Summary
        do {
            summary = try await Importer(store: store, parser: parser).run(
                path: file, format: format, dryRun: dryRun,
                onError: { rejects?.write($0) },
                progress: { bar.update(done: $0.rowsRead, total: $0.expectedRows) })
        } catch let error as ImportFileError {
            bar.finish()
            printError("error: \(error)")
            throw ExitCode.failure
        } catch let error as ImportStoppedError {
            bar.finish()
            rejects?.close()
            printError("error: \(error)")
            throw ExitCode.failure
        }
        bar.finish()
        rejects?.close()
        if json {
            try JSONOutput.print(summary)
        } else {
            report(summary)
        }
        if summary.failed { throw ExitCode.failure }
    }

    private func report(_ summary: Importer.Summary) {
        for warning in summary.warnings { printError("warning: \(warning)") }
        for error in summary.errors { printError("\(file):\(error.row): column \(error.column): \(error.reason)") }
        for skip in summary.skips { print("\(file):\(skip.row): skipped (\(skip.reason))") }
        if summary.skipped > summary.skips.count {
            print("… and \(summary.skipped - summary.skips.count) more skipped rows")
        }
        if summary.rejected > summary.errors.count {
            printError("… and \(summary.rejected - summary.errors.count) more rejected rows\(errors == nil ? " (use --errors FILE to list them all)" : "")")
        }
        var columns = ["file", "kind", "rows", "inserted", "updated", "unchanged", "rejected", "seconds"]
        var values = [
            file, kind.rawValue + (summary.dryRun ? " (dry run)" : ""), "\(summary.rowsRead)", "\(summary.inserted)", "\(summary.updated)",
            "\(summary.unchanged)", "\(summary.rejected)", String(format: "%.2f", summary.seconds),
        ]
        // Only prospects skip rows; other kinds keep the table scripts already read.
        if kind == .prospects {
            columns.insert("skipped", at: 6)
            values.insert("\(summary.skipped)", at: 6)
        }
        var table = TextTable(columns, rightAligned: Set(2..<columns.count))
        table.add(values)
        print(table.render())
        if summary.dryRun { print("dry run: nothing was written") }
    }
}

/// Every rejected row, as CSV, for fixing and re-importing.
final class RejectFile: Sendable {
    private let handle: Mutex<FileHandle>

    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data("row,column,reason\n".utf8)),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw CommandFailure("--errors: cannot write \(path)") }
        handle.seekToEndOfFile()
        self.handle = Mutex(handle)
    }

    func write(_ error: RowError) {
        let reason = "\"" + error.reason.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        handle.withLock { $0.write(Data("\(error.row),\(error.column),\(reason)\n".utf8)) }
    }

    func close() { handle.withLock { try? $0.close() } }
}

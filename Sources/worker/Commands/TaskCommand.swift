import ArgumentParser
import CoreModel
import Foundation

extension FollowUpTask.Status: ExpressibleByArgument {}

/// `tidings task list|show|close`: the follow-ups staff owe members (a low survey score to call back).
struct TaskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "task",
        abstract: "List, show and close follow-up tasks for staff.",
        discussion: """
            A survey answer at or below survey.low_score opens a task for the member's manager
            (else their branch's manager), who is told by SMS (or email); marketing to the
            member waits while it is open. An open task past its due time is escalated once
            to the branch manager by `tidings run`.
            Examples:
              tidings task list --manager S0001 --overdue
              tidings task list --branch BJ01 --reason low_survey_score
              tidings task show 12
              tidings task close 12 --note "called back, voucher sent"
            Exit codes: 0 done; 1 no such task (or closed before, for close).
            """,
        subcommands: [List.self, Show.self, Close.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Tasks by owner, branch, reason and status (open by default).")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Only the tasks of this member of staff (staff_no).") var manager: String?
        @Option(help: "Only the tasks for members of this branch (its code).") var branch: String?
        @Option(help: "Only this reason (low_survey_score).") var reason: String?
        @Option(help: "open, done or dropped.") var status: FollowUpTask.Status = .open
        @Flag(help: "Only open tasks past their due time.") var overdue = false
        @Option(help: "How many to show.") var limit = 100
        @Flag(help: "Print as JSON.") var json = false

        func validate() throws {
            guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
            if overdue, status != .open { throw ValidationError("--overdue lists open tasks; leave out --status") }
        }

        func run() async throws {
            let config = try global.loadConfig()
            let store = try global.openStore(config, readOnly: true)
            let filter = TaskFilter(
                staffNo: manager, branchCode: branch, reason: reason, status: status, overdue: overdue, limit: limit)
            let now = Date()
            let tasks = try await store.tasks(filter, now: now)
            if json { return try JSONOutput.print(tasks) }
            guard !tasks.isEmpty else { return print("no tasks") }
            let zone = TimeZone(identifier: config.defaults.timezone) ?? .current
            var table = TextTable(
                ["id", "member", "reason", "score", "owner", "branch", "due", "state"], rightAligned: [0])
            for task in tasks {
                table.add([
                    "\(task.id)", "\(task.memberNo) \(task.memberName)", task.reason,
                    task.score.map(String.init) ?? "-",
                    task.staffNo ?? "-", task.branchCode ?? "-", displayTime(task.dueAt, zone),
                    TaskCommand.state(task, now: now),
                ])
            }
            print(table.render())
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One task with the answer that opened it.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The task's number.") var id: Int64
        @Flag(help: "Print as JSON.") var json = false

        func run() async throws {
            let config = try global.loadConfig()
            let store = try global.openStore(config, readOnly: true)
            guard let task = try await store.task(id: id) else {
                printError("error: no task \(id)")
                throw ExitCode.failure
            }
            if json { return try JSONOutput.print(task) }
            TaskCommand.describe(task, zone: TimeZone(identifier: config.defaults.timezone) ?? .current)
        }
    }

    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark a task done; marketing to its member resumes.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The task's number.") var id: Int64
        @Option(help: "What was done (kept with the task).") var note: String?

        func run() async throws {
            let config = try global.loadConfig()
            let store = try global.openStore(config)
            switch try await store.closeTask(id: id, note: note, at: Date()) {
            case .closed(let task):
                print("task \(task.id) closed (member \(task.memberNo))")
            case .alreadyClosed(let task):
                printError("error: task \(task.id) is \(task.status.rawValue) already")
                throw ExitCode.failure
            case .notFound:
                printError("error: no task \(id)")
                throw ExitCode.failure
            }
        }
    }

    static func state(_ task: FollowUpTask, now: Date) -> String {
        var state = task.isOverdue(at: now) ? "overdue" : task.status.rawValue
        if task.escalatedAt != nil { state += ", escalated" }
        return state
    }

    static func describe(_ task: FollowUpTask, zone: TimeZone) {
        print("task \(task.id): \(task.reason), \(state(task, now: Date()))")
        print("  member   \(task.memberNo) \(task.memberName)\(task.branchCode.map { " (\($0))" } ?? "")")
        let owner = task.staffNo.map { "\($0) \(task.staffName ?? "")" } ?? "nobody (no manager, no branch manager)"
        print("  owner    \(owner)")
        if let score = task.score { print("  score    \(score)\(task.comment.map { " — \($0)" } ?? "")") }
        print("  opened   \(displayTime(task.createdAt, zone))")
        print("  due      \(displayTime(task.dueAt, zone))")
        if let at = task.escalatedAt { print("  escalated \(displayTime(at, zone))") }
        if let at = task.closedAt { print("  closed   \(displayTime(at, zone))\(task.note.map { ": \($0)" } ?? "")") }
    }
}

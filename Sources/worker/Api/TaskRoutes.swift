import CoreModel
import Foundation
import Hummingbird

/// /api/v1/tasks: follow-ups for staff, listed with `tidings task list`'s
/// filters and closed with a note as `tidings task close` does.
struct TaskRoutes: Sendable {
    let store: any Store

    struct Closing: Decodable {
        var note: String?

        enum CodingKeys: String, CodingKey, CaseIterable { case note }

        init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            note = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(String.self, forKey: .note)
        }
    }

    func register(on routes: ApiRoutes) {
        routes.on(.get, "tasks", needs: .read) { request, _, token in
            var status: FollowUpTask.Status? = .open
            if let text = request.query("status") {
                if text == "any" {
                    status = nil
                } else {
                    guard let given = FollowUpTask.Status(rawValue: text) else {
                        throw ApiError.invalid("status", "'\(text)' is not open, done, dropped or any")
                    }
                    status = given
                }
            }
            let overdue: Bool
            switch request.query("overdue") {
            case nil, "false": overdue = false
            case "true": overdue = true
            case let text?: throw ApiError.invalid("overdue", "'\(text)' is not true or false")
            }
            if overdue, status != .open {
                throw ApiError.invalid("overdue", "overdue lists open tasks; leave out status")
            }
            let filter = TaskFilter(
                staffNo: request.query("manager"), branchCode: request.query("branch"), reason: request.query("reason"),
                status: status, overdue: overdue, limit: try request.query("limit", default: 100, in: 1...1000))
            let tasks = try await store.tasks(filter, now: Date())
            return ApiJSON.response(["tasks": token.reveals ? tasks : tasks.map(Self.masked)])
        }
        routes.on(.post, "tasks/{id}/close", needs: .write) { request, context, _ in
            let text = try context.parameter("id")
            guard let id = Int64(text) else { throw ApiError.invalid("id", "'\(text)' is not a task number") }
            let closing = try await ApiJSON.decode(Closing.self, from: request)
            switch try await store.closeTask(id: id, note: closing.note, at: Date()) {
            case .closed(let task): return ApiJSON.response(task)
            case .alreadyClosed(let task): throw ApiError.conflict("task \(task.id) is \(task.status.rawValue) already")
            case .notFound: throw ApiError.notFound("no task \(id)")
            }
        }
    }

    /// What members and staff wrote (a survey comment, a note) may hold a number.
    static func masked(_ task: FollowUpTask) -> FollowUpTask {
        var copy = task
        copy.comment = task.comment.map(Redaction.text)
        copy.note = task.note.map(Redaction.text)
        return copy
    }
}

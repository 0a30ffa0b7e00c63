import CoreModel
import Foundation

/// The `survey:` section: which replies count as answers, and what a low
/// score sets in motion (a follow-up task for the member's manager, marketing
/// held while it is open, an escalation when it is overdue).
public struct SurveySettings: Sendable, Codable, Hashable {
    /// How long after a survey an SMS reply the provider links to nothing is still taken as its answer.
    public var windowHours: Int
    /// The keys of a survey that names none (the revisit automation): 1…scale.
    public var scale: Int
    /// A score at or below this opens a follow-up task; 0: never.
    public var lowScore: Int
    /// When the task is due, after the answer.
    public var taskDueHours: Int
    /// How often the worker looks for overdue tasks to escalate to the branch manager.
    public var escalationCheckMinutes: Int

    enum CodingKeys: String, CodingKey, CaseIterable {
        case windowHours = "window_hours", scale, lowScore = "low_score", taskDueHours = "task_due_hours"
        case escalationCheckMinutes = "escalation_check_minutes"
    }

    public static let defaults = SurveySettings(
        windowHours: 72, scale: 5, lowScore: 2, taskDueHours: 24, escalationCheckMinutes: 10)

    public init(windowHours: Int, scale: Int, lowScore: Int, taskDueHours: Int, escalationCheckMinutes: Int) {
        self.windowHours = windowHours
        self.scale = scale
        self.lowScore = lowScore
        self.taskDueHours = taskDueHours
        self.escalationCheckMinutes = escalationCheckMinutes
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self.defaults
        windowHours = try c.decodeIfPresent(Int.self, forKey: .windowHours) ?? d.windowHours
        scale = try c.decodeIfPresent(Int.self, forKey: .scale) ?? d.scale
        lowScore = try c.decodeIfPresent(Int.self, forKey: .lowScore) ?? d.lowScore
        taskDueHours = try c.decodeIfPresent(Int.self, forKey: .taskDueHours) ?? d.taskDueHours
        escalationCheckMinutes =
            try c.decodeIfPresent(Int.self, forKey: .escalationCheckMinutes) ?? d.escalationCheckMinutes
    }

    /// Values out of range, by key path under `path`.
    public func issues(path: [String]) -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        if !(1...720).contains(windowHours) {
            issues.append(
                .init(path: path + ["window_hours"], message: "\(windowHours) is not between 1 and 720 hours"))
        }
        if !(2...9).contains(scale) {
            issues.append(.init(path: path + ["scale"], message: "\(scale) is not between 2 and 9 (one key per score)"))
        }
        if !(0..<max(scale, 1)).contains(lowScore) {
            issues.append(
                .init(
                    path: path + ["low_score"],
                    message: "\(lowScore) is not between 0 (never) and \(scale - 1) (below the top score)"))
        }
        if !(1...720).contains(taskDueHours) {
            issues.append(
                .init(path: path + ["task_due_hours"], message: "\(taskDueHours) is not between 1 and 720 hours"))
        }
        if !(1...1440).contains(escalationCheckMinutes) {
            issues.append(
                .init(
                    path: path + ["escalation_check_minutes"],
                    message: "\(escalationCheckMinutes) is not between 1 and 1440 minutes"))
        }
        return issues
    }
}

import CoreModel
import Foundation

/// The `departments:` section: a list of departments, each named once.
public struct DepartmentDirectory: Sendable, Codable, Hashable {
    public var departments: [Department]

    public static let defaults = DepartmentDirectory([])

    public init(_ departments: [Department]) {
        self.departments = departments
    }

    public init(from decoder: Decoder) throws {
        departments = try decoder.singleValueContainer().decode([Department].self)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(departments)
    }

    /// The department a complaint names (`complaints.department`), compared as written.
    public func named(_ name: String) -> Department? {
        departments.first { $0.name == name }
    }

    /// Each entry's issues, and names given twice, by key path under `path`.
    public func issues(path: [String]) -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        var seen = Set<String>()
        for (index, department) in departments.enumerated() {
            issues += department.issues(path: path + [String(index)])
            if !seen.insert(department.name).inserted {
                issues.append(ConfigIssue(path: path + [String(index), "name"], message: "'\(department.name)' is listed twice"))
            }
        }
        return issues
    }
}

import CoreModel
import Foundation

/// The values every campaign message can use, for one member at send time.
/// Campaign values (`values:` in the file) never override the member's own.
public enum RecipientValues {
    public static let memberKeys: Set<String> = ["member_no", "member_name", "level", "points", "branch_name"]

    public static func values(member: Member, branchName: String?, campaignValues: [String: String], now: Date) -> [String: String] {
        var values = campaignValues
        values["member_no"] = member.memberNo
        values["member_name"] = member.name
        values["level"] = member.level.rawValue
        values["points"] = String(member.points)
        values["branch_name"] = branchName
        return values
    }
}

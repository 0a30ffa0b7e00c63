import CoreModel
import Foundation
import Hummingbird

/// /api/v1/members/{member_no}/timeline: a member's timeline (orders,
/// complaints, messages, receipts, replies, consent changes, tasks), newest
/// first, as `tidings member show` reads it; contacts masked unless the token reveals.
struct MemberRoutes: Sendable {
    let store: any Store

    struct Timeline: Encodable {
        var memberNo: String
        var name: String
        var level: String
        var phone: String?
        var email: String?
        var messageCount: Int
        var timeline: [MemberProfile.TimelineEntry]
    }

    func register(on routes: ApiRoutes) {
        routes.on(.get, "members/{member_no}/timeline", needs: .read) { request, context, token in
            let memberNo = try context.parameter("member_no")
            let limit = try request.query("limit", default: 50, in: 1...500)
            guard let found = try await store.memberProfile(memberNo: memberNo, timelineLimit: limit) else {
                throw ApiError.notFound("no member \(memberNo)")
            }
            let profile = token.reveals ? found : found.masked()
            let member = profile.member
            return ApiJSON.response(
                Timeline(
                    memberNo: member.memberNo, name: member.name, level: member.level.rawValue,
                    phone: member.phone.value,
                    email: member.email.value, messageCount: profile.messageCount, timeline: profile.timeline))
        }
    }
}

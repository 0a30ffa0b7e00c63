import CoreModel
import Foundation
import Hummingbird

/// /api/v1/messages: the outbox searched by member, phone number or campaign,
/// newest first, a page at a time; addresses masked unless the token reveals.
struct MessageRoutes: Sendable {
    let config: TidingsConfig
    let store: any Store

    static let subjects = ["member", "phone", "campaign"]

    struct Page: Encodable {
        var messages: [MessageSummary]
        /// Pass as `before_id` for the next page; nil on the last.
        var nextBeforeId: Int64?
    }

    func register(on routes: ApiRoutes) {
        routes.on(.get, "messages", needs: .read) { request, _, token in
            let given = Self.subjects.filter { request.query($0) != nil }
            guard given.count == 1, let name = given.first, let value = request.query(name) else {
                throw ApiError.invalid(
                    given.first ?? "member", "give exactly one of member, phone or campaign (found \(given.count))")
            }
            let limit = try request.query("limit", default: 50, in: 1...500)
            let beforeId = try request.query("before_id").map { text -> Int64 in
                guard let id = Int64(text), id > 0 else {
                    throw ApiError.invalid("before_id", "'\(text)' is not a message id")
                }
                return id
            }
            let subject: MessageQuery.Subject
            switch name {
            case "member": subject = .member(value)
            case "campaign": subject = .campaign(value)
            default:
                switch PhoneNumberNormalizer(defaultRegion: config.defaults.region).normalize(value) {
                case .success(let number): subject = .phone(number.e164)
                case .failure(let rejection): throw ApiError.invalid("phone", "'\(value)': \(rejection.reason)")
                }
            }
            let found = try await store.messages(MessageQuery(subject, limit: limit, beforeId: beforeId))
            let messages = token.reveals ? found : found.map { $0.masked() }
            return ApiJSON.response(Page(messages: messages, nextBeforeId: found.count == limit ? found.last?.id : nil))
        }
    }
}

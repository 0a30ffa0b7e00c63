import CoreModel
import Foundation
import Hummingbird

/// /api/v1/sends: one message through the outbox, as `tidings send` queues it
/// (`SingleSend`); `tidings run` sends it. The caller's idempotency key is
/// required, so a retried request never sends twice; it is kept as
/// `api:<key>`, apart from the keys the worker and the CLI write.
struct SendRoutes: Sendable {
    let config: TidingsConfig
    let store: any Store

    struct Body: Decodable {
        var channel: Channel
        var to: String
        var text: String?
        var template: String?
        var values: [String: String]
        var subject: String?
        var gateway: String?
        var member: String?
        var idempotencyKey: String

        enum CodingKeys: String, CodingKey, CaseIterable {
            case channel, to, text, template, values, subject, gateway, member, idempotencyKey = "idempotency_key"
        }

        init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            channel = try c.decode(Channel.self, forKey: .channel)
            to = try c.decode(String.self, forKey: .to)
            text = try c.decodeIfPresent(String.self, forKey: .text)
            template = try c.decodeIfPresent(String.self, forKey: .template)
            values = try c.decodeIfPresent([String: String].self, forKey: .values) ?? [:]
            subject = try c.decodeIfPresent(String.self, forKey: .subject)
            gateway = try c.decodeIfPresent(String.self, forKey: .gateway)
            member = try c.decodeIfPresent(String.self, forKey: .member)
            idempotencyKey = try c.decode(String.self, forKey: .idempotencyKey)
        }
    }

    struct Queued: Encodable {
        var id: Int64
        var idempotencyKey: String
        /// True when the key was used before: this is that message, not a second one.
        var duplicate: Bool
        var channel: Channel
        var to: String
        var status: MessageStatus?
    }

    static let maximumKey = 200

    func register(on routes: ApiRoutes) {
        routes.on(.post, "sends", needs: .write) { request, _, token in
            let body = try await ApiJSON.decode(Body.self, from: request)
            guard (body.text == nil) != (body.template == nil) else {
                throw ApiError.invalid(body.text == nil ? "text" : "template", "give exactly one of text or template")
            }
            let key = body.idempotencyKey.trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty, key.count <= Self.maximumKey else {
                throw ApiError.invalid("idempotency_key", "1 to \(Self.maximumKey) characters")
            }
            let send = SingleSend(
                channel: body.channel, to: body.to, text: body.text, template: body.template, values: body.values,
                subject: body.subject, gateway: body.gateway, memberNo: body.member, idempotencyKey: "api:\(key)")
            let queued: SingleSend.Queued
            do { queued = try await send.enqueue(into: store, config: config) } catch let refused as SingleSend.Refused
            {
                throw ApiError.invalid(refused.field, Redaction.text(refused.message))
            }
            let state = try await store.messageState(id: queued.id)
            return ApiJSON.response(
                Queued(
                    id: queued.id, idempotencyKey: key, duplicate: queued.duplicate, channel: body.channel,
                    to: token.reveals ? queued.address : Redaction.address(queued.address), status: state?.status),
                status: queued.duplicate ? .ok : .created)
        }
    }
}

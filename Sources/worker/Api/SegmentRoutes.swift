import CoreModel
import Foundation
import Hummingbird

/// /api/v1/segments: count and sample the members an audience expression
/// (or a saved segment's name) matches, as `tidings segment` does.
struct SegmentRoutes: Sendable {
    let config: TidingsConfig
    let store: any Store

    struct Query: Decodable {
        var audience: String
        var limit: Int?

        enum CodingKeys: String, CodingKey, CaseIterable { case audience, limit }

        init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            audience = try c.decode(String.self, forKey: .audience)
            limit = try c.decodeIfPresent(Int.self, forKey: .limit)
        }
    }

    func register(on routes: ApiRoutes) {
        routes.on(.post, "segments/count", needs: .read) { request, _, _ in
            let (body, query) = try await parse(request)
            return ApiJSON.response(Counted(audience: body.audience, members: try await query.count(in: store)))
        }
        routes.on(.post, "segments/sample", needs: .read) { request, _, token in
            let (body, query) = try await parse(request)
            let limit = body.limit ?? 10
            guard (1...SegmentQuery.sampleLimit).contains(limit) else {
                throw ApiError.invalid("limit", "from 1 to \(SegmentQuery.sampleLimit) (found \(limit))")
            }
            let members = try await query.sample(in: store, limit: limit, reveal: token.reveals)
            return ApiJSON.response(Sampled(audience: body.audience, members: members))
        }
    }

    struct Counted: Encodable {
        var audience: String
        var members: Int
    }

    struct Sampled: Encodable {
        var audience: String
        var members: [SegmentMember]
    }

    private func parse(_ request: Request) async throws -> (Query, SegmentQuery) {
        let body = try await ApiJSON.decode(Query.self, from: request)
        do {
            return (body, try SegmentQuery(body.audience, config: config))
        } catch {
            throw ApiError.invalid("audience", error.description, code: "invalid_segment")
        }
    }
}

import CoreModel
import Foundation
import Testing

@testable import worker

/// What the console's campaign editor asks while staff type: templates to
/// pick from and a preview of a definition that is not saved.
struct EditorApiTests {
    typealias Fixture = AdminApiFixture

    @Test func aDefinitionIsPreviewedWithoutBeingSaved() async throws {
        try await Fixture.run(members: 150) { api in
            let before = try await api.snapshot()
            let json = try Fixture.campaignJSON("new-dishes.yaml", config: api.config)
            let answer = try await api.call(.post, "/api/v1/campaign-previews?sample=1", token: api.tokens.read, body: json)
            #expect(answer.status == 200, "\(answer.text)")
            let count = try await api.call(
                .post, "/api/v1/segments/count", token: api.tokens.read,
                body: #"{"audience": "consent(sms, marketing) AND days_since_last_order <= 180"}"#)
            #expect(answer.json["audience"] as? Int == count.json["members"] as? Int, "\(count.text)")
            let renderings = try #require(answer.json["renderings"] as? [[String: Any]])
            #expect(renderings.contains { ($0["text"] as? String)?.contains("松鼠桂鱼") == true }, "\(renderings)")
            #expect((answer.json["sample"] as? [[String: Any]])?.count == 1)
            #expect(try await api.snapshot() == before, "nothing saved")
            #expect(try await api.store.campaign(named: "new-dishes") == nil)

            let broken = json.replacingOccurrences(of: #""template":"new-dishes""#, with: #""template":"no-such""#)
            let refused = try await api.call(.post, "/api/v1/campaign-previews", token: api.tokens.read, body: broken)
            #expect(refused.status == 422 && refused.issueFields.contains { $0.hasSuffix("template") }, "\(refused.text)")
            let badAudience = json.replacingOccurrences(of: "days_since_last_order <= 180", with: "days_since_last_order <=")
            let unparsable = try await api.call(
                .post, "/api/v1/campaign-previews", token: api.tokens.read, body: badAudience)
            #expect(unparsable.status == 422 && unparsable.issueFields.contains("audience"), "\(unparsable.text)")
        }
    }

    @Test func templatesAreListedWithTheirChannels() async throws {
        try await Fixture.run(members: 20) { api in
            let answer = try await api.call(.get, "/api/v1/templates", token: api.tokens.read)
            let templates = try #require(answer.json["templates"] as? [[String: Any]], "\(answer.text)")
            let newDishes = try #require(templates.first { $0["name"] as? String == "new-dishes" })
            #expect(newDishes["channels"] as? [String] == ["email", "sms"] && newDishes["locales"] as? [String] == ["zh-CN"])
            #expect(!templates.contains { ($0["name"] as? String ?? "_").hasPrefix("_") }, "partials are not offered")
        }
    }
}

/// GET /api/v1/branches for the console's branch page.
struct BranchApiTests {
    @Test func branchesAreListedWithContactsMaskedUnlessRevealed() async throws {
        try await AdminApiFixture.run(members: 20) { api in
            let read = try await api.call(.get, "/api/v1/branches", token: api.tokens.read)
            let branches = try #require(read.json["branches"] as? [[String: Any]], "\(read.text)")
            #expect(branches.count == 3)
            let codes = branches.compactMap { $0["code"] as? String }
            #expect(codes == codes.sorted())
            let phones = branches.compactMap { $0["phone"] as? String }
            #expect(!phones.isEmpty && phones.allSatisfy { $0.contains("***") }, "\(phones)")
            let revealed = try await api.call(.get, "/api/v1/branches", token: api.tokens.reveal)
            let full = (revealed.json["branches"] as? [[String: Any]] ?? []).compactMap { $0["phone"] as? String }
            #expect(full.count == phones.count && !full.contains { $0.contains("*") } && full != phones, "\(full)")
        }
    }
}

import Channels
import CoreModel
import Foundation
import Hummingbird
import TestSupport
import Testing

@testable import worker

/// The admin API as a client meets it: the real application on loopback,
/// a real SQLite file, bearer tokens from the store.
struct AdminApiTests {
    typealias Fixture = AdminApiFixture

    /// Path parameters that name things that exist, so a live route never answers 404.
    static func concrete(_ path: String, campaign: String, memberNo: String, task: Int64) -> String {
        path.replacingOccurrences(of: "{name}", with: campaign).replacingOccurrences(of: "{member_no}", with: memberNo)
            .replacingOccurrences(of: "{id}", with: "\(task)")
    }

    /// A body each write route would act on, were it let through.
    static func body(for method: String, _ path: String, campaignJSON: String) -> String? {
        guard method == "POST" else { return nil }
        switch path {
        case "/api/v1/campaigns", "/api/v1/campaign-previews": return campaignJSON
        case "/api/v1/sends":
            return #"{"channel": "sms", "to": "13812345678", "text": "您的订单已确认", "idempotency_key": "forbidden-1"}"#
        case "/api/v1/tasks/{id}/close": return #"{"note": "called back"}"#
        case "/api/v1/segments/count", "/api/v1/segments/sample": return #"{"audience": "level = 'gold'"}"#
        default: return nil
        }
    }

    @Test func noWrongOrRevokedTokenIs401OnEveryRoute() async throws {
        try await Fixture.run(members: 50) { api in
            let task = try await api.openTask()
            let operations = try Fixture.documentedOperations()
            #expect(operations.count >= 15)
            for operation in operations {
                let path = Self.concrete(operation.path, campaign: "new-dishes", memberNo: "M00000001", task: task)
                let method = OutboundRequest.Method(rawValue: operation.method)!
                let wrong = "tdg_" + String(repeating: "0", count: 64)
                for (token, authorization) in [
                    (nil, nil), (wrong, nil), (api.tokens.revoked, nil), (nil, "Basic cmVhZGVyOng="),
                ] {
                    let answer = try await api.call(
                        method, path, token: token, body: "{}", authorization: authorization)
                    #expect(
                        answer.status == 401,
                        "\(operation.method) \(path) with \(token == nil ? authorization ?? "none" : "a bad token")")
                    #expect(answer.errorCode == "unauthorized", "\(answer.text)")
                }
            }
            let revoked = try await api.call(.get, "/api/v1/campaigns", token: api.tokens.revoked)
            #expect(revoked.message == "this token was revoked")
        }
    }

    /// Each route marked `write` in the document refuses a read token with 403 before it reads
    /// its body, and the database is as it was; each route marked `read` answers a read token.
    @Test func aReadTokenOnEachWriteRouteIs403AndNothingChanges() async throws {
        try await Fixture.run(members: 200) { api in
            let json = try Fixture.campaignJSON("new-dishes.yaml", config: api.config)
            #expect(try await api.call(.post, "/api/v1/campaigns", token: api.tokens.write, body: json).status == 201)
            let task = try await api.openTask()
            let memberNo = try #require(
                try await api.store.sampleMembers(in: .all, limit: 1, now: Date()).first?.memberNo)
            let before = try await api.snapshot()
            let newCampaign = try Fixture.campaignJSON("new-dishes.yaml", name: "new-dishes-2", config: api.config)
            var writes = 0
            for operation in try Fixture.documentedOperations() {
                let path = Self.concrete(operation.path, campaign: "new-dishes", memberNo: memberNo, task: task)
                let method = OutboundRequest.Method(rawValue: operation.method)!
                let body = Self.body(for: operation.method, operation.path, campaignJSON: newCampaign)
                let answer = try await api.call(method, path, token: api.tokens.read, body: body)
                switch operation.scope {
                case "write":
                    writes += 1
                    #expect(answer.status == 403, "\(operation.method) \(path): \(answer.text)")
                    #expect(answer.errorCode == "forbidden")
                case "read":
                    #expect(
                        ![401, 403, 404, 405].contains(answer.status), "\(operation.method) \(path): \(answer.text)")
                default:
                    Issue.record("\(operation.method) \(operation.path) names no scope (x-tidings-scope)")
                }
            }
            #expect(writes == 7)
            #expect(try await api.snapshot() == before)
            #expect(try await api.store.campaign(named: "new-dishes")?.status == .draft)
        }
    }

    @Test func malformedJSONIsA400NamingWhereItBroke() async throws {
        try await Fixture.run(members: 20) { api in
            let token = api.tokens.write
            let broken = try await api.call(
                .post, "/api/v1/campaigns", token: token, body: #"{"name": "spring", "category": "#)
            #expect(broken.status == 400)
            #expect(broken.errorCode == "invalid_json" && broken.field == "body", "\(broken.text)")
            #expect(broken.message == "malformed JSON: the body ends too early", "\(broken.text)")
            for (body, place) in [
                (#"{"name": "spring",, }"#, "line 1, column 19"), ("{\n \"name\": x}", "line 2, column 10"),
            ] {
                let answer = try await api.call(.post, "/api/v1/campaigns", token: token, body: body)
                #expect(answer.status == 400 && answer.errorCode == "invalid_json", "\(answer.text)")
                #expect(answer.message?.hasPrefix("malformed JSON: \(place): ") == true, "\(answer.text)")
            }
            let empty = try await api.call(.post, "/api/v1/segments/count", token: token, body: "")
            #expect(empty.status == 400 && empty.field == "body", "\(empty.text)")

            let base =
                #""name": "spring", "category": "marketing", "audience": "level = 'gold'", "template": "new-dishes""#
            for (body, field) in [
                ("{\(base), \"channels\": \"sms\"}", "channels"),
                ("{\(base), \"channels\": [\"sms\", \"pigeon\"]}", "channels[1]"),
                ("{\(base), \"channels\": [\"sms\"], \"colour\": \"red\"}", "colour"),
                ("{\(base), \"channels\": [\"sms\"], \"control\": \"ten\"}", "control"),
                ("{\(base), \"channels\": [\"sms\"], \"variants\": [{\"weight\": 1}]}", "variants[0].name"),
                ("{\(base), \"channels\": [\"sms\"], \"schedule\": {\"cron\": 5}}", "schedule.cron"),
            ] {
                let answer = try await api.call(.post, "/api/v1/campaigns", token: token, body: body)
                #expect(answer.status == 400, "\(body): \(answer.text)")
                #expect(answer.errorCode == "invalid_field" && answer.field == field, "\(body): \(answer.text)")
            }
            let audience = try await api.call(.post, "/api/v1/segments/count", token: token, body: #"{"audience": 5}"#)
            #expect(audience.status == 400 && audience.field == "audience", "\(audience.text)")
            let segment = try await api.call(
                .post, "/api/v1/segments/count", token: token, body: #"{"audience": "points > 100 AND level = 'gold"}"#)
            #expect(
                segment.status == 400 && segment.errorCode == "invalid_segment" && segment.field == "audience",
                "\(segment.text)")
            let keyless = try await api.call(
                .post, "/api/v1/sends", token: token, body: #"{"channel": "sms", "to": "13812345678", "text": "hi"}"#)
            #expect(keyless.status == 400 && keyless.field == "idempotency_key", "\(keyless.text)")
            let limit = try await api.call(.get, "/api/v1/messages?campaign=x&limit=0", token: token)
            #expect(limit.status == 400 && limit.field == "limit", "\(limit.text)")
            #expect(try await api.store.campaigns().isEmpty, "nothing was stored")
        }
    }

    /// The same definition as the CLI's test of a checked file, posted as JSON:
    /// the same problems under the same key paths, and nothing stored.
    @Test func aBadCampaignDefinitionNamesTheFieldsTheFileCheckNames() async throws {
        try await Fixture.run(members: 20) { api in
            let body = """
                {"name": "spring", "category": "marketing", "audience": "high_value", "channels": ["sms"],
                 "template": "no-such-template", "control": 80, "throttle": 0,
                 "variants": [{"name": "A", "weight": 1}, {"name": "A", "weight": -1}],
                 "schedule": {"cron": "0 25 * * *"}}
                """
            let answer = try await api.call(.post, "/api/v1/campaigns", token: api.tokens.write, body: body)
            #expect(answer.status == 422, "\(answer.text)")
            #expect(answer.errorCode == "invalid_definition")
            for field in [
                "audience", "template", "control", "throttle", "variants[1].name", "variants[1].weight",
                "schedule.cron",
            ] {
                #expect(answer.issueFields.contains(field), "missing \(field) in \(answer.text)")
            }
            #expect(answer.field == answer.issueFields.first)
            #expect(try await api.store.campaigns().isEmpty)
        }
    }

    /// Created, previewed, launched (once), paused, resumed and cancelled through the
    /// API: the states and events `tidings campaign` gives, the API's token as the actor.
    @Test func aWriteTokenTakesACampaignThroughItsLifeAsTheCLIDoes() async throws {
        try await Fixture.run { api in
            let token = api.tokens.write
            let json = try Fixture.campaignJSON("new-dishes.yaml", config: api.config)
            let created = try await api.call(.post, "/api/v1/campaigns", token: token, body: json)
            #expect(created.status == 201, "\(created.text)")
            #expect(created.json["status"] as? String == "draft" && created.json["created"] as? Bool == true)
            let again = try await api.call(.post, "/api/v1/campaigns", token: token, body: json)
            #expect(again.status == 200 && again.json["created"] as? Bool == false, "\(again.text)")

            let preview = try await api.call(
                .post, "/api/v1/campaigns/new-dishes/preview?sample=2", token: api.tokens.read)
            #expect(preview.status == 200, "\(preview.text)")
            let audience = try #require(preview.json["audience"] as? Int)
            #expect(audience > 0)
            #expect(preview.json["errors"] as? Int == 0, "\(preview.text)")
            let sample = try #require(preview.json["sample"] as? [[String: Any]])
            #expect(
                sample.count == 2 && sample.allSatisfy { ($0["phone"] as? String)?.contains("****") ?? true },
                "\(sample)")
            let renderings = try #require(preview.json["renderings"] as? [[String: Any]])
            #expect(
                renderings.contains { ($0["sms"] as? [String: Any])?["segments"] as? Int ?? 0 >= 1 }, "\(renderings)")

            let launch = try await api.call(.post, "/api/v1/campaigns/new-dishes/launch", token: token)
            #expect(launch.status == 200, "\(launch.text)")
            #expect(launch.json["status"] as? String == "running" && launch.json["changed"] as? Bool == true)
            let queued = try #require((launch.json["fan_out"] as? [String: Any])?["queued"] as? Int)
            #expect(queued > 0, "\(launch.text)")
            let relaunch = try await api.call(.post, "/api/v1/campaigns/new-dishes/launch", token: token)
            #expect(relaunch.json["changed"] as? Bool == false, "\(relaunch.text)")
            #expect(
                (relaunch.json["fan_out"] as? [String: Any])?["queued"] as? Int == 0,
                "nothing queued twice: \(relaunch.text)")

            for (action, status) in [
                ("pause", "paused"), ("pause", "paused"), ("resume", "running"), ("cancel", "cancelled"),
            ] {
                let answer = try await api.call(.post, "/api/v1/campaigns/new-dishes/\(action)", token: token)
                #expect(answer.status == 200 && answer.json["status"] as? String == status, "\(action): \(answer.text)")
                #expect(try await api.store.campaign(named: "new-dishes")?.status.rawValue == status)
            }
            let refused = try await api.call(.post, "/api/v1/campaigns/new-dishes/resume", token: token)
            #expect(refused.status == 409 && refused.errorCode == "refused", "\(refused.text)")
            #expect(refused.message?.contains("cannot resume a campaign that is cancelled") == true, "\(refused.text)")
            let changed = try await api.call(
                .post, "/api/v1/campaigns", token: token, body: json.replacingOccurrences(of: "松鼠桂鱼", with: "佛跳墙"))
            #expect(changed.status == 409, "a launched campaign keeps its definition: \(changed.text)")

            let shown = try await api.call(.get, "/api/v1/campaigns/new-dishes", token: api.tokens.read)
            #expect(shown.status == 200 && shown.json["status"] as? String == "cancelled", "\(shown.text)")
            let events = try #require(shown.json["events"] as? [[String: Any]])
            for event in ["created", "launch", "fanned_out", "pause", "resume", "cancel"] {
                #expect(events.contains { $0["event"] as? String == event }, "\(event) in \(events)")
            }
            #expect(events.contains { $0["event"] as? String == "launch" && $0["actor"] as? String == "api:writer" })
            let definition = try #require(shown.json["definition"] as? [String: Any])
            #expect(definition["expires"] as? String == "3d" && definition["throttle"] as? Int == 6000)
            let counts = try #require(shown.json["counts"] as? [[String: Any]])
            #expect(
                Set(counts.compactMap { $0["variant"] as? String }) == ["A", "B"],
                "variant names are data, kept as written")

            let list = try await api.call(.get, "/api/v1/campaigns", token: api.tokens.read)
            let listed = try #require((list.json["campaigns"] as? [[String: Any]])?.first)
            #expect(listed["name"] as? String == "new-dishes" && listed["status"] as? String == "cancelled")
            #expect(
                ((listed["messages"] as? [String: Any])?["suppressed"] as? Int ?? 0) > 0,
                "cancelled messages: \(listed)")

            let missing = try await api.call(.post, "/api/v1/campaigns/nope/pause", token: token)
            #expect(missing.status == 404 && missing.errorCode == "not_found")
        }
    }

    @Test func messageSearchMasksPhonesUnlessTheTokenReveals() async throws {
        try await Fixture.run(members: 50) { api in
            let member = try #require(
                try await api.store.sampleMembers(in: .all, limit: 50, now: Date()).first { $0.phone != nil })
            let phone = try #require(member.phone)
            let national = String(phone.dropFirst(3))
            let send = """
                {"channel": "sms", "to": "\(national)", "text": "您的订单已确认", "member": "\(member.memberNo)",
                 "idempotency_key": "order-1"}
                """
            let queued = try await api.call(.post, "/api/v1/sends", token: api.tokens.write, body: send)
            #expect(queued.status == 201, "\(queued.text)")
            #expect((queued.json["to"] as? String)?.contains("****") == true && !queued.text.contains(national))
            let id = try #require(queued.json["id"] as? Int)
            let duplicate = try await api.call(.post, "/api/v1/sends", token: api.tokens.reveal, body: send)
            #expect(
                duplicate.status == 200 && duplicate.json["duplicate"] as? Bool == true
                    && duplicate.json["id"] as? Int == id)
            #expect(duplicate.json["to"] as? String == phone)
            #expect(try await api.store.messageStates(idempotencyKeys: ["api:order-1"]).count == 1)
            let stranger = #"{"channel": "sms", "to": "13900001111", "text": "hi", "idempotency_key": "walk-in"}"#
            #expect(try await api.call(.post, "/api/v1/sends", token: api.tokens.write, body: stranger).status == 201)
            let badNumber = try await api.call(
                .post, "/api/v1/sends", token: api.tokens.write,
                body: #"{"channel": "sms", "to": "12", "text": "hi", "idempotency_key": "k"}"#)
            #expect(badNumber.status == 400 && badNumber.field == "to", "\(badNumber.text)")

            for query in ["phone=\(national)", "phone=%2B\(phone.dropFirst())", "member=\(member.memberNo)"] {
                let masked = try await api.call(.get, "/api/v1/messages?\(query)", token: api.tokens.read)
                #expect(masked.status == 200, "\(masked.text)")
                let messages = try #require(masked.json["messages"] as? [[String: Any]])
                #expect(messages.map { $0["id"] as? Int } == [id], "\(query): \(masked.text)")
                #expect(!masked.text.contains(national), "the number is masked: \(masked.text)")
                #expect((messages.first?["address"] as? String)?.contains("****") == true)
                let revealed = try await api.call(.get, "/api/v1/messages?\(query)", token: api.tokens.reveal)
                #expect((revealed.json["messages"] as? [[String: Any]])?.first?["address"] as? String == phone)
            }
            let walkIn = try await api.call(.get, "/api/v1/messages?phone=13900001111", token: api.tokens.reveal)
            #expect((walkIn.json["messages"] as? [[String: Any]])?.count == 1, "a number no member has: \(walkIn.text)")
            let both = try await api.call(
                .get, "/api/v1/messages?phone=\(national)&member=\(member.memberNo)", token: api.tokens.read)
            #expect(both.status == 400, "\(both.text)")

            let timeline = try await api.call(
                .get, "/api/v1/members/\(member.memberNo)/timeline", token: api.tokens.read)
            #expect(timeline.status == 200, "\(timeline.text)")
            #expect((timeline.json["phone"] as? String)?.contains("****") == true && !timeline.text.contains(national))
            let full = try await api.call(.get, "/api/v1/members/\(member.memberNo)/timeline", token: api.tokens.reveal)
            #expect(full.json["phone"] as? String == phone)
            #expect(try await api.call(.get, "/api/v1/members/NOPE/timeline", token: api.tokens.read).status == 404)
        }
    }

    @Test func messagesOfACampaignComeAPageAtATime() async throws {
        try await Fixture.run { api in
            let json = try Fixture.campaignJSON("new-dishes.yaml", config: api.config)
            #expect(try await api.call(.post, "/api/v1/campaigns", token: api.tokens.write, body: json).status == 201)
            let launch = try await api.call(.post, "/api/v1/campaigns/new-dishes/launch", token: api.tokens.write)
            let queued = try #require((launch.json["fan_out"] as? [String: Any])?["queued"] as? Int)
            var seen: [Int] = []
            var path = "/api/v1/messages?campaign=new-dishes&limit=7"
            for _ in 0..<100 {
                let page = try await api.call(.get, path, token: api.tokens.read)
                let messages = try #require(page.json["messages"] as? [[String: Any]])
                seen += messages.compactMap { $0["id"] as? Int }
                #expect(messages.allSatisfy { $0["campaign"] as? String == "new-dishes" })
                guard let next = page.json["next_before_id"] as? Int else { break }
                path = "/api/v1/messages?campaign=new-dishes&limit=7&before_id=\(next)"
            }
            #expect(seen.count == queued && Set(seen).count == queued, "every message once")
            #expect(seen == seen.sorted(by: >), "newest first")
        }
    }

    @Test func tasksAreListedAndClosedOnce() async throws {
        try await Fixture.run(members: 20) { api in
            let id = try await api.openTask()
            let open = try await api.call(.get, "/api/v1/tasks", token: api.tokens.read)
            #expect(
                (open.json["tasks"] as? [[String: Any]])?.compactMap { $0["id"] as? Int } == [Int(id)], "\(open.text)")
            let wrong = try await api.call(.get, "/api/v1/tasks?status=later", token: api.tokens.read)
            #expect(wrong.status == 400 && wrong.field == "status")
            let closed = try await api.call(
                .post, "/api/v1/tasks/\(id)/close", token: api.tokens.write, body: #"{"note": "called back"}"#)
            #expect(
                closed.status == 200 && closed.json["status"] as? String == "done"
                    && closed.json["note"] as? String == "called back")
            let twice = try await api.call(.post, "/api/v1/tasks/\(id)/close", token: api.tokens.write, body: "{}")
            #expect(twice.status == 409, "\(twice.text)")
            #expect(
                try await api.call(.post, "/api/v1/tasks/999/close", token: api.tokens.write, body: "{}").status == 404)
            let done = try await api.call(.get, "/api/v1/tasks?status=done", token: api.tokens.read)
            #expect((done.json["tasks"] as? [[String: Any]])?.count == 1)
            let segment = try await api.call(
                .post, "/api/v1/segments/sample", token: api.tokens.read,
                body: #"{"audience": "points >= 0", "limit": 3}"#)
            #expect((segment.json["members"] as? [[String: Any]])?.count == 3, "\(segment.text)")
        }
    }

    /// docs/openapi.json and the router: every documented operation is a live route
    /// (with a valid token it answers neither 404 nor 405), and every /api/v1 route the
    /// application has is documented.
    @Test func theOpenAPIDocumentAndTheLiveRoutesMatch() async throws {
        try await Fixture.run(members: 100) { api in
            let json = try Fixture.campaignJSON("new-dishes.yaml", config: api.config)
            #expect(try await api.call(.post, "/api/v1/campaigns", token: api.tokens.write, body: json).status == 201)
            let task = try await api.openTask()
            let memberNo = try #require(
                try await api.store.sampleMembers(in: .all, limit: 1, now: Date()).first?.memberNo)
            let documented = try Fixture.documentedOperations()
            let routes = WebServer.router(api.setup, registry: nil, metrics: nil).routes
                .filter { $0.path.description.hasPrefix(AdminApi.prefix) }
                .map { "\($0.method.rawValue) \($0.path)" }
            #expect(Set(routes) == Set(documented.map { "\($0.method) \($0.path)" }))
            #expect(Set(routes).count == routes.count)
            for operation in documented {
                let path = Self.concrete(operation.path, campaign: "new-dishes", memberNo: memberNo, task: task)
                let method = OutboundRequest.Method(rawValue: operation.method)!
                let answer = try await api.call(
                    method, path, token: api.tokens.reveal, body: operation.method == "POST" ? "{}" : nil)
                #expect(
                    ![404, 405].contains(answer.status), "\(operation.method) \(path): \(answer.status) \(answer.text)")
                #expect(answer.text.hasPrefix("{"), "answered in JSON: \(answer.text)")
            }
            let document = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: Fixture.document)) as? [String: Any])
            #expect((document["openapi"] as? String)?.hasPrefix("3.1") == true)
        }
    }
}

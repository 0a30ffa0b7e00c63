import Channels
import CoreModel
import Foundation
import Scheduler
import Testing

@testable import worker

struct ConfigLoaderTests {
    func load(_ yaml: String, environment: [String: String] = [:]) throws -> ConfigLoader.Loaded {
        try ConfigLoader.parse(yaml, file: "tidings.yaml", environment: environment)
    }

    func failure(_ yaml: String) -> ConfigLoader.Located? {
        do {
            _ = try load(yaml)
            return nil
        } catch let error as ConfigLoader.Located {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test func starterConfigIsValid() throws {
        let loaded = try load(StarterConfig.text(databasePath: "x.sqlite"), environment: ["TIDINGS_ADMIN_TOKEN": "s3cret-token"])
        #expect(loaded.config.database.path == "x.sqlite")
        #expect(loaded.config.gateways.first?.name == "simulator")
        #expect(loaded.config.gateways.first?.maxInFlight == 64)
        #expect(loaded.config.server.adminToken?.value == "s3cret-token")
        #expect(loaded.warnings.map(\.keyPath) == ["server.webhook_secret"])
    }

    @Test func remoteProvidersNeedAPublicURLForTheirCallbacks() throws {
        let remote = """
            gateways:
              - {name: aliyun, kind: aliyun, channels: [sms], url: "https://dysmsapi.aliyuncs.com/"}
            transport:
              allow: [media.example.cn]
            """
        let unset = try load(remote)
        let warning = try #require(unset.warnings.first { $0.keyPath == "server.public_url" })
        #expect(warning.message.contains("http://127.0.0.1:8080") && warning.message.contains("aliyun"), "\(warning)")
        #expect(unset.config.transport.allow == ["media.example.cn"])
        let loopback = try load(remote + "\nserver: {public_url: \"http://localhost:8080\"}\n")
        #expect(loopback.warnings.contains { $0.keyPath == "server.public_url" && $0.line == 5 }, "\(loopback.warnings)")
        let set = try load(remote + "\nserver: {public_url: \"https://tidings.example.cn\"}\n")
        #expect(!set.warnings.contains { $0.keyPath == "server.public_url" })
        // The simulator on loopback needs nothing.
        #expect(try load(StarterConfig.text(databasePath: "x.sqlite")).warnings.allSatisfy { $0.keyPath != "server.public_url" })
        let bad = try #require(failure("transport:\n  allow: [\"https://x.example.com/\"]\n"))
        #expect(bad.keyPath == "transport.allow[0]" && bad.line == 2, "\(bad)")
    }

    @Test func aWebhookSecretShorterThan32BytesIsRefused() throws {
        let yaml = "server:\n  bind: 127.0.0.1:8080\n  webhook_secret: ${HOOK}\n"
        let short = try #require(
            { () -> ConfigLoader.Located? in
                do { _ = try load(yaml, environment: ["HOOK": String(repeating: "x", count: 31)]) } catch let error as ConfigLoader.Located {
                    return error
                } catch { Issue.record("\(error)") }
                return nil
            }())
        #expect(short.keyPath == "server.webhook_secret" && short.line == 3, "\(short)")
        #expect(short.message.contains("at least 32 bytes"))
        #expect(try load(yaml, environment: ["HOOK": String(repeating: "x", count: 32)]).config.server.webhookSecret?.value?.count == 32)
    }

    @Test func builtInDefaultsAreValid() {
        #expect(TidingsConfig.defaults.validate().isEmpty)
    }

    @Test func starterConfigSpellsOutTheAutomationDefaults() throws {
        let loaded = try load(StarterConfig.text(databasePath: "x.sqlite"), environment: ["TIDINGS_ADMIN_TOKEN": "t"])
        #expect(loaded.config.automations == TidingsConfig.defaults.automations)
    }

    @Test func automationMistakesNameTheirKeyPathAndLine() throws {
        let unknown = try #require(failure("""
            automations:
              reservation_reminder:
                hours_befor: 2
            """))
        #expect(unknown.keyPath == "automations.reservation_reminder.hours_befor")
        #expect(unknown.line == 3)
        let invalid = try #require(failure("""
            automations:
              order_confirmation: {enabled: true, channels: [sms], template: order-confirmation, delay_seconds: -30}
              win_back:
                template: ../promotion
            """))
        #expect(invalid.keyPath == "automations.order_confirmation.delay_seconds")
        #expect(invalid.line == 2)
        #expect(invalid.message.contains("automations.win_back.template: '../promotion' is not a template name"))
        let channel = try #require(failure("automations:\n  revisit_survey:\n    channels: [sms, telegram]\n"))
        #expect(channel.keyPath == "automations.revisit_survey.channels[1]")
    }

    @Test func departmentMistakesNameTheirFieldAndLine() throws {
        let bad = try #require(failure("""
            departments:
              - {name: 配送部, email: delivery@example.com, due_hours: 4}
              - name: 厨房
                fax: "020-8888"
            """))
        #expect(bad.keyPath == "departments[1].fax" && bad.line == 4, "\(bad)")
        #expect(bad.message.contains("not an international number"), "\(bad)")
        let none = try #require(failure("departments:\n  - {name: 前厅, due_hours: 0}\n"))
        #expect(none.keyPath == "departments[0].name" && none.message.contains("no email, phone or fax"), "\(none)")
        #expect(none.message.contains("departments[0].due_hours"), "\(none)")
        let twice = try #require(failure("departments:\n  - {name: 厨房, phone: \"+8613800000001\"}\n  - {name: 厨房, email: k@example.com}\n"))
        #expect(twice.keyPath == "departments[1].name" && twice.line == 3, "\(twice)")
        let unknown = try #require(failure("departments:\n  - {name: 厨房, phone: \"+8613800000001\", due: 4}\n"))
        #expect(unknown.keyPath == "departments[0].due", "\(unknown)")
        let voice = try #require(failure("automations:\n  complaint_work_order:\n    channels: [email, voice]\n"))
        #expect(voice.keyPath == "automations.complaint_work_order.channels[1]", "\(voice)")
        let loaded = try load(StarterConfig.text(databasePath: "x.sqlite"), environment: ["TIDINGS_ADMIN_TOKEN": "t"])
        #expect(loaded.config.departments.named("厨房")?.fax == "+862088880102")
        #expect(loaded.config.complaintQuery.keyword == "查询")
    }

    @Test func branchTicketMistakesNameTheirKeyPath() throws {
        let voice = try #require(failure("automations:\n  branch_ticket:\n    channels: [fax, voice]\n"))
        #expect(voice.keyPath == "automations.branch_ticket.channels[1]" && voice.line == 3, "\(voice)")
        let slot = try #require(failure("automations:\n  branch_ticket:\n    slot_minutes: 7\n"))
        #expect(slot.keyPath == "automations.branch_ticket.slot_minutes" && slot.message.contains("1440"), "\(slot)")
        let unknown = try #require(failure("automations:\n  branch_ticket:\n    lead: 60\n"))
        #expect(unknown.keyPath == "automations.branch_ticket.lead", "\(unknown)")
        #expect(unknown.message.contains("unknown key 'lead'"), "\(unknown)")
        let kind = try #require(failure("automations:\n  branch_ticket:\n    kinds: [delivery, takeaway]\n"))
        #expect(kind.keyPath == "automations.branch_ticket.kinds[1]", "\(kind)")
        let loaded = try load("automations:\n  branch_ticket:\n    channels: [email, fax]\n    lead_minutes: 120\n")
        #expect(loaded.config.automations.branchTicket.channels == [.email, .fax])
        let tickets = loaded.config.automations.branchTicket
        #expect(tickets.leadMinutes == 120 && tickets.ackMinutes == 15)
    }

    @Test func emptyFileGivesDefaults() throws {
        #expect(try load("").config.defaults.timezone == "Asia/Shanghai")
    }

    @Test func unknownKeyNamesPathAndLine() throws {
        let error = try #require(failure("""
            database:
              path: a.sqlite
            quiet_hours:
              start: "21:00"
              finish: "08:00"
            """))
        #expect(error.line == 5)
        #expect(error.keyPath == "quiet_hours.finish")
        #expect(error.message.contains("unknown key 'finish'"))
        #expect(error.description.hasPrefix("tidings.yaml:5:"))
    }

    @Test func dispatchDurationsAreReadAndBadOnesNamed() throws {
        let config = try load("dispatch:\n  receipt_timeout: {sms: 48h, email: 90m}\n  failover_after_unanswered: {sms: 30m}\n").config
        #expect(config.dispatch.receiptTimeouts == [.sms: 48 * 3600, .email: 90 * 60])
        #expect(config.dispatch.failoverAfterUnanswered == [.sms: 1800])
        #expect(try load("").config.dispatch.receiptTimeouts[.sms] == 72 * 3600)
        #expect(try load("").config.dispatch.failoverAfterUnanswered.isEmpty, "never, unless configured")
        let duration = try #require(failure("dispatch:\n  receipt_timeout:\n    sms: soon\n"))
        #expect(duration.line == 3)
        #expect(duration.keyPath == "dispatch.receipt_timeout.sms")
        #expect(duration.message.contains("'soon' is not a duration"))
        let channel = try #require(failure("dispatch:\n  failover_after_unanswered: {pigeon: 30m}\n"))
        #expect(channel.keyPath == "dispatch.failover_after_unanswered.pigeon")
        #expect(channel.message.contains("unknown channel 'pigeon'"))
    }

    @Test func wrongTypeNamesPathAndLine() throws {
        let error = try #require(failure("""
            gateways:
              - name: sim
                kind: simulator
                channels: [sms]
                rate: fast
            """))
        #expect(error.line == 5)
        #expect(error.keyPath == "gateways[0].rate")
        #expect(error.message.contains("expected a number"))
        #expect(error.message.contains("'fast'"))
    }

    @Test func unknownEnumValueNamesPath() throws {
        let error = try #require(failure("""
            gateways:
              - name: sim
                kind: simulator
                channels: [sms, pigeon]
            """))
        #expect(error.keyPath == "gateways[0].channels[1]")
        #expect(error.line == 4)
    }

    /// The kind is an enum decoded strictly: an unknown one is refused like any bad value.
    @Test func unknownGatewayKindNamesPathAndLine() throws {
        let error = try #require(failure("""
            gateways:
              - name: sim
                kind: pigeon
                channels: [sms]
            """))
        #expect(error.keyPath == "gateways[0].kind")
        #expect(error.line == 3)
        #expect(error.message == "unknown kind 'pigeon' (one of kannel, http, twilio, aliyun, smtp, simulator)")
    }

    @Test func everyGatewayKindDecodes() throws {
        for kind in GatewayKind.allCases {
            let loaded = try load("gateways:\n  - {name: g, kind: \(kind.rawValue), channels: [\(kind.supportedChannels[0].rawValue)]}\n")
            #expect(loaded.config.gateways.first?.kind == kind)
        }
    }

    @Test func missingRequiredKey() throws {
        let error = try #require(failure("""
            gateways:
              - name: sim
                channels: [sms]
            """))
        #expect(error.keyPath == "gateways[0]")
        #expect(error.message.contains("missing required key 'kind'"))
        #expect(error.line == 2)
    }

    @Test func validationErrorsCarryLines() throws {
        let error = try #require(failure("""
            defaults:
              timezone: Mars/Olympus
            quiet_hours:
              start: "25:00"
            """))
        #expect(error.line == 2)
        #expect(error.keyPath == "defaults.timezone")
        #expect(error.message.contains("quiet_hours.start"))
    }

    /// opt_out keys left out keep their defaults; null switches the keypad key or the confirmation off.
    @Test func optOutKeysLeftOutOrNull() throws {
        let off = try ConfigLoader.parse("opt_out: {keypad: null, confirmation: null}", file: "t.yaml", environment: [:]).config
        #expect(off.optOut.keypad == nil && off.optOut.confirmation == nil)
        #expect(off.optOut.keywords == OptOutSettings.defaults.keywords)
        let kept = try ConfigLoader.parse("opt_out: {keypad: \"0\"}", file: "t.yaml", environment: [:]).config
        #expect(kept.optOut.keypad == "0" && kept.optOut.confirmation == OptOutSettings.defaults.confirmation)
    }

    /// survey keys left out keep their defaults and reach the feedback rules; a bad value names its key and line.
    @Test func surveySettingsAndErrors() throws {
        let loaded = try ConfigLoader.parse("survey: {low_score: 3, window_hours: 24}", file: "t.yaml", environment: [:]).config
        #expect(loaded.survey.lowScore == 3 && loaded.survey.taskDueHours == SurveySettings.defaults.taskDueHours)
        #expect(loaded.feedbackRules.survey == loaded.survey && loaded.feedbackRules.surveyWindow == 24 * 3600)
        let error = try #require(failure("""
            survey:
              scale: 5
              low_score: 5
            """))
        #expect(error.keyPath == "survey.low_score" && error.line == 3, "\(error)")
        let unknown = try #require(failure("survey: {threshold: 2}"))
        #expect(unknown.keyPath?.hasPrefix("survey") == true, "\(unknown)")
    }

    /// rfm left out is on with its defaults; null or enabled: false turns the nightly recompute off;
    /// a bad time names its key and line.
    @Test func rfmDefaultsOffAndErrors() throws {
        let defaults = try ConfigLoader.parse("templates: templates", file: "t.yaml", environment: [:]).config
        #expect(defaults.rfm == RFMSettings.defaults)
        #expect(defaults.rfm?.schedule == RFMSchedule(minuteOfDay: 3 * 60 + 30, timeZone: TimeZone(identifier: "Asia/Shanghai")!))
        #expect(defaults.rfm?.windowDays == 365)
        let off = try ConfigLoader.parse("rfm: null", file: "t.yaml", environment: [:]).config
        #expect(off.rfm == nil)
        let disabled = try ConfigLoader.parse("rfm: {enabled: false, at: \"02:00\"}", file: "t.yaml", environment: [:]).config
        #expect(disabled.rfm?.enabled == false && disabled.rfm?.at == "02:00" && disabled.rfm?.window == "365d")
        let error = try #require(failure("""
            rfm:
              window: 26w
              at: "3:30"
            """))
        #expect(error.keyPath == "rfm.at" && error.line == 3, "\(error)")
        let zone = try #require(failure("rfm: {time_zone: Mars/Olympus}"))
        #expect(zone.keyPath == "rfm.time_zone", "\(zone)")
    }

    /// Allocation rules: a level that does not exist and a rule naming no manager are errors at
    /// their key path and line; a good section becomes the allocator's rules.
    @Test func allocationRulesAreChecked() throws {
        let good = try ConfigLoader.parse(
            "allocation:\n  rules:\n    - {levels: [diamond], only: [S0002]}\n    - {branches: [B003], never: [S0010]}",
            file: "t.yaml", environment: [:]
        ).config
        #expect(good.allocation.allocator.rules == [
            ManagerAllocator.Rule(levels: [.diamond], only: ["S0002"]), ManagerAllocator.Rule(branches: ["B003"], never: ["S0010"]),
        ])
        let level = try #require(failure("""
            allocation:
              rules:
                - levels: [gold, vip]
                  only: [S0002]
            """))
        #expect(level.keyPath == "allocation.rules.0.levels.1" || level.keyPath == "allocation.rules[0].levels[1]", "\(level)")
        #expect(level.line == 3 && level.message.contains("'vip' is not a member level"), "\(level)")
        let empty = try #require(failure("allocation:\n  rules:\n    - {levels: [gold]}"))
        #expect(empty.message.contains("names no managers"), "\(empty)")
        #expect(try #require(failure("allocation: {rules: [{level: [gold], only: [S1]}]}")).message.contains("level"))
    }

    /// A saved segment that does not parse names its key, line and column in the expression.
    @Test func savedSegmentsAreCheckedWhenLoaded() throws {
        let error = try #require(failure("""
            segments:
              fine: "level = gold"
              broken: "points >= AND level = gold"
            """))
        #expect(error.keyPath == "segments.broken")
        #expect(error.line == 3)
        #expect(error.message.contains("column 11: expected a whole number for points, found 'AND'"), "\(error.message)")
    }

    @Test func yamlSyntaxErrorHasLine() throws {
        let error = try #require(failure("database:\n  path: [unclosed\n"))
        #expect(error.line != nil)
        #expect(error.message.contains("YAML syntax"))
    }

    @Test func secretsAreMaskedWhenPrinted() throws {
        let loaded = try load("server:\n  admin_token: ${ADMIN}\n", environment: ["ADMIN": "very-secret-value"])
        let data = try JSONEncoder().encode(loaded.config)
        let text = String(decoding: data, as: UTF8.self)
        #expect(!text.contains("very-secret-value"))
        #expect(text.contains("${ADMIN} (set)"))
        let plain = try load("server:\n  admin_token: hunter2\n")
        #expect(plain.warnings.first?.message.contains("use ${ENV_VAR}") == true)
        #expect(!String(describing: plain.config.server.adminToken!).contains("hunter2"))
    }

    /// SendBatchSms takes at most 100 numbers: a larger batch_size is a config error by key path.
    @Test func aliyunBatchSizeIsChecked() throws {
        func build(_ batchSize: String) throws -> GatewayRegistry {
            let config = try load("""
                gateways:
                  - name: ali
                    kind: aliyun
                    channels: [sms]
                    url: http://127.0.0.1:9/aliyun
                    credentials: {access_key_id: ALI_ID, access_key_secret: ALI_SECRET}
                    options: {sign_name: 鸿福楼, template: SMS_1, batch_size: "\(batchSize)"}
                """, environment: ["ALI_ID": "id", "ALI_SECRET": "secret"]).config
            let transport = CurlTransport()
            defer { transport.shutdown() }
            return try GatewayRegistry.build(config: config, transport: transport, signer: WebhookSigner(secret: "s"))
        }
        let gateway = try #require(try build("100").gateways["ali"] as? AliyunSMSGateway)
        #expect(gateway.settings.batchSize == 100)
        for bad in ["101", "0", "ten"] {
            #expect { try build(bad) } throws: { error in
                (error as? GatewayRegistry.BuildError)?.issues.map { $0.path.joined(separator: ".") } == ["gateways.0.options.batch_size"]
            }
        }
    }

    @Test func emailRetriesOnTheMailScheduleUnlessConfiguredAndBadSchedulesAreNamed() throws {
        let defaults = try load("").config.dispatch.retry
        #expect(defaults == [.email: .mail], "SMS and the rest keep exponential backoff")
        let yaml = """
            dispatch:
              retry:
                email: {delays: [10m, 2h], max_age: 3d}
                fax: {delays: [5m], max_age: 1h}
            """
        let configured = try load(yaml).config.dispatch.retry
        #expect(configured[.email]?.schedule == .init(delays: [600, 7200], maxAge: 3 * 86_400))
        #expect(configured[.fax]?.schedule == .init(delays: [300], maxAge: 3600))
        #expect(configured[.sms] == nil)
        #expect(
            try load("dispatch:\n  retry:\n    fax: {delays: [5m], max_age: 1h}\n").config.dispatch.retry[.email]
                == .mail,
            "a channel not listed keeps its default")

        let delay = try #require(
            failure("dispatch:\n  retry:\n    email:\n      delays: [5m, soon]\n      max_age: 24h\n"))
        #expect(delay.keyPath == "dispatch.retry.email.delays[1]")
        #expect(delay.message.contains("'soon' is not a duration"))
        let missing = try #require(failure("dispatch:\n  retry:\n    email: {delays: [5m]}\n"))
        #expect(missing.keyPath == "dispatch.retry.email")
        #expect(missing.message.contains("needs delays and max_age"))
        let unknown = try #require(failure("dispatch:\n  retry:\n    email: {delays: [5m], max_age: 1h, jitter: 2}\n"))
        #expect(unknown.keyPath == "dispatch.retry.email.jitter")
        let channel = try #require(failure("dispatch:\n  retry:\n    pigeon: {delays: [5m], max_age: 1h}\n"))
        #expect(channel.keyPath == "dispatch.retry.pigeon")
        let useless = try #require(failure("dispatch:\n  retry:\n    email: {delays: [1h], max_age: 30m}\n"))
        #expect(useless.keyPath == "dispatch.retry.email.max_age")
        #expect(useless.message.contains("nothing would be retried"))
    }

    /// `options.tls` of an smtp gateway: checked against its url and credentials, by key path.
    @Test func smtpTLSIsCheckedWhenTheGatewaysAreBuilt() throws {
        func build(_ url: String, tls: String?, credentials: Bool) throws -> GatewayRegistry {
            let config = try load("""
                gateways:
                  - name: mail
                    kind: smtp
                    channels: [email]
                    url: \(url)
                \(credentials ? "    credentials: {username: MAIL_USER, password: MAIL_PASSWORD}" : "")
                    options: {from: news@hongfulou.example\(tls.map { ", tls: \($0)" } ?? "")}
                """, environment: ["MAIL_USER": "news", "MAIL_PASSWORD": "pw"]).config
            let transport = CurlTransport()
            defer { transport.shutdown() }
            return try GatewayRegistry.build(config: config, transport: transport, signer: WebhookSigner(secret: "s"))
        }
        func tls(_ url: String, _ option: String?, credentials: Bool) throws -> SMTPTLSMode? {
            (try build(url, tls: option, credentials: credentials).gateways["mail"] as? SMTPGateway)?.settings.tls
        }
        func refusal(_ url: String, _ option: String?, credentials: Bool) -> [String]? {
            do {
                _ = try build(url, tls: option, credentials: credentials)
                return nil
            } catch let error as GatewayRegistry.BuildError {
                return error.issues.map { "\($0.keyPath): \($0.message)" }
            } catch {
                return ["\(error)"]
            }
        }
        #expect(try tls("smtp://smtp.example.com:587", nil, credentials: true) == .starttls)
        #expect(try tls("smtps://smtp.example.com:465", nil, credentials: true) == .implicit)
        #expect(try tls("smtp://127.0.0.1:25", nil, credentials: false) == SMTPTLSMode.none)
        #expect(try tls("smtp://relay.example.com:25", "none", credentials: false) == SMTPTLSMode.none)
        let clear = try #require(refusal("smtp://smtp.example.com:25", "none", credentials: true))
        #expect(clear.count == 1)
        #expect(
            clear.first?.hasPrefix("gateways[0].options.tls: none would send the credentials (AUTH)") == true,
            "\(clear)")
        #expect(
            refusal("smtp://smtp.example.com:465", "implicit", credentials: true)?.first?.hasPrefix(
                "gateways[0].options.tls:") == true)
    }

    @Test func marketingMailOverPlainHTTPWarnsThatOneClickIsLost() throws {
        let mail = """
            gateways:
              - {name: mail, kind: smtp, channels: [email], url: "smtp://smtp.example.com:587", options: {from: news@hongfulou.example}}
            server: {public_url: "%@"}
            """
        let plain = try load(mail.replacingOccurrences(of: "%@", with: "http://tidings.example.cn"))
        let warning = try #require(plain.warnings.first { $0.keyPath == "server.public_url" })
        #expect(warning.message.contains("without one-click"), "\(warning.message)")
        let secure = try load(mail.replacingOccurrences(of: "%@", with: "https://tidings.example.cn"))
        #expect(!secure.warnings.contains { $0.keyPath == "server.public_url" })
    }
}

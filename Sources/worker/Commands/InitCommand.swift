import ArgumentParser
import CoreModel
import Foundation

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a starter tidings.yaml and create the database.",
        discussion: """
            Examples:
              tidings init                       # ./tidings.yaml and ./tidings.sqlite
              tidings init --config /etc/tidings/tidings.yaml --database /var/lib/tidings/tidings.sqlite
            An existing config file is kept unless --force is given; the database is
            created or migrated to the current schema. A relative database.path is
            read from the config file's directory.
            """)

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Overwrite an existing config file.") var force = false
    @Option(help: ArgumentHelp("Templates directory to write into the config (default: ./templates, else ../templates if there).", valueName: "path"))
    var templates: String?

    func run() async throws {
        let path = global.config ?? ProcessInfo.processInfo.environment["TIDINGS_CONFIG"] ?? "tidings.yaml"
        var databasePath = global.database ?? TidingsConfig.defaults.database.path
        // --database is relative to here, the config's database.path to the config's directory.
        if global.database != nil, ConfigLoader.resolve(databasePath, besides: path) != databasePath {
            databasePath = URL(fileURLWithPath: databasePath).standardizedFileURL.path
        }
        if FileManager.default.fileExists(atPath: path) && !force {
            print("kept existing \(path) (use --force to overwrite)")
        } else {
            let found = ["templates", "../templates"].first { FileManager.default.fileExists(atPath: $0) } ?? "templates"
            let directory = templates ?? found
            try StarterConfig.text(databasePath: databasePath, templates: directory)
                .write(toFile: path, atomically: true, encoding: .utf8)
            print("wrote \(path)")
            if !FileManager.default.fileExists(atPath: directory) {
                print("note: no templates directory at \(directory): the automations need theirs there (README, Templates)")
            }
        }
        let loaded = try ConfigLoader.load(path: path)
        var config = loaded.config
        if let database = global.database { config.database.path = database }
        let store = try SQLiteStore(path: config.database.path)
        print("database \(config.database.path) ready (migrations: \(try store.appliedMigrations().joined(separator: ", ")))")
        print("next: tidings demo seed --members 1000   or   tidings import members FILE.csv")
    }
}

enum StarterConfig {
    static func text(databasePath: String, templates: String = "templates") -> String {
        """
        # Tidings configuration. Secrets are read from environment variables
        # written as ${NAME}; they are never printed.
        database:
          path: \(databasePath)
        templates: \(templates)           # templates/<name>/<channel>.<locale>.mustache
        defaults:
          region: CN                 # phone numbers without a country code are read as Chinese
          timezone: Asia/Shanghai    # for members without their own time zone, and import dates
          locale: zh-CN
        brand:
          name: 鸿福楼
          signature: 【鸿福楼】        # required in marketing SMS in China
        quiet_hours:                 # member's local time; transactional messages are not held
          start: "21:00"
          end: "09:00"
          lanes: [marketing, reminder]
        opt_out:                     # replies that mean stop, once normalised (full width, case, punctuation)
          keywords: [退订, TD, T, STOP, UNSUBSCRIBE, 取消订阅]
          containing: [退订, 取消订阅]   # a reply of at most short_reply characters containing one of these ("退订，谢谢")
          short_reply: 12
          keypad: "9"                # the key that opts out on a marketing or survey call
          confirmation: 您已成功退订营销及回访短信，今后不再发送。订单和预订通知不受影响，如需恢复请致电客服。
        survey:                      # answers to surveys (a key, then any comment) become survey_responses
          window_hours: 72           # an SMS reply the provider links to nothing answers the latest survey this recent
          scale: 5                   # the keys of a survey that names none (the revisit automation): 1..scale
          low_score: 2               # at or below: a follow-up task for the member's manager; marketing held while open
          task_due_hours: 24
          escalation_check_minutes: 10   # overdue tasks go to the branch manager, once
        segments:                    # saved audiences: tidings segment count high_value (see tidings segment --help)
          high_value: "level IN (gold, platinum, diamond) AND orders(365d) >= 3"
          dormant: "days_since_last_order BETWEEN 60 AND 365 AND consent(sms, marketing)"
        dispatch:
          lease_seconds: 120           # a send still in flight renews its lease; a dead worker's runs out
          receipt_timeout: {sms: 72h, voice: 2h, fax: 24h}   # then `expired` as unconfirmed (a late receipt still counts)
          failover_after_unanswered: {}  # e.g. {sms: 30m}: a send that got no answer may then go elsewhere (possible duplicate)
          retry:                       # channels not listed: 2 s doubling to 5 min, up to each message's max_attempts
            email: {delays: [5m, 15m, 1h, 4h], max_age: 24h}   # a mail server's 4xx lasts minutes to hours; the last delay repeats
        gateways:
          - name: simulator
            kind: simulator
            channels: [sms, voice, fax, email]
            url: http://127.0.0.1:8787
            rate: 500                # messages per second
            burst: 100
            max_in_flight: 64
            timeout_ms: 5000
            price: 0.045             # yuan per SMS segment (per message on other channels): cost estimates
            # ca_file: /etc/tidings/provider-ca.pem   # only for a provider whose certificate a private CA signs
        transport:
          allow: []                  # hosts reached besides loopback and the gateways' own url hosts
        server:
          bind: 127.0.0.1:8080
          public_url: http://127.0.0.1:8080   # how providers reach the webhooks: set it to this host's public https URL
          admin_token: ${TIDINGS_ADMIN_TOKEN}
          webhook_secret: ${TIDINGS_WEBHOOK_SECRET}
        automations:                 # sent with no one pressing a button; consent is checked at send time
          interval_seconds: 30       # between two scans of the store
          order_confirmation:
            enabled: true
            channels: [sms]          # one message per channel: sms, voice, fax, email
            template: order-confirmation
            delay_seconds: 0         # after the order was placed
            max_age_hours: 24        # older orders (a history import) are not confirmed
          reservation_reminder:
            enabled: true
            channels: [sms]
            template: reservation-reminder
            hours_before: 3
          reservation_call:          # the SMS reminder neither delivered nor answered: an IVR call, press 1 to confirm, 2 to cancel
            enabled: true
            channels: [voice]
            template: reservation-call
            after_minutes: 30
          late_delivery_apology:
            enabled: true
            channels: [sms]
            template: late-delivery-apology
            outcomes: [late_30m, late_1h, not_delivered]
            points: 50               # credited once per order; 0 for none
            points_valid_days: 365
          revisit_survey:
            enabled: true
            channels: [sms]
            template: revisit-survey
            hours_after: 24          # after delivery or the meal, and after a complaint is resolved
            after_delivery: true
            after_complaint: true
          points_expiry:
            enabled: true
            channels: [sms]
            template: points-expiry
            day_of_month: 1          # monthly, from this day (defaults.timezone)
            days_ahead: 30           # points expiring within this many days
          win_back:
            enabled: false
            channels: [sms]
            template: win-back
            dormant_days: 90         # no order for this long
            period_days: 90          # at most one win-back per member per period
            offer_days: 14
          complaint_work_order:      # a new complaint goes to its department (departments:) with the due time
            enabled: true
            channels: [email, fax, sms]   # the first the department has a contact for; email and fax carry the sheet as a PDF
            template: complaint-work-order
            max_age_hours: 72        # older complaints (a history import) are not sent
          complaint_resolution:      # a resolved complaint's result to the customer; revisit_survey follows it
            enabled: true
            channels: [sms, email]   # the first the customer has a valid contact for
            template: complaint-resolution
            templates:               # by complaints.resolution_kind; other kinds get `template`
              refund: complaint-resolution-refund
            max_age_hours: 24
          manager_brief:             # each manager's morning brief: SMS with the counts, email with the lists
            enabled: true
            channels: [sms, email]   # every one the manager has a contact for
            template: manager-brief
            at: "08:00"              # in defaults.timezone; not sent by `until` (worker down), skipped that day
            until: "11:00"
            vip_levels: [platinum, diamond]       # VIP arrivals at the manager's branch
            dormant_segments: [at_risk, hibernating]
            dormant_limit: 10        # dormant members named per brief, most valuable first
            hold_days: 7             # no blanket marketing (win-back) to them meanwhile: the manager calls first
            relist_days: 60          # a member named is not named again for this long
            birthday_days: 7
            task_limit: 20
          branch_ticket:             # delivery and banquet orders to their branch ahead, one ticket per branch and slot
            enabled: true
            channels: [fax, email, sms]   # the first the branch has; fax and email carry the order sheet as a PDF
            template: branch-ticket
            kinds: [delivery, banquet]
            lead_minutes: 90         # a slot's orders go this long before the slot starts
            slot_minutes: 30         # slots from local midnight; must divide 1440
            ack_minutes: 15          # unacknowledged by then (fax receipt, 1 on the call): one call to the branch
            call_template: branch-ticket-call
        departments:                 # who takes complaints' work orders (complaints.department), and how soon
          - {name: 配送部, email: delivery@example.com, phone: "+8613800000101", due_hours: 4}
          - {name: 厨房, fax: "+862088880102", due_hours: 24}
          - {name: 前厅, email: front@example.com, due_hours: 24}
          - {name: 客服中心, email: service@example.com, phone: "+8613800000104", due_hours: 8}
          - {name: 会员中心, phone: "+8613800000105", due_hours: 48}
        complaint_query:
          keyword: 查询              # "查询 C123" by SMS: the complaint's stage, told only to its member's phone
        rfm:                         # recency/frequency/monetary scores for segments (rfm_segment …); null: not recomputed
          window: 365d               # orders in this window count
          at: "03:30"                # daily, local time; a worker that starts with older scores computes at once
          time_zone: Asia/Shanghai

        """
    }
}

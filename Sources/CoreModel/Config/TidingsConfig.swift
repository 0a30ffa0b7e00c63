import Foundation

/// tidings.yaml, decoded. Every default lives in `TidingsConfig.defaults`.
public struct TidingsConfig: Sendable, Codable {
    public var database: DatabaseSettings
    public var defaults: RegionalDefaults
    public var brand: Brand
    public var quietHours: QuietHoursSettings
    public var gateways: [GatewaySettings]
    public var server: ServerSettings
    public var automations: AutomationSettings
    /// The message templates' directory (templates/<name>/<channel>.<locale>.mustache).
    public var templates: String

    enum CodingKeys: String, CodingKey, CaseIterable {
        case database, defaults, brand, quietHours = "quiet_hours", gateways, server, automations, templates
    }

    public static let defaults = TidingsConfig(
        database: .init(path: "tidings.sqlite"),
        defaults: .init(region: "CN", timezone: "Asia/Shanghai", locale: "zh-CN"),
        brand: .init(name: "鸿福楼", signature: "【鸿福楼】"),
        quietHours: .init(start: "21:00", end: "09:00", lanes: [.marketing, .reminder]),
        gateways: [],
        server: .init(bind: "127.0.0.1:8080", adminToken: nil, webhookSecret: nil),
        automations: .init(
            intervalSeconds: 30,
            orderConfirmation: .init(enabled: true, channels: [.sms], template: "order-confirmation", delaySeconds: 0, maxAgeHours: 24),
            reservationReminder: .init(enabled: true, channels: [.sms], template: "reservation-reminder", hoursBefore: 3),
            lateDeliveryApology: .init(
                enabled: true, channels: [.sms], template: "late-delivery-apology", outcomes: [.late30m, .late1h, .notDelivered],
                points: 50, pointsValidDays: 365, delaySeconds: 0, maxAgeHours: 72),
            revisitSurvey: .init(
                enabled: true, channels: [.sms], template: "revisit-survey", hoursAfter: 24, afterDelivery: true, afterComplaint: true,
                maxAgeHours: 24),
            pointsExpiry: .init(enabled: true, channels: [.sms], template: "points-expiry", dayOfMonth: 1, daysAhead: 30),
            winBack: .init(enabled: false, channels: [.sms], template: "win-back", dormantDays: 90, periodDays: 90, offerDays: 14)),
        templates: "templates")

    public init(
        database: DatabaseSettings, defaults: RegionalDefaults, brand: Brand, quietHours: QuietHoursSettings,
        gateways: [GatewaySettings], server: ServerSettings, automations: AutomationSettings = TidingsConfig.defaults.automations,
        templates: String = TidingsConfig.defaults.templates
    ) {
        self.automations = automations
        self.templates = templates
        self.database = database
        self.defaults = defaults
        self.brand = brand
        self.quietHours = quietHours
        self.gateways = gateways
        self.server = server
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self.defaults
        database = try c.decodeIfPresent(DatabaseSettings.self, forKey: .database) ?? d.database
        defaults = try c.decodeIfPresent(RegionalDefaults.self, forKey: .defaults) ?? d.defaults
        brand = try c.decodeIfPresent(Brand.self, forKey: .brand) ?? d.brand
        quietHours = try c.decodeIfPresent(QuietHoursSettings.self, forKey: .quietHours) ?? d.quietHours
        gateways = try c.decodeIfPresent([GatewaySettings].self, forKey: .gateways) ?? d.gateways
        server = try c.decodeIfPresent(ServerSettings.self, forKey: .server) ?? d.server
        automations = try c.decodeIfPresent(AutomationSettings.self, forKey: .automations) ?? d.automations
        templates = try c.decodeIfPresent(String.self, forKey: .templates) ?? d.templates
    }

    public struct DatabaseSettings: Sendable, Codable {
        public var path: String
        enum CodingKeys: String, CodingKey, CaseIterable { case path }
        public init(path: String) { self.path = path }
        public init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            path = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(String.self, forKey: .path) ?? TidingsConfig.defaults.database.path
        }
    }

    public struct RegionalDefaults: Sendable, Codable {
        public var region: String
        public var timezone: String
        public var locale: String
        enum CodingKeys: String, CodingKey, CaseIterable { case region, timezone, locale }
        public init(region: String, timezone: String, locale: String) {
            self.region = region
            self.timezone = timezone
            self.locale = locale
        }
        public init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = TidingsConfig.defaults.defaults
            region = try c.decodeIfPresent(String.self, forKey: .region) ?? d.region
            timezone = try c.decodeIfPresent(String.self, forKey: .timezone) ?? d.timezone
            locale = try c.decodeIfPresent(String.self, forKey: .locale) ?? d.locale
        }
    }

    public struct Brand: Sendable, Codable {
        public var name: String
        /// Required at the start or end of marketing SMS in China, e.g. 【鸿福楼】.
        public var signature: String
        enum CodingKeys: String, CodingKey, CaseIterable { case name, signature }
        public init(name: String, signature: String) {
            self.name = name
            self.signature = signature
        }
        public init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = TidingsConfig.defaults.brand
            name = try c.decodeIfPresent(String.self, forKey: .name) ?? d.name
            signature = try c.decodeIfPresent(String.self, forKey: .signature) ?? d.signature
        }
    }

    public struct QuietHoursSettings: Sendable, Codable {
        /// Local time in the member's time zone, "HH:MM".
        public var start: String
        public var end: String
        /// Lanes held back during quiet hours (transactional is sent unless listed).
        public var lanes: [Lane]
        enum CodingKeys: String, CodingKey, CaseIterable { case start, end, lanes }
        public init(start: String, end: String, lanes: [Lane]) {
            self.start = start
            self.end = end
            self.lanes = lanes
        }
        public init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = TidingsConfig.defaults.quietHours
            start = try c.decodeIfPresent(String.self, forKey: .start) ?? d.start
            end = try c.decodeIfPresent(String.self, forKey: .end) ?? d.end
            lanes = try c.decodeIfPresent([Lane].self, forKey: .lanes) ?? d.lanes
        }
    }

    public struct GatewaySettings: Sendable, Codable {
        public var name: String
        /// kannel, http (also HTTP fax APIs: content_type multipart), twilio, aliyun, smtp (also email-to-fax), simulator.
        public var kind: String
        public var channels: [Channel]
        public var url: String?
        /// Messages per second.
        public var rate: Double
        public var burst: Int
        public var maxInFlight: Int
        public var timeoutMs: Int
        /// Share of its channels' traffic when several gateways carry a
        /// channel (split); 0 = only by config order (first preferred, the
        /// rest failover). Failover follows config order either way.
        public var weight: Int
        public var credentials: [String: Secret]
        /// Adapter settings (Kannel: from, smsc, method; SMTP: from; Aliyun: sign_name…).
        public var options: [String: String]
        enum CodingKeys: String, CodingKey, CaseIterable {
            case name, kind, channels, url, rate, burst, maxInFlight = "max_in_flight", timeoutMs = "timeout_ms", weight, credentials, options
        }
        public static let kinds = ["kannel", "http", "twilio", "aliyun", "smtp", "simulator"]

        public init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            kind = try c.decode(String.self, forKey: .kind)
            channels = try c.decode([Channel].self, forKey: .channels)
            url = try c.decodeIfPresent(String.self, forKey: .url)
            rate = try c.decodeIfPresent(Double.self, forKey: .rate) ?? 100
            burst = try c.decodeIfPresent(Int.self, forKey: .burst) ?? 50
            maxInFlight = try c.decodeIfPresent(Int.self, forKey: .maxInFlight) ?? 32
            timeoutMs = try c.decodeIfPresent(Int.self, forKey: .timeoutMs) ?? 10_000
            weight = try c.decodeIfPresent(Int.self, forKey: .weight) ?? 0
            credentials = try c.decodeIfPresent([String: Secret].self, forKey: .credentials) ?? [:]
            options = try c.decodeIfPresent([String: String].self, forKey: .options) ?? [:]
        }

        public init(
            name: String, kind: String, channels: [Channel], url: String?, rate: Double = 100, burst: Int = 50, maxInFlight: Int = 32,
            timeoutMs: Int = 10_000, weight: Int = 0, credentials: [String: Secret] = [:], options: [String: String] = [:]
        ) {
            self.weight = weight
            self.name = name
            self.kind = kind
            self.channels = channels
            self.url = url
            self.rate = rate
            self.burst = burst
            self.maxInFlight = maxInFlight
            self.timeoutMs = timeoutMs
            self.credentials = credentials
            self.options = options
        }
    }

    public struct ServerSettings: Sendable, Codable {
        /// host:port for webhooks, the admin API and /metrics.
        public var bind: String
        /// How providers reach our webhooks (default http://BIND).
        public var publicURL: String?
        public var adminToken: Secret?
        public var webhookSecret: Secret?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case bind, publicURL = "public_url", adminToken = "admin_token", webhookSecret = "webhook_secret"
        }
        public init(bind: String, publicURL: String? = nil, adminToken: Secret?, webhookSecret: Secret?) {
            self.bind = bind
            self.publicURL = publicURL
            self.adminToken = adminToken
            self.webhookSecret = webhookSecret
        }

        /// The base URL providers call back.
        public var callbackBase: String { (publicURL ?? "http://\(bind)").trimmingCharacters(in: CharacterSet(charactersIn: "/")) }
        public init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            bind = try c.decodeIfPresent(String.self, forKey: .bind) ?? TidingsConfig.defaults.server.bind
            publicURL = try c.decodeIfPresent(String.self, forKey: .publicURL)
            adminToken = try c.decodeIfPresent(Secret.self, forKey: .adminToken)
            webhookSecret = try c.decodeIfPresent(Secret.self, forKey: .webhookSecret)
        }
    }
}

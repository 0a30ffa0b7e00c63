import Channels
import CoreModel
import Foundation
import Scheduler

/// tidings.yaml, decoded: one part per section, each part's type with its
/// own defaults and its own checks. The worker hands each module its part
/// (the gateways to `GatewayRegistry.build`, the automations, regional
/// defaults and brand to `AutomationRunner`, quiet hours to `SendPolicyRules`).
struct TidingsConfig: Sendable, Codable {
    var database: DatabaseSettings
    var defaults: RegionalDefaults
    var brand: Brand
    var quietHours: QuietHoursSettings
    var dispatch: DispatchConfig
    var gateways: [GatewaySettings]
    var transport: TransportSettings
    var server: ServerSettings
    var automations: AutomationSettings
    var optOut: OptOutSettings
    /// Who takes complaints' work orders (`automations.complaint_work_order`).
    var departments: DepartmentDirectory
    /// `查询 <complaint no>` by SMS.
    var complaintQuery: ComplaintQuerySettings
    /// Survey answers and the follow-ups low scores open.
    var survey: SurveySettings
    /// Saved audiences by name, in the segment language (`tidings segment count NAME`).
    var segments: [String: String]
    /// The message templates' directory (templates/<name>/<channel>.<locale>.mustache).
    var templates: String
    /// The nightly RFM recompute; nil (`rfm: null`) when off.
    var rfm: RFMSettings?
    /// Who members without a manager may be given to (`tidings manager allocate`).
    var allocation: AllocationSettings = .defaults

    enum CodingKeys: String, CodingKey, CaseIterable {
        case database, defaults, brand, quietHours = "quiet_hours", dispatch, gateways, transport, server, automations
        case optOut = "opt_out", survey, segments, templates, rfm, departments, complaintQuery = "complaint_query", allocation
    }

    static let defaults = TidingsConfig(
        database: .defaults, defaults: .defaults, brand: .defaults, quietHours: .defaults, dispatch: .defaults, gateways: [],
        transport: .defaults, server: .defaults, automations: .defaults, optOut: .defaults, survey: .defaults, segments: [:],
        templates: "templates", rfm: .defaults, departments: .defaults, complaintQuery: .defaults)

    init(
        database: DatabaseSettings, defaults: RegionalDefaults, brand: Brand, quietHours: QuietHoursSettings,
        dispatch: DispatchConfig, gateways: [GatewaySettings], transport: TransportSettings, server: ServerSettings,
        automations: AutomationSettings, optOut: OptOutSettings, survey: SurveySettings = .defaults, segments: [String: String],
        templates: String, rfm: RFMSettings?, departments: DepartmentDirectory, complaintQuery: ComplaintQuerySettings
    ) {
        self.departments = departments
        self.complaintQuery = complaintQuery
        self.database = database
        self.defaults = defaults
        self.brand = brand
        self.quietHours = quietHours
        self.dispatch = dispatch
        self.gateways = gateways
        self.transport = transport
        self.server = server
        self.automations = automations
        self.optOut = optOut
        self.survey = survey
        self.segments = segments
        self.templates = templates
        self.rfm = rfm
    }

    init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self.defaults
        database = try c.decodeIfPresent(DatabaseSettings.self, forKey: .database) ?? d.database
        defaults = try c.decodeIfPresent(RegionalDefaults.self, forKey: .defaults) ?? d.defaults
        brand = try c.decodeIfPresent(Brand.self, forKey: .brand) ?? d.brand
        quietHours = try c.decodeIfPresent(QuietHoursSettings.self, forKey: .quietHours) ?? d.quietHours
        dispatch = try c.decodeIfPresent(DispatchConfig.self, forKey: .dispatch) ?? d.dispatch
        gateways = try c.decodeIfPresent([GatewaySettings].self, forKey: .gateways) ?? d.gateways
        transport = try c.decodeIfPresent(TransportSettings.self, forKey: .transport) ?? d.transport
        server = try c.decodeIfPresent(ServerSettings.self, forKey: .server) ?? d.server
        automations = try c.decodeIfPresent(AutomationSettings.self, forKey: .automations) ?? d.automations
        optOut = try c.decodeIfPresent(OptOutSettings.self, forKey: .optOut) ?? d.optOut
        survey = try c.decodeIfPresent(SurveySettings.self, forKey: .survey) ?? d.survey
        segments = try c.decodeIfPresent([String: String].self, forKey: .segments) ?? d.segments
        templates = try c.decodeIfPresent(String.self, forKey: .templates) ?? d.templates
        // Left out: the defaults; null: off.
        rfm = c.contains(.rfm) ? try c.decodeIfPresent(RFMSettings.self, forKey: .rfm) : d.rfm
        departments = try c.decodeIfPresent(DepartmentDirectory.self, forKey: .departments) ?? d.departments
        complaintQuery = try c.decodeIfPresent(ComplaintQuerySettings.self, forKey: .complaintQuery) ?? d.complaintQuery
        allocation = try c.decodeIfPresent(AllocationSettings.self, forKey: .allocation) ?? d.allocation
    }

    /// Checks values a decoder cannot (formats, references, ranges), each
    /// part by its owner, in file order.
    func validate() -> [ConfigIssue] {
        var issues = defaults.issues(path: ["defaults"])
        issues += quietHours.issues(path: ["quiet_hours"])
        issues += brand.issues(path: ["brand"])
        issues += dispatch.issues(path: ["dispatch"])
        issues += GatewaySettings.issues(gateways, path: ["gateways"])
        issues += transport.issues(path: ["transport"])
        issues += server.issues(path: ["server"])
        issues += automations.issues(path: ["automations"])
        issues += optOut.issues(path: ["opt_out"])
        issues += survey.issues(path: ["survey"])
        issues += rfm?.issues(path: ["rfm"]) ?? []
        issues += departments.issues(path: ["departments"])
        issues += complaintQuery.issues(path: ["complaint_query"])
        issues += allocation.issues(path: ["allocation"])
        issues += segmentIssues()
        issues += callbackIssues()
        issues += unsubscribeIssues()
        return issues
    }

    /// Each saved segment must parse, under a name that is a plain word.
    private func segmentIssues() -> [ConfigIssue] {
        let parser = SegmentParser(timeZone: TimeZone(identifier: defaults.timezone) ?? .current)
        return segments.keys.sorted().compactMap { name in
            guard name.range(of: "^[a-z][a-z0-9_]{0,63}$", options: .regularExpression) != nil else {
                return ConfigIssue(path: ["segments", name], message: "a name is lower-case letters, digits and _, starting with a letter")
            }
            do {
                _ = try parser.parse(segments[name] ?? "")
                return nil
            } catch {
                return ConfigIssue(path: ["segments", name], message: "\(error)")
            }
        }
    }

    /// What comes back decides, by this config's opt-out words and brand.
    /// The channel's first gateway: the one whose `price` cost estimates use.
    func firstGateway(for channel: Channel) -> GatewaySettings? { gateways.first { $0.channels.contains(channel) } }

    var feedbackRules: FeedbackDecisions {
        FeedbackDecisions(optOut: optOut, survey: survey, signature: brand.signature, complaintQuery: complaintQuery)
    }

    /// The curl transport for this config: loopback, the gateways' hosts and `transport.allow`.
    func makeTransport() -> CurlTransport {
        CurlTransport(policy: transport.policy(for: gateways))
    }

    /// Receipts and unsubscribe links are built on `server.public_url`: a
    /// provider on another machine cannot call back a loopback address.
    private func callbackIssues() -> [ConfigIssue] {
        let remote = gateways.filter { $0.host.map { !CurlTransport.Policy.isLoopback($0) } ?? false }
        guard !remote.isEmpty else { return [] }
        let base = server.callbackBase
        let host = URLComponents(string: base)?.host ?? ""
        guard CurlTransport.Policy.isLoopback(host) || host == "0.0.0.0" || host == "::" else { return [] }
        let names = remote.map(\.name).joined(separator: ", ")
        let message = server.publicURL == nil
            ? "not set: receipts, replies and unsubscribe links would point at \(base), which \(names) cannot reach"
            : "\(base) is a loopback address, which \(names) cannot reach"
        return [ConfigIssue(path: ["server", "public_url"], message: message, severity: .warning)]
    }

    /// Marketing mail's unsubscribe link is built on `server.public_url`: RFC
    /// 8058 one-click (which large mailbox providers ask of bulk senders) needs
    /// https, so a plain http address beyond loopback loses the one-click header.
    private func unsubscribeIssues() -> [ConfigIssue] {
        let mail = gateways.filter { $0.kind == .smtp && $0.channels.contains(.email) }
        let base = server.callbackBase
        let host = URLComponents(string: base)?.host ?? ""
        guard !mail.isEmpty, !SMTPGateway.allowsOneClick(base), host != "0.0.0.0", host != "::" else { return [] }
        let names = mail.map(\.name).joined(separator: ", ")
        let message = "\(base) is not https: marketing mail from \(names) carries its unsubscribe link "
            + "without one-click (List-Unsubscribe-Post), which RFC 8058 allows only over https"
        return [ConfigIssue(path: ["server", "public_url"], message: message, severity: .warning)]
    }
}

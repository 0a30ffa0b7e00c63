import CoreModel
import Foundation

/// Named gateways built from tidings.yaml, and per channel the order to try
/// them in: config order (the first preferred, the rest failover), or — when
/// gateways of a channel have weights — a weighted pick first, then the rest
/// in config order.
public struct GatewayRegistry: Sendable {
    public let gateways: [String: any Gateway]
    public let order: [Channel: [String]]
    public let settings: [String: GatewaySettings]

    public struct BuildError: Error, CustomStringConvertible {
        public var issues: [ConfigIssue]
        public var description: String { issues.map(\.description).joined(separator: "\n") }
    }

    public init(gateways: [any Gateway], settings: [GatewaySettings] = []) {
        var byName: [String: any Gateway] = [:]
        var order: [Channel: [String]] = [:]
        for gateway in gateways {
            byName[gateway.name] = gateway
            for channel in Channel.allCases where gateway.channels.contains(channel) { order[channel, default: []].append(gateway.name) }
        }
        self.gateways = byName
        self.order = order
        self.settings = Dictionary(settings.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Auth tokens of the Twilio gateways, for checking their callbacks.
    public static func twilioTokens(_ gateways: [GatewaySettings]) -> [String: String] {
        var tokens: [String: String] = [:]
        for gateway in gateways where gateway.kind == .twilio {
            if let token = gateway.credentials["auth_token"]?.value { tokens[gateway.name] = token }
        }
        return tokens
    }

    /// Whether `name` ever reports a delivery: SMTP hands the mail on and hears
    /// no more, and a simulator with `callbacks: off` sends none; for those,
    /// `submitted` is as far as a message gets.
    public func reportsDelivery(_ name: String) -> Bool {
        switch gateways[name] {
        case is SMTPGateway: false
        case let simulator as SimulatorGateway: simulator.callbackURL != nil
        default: true
        }
    }

    /// Receipt mappings of the built `http` gateways, for their webhook.
    public var httpReceipts: [String: HTTPMappedGateway.ReceiptMapping] {
        gateways.compactMapValues { ($0 as? HTTPMappedGateway)?.mapping.receipt }
    }

    /// The gateways to try for a message, in order. With weights the first is
    /// picked by the message id (spread in proportion to the weights; the same
    /// message keeps its pick on every attempt), the others follow as failover.
    public func candidates(for channel: Channel, messageId: Int64) -> [any Gateway] {
        let names = order[channel] ?? []
        let weighted = names.compactMap { name in settings[name].flatMap { $0.weight > 0 ? (name, $0.weight) : nil } }
        let total = weighted.reduce(0) { $0 + $1.1 }
        guard total > 0 else { return names.compactMap { gateways[$0] } }
        var point = Int(Self.mix(UInt64(bitPattern: messageId)) % UInt64(total))
        var first = weighted[0].0
        for (name, weight) in weighted {
            if point < weight {
                first = name
                break
            }
            point -= weight
        }
        return ([first] + names.filter { $0 != first }).compactMap { gateways[$0] }
    }

    /// SplitMix64's finaliser: consecutive ids land far apart.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Builds the `gateways:` of tidings.yaml; `callbackBase` is where
    /// providers reach our webhooks, `brand` names the email sender.
    public static func build(
        gateways: [GatewaySettings], callbackBase: String, brand: Brand, transport: CurlTransport, signer: WebhookSigner
    ) throws(BuildError) -> GatewayRegistry {
        var built: [any Gateway] = []
        var issues: [ConfigIssue] = []
        for (index, settings) in gateways.enumerated() {
            let path = ["gateways", String(index)]
            func option(_ key: String) -> String? { settings.options[key] }
            func secret(_ key: String) -> String? {
                guard let secret = settings.credentials[key] else {
                    let message = "\(settings.kind.rawValue) gateway needs credentials.\(key)"
                    issues.append(.init(path: path + ["credentials"], message: message))
                    return nil
                }
                guard let value = secret.value else {
                    let message = "environment variable \(secret.variable ?? "?") is not set"
                    issues.append(.init(path: path + ["credentials", key], message: message))
                    return nil
                }
                return value
            }
            func url() -> String? {
                guard let url = settings.url else {
                    issues.append(.init(path: path, message: "\(settings.kind.rawValue) gateway needs a url"))
                    return nil
                }
                return url
            }
            issues += settings.unknownOptionIssues(path: path)
            switch settings.kind {
            case .kannel:
                guard let url = url(), let username = secret("username"), let password = secret("password") else {
                    continue
                }
                let method = option("method")?.lowercased() ?? "get"
                guard method == "get" || method == "post" else {
                    issues.append(.init(path: path + ["options", "method"], message: "must be get or post"))
                    continue
                }
                built.append(KannelGateway(
                    settings: .init(
                        name: settings.name, sendsmsURL: url, username: username, password: password,
                        from: option("from"), dlrURL: "\(callbackBase)/webhooks/kannel/\(settings.name)/dlr",
                        smsc: option("smsc"), usePOST: method == "post", timeoutMs: settings.timeoutMs),
                    transport: transport, signer: signer))
            case .aliyun:
                let maxBatch = AliyunSMSGateway.Settings.maxBatch
                let batchSize = option("batch_size").map { Int($0) } ?? 1
                guard let batchSize, (1...maxBatch).contains(batchSize) else {
                    let message = "batch_size must be a whole number from 1 to \(maxBatch) (SendBatchSms's limit)"
                    issues.append(.init(path: path + ["options", "batch_size"], message: message))
                    continue
                }
                guard let url = url(), let keyId = secret("access_key_id"), let keySecret = secret("access_key_secret")
                else { continue }
                guard let signName = option("sign_name") else {
                    let message = "aliyun gateway needs options.sign_name (the approved 签名)"
                    issues.append(.init(path: path + ["options", "sign_name"], message: message))
                    continue
                }
                built.append(AliyunSMSGateway(
                    settings: .init(
                        name: settings.name, endpoint: url, accessKeyId: keyId, accessKeySecret: keySecret,
                        signName: signName, defaultTemplate: option("template"),
                        regionId: option("region") ?? "cn-hangzhou", timeoutMs: settings.timeoutMs,
                        batchSize: batchSize),
                    transport: transport))
            case .twilio:
                guard let url = url(), let sid = secret("account_sid"), let token = secret("auth_token") else {
                    continue
                }
                guard let from = option("from") else {
                    let message = "twilio gateway needs options.from (the calling/sending number)"
                    issues.append(.init(path: path + ["options", "from"], message: message))
                    continue
                }
                built.append(TwilioGateway(
                    settings: .init(
                        name: settings.name, apiBase: url.trimmingCharacters(in: CharacterSet(charactersIn: "/")),
                        accountSid: sid, authToken: token, from: from,
                        callbackBase: "\(callbackBase)/webhooks/twilio/\(settings.name)",
                        timeoutMs: settings.timeoutMs),
                    transport: transport, channels: Set(settings.channels)))
            case .http:
                guard let url = url() else { continue }
                var credentials: [String: String] = [:]
                for key in settings.credentials.keys { if let value = secret(key) { credentials[key] = value } }
                let parsed = HTTPMappedGateway.Mapping.parse(
                    options: settings.options, credentials: Set(settings.credentials.keys))
                switch parsed {
                case .failure(let problems):
                    issues += problems.list.map { ConfigIssue(path: path + ["options", $0.key], message: $0.message) }
                case .success(let mapping):
                    built.append(HTTPMappedGateway(
                        name: settings.name, channels: Set(settings.channels), url: url, mapping: mapping,
                        credentials: credentials,
                        callbackURL: "\(callbackBase)/webhooks/http/\(settings.name)/receipt"
                            + "?token=\(signer.inboundToken(gateway: settings.name))",
                        transport: transport, timeoutMs: settings.timeoutMs))
                }
            case .simulator:
                guard let url = url() else { continue }
                built.append(SimulatorGateway(
                    name: settings.name, channels: Set(settings.channels),
                    baseURL: url.trimmingCharacters(in: CharacterSet(charactersIn: "/")),
                    callbackURL: settings.options["callbacks"] == "off"
                        ? nil : "\(callbackBase)/webhooks/simulator/\(settings.name)/status",
                    transport: transport, signer: signer, timeoutMs: settings.timeoutMs))
            case .smtp:
                guard let url = url() else { continue }
                guard let from = option("from"), case .success(let fromAddress) = EmailAddressValidator.normalize(from)
                else {
                    let message = "smtp gateway needs options.from, a valid email address"
                    issues.append(.init(path: path + ["options", "from"], message: message))
                    continue
                }
                // Credentials are optional (a relay may take mail unauthenticated), but
                // both or neither, and a named environment variable must be set.
                let credentialKeys = ["username", "password"].filter { settings.credentials[$0] != nil }
                if credentialKeys.count == 1 {
                    let message = "smtp gateway needs credentials.username and credentials.password together"
                    issues.append(.init(path: path + ["credentials"], message: message))
                    continue
                }
                let login = credentialKeys.isEmpty ? nil : (secret("username"), secret("password"))
                let hasCredentials = login != nil
                let tls: SMTPTLSMode
                switch SMTPTLSMode.resolve(option: option("tls"), url: url, hasCredentials: hasCredentials) {
                case .success(let mode): tls = mode
                case .failure(let refusal):
                    issues.append(.init(path: path + refusal.key, message: refusal.message))
                    continue
                }
                if let login, login.0 == nil || login.1 == nil { continue }
                built.append(SMTPGateway(
                    settings: .init(
                        name: settings.name, url: url, fromAddress: fromAddress,
                        fromName: option("from_name") ?? brand.name,
                        unsubscribeURL: "\(callbackBase)/webhooks/email/\(settings.name)/unsubscribe",
                        username: login?.0, password: login?.1, tls: tls,
                        timeoutMs: settings.timeoutMs, faxDomain: option("fax_domain")),
                    transport: transport, signer: signer,
                    channels: Set(settings.channels).intersection([.email, .fax])))
            }
        }
        guard issues.isEmpty else { throw BuildError(issues: issues) }
        return GatewayRegistry(gateways: built, settings: gateways)
    }
}

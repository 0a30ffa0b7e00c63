import Campaigns
import CoreModel
import Foundation

/// One message sent on its own (`purpose: single`, transactional lane), as
/// `tidings send` and the admin API's POST /sends ask for it: the address
/// normalised, the content written or rendered from a template, and one
/// outbox row under the idempotency key, so the same key never sends twice.
struct SingleSend: Sendable {
    var channel: Channel
    /// Phone number (E.164 or national), email address or fax number.
    var to: String
    var text: String?
    var template: String?
    var values: [String: String] = [:]
    /// Email subject or fax title (replaces a template's).
    var subject: String?
    var gateway: String?
    var memberNo: String?
    var idempotencyKey: String

    /// Why it cannot be sent, naming the input at fault (`to`, `template`, `values`, `gateway`).
    struct Refused: Error, CustomStringConvertible {
        var field: String
        var message: String
        var description: String { message }
    }

    struct Queued: Sendable {
        var id: Int64
        /// The key was used before: this is that message, not sent again.
        var duplicate: Bool
        var address: String
    }

    func enqueue(into store: any Outbox, config: TidingsConfig, now: Date = Date()) async throws -> Queued {
        try await Self.enqueue(newMessage(config: config), into: store, now: now)
    }

    /// The message's one outbox row (or the row its key already has).
    static func enqueue(_ message: NewMessage, into store: any Outbox, now: Date = Date()) async throws -> Queued {
        switch try await store.enqueue([message], now: now)[0] {
        case .enqueued(let id): return Queued(id: id, duplicate: false, address: message.address)
        case .duplicate(let id): return Queued(id: id, duplicate: true, address: message.address)
        }
    }

    func newMessage(config: TidingsConfig) throws(Refused) -> NewMessage {
        if let gateway, !config.gateways.contains(where: { $0.name == gateway }) {
            throw Refused(field: "gateway", message: "no gateway named '\(gateway)' in the config")
        }
        let address = try normalizedAddress(config)
        let content = try content(config)
        return NewMessage(
            idempotencyKey: idempotencyKey, purpose: .single, channel: channel, lane: .transactional,
            category: .service,
            priority: 10, memberNo: memberNo, address: address, template: template, locale: config.defaults.locale,
            payload: content.json(), maxAttempts: 3, gateway: gateway)
    }

    func normalizedAddress(_ config: TidingsConfig) throws(Refused) -> String {
        switch channel {
        case .email:
            switch EmailAddressValidator.normalize(to) {
            case .success(let address): return address
            case .failure(let rejection): throw Refused(field: "to", message: "'\(to)': \(rejection.reason)")
            }
        case .sms, .voice, .fax:
            switch PhoneNumberNormalizer(defaultRegion: config.defaults.region).normalize(to) {
            case .success(let number):
                if channel == .fax, number.kind == .mobile {
                    throw Refused(field: "to", message: "'\(to)': a mobile number cannot receive faxes")
                }
                return number.e164
            case .failure(let rejection): throw Refused(field: "to", message: "'\(to)': \(rejection.reason)")
            }
        }
    }

    func content(_ config: TidingsConfig) throws(Refused) -> MessageContent {
        if let template {
            var content: MessageContent
            do {
                content = try TemplateLibrary(directory: URL(fileURLWithPath: config.templates))
                    .render(name: template, channel: channel, locale: config.defaults.locale, values: values)
            } catch {
                throw Refused(field: error.code == .missingValue ? "values" : "template", message: error.description)
            }
            // An explicit subject still wins, as it does with a text.
            if let subject {
                if channel == .email { content.subject = subject }
                if channel == .fax { content.fax?.title = subject }
            }
            return content
        }
        let body = text ?? ""
        switch channel {
        case .sms: return MessageContent(text: body)
        case .email: return MessageContent(text: body, subject: subject ?? config.brand.name)
        case .voice: return MessageContent(voice: .init(say: body, language: config.defaults.locale))
        case .fax:
            return MessageContent(
                fax: .init(title: subject ?? config.brand.name, lines: body.components(separatedBy: "\n")))
        }
    }
}

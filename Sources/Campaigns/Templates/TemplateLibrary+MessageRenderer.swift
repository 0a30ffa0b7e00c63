import CoreModel
import Scheduler

/// The automations render through the same templates as `tidings send`.
extension TemplateLibrary: MessageRenderer {
    public func render(template: String, channel: Channel, locale: String, values: [String: String]) throws -> MessageContent {
        try render(name: template, channel: channel, locale: locale, values: values)
    }

    public func check(template: String, channel: Channel, locale: String) throws {
        _ = try self.template(named: template, channel: channel, locale: locale)
    }
}

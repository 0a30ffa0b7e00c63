import CoreModel

/// Turns a named template and its values into a message. Campaigns'
/// `TemplateLibrary` is the real one; the Scheduler only knows this seam.
public protocol MessageRenderer: Sendable {
    func render(template: String, channel: Channel, locale: String, values: [String: String]) throws -> MessageContent

    /// Throws when `template` cannot be loaded for `channel` in `locale`.
    /// Asked before a scan: a missing or broken file holds the automation back
    /// (its cursor stays) instead of skipping every row it would have sent.
    func check(template: String, channel: Channel, locale: String) throws
}

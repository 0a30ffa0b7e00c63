import CoreModel
import Synchronization

/// Templates parsed once per name, channel and locale, for rendering every
/// message of a campaign without touching the disk. A template that fails to
/// load is not kept: the next call reads it again (after someone fixed it).
public final class TemplateCache: Sendable {
    public let library: TemplateLibrary

    private struct Key: Hashable {
        let name: String
        let channel: Channel
        let locale: String
    }

    private let loaded = Mutex<[Key: ChannelTemplate]>([:])

    public init(library: TemplateLibrary) {
        self.library = library
    }

    public func template(named name: String, channel: Channel, locale: String) throws(TemplateError) -> ChannelTemplate {
        let key = Key(name: name, channel: channel, locale: locale)
        if let template = loaded.withLock({ $0[key] }) { return template }
        let template = try library.template(named: name, channel: channel, locale: locale)
        loaded.withLock { $0[key] = template }
        return template
    }

    public func render(name: String, channel: Channel, locale: String, values: [String: String]) throws(TemplateError) -> MessageContent {
        try template(named: name, channel: channel, locale: locale).render(values)
    }
}

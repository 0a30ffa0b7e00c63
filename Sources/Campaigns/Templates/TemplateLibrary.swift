import CoreModel
import Foundation

/// Message templates on disk, rendered with swift-mustache:
/// `<directory>/<name>/<channel>.<locale>.mustache`.
///
/// | channel | files | becomes |
/// | --- | --- | --- |
/// | sms | `sms.<locale>.mustache` | the text |
/// | voice | `voice.<locale>.mustache`, optional `voice.<locale>.gather.mustache` | what is said; the gather file's first line is the keys the callee may press ("12345"), the rest the question asked |
/// | fax | `fax.<locale>.mustache` | first non-empty line the title, the lines after it the document |
/// | email | `email.<locale>.subject.mustache`, `email.<locale>.text.mustache`, optional `email.<locale>.html.mustache` | subject (one line), plain-text and html bodies |
///
/// There is no fallback to another locale: a member who reads zh-CN must not get
/// an English message because a file is missing, so a missing file is an error
/// naming the path looked for. Only the html part HTML-escapes values; an SMS
/// keeps "A&B <x>" as typed. Rendered text loses its trailing whitespace.
///
/// `{{> name}}` includes `<directory>/_partials/name.mustache` (a folder that is
/// no template); helpers format money and dates for the recipient (``RecipientFormat``).
/// Loading reads and parses the files: keep the ``ChannelTemplate`` (or use a
/// ``TemplateCache``) to render many messages.
public struct TemplateLibrary: Sendable {
    /// Relative paths stay relative in error messages (`templates/x/sms.zh-CN.mustache`).
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    /// Reads and parses the files of `name` for `channel` in `locale`; throws for a
    /// missing required file, a syntax error or a tag the library does not support.
    public func template(named name: String, channel: Channel, locale: String) throws(TemplateError) -> ChannelTemplate {
        try Self.checkPathComponent(name, what: "template name", in: directory.relativePath)
        try Self.checkPathComponent(locale, what: "locale", in: directory.relativePath)
        let folder = directory.appendingPathComponent(name, isDirectory: true)
        let partials = try TemplatePartials.load(from: directory)

        func file(_ suffix: String, _ escaping: TemplateFile.Escaping = .none) throws(TemplateError) -> TemplateFile {
            let url = folder.appendingPathComponent("\(channel.rawValue).\(locale).\(suffix)")
            return try TemplateFile.load(url, path: url.relativePath, escaping: escaping, partials: partials)
        }
        func optionalFile(_ suffix: String, _ escaping: TemplateFile.Escaping = .none) throws(TemplateError) -> TemplateFile? {
            do { return try file(suffix, escaping) } catch where error.code == .missingFile { return nil }
        }

        let parts: ChannelTemplate.Parts
        switch channel {
        case .sms: parts = .sms(try file("mustache"))
        case .voice: parts = .voice(try file("mustache"), gather: try optionalFile("gather.mustache"))
        case .fax: parts = .fax(try file("mustache"))
        case .email:
            parts = .email(
                subject: try file("subject.mustache"), text: try file("text.mustache"), html: try optionalFile("html.mustache", .html))
        }
        return ChannelTemplate(name: name, channel: channel, locale: locale, parts: parts)
    }

    /// Loads and renders in one go, for a single message (`tidings send --template`).
    public func render(name: String, channel: Channel, locale: String, values: [String: String]) throws(TemplateError) -> MessageContent {
        try template(named: name, channel: channel, locale: locale).render(values)
    }

    /// Names become path components: nothing may climb out of the directory or hide a dot-file.
    private static func checkPathComponent(_ value: String, what: String, in path: String) throws(TemplateError) {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
        guard !value.isEmpty, value.allSatisfy(allowed.contains) else {
            throw TemplateError(.invalidName, path: path, reason: "\(what) '\(value)' may only contain letters, digits, '-' and '_'")
        }
    }
}

import CoreModel
import Foundation

/// The files of one template for one channel and locale, parsed and checked.
///
/// Load it once (``TemplateLibrary/template(named:channel:locale:)``) and render it
/// for every member of a campaign: rendering neither touches the disk nor parses.
public struct ChannelTemplate: Sendable {
    public let name: String
    public let channel: Channel
    public let locale: String
    let parts: Parts

    enum Parts: Sendable {
        case sms(TemplateFile)
        /// `gather`: first line the keys the callee may press, then the question.
        case voice(TemplateFile, gather: TemplateFile?)
        /// First non-empty line the title, the lines after it the document.
        case fax(TemplateFile)
        case email(subject: TemplateFile, text: TemplateFile, html: TemplateFile?)

        /// The files, in the order a reader meets them.
        var files: [TemplateFile] {
            switch self {
            case .sms(let file), .fax(let file): [file]
            case .voice(let file, let gather): [file] + (gather.map { [$0] } ?? [])
            case .email(let subject, let text, let html): [subject, text] + (html.map { [$0] } ?? [])
            }
        }
    }

    /// The message for `values`, or the first problem; never part of a message.
    ///
    /// Every plain `{{variable}}` the files render must be in `values`; a section
    /// (`{{#vip}}…{{/vip}}`) renders when its key is given, whatever the value, and
    /// `{{^vip}}…{{/vip}}` when it is not. Only the email html part escapes values.
    ///
    /// Helpers (`{{yuan(amount)}}`, `{{date(expires_on)}}`, see ``RecipientFormat``) write in
    /// this template's locale and, for times, in the zone `values["time_zone"]` names
    /// (``RecipientValues`` sets it; Asia/Shanghai without it).
    public func render(_ values: [String: String]) throws(TemplateError) -> MessageContent {
        let format = RecipientFormat(locale: locale, timeZone: RecipientValues.timeZone(values["time_zone"] ?? "Asia/Shanghai"))
        switch parts {
        case .sms(let file):
            return MessageContent(text: try file.renderNonEmpty(values, format: format))
        case .voice(let file, let gather):
            var voice = MessageContent.Voice(say: try file.renderNonEmpty(values, format: format), language: locale)
            if let gather {
                let question = try Self.question(try gather.render(values, format: format), path: gather.path)
                voice.gatherDigits = question.digits
                voice.gatherPrompt = question.prompt
            }
            return MessageContent(voice: voice)
        case .fax(let file):
            return MessageContent(fax: try Self.document(try file.render(values, format: format), path: file.path))
        case .email(let subject, let text, let html):
            return MessageContent(
                text: try text.renderNonEmpty(values, format: format), subject: Self.subjectLine(try subject.renderNonEmpty(values, format: format)),
                html: try html?.render(values, format: format))
        }
    }

    /// Keys the callee may press: one keypress each, what Twilio's `<Gather numDigits="1">` takes.
    private static let gatherKeys = Set("0123456789*#")

    private static func question(_ rendered: String, path: String) throws(TemplateError) -> (digits: String, prompt: String) {
        let lines = rendered.split(maxSplits: 1, omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        let digits = lines[0].trimmingCharacters(in: .whitespaces)
        guard !digits.isEmpty, digits.allSatisfy(gatherKeys.contains) else {
            throw TemplateError(
                .invalidContent, path: path, line: 1,
                reason: "the first line must list the keys the callee may press, like 12345 (found '\(digits)')")
        }
        let prompt = lines.count > 1 ? lines[1].trimmingCharacters(in: .whitespacesAndNewlines) : ""
        guard !prompt.isEmpty else {
            throw TemplateError(.invalidContent, path: path, line: 2, reason: "no question after the keys line")
        }
        return (digits, prompt)
    }

    private static func document(_ rendered: String, path: String) throws(TemplateError) -> MessageContent.FaxDocument {
        var lines = rendered.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        guard let titleIndex = lines.firstIndex(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
            throw TemplateError(.invalidContent, path: path, reason: "renders nothing: the first non-empty line is the fax title")
        }
        let title = lines[titleIndex].trimmingCharacters(in: .whitespaces)
        lines.removeSubrange(...titleIndex)
        return MessageContent.FaxDocument(title: title, lines: lines)
    }

    /// A header is one line: a subject template may wrap, and a value must not start a new header.
    private static func subjectLine(_ rendered: String) -> String {
        rendered.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
            .joined(separator: " ")
    }
}

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
    }

    /// The message for `values`, or the first problem; never part of a message.
    ///
    /// Every plain `{{variable}}` the files render must be in `values`; a section
    /// (`{{#vip}}…{{/vip}}`) renders when its key is given, whatever the value, and
    /// `{{^vip}}…{{/vip}}` when it is not. Only the email html part escapes values.
    public func render(_ values: [String: String]) throws(TemplateError) -> MessageContent {
        switch parts {
        case .sms(let file):
            return MessageContent(text: try file.renderNonEmpty(values))
        case .voice(let file, let gather):
            var voice = MessageContent.Voice(say: try file.renderNonEmpty(values), language: locale)
            if let gather {
                let question = try Self.question(try gather.render(values), path: gather.path)
                voice.gatherDigits = question.digits
                voice.gatherPrompt = question.prompt
            }
            return MessageContent(voice: voice)
        case .fax(let file):
            return MessageContent(fax: try Self.document(try file.render(values), path: file.path))
        case .email(let subject, let text, let html):
            return MessageContent(
                text: try text.renderNonEmpty(values), subject: Self.subjectLine(try subject.renderNonEmpty(values)),
                html: try html?.render(values))
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

import Foundation
import Mustache

/// One template file, parsed once and rendered for as many members as needed.
struct TemplateFile: Sendable {
    /// Whether values are HTML-escaped. swift-mustache escapes for HTML unless a
    /// template starts with the `CONTENT_TYPE` pragma, and it has no library-wide
    /// switch, so the pragma is put in front of every file here.
    enum Escaping: String, Sendable {
        case none = "TEXT"
        case html = "HTML"
    }

    /// As the user named it, for messages.
    let path: String
    private let template: MustacheTemplate
    private let tags: [TemplateTag]

    /// Reads `url`; a missing file is an error naming `path`.
    static func load(_ url: URL, path: String, escaping: Escaping) throws(TemplateError) -> TemplateFile {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw TemplateError(.missingFile, path: path, reason: "no such template file")
        }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TemplateError(.unreadableFile, path: path, reason: "cannot read it: \(error.localizedDescription)")
        }
        guard var text = String(data: data, encoding: .utf8) else {
            throw TemplateError(.unreadableFile, path: path, reason: "not UTF-8 text")
        }
        // Editors on Windows often save UTF-8 with a byte-order mark; it would go out as an invisible character.
        if text.first == "\u{FEFF}" { text.removeFirst() }
        return try TemplateFile(text: text, path: path, escaping: escaping)
    }

    init(text: String, path: String, escaping: Escaping) throws(TemplateError) {
        self.path = path
        tags = TemplateTag.scan(text)
        // On a line of its own the pragma is "standalone": the parser drops that line,
        // so line 1 of the file parses exactly as it would alone (and is line 2 for the parser).
        let source = "{{%CONTENT_TYPE: \(escaping.rawValue)}}\n" + text
        do {
            template = try MustacheTemplate(string: source)
        } catch let error as MustacheTemplate.ParserError {
            throw Self.syntaxError(error, path: path, tags: tags)
        } catch {
            throw TemplateError(.syntax, path: path, reason: "\(error)")
        }
        try Self.rejectUnsupported(tags, path: path)
    }

    /// Renders with `values`, without trailing whitespace; every plain variable that
    /// would be rendered must have a value (a section without one is simply false).
    func render(_ values: [String: String]) throws(TemplateError) -> String {
        try checkValues(values)
        var text = template.render(values)
        while text.last?.isWhitespace == true { text.removeLast() }
        return text
    }

    /// For the parts a message cannot go out without: an empty SMS is a broken template, not a message.
    func renderNonEmpty(_ values: [String: String]) throws(TemplateError) -> String {
        let text = try render(values)
        guard !text.isEmpty else { throw TemplateError(.invalidContent, path: path, reason: "renders empty") }
        return text
    }

    /// Throws for the first variable without a value, in template order.
    private func checkValues(_ values: [String: String]) throws(TemplateError) {
        // Whether each enclosing section renders: variables inside one that does not are not needed.
        var renders: [Bool] = []
        for tag in tags {
            switch tag.kind {
            case .section, .invertedSection:
                let given = values[tag.name] != nil
                renders.append(tag.name == "." || tag.hasTransforms || given == (tag.kind == .section))
            case .sectionEnd:
                _ = renders.popLast()
            case .variable, .unescapedVariable:
                guard tag.name != ".", !renders.contains(false), values[tag.name] == nil else { continue }
                throw TemplateError(.missingValue, path: path, line: tag.line, reason: "no value for \(tag.displayName)")
            case .comment, .partial, .parent, .block, .setDelimiter, .pragma:
                continue
            }
        }
    }

    /// Partials, inheritance and pragmas would make a file depend on others or change
    /// its escaping; values are flat strings, so dotted names could never resolve.
    private static func rejectUnsupported(_ tags: [TemplateTag], path: String) throws(TemplateError) {
        for tag in tags {
            let reason: String
            switch tag.kind {
            case .partial, .parent:
                reason = "partials ({{>name}}, {{<name}}) are not supported: each template file stands alone"
            case .block:
                reason = "blocks ({{$name}}) are not supported: each template file stands alone"
            case .pragma:
                reason = "pragmas ({{%…}}) are not supported: escaping follows the file (the html part escapes values, the others do not)"
            case .variable, .unescapedVariable, .section, .invertedSection:
                guard tag.name != ".", tag.name.contains(".") else { continue }
                reason = "\(tag.displayName): dotted names are not supported, values are flat key=value strings"
            case .sectionEnd, .comment, .setDelimiter:
                continue
            }
            throw TemplateError(.unsupportedTag, path: path, line: tag.line, column: tag.column, reason: reason)
        }
    }

    private static func syntaxError(_ error: MustacheTemplate.ParserError, path: String, tags: [TemplateTag]) -> TemplateError {
        // The parser counted the pragma line put in front of the file.
        let line = max(1, error.context.lineNumber - 1), column = error.context.columnNumber
        let reason: String
        switch error.error as? MustacheTemplate.Error {
        case .expectedSectionEnd:
            // The parser stops at the end of the file; the opening tag is where to look.
            if case .unclosed(let open) = TemplateTag.sectionProblem(in: tags) {
                return TemplateError(
                    .syntax, path: path, line: open.line, column: open.column,
                    reason: "\(open.written) is never closed (no {{/\(open.content)}})")
            }
            reason = "a section is never closed"
        case .sectionCloseNameIncorrect:
            if case .mismatched(let open, let close) = TemplateTag.sectionProblem(in: tags) {
                reason = "\(close.written) does not close \(open.written) opened on line \(open.line)"
            } else {
                reason = "closing tag does not match the open section"
            }
        case .unfinishedName:
            reason = "unfinished tag: a name may only contain letters, digits and . - _ ? * and must be followed by the closing delimiter"
        case .invalidSetDelimiter:
            reason = "malformed set-delimiter tag, expected like {{=<% %>=}}"
        case .transformAppliedToInheritanceSection, .illegalTokenInsideInheritSection, .textInsideInheritSection:
            reason = "malformed template inheritance"
        case .invalidConfigVariableSyntax, .unrecognisedConfigVariable:
            reason = "malformed or unknown pragma {{%…}}"
        case nil:
            // The parser's own `overflow`: a tag or comment still open at the end of the file.
            reason = "\(error.error)" == "overflow" ? "unexpected end of file inside a tag" : "\(error.error)"
        }
        return TemplateError(.syntax, path: path, line: line, column: column, reason: reason)
    }
}

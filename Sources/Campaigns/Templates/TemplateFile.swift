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

    /// A tag and the file it is written in: the template's own, or a partial it includes.
    struct PlacedTag: Sendable {
        let tag: TemplateTag
        let path: String
    }

    /// As the user named it, for messages.
    let path: String
    private let template: MustacheTemplate
    private let partials: MustacheLibrary?
    /// The file's tags with those of the partials it includes in their place, in rendering order.
    let tags: [PlacedTag]

    /// Reads `url`; a missing file is an error naming `path`.
    static func load(
        _ url: URL, path: String, escaping: Escaping, partials: TemplatePartials = .none
    ) throws(TemplateError) -> TemplateFile {
        try TemplateFile(text: try read(url, path: path), path: path, escaping: escaping, partials: partials)
    }

    /// The text of a template file, without a byte-order mark.
    static func read(_ url: URL, path: String) throws(TemplateError) -> String {
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
        return text
    }

    init(text: String, path: String, escaping: Escaping, partials: TemplatePartials = .none) throws(TemplateError) {
        self.path = path
        let own = TemplateTag.scan(text)
        template = try Self.parse(text, tags: own, path: path, escaping: escaping)
        tags = try Self.expand(own, path: path, partials: partials, depth: 0)
        self.partials = partials.library(escaping)
        try Self.rejectUnsupported(tags)
    }

    /// Parses `text` with the escaping pragma in front.
    static func parse(_ text: String, tags: [TemplateTag], path: String, escaping: Escaping) throws(TemplateError) -> MustacheTemplate {
        // On a line of its own the pragma is "standalone": the parser drops that line,
        // so line 1 of the file parses exactly as it would alone (and is line 2 for the parser).
        let source = "{{%CONTENT_TYPE: \(escaping.rawValue)}}\n" + text
        do {
            return try MustacheTemplate(string: source)
        } catch let error as MustacheTemplate.ParserError {
            throw Self.syntaxError(error, path: path, tags: tags)
        } catch {
            throw TemplateError(.syntax, path: path, reason: "\(error)")
        }
    }

    /// `tags` with each partial's tags after its `{{> name}}`; a partial that is missing or includes itself is an error.
    private static func expand(
        _ tags: [TemplateTag], path: String, partials: TemplatePartials, depth: Int
    ) throws(TemplateError) -> [PlacedTag] {
        var placed: [PlacedTag] = []
        for tag in tags {
            placed.append(PlacedTag(tag: tag, path: path))
            guard tag.kind == .partial, !tag.content.hasPrefix("*") else { continue }
            guard let partial = partials.partials[tag.content] else {
                throw TemplateError(
                    .missingFile, path: path, line: tag.line, column: tag.column,
                    reason: "no partial '\(tag.content)' (\(TemplatePartials.directoryName)/\(tag.content).mustache)")
            }
            guard depth < 8 else {
                throw TemplateError(
                    .unsupportedTag, path: path, line: tag.line, column: tag.column,
                    reason: "\(tag.written): partials include each other more than 8 deep (a cycle?)")
            }
            placed += try expand(partial.tags, path: partial.path, partials: partials, depth: depth + 1)
        }
        return placed
    }

    /// Renders with `values`, without trailing whitespace; every plain variable that
    /// would be rendered must have a value (a section without one is simply false),
    /// and every value a helper formats must be one it can.
    func render(_ values: [String: String], format: RecipientFormat) throws(TemplateError) -> String {
        try checkValues(values, format: format)
        var text = template.render(TemplateScope(values: values, format: format), library: partials)
        while text.last?.isWhitespace == true { text.removeLast() }
        return text
    }

    /// For the parts a message cannot go out without: an empty SMS is a broken template, not a message.
    func renderNonEmpty(_ values: [String: String], format: RecipientFormat) throws(TemplateError) -> String {
        let text = try render(values, format: format)
        guard !text.isEmpty else { throw TemplateError(.invalidContent, path: path, reason: "renders empty") }
        return text
    }

    /// Throws for the first variable without a value (or with one its helper cannot format), in template order.
    private func checkValues(_ values: [String: String], format: RecipientFormat) throws(TemplateError) {
        // Whether each enclosing section renders: variables inside one that does not are not needed.
        var renders: [Bool] = []
        for placed in tags {
            let tag = placed.tag
            switch tag.kind {
            case .section, .invertedSection:
                let given = values[tag.name] != nil
                renders.append(tag.name == "." || tag.hasTransforms || given == (tag.kind == .section))
            case .sectionEnd:
                _ = renders.popLast()
            case .variable, .unescapedVariable:
                guard tag.name != ".", !renders.contains(false) else { continue }
                guard let value = values[tag.name] else {
                    throw TemplateError(.missingValue, path: placed.path, line: tag.line, reason: "no value for \(tag.displayName)")
                }
                try Self.checkTransforms(tag, value: value, format: format, path: placed.path)
            case .comment, .partial, .parent, .block, .setDelimiter, .pragma:
                continue
            }
        }
    }

    /// A helper given what it cannot format would render nothing: the message would go out with a hole.
    private static func checkTransforms(_ tag: TemplateTag, value: String, format: RecipientFormat, path: String) throws(TemplateError) {
        var text = value
        for name in tag.transforms.reversed() {
            guard let transform = RecipientFormat.Transform(rawValue: name) else { continue }
            guard let next = format.apply(transform, to: text) else {
                throw TemplateError(
                    .invalidValue, path: path, line: tag.line,
                    reason: "\(tag.written): '\(text)' is not \(RecipientFormat.expectation(of: transform))")
            }
            text = next
        }
    }

    /// Inheritance and pragmas would make a file depend on others or change its
    /// escaping; values are flat strings, so dotted names could never resolve; an
    /// unknown helper would render nothing.
    private static func rejectUnsupported(_ tags: [PlacedTag]) throws(TemplateError) {
        let helpers = RecipientFormat.Transform.allCases.map(\.rawValue).joined(separator: ", ")
        for placed in tags {
            let tag = placed.tag
            let reason: String
            switch tag.kind {
            case .partial:
                guard tag.content.hasPrefix("*") else { continue }
                reason = "dynamic partials ({{>*name}}) are not supported: name the partial"
            case .parent:
                reason = "template inheritance ({{<name}}) is not supported: include a partial with {{>name}}"
            case .block:
                reason = "blocks ({{$name}}) are not supported: include a partial with {{>name}}"
            case .pragma:
                reason = "pragmas ({{%…}}) are not supported: escaping follows the file (the html part escapes values, the others do not)"
            case .variable, .unescapedVariable, .section, .invertedSection:
                if let unknown = tag.transforms.first(where: { RecipientFormat.Transform(rawValue: $0) == nil }) {
                    reason = "\(tag.written): no helper '\(unknown)' (helpers: \(helpers))"
                } else if tag.name != ".", tag.name.contains(".") {
                    reason = "\(tag.displayName): dotted names are not supported, values are flat key=value strings"
                } else {
                    continue
                }
            case .sectionEnd, .comment, .setDelimiter:
                continue
            }
            throw TemplateError(.unsupportedTag, path: placed.path, line: tag.line, column: tag.column, reason: reason)
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

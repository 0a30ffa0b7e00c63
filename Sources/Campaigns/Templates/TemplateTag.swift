import Foundation

/// One `{{…}}` tag of a template, with where it starts.
///
/// swift-mustache keeps its tokens internal and renders a value nobody supplied
/// as an empty string, which in an SMS goes out as "您的订单已确认" with the
/// order number silently missing. So the library scans the tags itself to know
/// which variables a template needs (and where) before it renders anything.
struct TemplateTag: Hashable, Sendable {
    enum Kind: Hashable, Sendable {
        case variable, unescapedVariable, section, invertedSection, sectionEnd
        case comment, partial, parent, block, setDelimiter, pragma
    }

    let kind: Kind
    /// The tag's content without its sigil, trimmed: `order_no`, `uppercased(name)`, `<% %>`.
    let content: String
    /// 1-based, in characters, like swift-mustache's parser context.
    let line: Int
    let column: Int

    /// The value a variable or section looks up: `name` in `uppercased(name)`.
    var name: String {
        guard let open = content.lastIndex(of: "(") else { return content }
        let inner = content[content.index(after: open)...]
        return String(inner.prefix { $0 != ")" })
    }

    /// Transforms (`uppercased(…)`) change what a section tests, so the scan cannot tell whether it renders.
    var hasTransforms: Bool { content.contains("(") }

    /// The transforms around the name, outermost first: `["uppercased", "yuan"]` in `uppercased(yuan(amount))`.
    var transforms: [String] {
        content.split(separator: "(", omittingEmptySubsequences: false).dropLast()
            .map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// How a variable appears in messages: `{{order_no}}`.
    var displayName: String { "{{\(name)}}" }

    /// The tag as written with the default delimiters: `{{#vip}}`, `{{/vip}}`.
    var written: String {
        let sigil: String
        switch kind {
        case .variable: sigil = ""
        case .unescapedVariable: sigil = "&"
        case .section: sigil = "#"
        case .invertedSection: sigil = "^"
        case .sectionEnd: sigil = "/"
        case .comment: sigil = "!"
        case .partial: sigil = ">"
        case .parent: sigil = "<"
        case .block: sigil = "$"
        case .setDelimiter: sigil = "="
        case .pragma: sigil = "%"
        }
        return "{{\(sigil)\(content)}}"
    }

    /// What is wrong with the nesting of sections, to name the tags in a syntax error.
    enum SectionProblem {
        case unclosed(TemplateTag)
        case mismatched(open: TemplateTag, close: TemplateTag)
    }

    static func sectionProblem(in tags: [TemplateTag]) -> SectionProblem? {
        var open: [TemplateTag] = []
        for tag in tags {
            switch tag.kind {
            case .section, .invertedSection, .parent, .block:
                open.append(tag)
            case .sectionEnd:
                guard let last = open.popLast() else { continue }
                if last.content != tag.content { return .mismatched(open: last, close: tag) }
            default:
                continue
            }
        }
        return open.last.map { .unclosed($0) }
    }

    /// Scans tags the way swift-mustache's parser does, following `{{=<% %>=}}`
    /// delimiter changes. Tolerant of broken templates: it stops at an unclosed tag.
    static func scan(_ text: String) -> [TemplateTag] {
        var tags: [TemplateTag] = []
        var open = "{{", close = "}}"
        var position = Position(text: text)
        while let start = text[position.index...].range(of: open) {
            position.advance(to: start.lowerBound)
            let line = position.line, column = position.column
            var cursor = start.upperBound
            guard cursor < text.endIndex else { break }
            let kind: Kind
            var closing = close
            switch text[cursor] {
            case "{": kind = .unescapedVariable; closing = close + "}"
            case "&": kind = .unescapedVariable
            case "#": kind = .section
            case "^": kind = .invertedSection
            case "/": kind = .sectionEnd
            case "!": kind = .comment
            case ">": kind = .partial
            case "<": kind = .parent
            case "$": kind = .block
            case "=": kind = .setDelimiter; closing = "=" + close
            case "%": kind = .pragma
            default: kind = .variable
            }
            if kind != .variable { cursor = text.index(after: cursor) }
            guard let end = text[cursor...].range(of: closing) else { break }
            let content = text[cursor..<end.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
            tags.append(TemplateTag(kind: kind, content: content, line: line, column: column))
            if kind == .setDelimiter {
                let delimiters = content.split(whereSeparator: \.isWhitespace)
                if delimiters.count == 2 { (open, close) = (String(delimiters[0]), String(delimiters[1])) }
            }
            position.advance(to: end.upperBound)
        }
        return tags
    }

    /// Walks forward through the text counting lines and columns the way the parser does.
    private struct Position {
        let text: String
        var index: String.Index
        var line = 1
        var column = 1

        init(text: String) {
            self.text = text
            self.index = text.startIndex
        }

        mutating func advance(to target: String.Index) {
            for character in text[index..<target] {
                if character.isNewline {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            }
            index = target
        }
    }
}

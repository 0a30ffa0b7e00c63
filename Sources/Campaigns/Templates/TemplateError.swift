/// Why a template could not be loaded or rendered, and where: the file as the
/// user named it (e.g. `templates/x/sms.zh-CN.mustache`), the line and column
/// when one is known, so `description` reads like a compiler diagnostic.
public struct TemplateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable code for scripts and tests; `reason` is for people.
    public enum Code: String, Sendable, Hashable {
        /// The template name or locale could escape the template directory.
        case invalidName
        /// No file at `path`; nothing falls back to another locale.
        case missingFile
        /// The file exists but is not readable UTF-8.
        case unreadableFile
        /// Mustache syntax error reported by the parser.
        case syntax
        /// A tag this library deliberately does not support (inheritance, pragmas, dotted names, unknown helpers).
        case unsupportedTag
        /// A plain `{{variable}}` the caller gave no value for.
        case missingValue
        /// A value a helper cannot format: `{{yuan(amount)}}` given `12元`.
        case invalidValue
        /// The rendered file does not have the shape its channel needs (fax title, gather keys).
        case invalidContent
    }

    public let code: Code
    /// The file looked for or read, as the library was given it (relative paths stay relative).
    public let path: String
    /// 1-based.
    public let line: Int?
    /// 1-based, in characters.
    public let column: Int?
    public let reason: String

    public init(_ code: Code, path: String, line: Int? = nil, column: Int? = nil, reason: String) {
        self.code = code
        self.path = path
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// `path[:line[:column]]: reason`.
    public var description: String {
        var location = path
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        return "\(location): \(reason)"
    }
}

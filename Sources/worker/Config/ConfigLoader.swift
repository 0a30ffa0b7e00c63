import CoreModel
import Foundation
import Yams

/// Reads tidings.yaml into `TidingsConfig`, turning every problem into a
/// message with file, line and key path. Each part decodes and checks
/// itself (`ConfigIssue`s by key path); the loader adds where they are.
enum ConfigLoader {
    struct Located: Error, CustomStringConvertible {
        var file: String
        var line: Int?
        var column: Int?
        var keyPath: String?
        var message: String
        var severity: ConfigIssue.Severity = .error

        var description: String {
            var place = file
            if let line { place += ":\(line)" }
            if let column { place += ":\(column)" }
            let label = severity == .warning ? "warning: " : ""
            return "\(place): \(label)\(keyPath.map { "\($0): " } ?? "")\(message)"
        }
    }

    struct Loaded {
        var config: TidingsConfig
        var file: String?
        var warnings: [Located]
        /// The file's YAML, to place issues found after loading (nil for the built-in defaults).
        var root: Node? = nil
    }

    /// Loads `path`; with no path, ./tidings.yaml if present, else the defaults.
    static func load(
        path: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> Loaded {
        let chosen = path ?? environment["TIDINGS_CONFIG"]
        let present = FileManager.default.fileExists(atPath: "tidings.yaml") ? "tidings.yaml" : nil
        guard let file = chosen ?? present else {
            return Loaded(config: .defaults, file: nil, warnings: [])
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            let message = "cannot read the config file (missing or not readable); create one with `tidings init`"
            throw Located(file: file, message: message)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw Located(file: file, message: "config file is not UTF-8")
        }
        var loaded = try parse(text, file: file, environment: environment)
        loaded.config.database.path = resolve(loaded.config.database.path, besides: file)
        return loaded
    }

    /// A relative `database.path` names a file beside the config, wherever the command runs.
    static func resolve(_ path: String, besides file: String) -> String {
        let directory = (file as NSString).deletingLastPathComponent
        guard !path.hasPrefix("/"), !directory.isEmpty, directory != "." else { return path }
        return (directory as NSString).appendingPathComponent(path)
    }

    /// Issues found after loading (the templates the automations need), placed in the file like the loader's own.
    static func located(_ issues: [ConfigIssue], in loaded: Loaded) -> [Located] {
        issues.map { issue in
            // A key left out (its default) is placed at the nearest one written, if any is.
            let mark = loaded.root.flatMap { root in
                (1...max(1, issue.path.count)).reversed().lazy
                    .compactMap { node(at: Array(issue.path.prefix($0)), in: root)?.mark }.first
            }
            return Located(
                file: loaded.file ?? "built-in defaults", line: mark?.line, column: mark?.column,
                keyPath: issue.keyPath, message: issue.message, severity: issue.severity)
        }
    }

    static func parse(_ text: String, file: String, environment: [String: String]) throws -> Loaded {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                return Loaded(config: .defaults, file: file, warnings: [])
            }
            root = node
        } catch let error as YamlError {
            throw located(error, file: file)
        }
        let config: TidingsConfig
        do {
            config = try YAMLDecoder().decode(
                TidingsConfig.self, from: root, userInfo: [Secret.environmentKey: environment])
        } catch let error as DecodingError {
            throw located(error, root: root, file: file)
        }
        var warnings: [Located] = []
        var errors: [Located] = []
        for issue in config.validate() {
            let mark = node(at: issue.path, in: root)?.mark
            let entry = Located(
                file: file, line: mark?.line, column: mark?.column, keyPath: issue.keyPath, message: issue.message,
                severity: issue.severity)
            if issue.severity == .error { errors.append(entry) } else { warnings.append(entry) }
        }
        if let first = errors.first {
            var combined = first
            if errors.count > 1 { combined.message += errors.dropFirst().map { "\n\($0)" }.joined() }
            throw combined
        }
        return Loaded(config: config, file: file, warnings: warnings, root: root)
    }

    static func located(_ error: YamlError, file: String) -> Located {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return Located(file: file, line: mark.line, column: mark.column, message: "YAML syntax: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return Located(
                file: file, line: context.mark.line, column: context.mark.column,
                message: "YAML: duplicate key \(keys) in a mapping")
        case .reader(let problem, let offset?, _, let yaml):
            // libyaml's reader gives an offset (a control character, bad UTF-8): turned into line and column.
            let before = yaml.prefix(offset)
            let line = before.count { $0 == "\n" } + 1
            let lineStart = before.lastIndex(of: "\n").map { before.index(after: $0) } ?? before.startIndex
            let column = before.distance(from: lineStart, to: before.endIndex) + 1
            return Located(file: file, line: line, column: column, message: "YAML: \(problem)")
        default:
            return Located(file: file, message: "YAML: \(error)")
        }
    }

    static func located(_ error: DecodingError, root: Node, file: String) -> Located {
        let (path, message): ([CodingKey], String) = switch error {
        case .typeMismatch(let type, let context):
            (context.codingPath, "expected \(describe(type))\(found(context.codingPath, root))")
        case .valueNotFound(let type, let context): (context.codingPath, "expected \(describe(type)), found nothing")
        case .keyNotFound(let key, let context): (context.codingPath, "missing required key '\(key.stringValue)'")
        // A part that refused a value (`Decoder.refuse`) has already quoted it.
        case .dataCorrupted(let context) where context.underlyingError is ConfigIssue:
            (context.codingPath, context.debugDescription)
        case .dataCorrupted(let context):
            (context.codingPath, context.debugDescription + found(context.codingPath, root, onlyScalars: true))
        @unknown default: ([], "\(error)")
        }
        let names = path.map { $0.intValue.map(String.init) ?? $0.stringValue }
        // An unknown key points at itself; a bad value at the value.
        let pointAtKey = message.hasPrefix("unknown key")
        let mark =
            node(at: names, in: root, preferKey: pointAtKey)?.mark ?? node(at: Array(names.dropLast()), in: root)?.mark
        let keyPath = ConfigIssue(path: names, message: message).keyPath
        return Located(
            file: file, line: mark?.line, column: mark?.column, keyPath: keyPath.isEmpty ? "(top level)" : keyPath,
            message: message)
    }

    private static func found(_ path: [CodingKey], _ root: Node, onlyScalars: Bool = false) -> String {
        let names = path.map { $0.intValue.map(String.init) ?? $0.stringValue }
        guard let node = node(at: names, in: root) else { return "" }
        switch node {
        case .scalar(let scalar): return onlyScalars && scalar.string.isEmpty ? "" : ", found '\(scalar.string)'"
        case .mapping: return onlyScalars ? "" : ", found a mapping"
        case .sequence: return onlyScalars ? "" : ", found a list"
        default: return ""
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "text"
        case is Int.Type: "a whole number"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        case is [Any].Type: "a list"
        default:
            ["Dictionary", "Settings", "Config"].contains { String(describing: type).contains($0) }
                ? "a mapping" : "\(type)"
        }
    }

    /// The node at a key path; with `preferKey`, the key node of the last step
    /// (so an unknown key points at itself).
    static func node(at path: [String], in root: Node, preferKey: Bool = false) -> Node? {
        var current = root
        for (index, step) in path.enumerated() {
            switch current {
            case .mapping(let mapping):
                guard let pair = mapping.first(where: { $0.key.string == step }) else { return nil }
                if preferKey && index == path.count - 1 { return pair.key }
                current = pair.value
            case .sequence(let sequence):
                guard let i = Int(step), sequence.indices.contains(i) else { return nil }
                current = sequence[i]
            default:
                return nil
            }
        }
        return current
    }
}

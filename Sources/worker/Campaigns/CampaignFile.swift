import Campaigns
import CoreModel
import Foundation
import Yams

/// Reads `campaigns/<name>.yaml` into a `CampaignDefinition`; every problem
/// is reported with file, line and field path, all of them at once.
enum CampaignFile {
    struct Loaded {
        var definition: CampaignDefinition
        var file: String
    }

    struct Refused: Error, CustomStringConvertible {
        var problems: [ConfigLoader.Located]
        var description: String { problems.map(\.description).joined(separator: "\n") }
    }

    static func load(_ file: String, environment: CampaignEnvironment) throws -> Loaded {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw Refused(problems: [ConfigLoader.Located(file: file, message: "cannot read the campaign file (missing or not readable)")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw Refused(problems: [ConfigLoader.Located(file: file, message: "the campaign file is not UTF-8")])
        }
        return try parse(text, file: file, environment: environment)
    }

    static func parse(_ text: String, file: String, environment: CampaignEnvironment) throws -> Loaded {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw Refused(problems: [ConfigLoader.Located(file: file, message: "the campaign file is empty")])
            }
            root = node
        } catch let error as YamlError {
            throw Refused(problems: [ConfigLoader.located(error, file: file)])
        }
        let definition: CampaignDefinition
        do {
            definition = try YAMLDecoder().decode(CampaignDefinition.self, from: root)
        } catch let error as DecodingError {
            throw Refused(problems: [ConfigLoader.located(error, root: root, file: file)])
        }
        let problems = definition.issues(in: environment).map { issue in
            let mark = (1...max(1, issue.path.count)).reversed().lazy
                .compactMap { ConfigLoader.node(at: Array(issue.path.prefix($0)), in: root)?.mark }.first
            return ConfigLoader.Located(
                file: file, line: mark?.line, column: mark?.column, keyPath: issue.keyPath, message: issue.message,
                severity: issue.severity)
        }
        if problems.contains(where: { $0.severity == .error }) { throw Refused(problems: problems) }
        return Loaded(definition: definition, file: file)
    }
}

extension TidingsConfig {
    func campaignEnvironment() -> CampaignEnvironment {
        CampaignEnvironment(
            savedSegments: segments, templates: TemplateLibrary(directory: URL(fileURLWithPath: templates)),
            timeZone: TimeZone(identifier: defaults.timezone) ?? .current)
    }
}

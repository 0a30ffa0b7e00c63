import CoreModel
import Foundation
import Hummingbird

/// GET /api/v1/templates: the message templates a campaign may name (the
/// directories of `templates`, partials left out), with the channels and
/// locales each has a file for, so the console's editor offers only those.
struct TemplateRoutes: Sendable {
    let config: TidingsConfig

    struct Listed: Encodable {
        var name: String
        var channels: [String]
        var locales: [String]
    }

    func register(on routes: ApiRoutes) {
        routes.on(.get, "templates", needs: .read) { _, _, _ in ApiJSON.response(["templates": try list()]) }
    }

    /// `templates/<name>/<channel>.<locale>[.<part>].mustache`, names sorted.
    func list() throws -> [Listed] {
        let manager = FileManager.default
        let root = URL(fileURLWithPath: config.templates)
        let names = (try? manager.contentsOfDirectory(atPath: root.path)) ?? []
        return names.filter { !$0.hasPrefix("_") && !$0.hasPrefix(".") }.sorted().compactMap { name in
            let files = (try? manager.contentsOfDirectory(atPath: root.appendingPathComponent(name).path)) ?? []
            let parts = files.filter { $0.hasSuffix(".mustache") }.map { $0.split(separator: ".").map(String.init) }
            guard !parts.isEmpty else { return nil }
            return Listed(
                name: name, channels: Set(parts.compactMap { $0.first }).sorted(),
                locales: Set(parts.compactMap { $0.count > 2 ? $0[1] : nil }).sorted())
        }
    }
}

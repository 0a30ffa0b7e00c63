import Foundation
import Mustache

/// Shared pieces of templates, `<templates>/_partials/NAME.mustache`, included
/// with `{{> NAME}}` (a footer, an opt-out line). Parsed once with the library's
/// templates; a partial escapes like the file that includes it, so each is
/// registered twice, once per escaping.
struct TemplatePartials: Sendable {
    struct Partial: Sendable {
        /// As the user names it: `templates/_partials/footer.mustache`.
        let path: String
        let tags: [TemplateTag]
    }

    static let directoryName = "_partials"

    let partials: [String: Partial]
    private let libraries: [TemplateFile.Escaping: MustacheLibrary]

    static let none = TemplatePartials(partials: [:], libraries: [:])

    private init(partials: [String: Partial], libraries: [TemplateFile.Escaping: MustacheLibrary]) {
        self.partials = partials
        self.libraries = libraries
    }

    func library(_ escaping: TemplateFile.Escaping) -> MustacheLibrary? { libraries[escaping] }

    /// Every `*.mustache` in `directory/_partials`, none if there is no such folder.
    static func load(from directory: URL) throws(TemplateError) -> TemplatePartials {
        let folder = directory.appendingPathComponent(directoryName, isDirectory: true)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return .none }
        var partials: [String: Partial] = [:]
        var libraries: [TemplateFile.Escaping: MustacheLibrary] = [.none: MustacheLibrary(), .html: MustacheLibrary()]
        for file in names.sorted() where file.hasSuffix(".mustache") && !file.hasPrefix(".") {
            let name = String(file.dropLast(".mustache".count))
            let url = folder.appendingPathComponent(file)
            var text = try TemplateFile.read(url, path: url.relativePath)
            // Editors end a file with a newline; included mid-sentence it would break the SMS in two.
            if text.hasSuffix("\n") { text.removeLast() }
            let tags = TemplateTag.scan(text)
            for escaping in [TemplateFile.Escaping.none, .html] {
                let template = try TemplateFile.parse(text, tags: tags, path: url.relativePath, escaping: escaping)
                libraries[escaping]?.register(template, named: name)
            }
            partials[name] = Partial(path: url.relativePath, tags: tags)
        }
        return TemplatePartials(partials: partials, libraries: libraries)
    }
}

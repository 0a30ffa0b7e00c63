import CoreModel
import Foundation

extension TemplateLibrary {
    /// The locales `name` has a file for on `channel` (`sms.zh-CN.mustache` → zh-CN; email by its subject file).
    public func locales(of name: String, channel: Channel) -> Set<String> {
        let folder = directory.appendingPathComponent(name, isDirectory: true)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let suffix = channel == .email ? ".subject.mustache" : ".mustache"
        return Set(files.compactMap { file in
            guard file.hasPrefix("\(channel.rawValue)."), file.hasSuffix(suffix) else { return nil }
            let locale = file.dropFirst(channel.rawValue.count + 1).dropLast(suffix.count)
            return locale.isEmpty || locale.contains(".") ? nil : String(locale)
        })
    }
}

import Foundation
import Hummingbird
import Testing

@testable import worker

/// The console's files as `tidings run` serves them: known files with their
/// types and a policy that allows nothing from elsewhere, nothing inline.
struct ConsoleFilesTests {
    static let directory = AdminApiFixture.repository.appendingPathComponent("Sources/worker/Console")

    @Test func filesAreServedWithTheirTypeAndAStrictPolicy() throws {
        let console = try ConsoleFiles.load(Self.directory)
        for (path, type) in [
            ("index.html", "text/html; charset=utf-8"), ("js/app.js", "text/javascript; charset=utf-8"),
            ("console.css", "text/css; charset=utf-8"), ("js/pages/editor.js", "text/javascript; charset=utf-8"),
        ] {
            let response = console.serve(path)
            #expect(response.status == .ok, "\(path)")
            #expect(response.headers[.contentType] == type, "\(path)")
            #expect(response.headers[.contentSecurityPolicy]?.hasPrefix("default-src 'self'") == true)
            #expect(response.headers[.cacheControl] == "no-cache")
        }
        for path in ["../Package.swift", "js/../../Package.swift", "nope.html", "", "js"] {
            #expect(console.serve(path).status == .notFound, "\(path)")
        }
    }

    /// No CDN, no font download, no inline script or handler: the policy would block them, so they would only break.
    @Test func nothingComesFromElsewhereOrRunsInline() throws {
        let console = try ConsoleFiles.load(Self.directory)
        for (path, file) in console.files {
            let text = String(decoding: file.bytes, as: UTF8.self)
            #expect(!text.contains("https://") && !text.contains("@import") && !text.contains("url("), "\(path)")
            if path.hasSuffix(".html") {
                #expect(!text.contains("<script>") && !text.contains(" onclick=") && !text.contains("style="), "\(path)")
            }
        }
    }

    /// Both dictionaries hold the same keys, so a toggle never shows a key name.
    @Test func everyStringIsInBothLanguages() throws {
        let text = try String(contentsOf: Self.directory.appendingPathComponent("js/i18n.js"), encoding: .utf8)
        let halves = text.components(separatedBy: "\n  zh: {")
        #expect(halves.count == 2)
        func keys(_ part: String) -> Set<String> {
            Set(part.matches(of: #/'([a-zA-Z_]+(?:\.[a-zA-Z_]+)?)': /#).map { String($0.1) })
        }
        let english = keys(halves[0]), chinese = keys(halves[1])
        #expect(english.count > 100)
        #expect(english == chinese, "only English: \(english.subtracting(chinese)), only Chinese: \(chinese.subtracting(english))")
    }
}

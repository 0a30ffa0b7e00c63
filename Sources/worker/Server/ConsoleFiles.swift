import Foundation
import HTTPTypes
import Hummingbird

/// The web console's static files (Sources/worker/Console, shipped as the
/// worker's SwiftPM resources next to the binary), read once at start and
/// served under /console/ with `/` sending browsers there. Everything comes
/// from this server: the Content-Security-Policy allows nothing else, not
/// even inline scripts, so a value shown by the console can never run.
struct ConsoleFiles: Sendable {
    struct File: Sendable {
        var bytes: [UInt8]
        var contentType: String
    }

    /// Relative path (`index.html`, `js/app.js`) to file.
    let files: [String: File]

    static let path = "/console/"
    static let policy = "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let types = [
        "html": "text/html; charset=utf-8", "js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8",
        "svg": "image/svg+xml", "json": "application/json; charset=utf-8", "ico": "image/x-icon",
    ]

    struct Missing: Error, CustomStringConvertible {
        var directory: String
        var description: String { "the console's files are not at \(directory) (they ship next to the tidings binary)" }
    }

    /// Every file under `directory` with a known type.
    static func load(_ directory: URL) throws -> ConsoleFiles {
        let root = directory.standardizedFileURL.path
        guard let walker = FileManager.default.enumerator(atPath: root) else { throw Missing(directory: root) }
        var files: [String: File] = [:]
        while let relative = walker.nextObject() as? String {
            guard let type = types[(relative as NSString).pathExtension.lowercased()],
                let data = FileManager.default.contents(atPath: root + "/" + relative)
            else { continue }
            files[relative] = File(bytes: Array(data), contentType: type)
        }
        guard files["index.html"] != nil else { throw Missing(directory: root) }
        return ConsoleFiles(files: files)
    }

    /// The files SwiftPM copied beside the executable (`tidings_worker.resources/Console`).
    static func bundled() -> Result<ConsoleFiles, Missing> {
        let executable = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        let directory = executable.resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("tidings_worker.resources/Console")
        do { return .success(try load(directory)) } catch let missing as Missing { return .failure(missing) } catch {
            return .failure(Missing(directory: directory.path))
        }
    }

    func register<Context: RequestContext>(on router: Router<Context>) {
        router.get("/") { _, _ in Response.redirect(to: Self.path) }
        // The router takes /console and /console/ for one path: the page is served at the second only.
        router.get("/console") { request, _ in
            request.uri.path.hasSuffix("/") ? serve("index.html") : Response.redirect(to: Self.path)
        }
        router.get("/console/**") { _, context in
            serve(context.parameters.getCatchAll().joined(separator: "/"))
        }
    }

    /// A known file, or 404: the path is only ever a key of `files`, never a file system path.
    func serve(_ relative: String) -> Response {
        var headers = HTTPFields()
        headers[.contentSecurityPolicy] = Self.policy
        headers[.xContentTypeOptions] = "nosniff"
        headers[Self.referrerPolicy] = "no-referrer"
        guard let file = files[relative] else {
            headers[.contentType] = "text/plain; charset=utf-8"
            return Response(status: .notFound, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "not found\n")))
        }
        headers[.contentType] = file.contentType
        // Small files that change with each release: always revalidated, never served stale after an upgrade.
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
    }
}

import Foundation
import Testing
import TestSupport

/// Reads fax PDFs back the ways a fax server would, with Debian's poppler-utils
/// and tesseract, in a scratch directory that `with` removes afterwards.
struct FaxReader {
    let directory: URL

    static let hasPoppler = ["pdftotext", "pdffonts", "pdfinfo", "pdftoppm"].allSatisfy {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/\($0)")
    }
    static let hasOCR =
        FileManager.default.isExecutableFile(atPath: "/usr/bin/tesseract")
        && ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/share/tesseract-ocr")) ?? []).contains {
            FileManager.default.fileExists(atPath: "/usr/share/tesseract-ocr/\($0)/tessdata/chi_sim.traineddata")
        }

    static func with<T>(_ body: (FaxReader) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "tidings-fax-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try body(FaxReader(directory: directory))
    }

    /// pdftotext's text, laid out as on the page (`-layout`), or its words
    /// with their boxes (`-bbox`, HTML).
    func text(_ pdf: [UInt8], page: Int? = nil, boxes: Bool = false) throws -> String {
        let file = try write(pdf)
        let out = directory.appendingPathComponent("\(UUID().uuidString).txt")
        let pages = page.map { ["-f", String($0), "-l", String($0)] } ?? []
        let (status, output) = try run(
            ["pdftotext", "-enc", "UTF-8", boxes ? "-bbox" : "-layout"] + pages + [file.path, out.path])
        try #require(status == 0, "pdftotext: \(output)")
        return try String(contentsOf: out, encoding: .utf8)
    }

    struct Font: Equatable {
        var name: String, type: String, embedded: Bool, subset: Bool
    }

    /// pdffonts' table, one row per font.
    func fonts(_ pdf: [UInt8]) throws -> [Font] {
        let (status, output) = try run(["pdffonts", try write(pdf).path])
        try #require(status == 0, "pdffonts: \(output)")
        // name type… encoding emb sub uni object generation; the type has spaces ("CID TrueType").
        return output.split(separator: "\n").drop { !$0.hasPrefix("----") }.dropFirst().map { row in
            let fields = row.split(separator: " ").map(String.init)
            return Font(
                name: fields[0], type: fields.dropFirst().dropLast(6).joined(separator: " "),
                embedded: fields[fields.count - 5] == "yes", subset: fields[fields.count - 4] == "yes")
        }
    }

    func pageCount(_ pdf: [UInt8]) throws -> Int {
        let (status, output) = try run(["pdfinfo", try write(pdf).path])
        try #require(status == 0, "pdfinfo: \(output)")
        let line = output.split(separator: "\n").first { $0.hasPrefix("Pages:") } ?? ""
        return try #require(
            Int(line.dropFirst("Pages:".count).trimmingCharacters(in: .whitespaces)), "pdfinfo: \(output)")
    }

    enum Fonts { case none, system }

    /// Page 1 drawn at 300 dpi by pdftoppm and read by tesseract (chi_sim).
    /// With `.none`, fontconfig on the reading side has no font directories,
    /// so poppler cannot put a font of this host in for one the PDF lacks:
    /// every glyph on the page came from the PDF.
    func ocr(_ pdf: [UInt8], fonts: Fonts) throws -> String {
        let file = try write(pdf)
        var environment: [String: String] = [:]
        if fonts == .none {
            let config = directory.appendingPathComponent("no-fonts.conf")
            let cache = directory.appendingPathComponent("fontconfig-cache")
            try """
            <?xml version="1.0"?>
            <!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
            <fontconfig><cachedir>\(cache.path)</cachedir></fontconfig>
            """.write(to: config, atomically: true, encoding: .utf8)
            environment = [
                "FONTCONFIG_FILE": config.path, "FONTCONFIG_PATH": directory.path, "XDG_CACHE_HOME": cache.path,
            ]
            let (_, listed) = try run(["fc-list"], environment: environment)
            try #require(
                listed.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
                "fonts left on the reading side: \(listed)")
        }
        let page = directory.appendingPathComponent(UUID().uuidString)
        let (drawn, drawOutput) = try run(
            ["pdftoppm", "-r", "300", "-gray", "-f", "1", "-l", "1", "-singlefile", file.path, page.path],
            environment: environment)
        try #require(drawn == 0, "pdftoppm: \(drawOutput)")
        // tesseract writes its warnings to stderr; the text goes to a file of its own. On one
        // thread its reading does not vary from run to run.
        let (read, readOutput) = try run(
            ["tesseract", page.path + ".pgm", page.path, "-l", "chi_sim", "--psm", "6", "--dpi", "300"],
            environment: ["OMP_THREAD_LIMIT": "1"])
        try #require(read == 0, "tesseract: \(readOutput)")
        return try String(contentsOf: page.appendingPathExtension("txt"), encoding: .utf8)
    }

    private func write(_ pdf: [UInt8]) throws -> URL {
        let file = directory.appendingPathComponent("\(UUID().uuidString).pdf")
        try Data(pdf).write(to: file)
        return file
    }

    private func run(
        _ arguments: [String], environment: [String: String] = [:]
    ) throws -> (status: Int32, output: String) {
        try runCommand(arguments, environment: environment)
    }
}

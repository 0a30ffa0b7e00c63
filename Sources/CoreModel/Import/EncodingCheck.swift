import Foundation

/// Reads a file once before import: refuses anything that is not UTF-8 (with a
/// clear word for GB18030/GBK exports, common from Chinese office software)
/// and counts lines for the progress bar; for a CSV file, finds a quoted field
/// that never closes.
enum EncodingCheck {
    struct Result {
        var lines: Int
        var bytes: Int64
        /// The line where a quoted field starts that the file never closes (CSV only).
        var unterminatedQuote: Int?
    }

    static func scan(path: String, csv: Bool = false) throws(ImportFileError) -> Result {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ImportFileError(file: path, reason: "cannot open file (missing or not readable)")
        }
        defer { try? handle.close() }
        var lines = 0
        var bytes: Int64 = 0
        var carry: [UInt8] = []
        var lineAtChunkStart = 1
        var quotes = csv ? CSVQuoteTracker() : nil
        while true {
            let data: Data
            do { data = try handle.read(upToCount: 1 << 20) ?? Data() } catch {
                throw ImportFileError(file: path, reason: "read failed: \(error)")
            }
            if data.isEmpty { break }
            var chunk = carry
            chunk.append(contentsOf: data)
            bytes += Int64(data.count)
            // Keep an incomplete trailing UTF-8 sequence for the next chunk.
            var cut = chunk.count
            var back = 0
            while back < 4, cut > 0, chunk[cut - 1] & 0xC0 == 0x80 { cut -= 1; back += 1 }
            if cut > 0, chunk[cut - 1] >= 0xC0 { cut -= 1 }
            let body = chunk[0..<cut]
            if String(validating: body, as: UTF8.self) == nil {
                let line = lineAtChunkStart + firstInvalidLine(body)
                throw ImportFileError(file: path, line: line, reason: looksLikeGB18030(body)
                    ? "file is not UTF-8; it looks like GB18030/GBK. Convert it first: iconv -f GB18030 -t UTF-8 '\(path)' > converted.csv"
                    : "file is not valid UTF-8; save it as UTF-8 (CSV UTF-8) and import again")
            }
            let newlines = body.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
            quotes?.feed(body)
            lines += newlines
            lineAtChunkStart += newlines
            carry = Array(chunk[cut...])
        }
        if !carry.isEmpty, String(validating: carry, as: UTF8.self) == nil {
            throw ImportFileError(file: path, line: lineAtChunkStart, reason: "file ends inside a UTF-8 sequence")
        }
        quotes?.feed(carry)
        quotes?.finish()
        return Result(lines: lines, bytes: bytes, unterminatedQuote: quotes?.unterminatedAt)
    }

    private static func firstInvalidLine(_ bytes: ArraySlice<UInt8>) -> Int {
        var line = 0
        var start = bytes.startIndex
        for index in bytes.indices where bytes[index] == 10 {
            if String(validating: bytes[start...index], as: UTF8.self) == nil { return line }
            line += 1
            start = index + 1
        }
        return line
    }

    /// GBK/GB18030 double-byte pairs: lead 0x81–0xFE, trail 0x40–0xFE except 0x7F.
    static func looksLikeGB18030(_ bytes: ArraySlice<UInt8>) -> Bool {
        var pairs = 0, strays = 0
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte < 0x80 { index += 1; continue }
            let next = index + 1 < bytes.endIndex ? bytes[index + 1] : 0
            if (0x81...0xFE).contains(byte), (0x40...0xFE).contains(next), next != 0x7F {
                pairs += 1
                index += 2
            } else {
                strays += 1
                index += 1
            }
        }
        return pairs > 0 && strays * 10 <= pairs
    }
}

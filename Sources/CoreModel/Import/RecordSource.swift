import CSV
import Foundation

/// Rows of an import file as text fields by column name, read one at a time
/// (a million-row file is never held in memory).
protocol RecordSource {
    /// Column names (CSV header, or the keys seen so far for JSON Lines).
    var columns: [String] { get }
    /// The next row and its number, or a row-level error, or nil at the end.
    mutating func next() throws(ImportFileError) -> (row: Int, fields: Result<[String: String], RowError>)?
}

struct CSVRecordSource: RecordSource {
    private let reader: CSVReader
    private let path: String
    let columns: [String]
    private var row = 1

    init(path: String) throws(ImportFileError) {
        self.path = path
        guard let stream = InputStream(fileAtPath: path) else { throw ImportFileError(file: path, reason: "cannot open file") }
        do {
            reader = try CSVReader(stream: stream, hasHeaderRow: true)
        } catch {
            throw ImportFileError(file: path, line: 1, reason: "cannot read CSV header: \(error)")
        }
        guard let header = reader.headerRow, !header.isEmpty else { throw ImportFileError(file: path, line: 1, reason: "empty file: no header row") }
        columns = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
    }

    mutating func next() throws(ImportFileError) -> (row: Int, fields: Result<[String: String], RowError>)? {
        guard let values = reader.next() else {
            // CSV.swift reports the end of the stream as cannotReadFile.
            if let error = reader.error as? CSVError, !Self.isEndOfStream(error) {
                throw ImportFileError(file: path, line: row + 1, reason: "CSV is malformed: \(error)")
            }
            return nil
        }
        row += 1
        if values.count == 1, values[0].isEmpty { return try next() }  // blank line
        guard values.count == columns.count else {
            return (row, .failure(RowError(row: row, column: "(row)", reason: "has \(values.count) fields, the header has \(columns.count)")))
        }
        var fields: [String: String] = [:]
        fields.reserveCapacity(columns.count)
        for (column, value) in zip(columns, values) { fields[column] = value }
        return (row, .success(fields))
    }

    private static func isEndOfStream(_ error: CSVError) -> Bool {
        if case .cannotReadFile = error { return true }
        return false
    }
}

struct JSONLinesRecordSource: RecordSource {
    private let file: UnsafeMutablePointer<FILE>
    private let path: String
    private(set) var columns: [String] = []
    private var line = 0
    private var buffer: UnsafeMutablePointer<CChar>?
    private var capacity = 0

    init(path: String) throws(ImportFileError) {
        self.path = path
        guard let file = fopen(path, "r") else { throw ImportFileError(file: path, reason: "cannot open file") }
        self.file = file
    }

    func close() {
        fclose(file)
        free(buffer)
    }

    mutating func next() throws(ImportFileError) -> (row: Int, fields: Result<[String: String], RowError>)? {
        while true {
            let length = getline(&buffer, &capacity, file)
            if length < 0 { return nil }
            line += 1
            guard let buffer else { return nil }
            var bytes = UnsafeRawBufferPointer(start: buffer, count: length)
            if line == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = UnsafeRawBufferPointer(rebasing: bytes.dropFirst(3)) }
            if bytes.allSatisfy({ $0 == 10 || $0 == 13 || $0 == 32 || $0 == 9 }) { continue }
            let object: Any
            do { object = try JSONSerialization.jsonObject(with: Data(bytes)) } catch {
                return (line, .failure(RowError(row: line, column: "(line)", reason: "not valid JSON")))
            }
            guard let dictionary = object as? [String: Any] else {
                return (line, .failure(RowError(row: line, column: "(line)", reason: "each line must be a JSON object")))
            }
            var fields: [String: String] = [:]
            for (key, value) in dictionary {
                let column = key.lowercased()
                switch value {
                case let text as String: fields[column] = text
                case let number as NSNumber: fields[column] = number.stringValue
                case let list as [Any]: fields[column] = list.map { "\($0)" }.joined(separator: ",")
                case is NSNull: continue
                default:
                    return (line, .failure(RowError(row: line, column: column, reason: "nested objects are not supported")))
                }
                if !columns.contains(column) { columns.append(column) }
            }
            return (line, .success(fields))
        }
    }
}

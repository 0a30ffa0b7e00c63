import Foundation

/// Streams an import file through the parser into the store in batched
/// transactions. Bad rows are reported and skipped; good rows go in.
public struct Importer: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case csv, jsonl

        public static func guess(path: String) -> Format {
            let lower = path.lowercased()
            return lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") || lower.hasSuffix(".json") ? .jsonl : .csv
        }
    }

    public struct Progress: Sendable {
        public var rowsRead: Int
        public var expectedRows: Int
    }

    public struct Summary: Sendable, Codable {
        public var file: String
        public var kind: ImportKind
        public var dryRun: Bool
        public var rowsRead = 0
        public var inserted = 0
        public var updated = 0
        public var unchanged = 0
        public var rejected = 0
        /// Rows left alone on purpose (not errors), with why.
        public var skipped = 0
        public var skips: [RowSkip] = []
        /// The first `errorLimit` row errors, in file order.
        public var errors: [RowError] = []
        public var warnings: [String] = []
        public var seconds: Double = 0

        public var failed: Bool { rejected > 0 }
    }

    public let store: any Records
    public private(set) var parser: RecordParser
    public var batchSize = 1000
    public var errorLimit = 1000

    public init(store: any Records, parser: RecordParser) {
        self.store = store
        self.parser = parser
    }

    public func run(
        path: String, format: Format? = nil, dryRun: Bool = false,
        onError: @Sendable (RowError) -> Void = { _ in }, progress: @Sendable (Progress) -> Void = { _ in }
    ) async throws -> Summary {
        let started = Date()
        var parser = self.parser
        parser.file = URL(fileURLWithPath: path).lastPathComponent
        let format = format ?? Format.guess(path: path)
        let scan = try EncodingCheck.scan(path: path, csv: format == .csv)
        var summary = Summary(file: path, kind: parser.kind, dryRun: dryRun)
        let kind = parser.kind
        var source: any RecordSource
        var jsonLines: JSONLinesRecordSource?
        switch format {
        case .csv:
            if let line = scan.unterminatedQuote {
                let reason = "unterminated quoted field starting at line \(line)"
                throw ImportFileError(
                    file: path, line: line, reason: reason + " (a quote inside a quoted field is written twice: \"\")")
            }
            let csv = try CSVRecordSource(path: path)
            let missing = kind.requiredColumns.filter { !csv.columns.contains($0) }
            if !missing.isEmpty {
                throw ImportFileError(
                    file: path, line: 1,
                    reason: "missing column\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", ")) for \(kind.rawValue) (expected \((kind.requiredColumns + kind.optionalColumns).joined(separator: ",")))")
            }
            let known = Set(kind.requiredColumns + kind.optionalColumns)
            for column in csv.columns where !known.contains(column) {
                summary.warnings.append("\(path):1: column '\(column)' is not used for \(kind.rawValue) and was ignored")
            }
            source = csv
        case .jsonl:
            let lines = try JSONLinesRecordSource(path: path)
            jsonLines = lines
            source = lines
        }
        defer { jsonLines?.close() }

        var pending: [(row: Int, record: ParsedRecord)] = []
        pending.reserveCapacity(batchSize)
        func reject(_ error: RowError) {
            summary.rejected += 1
            if summary.errors.count < errorLimit { summary.errors.append(error) }
            onError(error)
        }
        func flush() async throws {
            guard !pending.isEmpty else { return }
            let outcomes = try await store.apply(Self.batch(pending.map(\.record)), dryRun: dryRun)
            for ((row, _), outcome) in zip(pending, outcomes) {
                switch outcome {
                case .inserted: summary.inserted += 1
                case .updated: summary.updated += 1
                case .unchanged: summary.unchanged += 1
                case .skipped(let reason):
                    summary.skipped += 1
                    if summary.skips.count < errorLimit { summary.skips.append(RowSkip(row: row, reason: reason)) }
                case .rejected(let field, let reason): reject(RowError(row: row, column: field, reason: reason))
                }
            }
            pending.removeAll(keepingCapacity: true)
        }
        let expected = max(scan.lines - (source is CSVRecordSource ? 1 : 0), 0)
        do {
            while let (row, fields) = try source.next() {
                summary.rowsRead += 1
                switch fields.flatMap({ parser.parse($0, row: row) }) {
                case .success(let record): pending.append((row, record))
                case .failure(let error): reject(error)
                }
                if pending.count >= batchSize { try await flush() }
                if summary.rowsRead % 5000 == 0 {
                    progress(Progress(rowsRead: summary.rowsRead, expectedRows: expected))
                }
            }
            try await flush()
        } catch {
            // A batch that failed is rolled back whole; the ones before it stay.
            let committed = summary.inserted + summary.updated + summary.unchanged + summary.skipped
            throw ImportStoppedError(file: path, committed: committed, dryRun: dryRun, cause: error)
        }
        progress(Progress(rowsRead: summary.rowsRead, expectedRows: summary.rowsRead))
        // Parse errors are found before store errors of the same batch.
        summary.errors.sort { $0.row < $1.row }
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }

    private static func batch(_ records: [ParsedRecord]) -> ImportBatch {
        switch records.first {
        case .branch, nil: .branches(records.compactMap { if case .branch(let v) = $0 { v } else { nil } })
        case .menuItem: .menuItems(records.compactMap { if case .menuItem(let v) = $0 { v } else { nil } })
        case .member: .members(records.compactMap { if case .member(let v) = $0 { v } else { nil } })
        case .order: .orders(records.compactMap { if case .order(let v) = $0 { v } else { nil } })
        case .complaint: .complaints(records.compactMap { if case .complaint(let v) = $0 { v } else { nil } })
        case .feedback: .feedback(records.compactMap { if case .feedback(let v) = $0 { v } else { nil } })
        case .consent: .consents(records.compactMap { if case .consent(let v) = $0 { v } else { nil } })
        case .blacklisted: .blacklist(records.compactMap { if case .blacklisted(let v) = $0 { v } else { nil } })
        case .prospect: .prospects(records.compactMap { if case .prospect(let v) = $0 { v } else { nil } })
        case .assignment: .assignments(records.compactMap { if case .assignment(let v) = $0 { v } else { nil } })
        }
    }
}

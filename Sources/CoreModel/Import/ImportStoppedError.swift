/// An import that stopped part way (a store or read error after the header):
/// the batches before the error are committed, and the message says so, since
/// a user who sees only the error cannot tell whether anything went in.
public struct ImportStoppedError: Error, CustomStringConvertible {
    public var file: String
    /// Rows in the batches committed before the error (none in a dry run).
    public var committed: Int
    public var dryRun: Bool
    public var cause: any Error

    public init(file: String, committed: Int, dryRun: Bool, cause: any Error) {
        self.file = file
        self.committed = committed
        self.dryRun = dryRun
        self.cause = cause
    }

    public var description: String {
        let cause = "\(cause)".hasPrefix(file) ? "\(cause)" : "\(file): \(cause)"
        if dryRun { return "\(cause)\ndry run: nothing was written" }
        let rows = committed == 1 ? "1 row was" : "\(committed) rows were"
        return "\(cause)\n\(rows) committed before the error; re-running the import is safe (rows are upserted by key)"
    }
}

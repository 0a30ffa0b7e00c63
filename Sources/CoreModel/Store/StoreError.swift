/// A store that cannot do what was asked, with a stable code scripts and
/// tests can rely on and the place the problem is (a file, a table column).
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: RawRepresentable, Sendable, Hashable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The database file cannot be opened or migrated.
        public static let cannotOpen = Code(rawValue: "store.cannot_open")
        /// A column holds a value this version does not know (written by a newer one, or by hand).
        public static let unknownValue = Code(rawValue: "store.unknown_value")
        /// SQLite refused a write (a constraint, a full disk).
        public static let writeFailed = Code(rawValue: "store.write_failed")
        /// The database file, or its directory, cannot be written by this process.
        public static let readOnly = Code(rawValue: "store.read_only")
        /// The disk holding the database is full.
        public static let diskFull = Code(rawValue: "store.disk_full")
        /// Another worker holds the store (one sending worker per SQLite file).
        public static let locked = Code(rawValue: "store.locked")
        /// Asked for something its state does not allow (a launched campaign's definition to change).
        public static let refused = Code(rawValue: "store.refused")
        /// A write the store just made is not there (should not happen; a bug or a corrupt file).
        public static let inconsistent = Code(rawValue: "store.inconsistent")
    }

    public var code: Code
    /// Where: a database path, or `table.column`.
    public var place: String
    public var message: String

    public init(_ code: Code, place: String, message: String) {
        self.code = code
        self.place = place
        self.message = message
    }

    /// `place: message [code]`, without the place when the message names it already.
    public var description: String {
        message.contains(place) ? "\(message) [\(code.rawValue)]" : "\(place): \(message) [\(code.rawValue)]"
    }
}

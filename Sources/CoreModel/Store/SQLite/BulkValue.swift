import Foundation
import GRDB
import GRDBSQLite

/// A value the bulk loader binds straight into a prepared statement.
public protocol BulkBindable {
    var bulkValue: BulkValue { get }
}

/// What a bulk-loaded column holds; the loader binds it with the matching `sqlite3_bind_*`.
public enum BulkValue: Sendable {
    case integer(Int64)
    case text(String)
    case null
}

extension BulkValue {
    func bind(to statement: SQLiteStatement, at index: Int32) -> Int32 {
        switch self {
        case .integer(let value): return sqlite3_bind_int64(statement, index, value)
        case .text(var value):
            return value.withUTF8 { sqlite3_bind_text(statement, index, $0.baseAddress, Int32($0.count), transient) }
        case .null: return sqlite3_bind_null(statement, index)
        }
    }
}

extension Int: BulkBindable {
    @inlinable public var bulkValue: BulkValue { .integer(Int64(self)) }
}

extension Int64: BulkBindable {
    @inlinable public var bulkValue: BulkValue { .integer(self) }
}

extension String: BulkBindable {
    @inlinable public var bulkValue: BulkValue { .text(self) }
}

extension Optional: BulkBindable where Wrapped: BulkBindable {
    @inlinable public var bulkValue: BulkValue { self?.bulkValue ?? .null }
}

private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

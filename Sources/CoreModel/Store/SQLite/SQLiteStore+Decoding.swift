import Foundation

extension SQLiteStore {
    /// A stored enum value, or a typed error naming the column that holds something unknown.
    static func decoded<T: RawRepresentable>(_ raw: String, column: String) throws -> T where T.RawValue == String {
        guard let value = T(rawValue: raw) else {
            throw StoreError(.unknownValue, place: column, message: "holds unknown value '\(raw)'")
        }
        return value
    }
}

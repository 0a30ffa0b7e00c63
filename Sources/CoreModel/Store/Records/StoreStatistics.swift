import Foundation

public struct StoreStatistics: Sendable, Codable {
    public var path: String
    public var fileBytes: Int64
    public var tables: [String: Int]
    public var messagesByStatus: [String: Int]
    public var invalidContacts: [String: Int]
}

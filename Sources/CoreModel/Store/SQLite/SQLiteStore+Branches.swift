import Foundation
import GRDB

extension SQLiteStore {
    public func branches() async throws -> [Branch] {
        try await pool.read { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: "SELECT code, name, district, address, phone, fax, email, seats FROM branches ORDER BY code")
            ).map { row in
                Branch(
                    code: row["code"], name: row["name"], district: row["district"], address: row["address"],
                    phone: row["phone"], fax: row["fax"], email: row["email"], seats: row["seats"])
            }
        }
    }
}

import CoreModel
import Foundation
import Hummingbird

/// GET /api/v1/branches: the group's branches, for the console's branch
/// page; their phone, fax and email masked unless the token reveals.
struct BranchRoutes: Sendable {
    let store: any Store

    func register(on routes: ApiRoutes) {
        routes.on(.get, "branches", needs: .read) { _, _, token in
            let branches = try await store.branches()
            return ApiJSON.response(["branches": token.reveals ? branches : branches.map(Self.masked)])
        }
    }

    static func masked(_ branch: Branch) -> Branch {
        var copy = branch
        copy.phone = branch.phone.map { Redaction.phone($0) }
        copy.fax = branch.fax.map { Redaction.phone($0) }
        copy.email = branch.email.map { Redaction.email($0) }
        return copy
    }
}

import CoreModel
import HTTPTypes
import Hummingbird

/// Adds the admin API's routes under /api/v1, each behind the bearer token
/// with the scope it needs: the scope is checked before the handler runs, so
/// a refused request reads no body and changes nothing.
struct ApiRoutes {
    typealias Handler = @Sendable (Request, BasicRequestContext, ApiToken) async throws -> Response

    let group: RouterGroup<BasicRequestContext>
    let authenticator: ApiAuthenticator

    func on(_ method: HTTPRequest.Method, _ path: RouterPath, needs scope: ApiScope, _ handler: @escaping Handler) {
        let authenticator = authenticator
        group.on(path, method: method) { request, context -> Response in
            let token = try await authenticator.authenticate(request, needs: scope)
            return try await handler(request, context, token)
        }
    }
}

extension Request {
    /// A query parameter, nil when absent or empty.
    func query(_ name: String) -> String? {
        uri.queryParameters[Substring(name)].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A whole-number query parameter within `range` (default when absent); 400 naming it otherwise.
    func query(_ name: String, default value: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = query(name) else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw ApiError.invalid(
                name, "'\(text)' is not a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }
}

extension BasicRequestContext {
    /// A path parameter the route declares.
    func parameter(_ name: String) throws -> String {
        guard let value = parameters.get(name) else { throw ApiError.invalid(name, "missing path parameter") }
        return value
    }
}

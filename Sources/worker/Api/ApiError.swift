import CoreModel
import Foundation
import HTTPTypes
import Hummingbird

/// An admin API refusal, answered as `{"error": {"code", "message", "field"?,
/// "issues"?}}`: a stable code for scripts, words for people, and for bad
/// input the field at fault as a key path (`channels[1]`, `schedule.cron`),
/// the same path a campaign file's check reports.
struct ApiError: HTTPResponseError, CustomStringConvertible {
    struct Issue: Sendable, Encodable, Hashable {
        var field: String
        var message: String
    }

    var status: HTTPResponse.Status
    var code: String
    var message: String
    var field: String?
    var issues: [Issue] = []
    /// Headers to answer with (WWW-Authenticate on a 401).
    var headers: HTTPFields = [:]

    var description: String { "\(code): \(field.map { "\($0): " } ?? "")\(message)" }

    /// `{"error": {…}}` as answered.
    struct Body: Encodable {
        struct Detail: Encodable {
            var code: String
            var message: String
            var field: String?
            var issues: [Issue]?
        }
        var error: Detail
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = Body(error: .init(code: code, message: message, field: field, issues: issues.isEmpty ? nil : issues))
        var response = ApiJSON.response(body, status: status)
        response.headers.append(contentsOf: headers)
        return response
    }

    static func unauthorized(_ message: String) -> ApiError {
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = #"Bearer realm="tidings""#
        return ApiError(status: .unauthorized, code: "unauthorized", message: message, headers: headers)
    }

    static func forbidden(_ message: String) -> ApiError {
        ApiError(status: .forbidden, code: "forbidden", message: message)
    }

    static func notFound(_ message: String) -> ApiError {
        ApiError(status: .notFound, code: "not_found", message: message)
    }

    /// The state does not allow it (a cancelled campaign resumed, a task closed twice).
    static func conflict(_ message: String, code: String = "refused") -> ApiError {
        ApiError(status: .conflict, code: code, message: message)
    }

    /// A value that cannot be used, in a body or a query.
    static func invalid(_ field: String, _ message: String, code: String = "invalid_field") -> ApiError {
        ApiError(status: .badRequest, code: code, message: message, field: field)
    }

    /// Problems found by a check of the whole (a campaign definition), all of them; `field` is the first's.
    static func unprocessable(_ code: String, _ message: String, issues: [ConfigIssue]) -> ApiError {
        let listed = issues.map { Issue(field: $0.keyPath, message: $0.message) }
        return ApiError(
            status: .unprocessableContent, code: code, message: message, field: listed.first?.field, issues: listed)
    }
}

import CoreModel
import Hummingbird
import Logging

/// Every failure under /api/v1 is answered as JSON: the API's own errors as
/// they are, Hummingbird's with their status, anything else as a 500 whose
/// details go to the log (masked), not to the caller.
struct ApiErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as ApiError {
            throw error
        } catch let error as HTTPError {
            throw ApiError(
                status: error.status, code: "http_\(error.status.code)",
                message: error.body ?? error.status.reasonPhrase)
        } catch {
            logger.error(
                "admin API request failed",
                metadata: ["path": "\(request.uri.path)", "error": "\(Redaction.text(String(describing: error)))"])
            throw ApiError(
                status: .internalServerError, code: "internal", message: "the request failed; see the worker's log")
        }
    }
}

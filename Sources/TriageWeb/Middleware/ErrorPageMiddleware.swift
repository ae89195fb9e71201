import Hummingbird
import Logging
import TriageStore

/// Turns a failure inside a handler into a page that says what happened, instead of an
/// empty response: staff read the message, not a log.
struct ErrorPageMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let pages: Pages

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            return pages.problem(error.body ?? error.status.reasonPhrase, status: error.status, context: context)
        } catch let error as StoreError {
            context.logger.error("store: \(error)")
            return pages.problem(error.message, status: .internalServerError, context: context)
        } catch {
            context.logger.error("\(error)")
            return pages.problem("\(error)", status: .internalServerError, context: context)
        }
    }
}

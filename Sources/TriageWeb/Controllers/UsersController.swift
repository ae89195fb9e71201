import Foundation
import Hummingbird
import TriageKit
import TriageStore

/// Accounts, for admins: the same changes `urltriage user …` makes, from the browser.
struct UsersController {
    let services: WebServices

    func addRoutes(to router: Router<WebContext>) {
        router.get("/users") { _, context in try await page(context: context, message: nil, status: .ok) }
        router.post("/users") { _, context in try await change(context: context) }
    }

    private func page(context: WebContext, message: String?, status: HTTPResponse.Status, done: String? = nil) async throws -> Response {
        guard context.session?.account.role == .admin else {
            return services.pages.problem("Only an admin manages accounts.", status: .forbidden, context: context)
        }
        let accounts = try await services.accounts.list()
        return services.pages.render("users", [
            "title": "Accounts", "message": message ?? "", "done": done ?? "",
            "accounts": accounts.map { account in [
                "name": Shown.text(account.name), "role": account.role.rawValue,
                "state": account.disabledAt.map { "disabled \(Shown.time($0))" } ?? "active",
                "active": account.disabledAt == nil, "self": account.id == context.session?.account.id,
                "added": "\(Shown.time(account.createdAt)) by \(Shown.text(account.createdBy))",
            ] as [String: Any] },
            "roles": AccountRole.allCases.map { ["value": $0.rawValue, "selected": $0 == .caseworker] },
            "minimum": Passwords.minimumLength,
        ], context: context, status: status, section: "users")
    }

    private func change(context: WebContext) async throws -> Response {
        guard let admin = context.session?.account, admin.role == .admin else {
            return services.pages.problem("Only an admin manages accounts.", status: .forbidden, context: context)
        }
        let form = context.form
        let name = form["name"] ?? ""
        do {
            switch form["action"] {
            case "add":
                guard let role = form["role"].flatMap(AccountRole.init(rawValue:)) else { throw AccountError("choose a role") }
                let password = form.raw("password") ?? ""
                if let weakness = Passwords.weakness(password) { throw AccountError(weakness) }
                _ = try await services.accounts.add(name: name, role: role,
                                                    passwordHash: try await Passwords.hash(password, cost: services.settings.bcryptCost),
                                                    by: admin.name, now: StoreTime.now())
                return try await page(context: context, message: nil, status: .ok, done: "Added \(Shown.text(name)) (\(role.rawValue)).")
            case "disable":
                guard name.caseInsensitiveCompare(admin.name) != .orderedSame else {
                    throw AccountError("you cannot disable your own account; ask another admin")
                }
                try await services.accounts.disable(name: name, now: StoreTime.now())
                return try await page(context: context, message: nil, status: .ok, done: "Disabled \(Shown.text(name)); signed out everywhere.")
            case "password":
                let password = form.raw("password") ?? ""
                if let weakness = Passwords.weakness(password) { throw AccountError(weakness) }
                try await services.accounts.setPassword(name: name, passwordHash: try await Passwords.hash(password, cost: services.settings.bcryptCost),
                                                        now: StoreTime.now())
                return try await page(context: context, message: nil, status: .ok,
                                      done: "New password set for \(Shown.text(name)); signed out everywhere.")
            default:
                throw AccountError("unknown action")
            }
        } catch let error as AccountError {
            return try await page(context: context, message: error.message + "; nothing was changed.", status: .unprocessableContent)
        }
    }
}

/// Email callbacks: the one-click unsubscribe link of each marketing mail.
public enum EmailWebhooks {
    /// Checks `id` and `token` and returns the message id.
    public static func verify(query: [String: String], gateway: String, signer: WebhookSigner) throws(WebhookRejection) -> Int64 {
        guard let idText = query["id"], let id = Int64(idText), id > 0 else { throw WebhookRejection(.malformed, "missing or bad id") }
        guard let token = query["token"] else { throw WebhookRejection(.unauthenticated, "missing token") }
        guard signer.verify(token, gateway: gateway, messageId: id) else { throw WebhookRejection(.forbidden, "token does not match message \(id)") }
        return id
    }
}

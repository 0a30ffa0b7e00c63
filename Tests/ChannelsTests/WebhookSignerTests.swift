import Channels
import Testing

/// Tokens already in providers' callback URLs must keep verifying: the
/// values are HMAC-SHA256 over "gateway:id" (or "inbound:gateway"), first 16 bytes in hex.
struct WebhookSignerTests {
    @Test func tokensAreTheSameAsEver() {
        let signer = WebhookSigner(secret: "secret")
        #expect(signer.token(gateway: "kannel", messageId: 42) == "8893aa426ed2eec6bc9dc00dfc7a9fee")
        #expect(signer.inboundToken(gateway: "kannel") == "e89c16df080c46e37ddc60c4ba281458")
        #expect(signer.verify("8893aa426ed2eec6bc9dc00dfc7a9fee", gateway: "kannel", messageId: 42))
        #expect(!signer.verify("8893aa426ed2eec6bc9dc00dfc7a9fee", gateway: "kannel", messageId: 43))
        // A signer is reused across requests: one token does not change the next.
        #expect(signer.token(gateway: "kannel", messageId: 42) == signer.token(gateway: "kannel", messageId: 42))
    }
}

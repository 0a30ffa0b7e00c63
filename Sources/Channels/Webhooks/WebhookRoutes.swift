import Foundation
import Hummingbird

/// The provider callbacks, as Hummingbird routes. Each route authenticates
/// (signature or per-message token), parses into typed values and hands them
/// to the sink; a refused webhook gets 400/401/403/413 and changes nothing.
public struct WebhookRoutes: Sendable {
    public struct KannelEndpoint: Sendable {
        public var gateway: String
        public init(gateway: String) { self.gateway = gateway }
    }

    public var signer: WebhookSigner
    public var sink: any ReceiptSink
    /// Longest query string or body accepted.
    public var maxBytes = 16 * 1024

    public init(signer: WebhookSigner, sink: any ReceiptSink) {
        self.signer = signer
        self.sink = sink
    }

    public func register<Context: RequestContext>(on router: Router<Context>) {
        let signer = signer, sink = sink, maxBytes = maxBytes
        router.get("/webhooks/kannel/{gateway}/dlr") { request, context -> Response in
            try await Self.handle {
                let gateway = try context.parameters.require("gateway")
                let receipt = try KannelWebhooks.receipt(query: try Self.query(request, maxBytes), gateway: gateway, signer: signer)
                try await sink.accept([receipt])
            }
        }
        router.get("/webhooks/kannel/{gateway}/mo") { request, context -> Response in
            try await Self.handle {
                let gateway = try context.parameters.require("gateway")
                let inbound = try KannelWebhooks.inbound(query: try Self.query(request, maxBytes), gateway: gateway, signer: signer)
                try await sink.accept(inbound)
            }
        }
    }

    static func query(_ request: Request, _ maxBytes: Int) throws(WebhookRejection) -> [String: String] {
        let raw = request.uri.query ?? ""
        guard raw.utf8.count <= maxBytes else { throw WebhookRejection(.tooLarge, "query longer than \(maxBytes) bytes") }
        return FormEncoding.decode(raw[...])
    }

    /// Runs a webhook's work; rejections become their status with a short text.
    static func handle(_ work: () async throws -> Void) async throws -> Response {
        do {
            try await work()
            return Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: "ok\n")))
        } catch let rejection as WebhookRejection {
            return Response(
                status: .init(code: rejection.status.rawValue),
                body: ResponseBody(byteBuffer: ByteBuffer(string: rejection.reason + "\n")))
        }
    }
}

import Channels
import CoreModel

extension GatewayRegistry {
    /// Builds the config's gateways: Channels gets its part of the file, where
    /// providers reach our webhooks (`server`) and the sender's name (`brand`).
    static func build(
        config: TidingsConfig, transport: CurlTransport, signer: WebhookSigner
    ) throws(BuildError) -> GatewayRegistry {
        try build(
            gateways: config.gateways, callbackBase: config.server.callbackBase, brand: config.brand,
            transport: transport, signer: signer)
    }
}

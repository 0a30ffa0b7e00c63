import NIOCore
import NIOHTTPTypes

/// Closes a connection without an answer when the simulator rolls a refusal
/// for the request arriving on it: the client sees a dropped connection
/// (curl: "Empty reply from server"), and the provider took nothing. Only
/// message submissions are refused; stats and health answer.
final class ConnectionDropper: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let simulator: ProviderSimulator
    private var dropping = false

    init(simulator: ProviderSimulator) { self.simulator = simulator }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if case .head(let head) = part, head.path?.hasPrefix("/sim/messages") == true, simulator.refusesNextRequest() {
            dropping = true
            context.close(promise: nil)
        }
        guard !dropping else { return }
        context.fireChannelRead(data)
    }
}

import CoreModel
import Foundation

/// An adapter whose send is one HTTP request in, one answer out: a batch goes
/// to the transport in a single hand-off.
public protocol HTTPRequestGateway: Gateway {
    var transport: CurlTransport { get }
    func request(for message: OutboundMessage) throws(GatewayError) -> OutboundRequest
    func submission(for message: OutboundMessage, response: OutboundResponse) throws(GatewayError) -> Submission
}

extension HTTPRequestGateway {
    public func send(_ message: OutboundMessage) async throws(GatewayError) -> Submission {
        let request = try request(for: message)
        let response: OutboundResponse
        do { response = try await transport.send(request) } catch { throw GatewayError.from(error) }
        return try submission(for: message, response: response)
    }

    /// Builds every request (a message that cannot be built is reported at once),
    /// then hands them to the transport in one call, reading each answer as it comes.
    public func send(
        batch messages: [OutboundMessage], each: @escaping @Sendable (Int, Result<Submission, GatewayError>) -> Void
    ) async {
        var requests: [OutboundRequest] = []
        var built: [Int] = []
        requests.reserveCapacity(messages.count)
        built.reserveCapacity(messages.count)
        for (index, message) in messages.enumerated() {
            do throws(GatewayError) {
                requests.append(try request(for: message))
                built.append(index)
            } catch {
                each(index, .failure(error))
            }
        }
        await transport.send(batch: requests) { [built] position, answer in
            let index = built[position]
            switch answer {
            case .success(let response):
                do throws(GatewayError) {
                    each(index, .success(try submission(for: messages[index], response: response)))
                } catch {
                    each(index, .failure(error))
                }
            case .failure(let error):
                each(index, .failure(GatewayError.from(error)))
            }
        }
    }
}

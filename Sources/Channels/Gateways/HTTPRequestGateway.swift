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

    public func send(batch messages: [OutboundMessage]) async -> [Result<Submission, GatewayError>] {
        var results = [Result<Submission, GatewayError>?](repeating: nil, count: messages.count)
        var requests: [OutboundRequest] = []
        var sent: [Int] = []
        requests.reserveCapacity(messages.count)
        for (index, message) in messages.enumerated() {
            do throws(GatewayError) {
                requests.append(try request(for: message))
                sent.append(index)
            } catch {
                results[index] = .failure(error)
            }
        }
        for (index, response) in zip(sent, await transport.send(batch: requests)) {
            switch response {
            case .success(let response):
                do throws(GatewayError) {
                    results[index] = .success(try submission(for: messages[index], response: response))
                } catch {
                    results[index] = .failure(error)
                }
            case .failure(let error):
                results[index] = .failure(GatewayError.from(error))
            }
        }
        return results.map { $0! }
    }
}

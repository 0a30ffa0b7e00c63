import CoreModel
import Foundation

/// A provider of one or more channels.
public protocol Gateway: Sendable {
    var name: String { get }
    var channels: Set<Channel> { get }
    func send(_ message: OutboundMessage) async throws(GatewayError) -> Submission
    /// Many messages at once, results in the same order. The default sends
    /// them one by one concurrently; HTTP adapters hand the whole batch to the
    /// transport in one call, and providers with a batch API use it.
    func send(batch messages: [OutboundMessage]) async -> [Result<Submission, GatewayError>]
}

extension Gateway {
    public func send(batch messages: [OutboundMessage]) async -> [Result<Submission, GatewayError>] {
        await sendOneByOne(messages)
    }

    /// Each message through `send(_:)`, concurrently; results in order.
    public func sendOneByOne(_ messages: [OutboundMessage]) async -> [Result<Submission, GatewayError>] {
        await withTaskGroup(of: (Int, Result<Submission, GatewayError>).self) { group in
            for (index, message) in messages.enumerated() {
                group.addTask {
                    do throws(GatewayError) { return (index, .success(try await send(message))) } catch { return (index, .failure(error)) }
                }
            }
            var results = [Result<Submission, GatewayError>](repeating: .failure(.transient(reason: "not sent", retryAfter: nil)), count: messages.count)
            for await (index, result) in group { results[index] = result }
            return results
        }
    }
}

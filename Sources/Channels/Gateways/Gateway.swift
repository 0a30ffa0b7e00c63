import CoreModel
import Foundation

/// A provider of one or more channels.
public protocol Gateway: Sendable {
    var name: String { get }
    var channels: Set<Channel> { get }
    func send(_ message: OutboundMessage) async throws(GatewayError) -> Submission
    /// Many messages at once: `each(index, result)` reports each message's outcome
    /// as soon as it is known, and the call returns once every one is reported.
    /// `each` may run on any thread, even at the same time for different messages:
    /// keep it cheap and never block in it (HTTP adapters call it on the curl thread).
    /// If the awaiting task is cancelled, unfinished sends are cut and reported like
    /// other failures (see `GatewayError.from`). The default sends the messages one
    /// by one concurrently; HTTP adapters hand the whole batch to the transport in
    /// one call, and providers with a batch API use it.
    func send(
        batch messages: [OutboundMessage], each: @escaping @Sendable (Int, Result<Submission, GatewayError>) -> Void
    ) async
}

extension Gateway {
    public func send(
        batch messages: [OutboundMessage], each: @escaping @Sendable (Int, Result<Submission, GatewayError>) -> Void
    ) async {
        await sendOneByOne(messages, each: each)
    }

    /// Each message through `send(_:)` in a child task of its own, reported as it
    /// finishes; cancelling the caller cancels every child.
    public func sendOneByOne(
        _ messages: [OutboundMessage], each: @escaping @Sendable (Int, Result<Submission, GatewayError>) -> Void
    ) async {
        await withTaskGroup(of: (Int, Result<Submission, GatewayError>).self) { group in
            for (index, message) in messages.enumerated() {
                group.addTask {
                    do throws(GatewayError) {
                        return (index, .success(try await send(message)))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            for await (index, result) in group { each(index, result) }
        }
    }

    /// `send(batch:each:)`'s results in the order of `messages`.
    public func send(batch messages: [OutboundMessage]) async -> [Result<Submission, GatewayError>] {
        let results = OrderedResults<Result<Submission, GatewayError>>(count: messages.count)
        await send(batch: messages) { index, result in results.record(result, at: index) }
        return results.all
    }
}

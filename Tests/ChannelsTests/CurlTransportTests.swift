import Channels
import Foundation
import Hummingbird
import Synchronization
import TestSupport
import Testing

/// The transport's streaming and cancellation against a live loopback server
/// (see `PacedServer`).
struct CurlTransportTests {
    /// What a streaming send reported, with the time since the send began.
    final class Reports: Sendable {
        let started = ContinuousClock.now
        typealias Entry = (index: Int, after: Duration, result: Result<OutboundResponse, TransportError>)
        private let entries = Mutex<[Entry]>([])

        func record(_ index: Int, _ result: Result<OutboundResponse, TransportError>) {
            let after = ContinuousClock.now - started
            entries.withLock { $0.append((index, after, result)) }
        }

        var all: [Entry] { entries.withLock { $0 } }

        /// The failure reported for `index`; nil for an answer (or no report).
        func kind(of index: Int) -> TransportError.Kind? {
            guard case .failure(let error) = all.first(where: { $0.index == index })?.result else { return nil }
            return error.kind
        }
    }

    @Test func eachResultIsReportedWhenItsTransferFinishes() async throws {
        try await PacedServer.run { base, _ in
            let transport = CurlTransport()
            defer { transport.shutdown() }
            let reports = Reports()
            let paths = ["/slow", "/fast", "/fast", "/fast"]
            await transport.send(batch: paths.map { OutboundRequest(url: base + $0) }) { reports.record($0, $1) }
            let returned = ContinuousClock.now - reports.started

            let all = reports.all
            #expect(all.map(\.index).sorted() == [0, 1, 2, 3], "each request reported exactly once")
            let slow = try #require(all.first { $0.index == 0 })
            #expect(slow.after >= .milliseconds(1400))
            #expect(returned >= slow.after, "returns only once the last one is reported")
            for fast in all where fast.index != 0 {
                // Well before: a batch reported only at its end would give them all the same time.
                #expect(slow.after - fast.after > .milliseconds(500), "/fast at \(fast.after), /slow at \(slow.after)")
                #expect((try? fast.result.get())?.text == "fast")
            }
            #expect(all.last?.index == 0, "the slow one is reported last")
            #expect((try? slow.result.get())?.text == "slow")
        }
    }

    @Test func theCollectingBatchKeepsTheOrderOfTheRequests() async throws {
        try await PacedServer.run { base, _ in
            let transport = CurlTransport()
            defer { transport.shutdown() }
            let results = await transport.send(batch: [
                OutboundRequest(url: base + "/slow"), OutboundRequest(url: "http://example.com/"),
                OutboundRequest(url: base + "/fast"),
            ])
            #expect(results.count == 3)
            #expect((try? results[0].get())?.text == "slow")
            guard case .failure(let refused) = results[1] else { Issue.record("a non-loopback URL was sent"); return }
            #expect(refused.kind == .refusedByPolicy)
            #expect((try? results[2].get())?.text == "fast")
        }
    }

    @Test func aCancelledBatchCutsTheRunningTransferAndDropsTheWaitingOnes() async throws {
        try await PacedServer.run { base, hits in
            // One connection per host: the first request is in curl, the other two wait in the transport.
            let transport = CurlTransport(policy: .init(maxConnectionsPerHost: 1))
            defer { transport.shutdown() }
            let reports = Reports()
            let requests = (0..<3).map { _ in OutboundRequest(url: base + "/hang", timeoutMs: 20_000) }
            let task = Task { await transport.send(batch: requests) { reports.record($0, $1) } }
            try await Task.sleep(for: .milliseconds(200))
            #expect(await hits.wait(for: "hang", count: 1))
            let cancelledAt = ContinuousClock.now
            task.cancel()
            try await within(.seconds(2)) { await task.value }
            let took = ContinuousClock.now - cancelledAt
            #expect(took < .seconds(5), "the cut took \(took) (the server hangs 10 s; alone it takes milliseconds, the bound allows for a loaded CI machine)")

            #expect(reports.all.map(\.index).sorted() == [0, 1, 2])
            #expect(reports.kind(of: 0) == .cancelled, "the transfer under way is cut")
            #expect(reports.kind(of: 1) == .cancelledUnsent, "the waiting ones never start")
            #expect(reports.kind(of: 2) == .cancelledUnsent)
            #expect(hits["hang"] == 1, "only the first request went out")

            // The cut transfer gave its host slot back.
            let answer = try await within(.seconds(5)) {
                try await transport.send(OutboundRequest(url: base + "/fast"))
            }
            #expect(answer.text == "fast")
            #expect(transport.inFlight == 0)
        }
    }

    @Test func aCancelledSingleSendIsCut() async throws {
        try await PacedServer.run { base, hits in
            let transport = CurlTransport()
            defer { transport.shutdown() }
            let task = Task { () -> Result<OutboundResponse, TransportError> in
                do throws(TransportError) {
                    return .success(try await transport.send(OutboundRequest(url: base + "/hang", timeoutMs: 20_000)))
                } catch {
                    return .failure(error)
                }
            }
            try await Task.sleep(for: .milliseconds(200))
            #expect(await hits.wait(for: "hang", count: 1))
            let cancelledAt = ContinuousClock.now
            task.cancel()
            let result = try await within(.seconds(2)) { await task.value }
            #expect(ContinuousClock.now - cancelledAt < .seconds(5), "cut well before the 10 s hang")
            guard case .failure(let error) = result else { Issue.record("a hanging request answered"); return }
            #expect(error.kind == .cancelled)
            guard case .unanswered = GatewayError.from(error) else { Issue.record("\(error) mapped wrong"); return }
        }
    }

    @Test func aTaskCancelledBeforeTheCallSendsNothing() async throws {
        try await PacedServer.run { base, hits in
            let transport = CurlTransport()
            defer { transport.shutdown() }
            let reports = Reports()
            let task = Task { () -> TransportError.Kind? in
                try? await Task.sleep(for: .seconds(10))  // ends at once: the task is cancelled below
                let requests = [OutboundRequest(url: base + "/fast"), OutboundRequest(url: base + "/fast")]
                await transport.send(batch: requests) { reports.record($0, $1) }
                do throws(TransportError) {
                    _ = try await transport.send(OutboundRequest(url: base + "/fast"))
                    return nil
                } catch {
                    return error.kind
                }
            }
            task.cancel()
            let single = try await within(.seconds(2)) { await task.value }
            #expect(reports.all.count == 2)
            #expect(reports.kind(of: 0) == .cancelledUnsent)
            #expect(reports.kind(of: 1) == .cancelledUnsent)
            #expect(single == .cancelledUnsent)
            #expect(hits["fast"] == 0)
            #expect(transport.inFlight == 0)
        }
    }
}

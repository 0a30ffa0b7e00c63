import CoreModel
import Foundation
import Logging
import ServiceLifecycle

/// Takes back what no one is working on while the worker runs: leases that
/// ran out (a worker that died, or whose results could not be written) go to
/// `unknown` and are sent again with the same key; leases of a dead process on
/// this host go at once; and accepted messages whose receipt did not come
/// within their channel's `receiptTimeouts` expire as unconfirmed.
public struct LeaseReaper: Service {
    let store: any Outbox
    let settings: DispatchSettings
    let clock: any WallClock
    let logger: Logger
    /// Most rows one statement expires: keeps each write transaction short.
    static let chunk = 1000

    public init(
        store: any Outbox, settings: DispatchSettings, clock: any WallClock = SystemClock(),
        logger: Logger = Logger(label: "tidings.reaper")
    ) {
        self.store = store
        self.settings = settings
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do { try await reapOnce() } catch is CancellationError { break } catch {
                logger.error("reaping failed", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: settings.reapInterval) }
        }
    }

    /// One pass; returns how many leases were taken back and how many receipts given up on.
    @discardableResult
    public func reapOnce() async throws -> (leases: Int, unconfirmed: Int) {
        let now = clock.now()
        let dead = try await store.leaseOwners().filter { settings.leaseOwnerIsDead($0) }
        let leases = try await store.reconcileExpiredLeases(now: now) + store.reconcileLeases(ownedBy: dead, now: now)
        if leases > 0 { logger.notice("took back expired leases", metadata: ["messages": "\(leases)"]) }
        var unconfirmed = 0
        for (channel, timeout) in settings.receiptTimeouts.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            let cutoff = now.addingTimeInterval(-timeout)
            while true {
                let expired = try await store.expireUnconfirmed(
                    channel: channel, submittedBefore: cutoff, waited: timeout, limit: Self.chunk, now: now)
                unconfirmed += expired
                if expired < Self.chunk { break }
            }
        }
        if unconfirmed > 0 { logger.notice("no receipt within the timeout", metadata: ["messages": "\(unconfirmed)"]) }
        return (leases, unconfirmed)
    }
}

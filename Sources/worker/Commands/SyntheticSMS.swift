import CoreModel
import Foundation

/// Synthetic SMS queued straight into the outbox (`demo queue`, the
/// benchmarks): keys PREFIX:N, numbers ADDRESS_PREFIX + N in 8 digits,
/// service category (nothing is held by consent or caps), 20,000 per transaction.
enum SyntheticSMS {
    /// Returns how many were new (known keys are skipped).
    @discardableResult
    static func queue(
        _ count: Int, into store: any Outbox, prefix: String, lane: Lane, addressPrefix: String = "+86138", now: Date = Date(),
        text: (Int) -> String = { _ in "【鸿福楼】冬至家宴八折，回T退订" }
    ) async throws -> Int {
        var added = 0
        for start in stride(from: 0, to: count, by: 20_000) {
            let results = try await store.enqueue(
                (start..<min(start + 20_000, count)).map { index in
                    NewMessage(
                        idempotencyKey: "\(prefix):\(index)", purpose: .single, channel: .sms, lane: lane, category: .service,
                        address: addressPrefix + String(format: "%08d", index), payload: MessageContent(text: text(index)).json())
                }, now: now)
            added += results.filter { if case .enqueued = $0 { true } else { false } }.count
        }
        return added
    }
}

import Synchronization

/// Results reported one at a time, from any thread and in any order, read back
/// in the order they were asked for: how the collecting `send(batch:)`s sit on
/// the streaming ones.
final class OrderedResults<Value: Sendable>: Sendable {
    private let slots: Mutex<[Value?]>

    init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }

    func record(_ value: Value, at index: Int) { slots.withLock { $0[index] = value } }

    /// Every value; only once each index was recorded (a streaming send returns after its last report).
    var all: [Value] { slots.withLock { $0.map { $0! } } }
}

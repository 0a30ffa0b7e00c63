/// Who got what from the simulator, per idempotency key and per address: what a
/// crash test needs to tell a resend the provider recognised from a message that
/// reached someone twice. Each counter moves once, when an entry reaches two, so
/// reading them costs nothing however many messages went through.
struct DeliveryLedger {
    /// Distinct keys taken in two or more requests.
    private(set) var keysSentMoreThanOnce = 0
    /// Distinct keys delivered two or more times.
    private(set) var keysDeliveredTwice = 0
    /// Distinct addresses delivered to two or more times.
    private(set) var recipientsDeliveredTwice = 0
    /// Distinct addresses taken under two or more keys.
    private(set) var recipientsWithTwoKeys = 0

    private struct KeyEntry {
        var taken = 0
        var delivered = 0
    }

    /// Only the first key is kept: a second, different one is all the counters need to know.
    private struct RecipientEntry {
        var delivered = 0
        var firstKey: String?
        var hasTwoKeys = false
    }

    private var keys: [String: KeyEntry] = [:]
    private var recipients: [String: RecipientEntry] = [:]

    /// A request the provider took for `address` (answered or not); `delivers`
    /// is false for a repeated key the provider recognised, which reaches no one.
    mutating func take(key: String?, to address: String, delivers: Bool) {
        var recipient = recipients[address, default: RecipientEntry()]
        if delivers { Self.count(&recipient.delivered, crossingTwo: &recipientsDeliveredTwice) }
        if let key {
            var entry = keys[key, default: KeyEntry()]
            Self.count(&entry.taken, crossingTwo: &keysSentMoreThanOnce)
            if delivers { Self.count(&entry.delivered, crossingTwo: &keysDeliveredTwice) }
            keys[key] = entry
            if recipient.firstKey == nil {
                recipient.firstKey = key
            } else if recipient.firstKey != key, !recipient.hasTwoKeys {
                recipient.hasTwoKeys = true
                recipientsWithTwoKeys += 1
            }
        }
        recipients[address] = recipient
    }

    private static func count(_ value: inout Int, crossingTwo counter: inout Int) {
        value += 1
        if value == 2 { counter += 1 }
    }
}

/// One campaign variant's message figures, read from the rolled-up counts.
public struct VariantFigures: Sendable, Hashable, Codable {
    /// Messages by their status now.
    public var byStatus: [ReportStatus: Int]
    /// Failed, expired and suppressed messages by reason (`ReportStatus.reasonKey`).
    public var reasons: [ReportStatus: [String: Int]]
    /// Messages a gateway accepted (each once, however often it was tried).
    public var sent: Int
    /// Expired because no receipt came in time.
    public var unconfirmed: Int
    /// Delivered receipts by seconds from acceptance: bucket `b` holds up to `2^b` seconds.
    public var receiptSeconds: [Int: Int]
    /// SMS segments and cost of the messages accepted.
    public var segments: Int
    public var costMicros: Int
    /// Acceptances by gateway and channel, for a cost from each gateway's price.
    public var sentBy: [SentCount] = []
    /// Replies and keys pressed in answer to these messages.
    public var replies: Int = 0
    /// Opt-outs (退订, the opt-out key, an unsubscribe link) in answer to them.
    public var optOuts: Int = 0
    /// Survey answers recorded, those with a score, and the scores' sum.
    public var surveyAnswers: Int = 0
    public var scored: Int = 0
    public var scoreSum: Int = 0

    public init(
        byStatus: [ReportStatus: Int] = [:], reasons: [ReportStatus: [String: Int]] = [:], sent: Int = 0, unconfirmed: Int = 0,
        receiptSeconds: [Int: Int] = [:], segments: Int = 0, costMicros: Int = 0
    ) {
        self.byStatus = byStatus
        self.reasons = reasons
        self.sent = sent
        self.unconfirmed = unconfirmed
        self.receiptSeconds = receiptSeconds
        self.segments = segments
        self.costMicros = costMicros
    }

    public var total: Int { byStatus.values.reduce(0, +) }

    /// What the messages cost in micro-yuan: what the gateway reported where
    /// it did, else `price(gateway)` yuan per SMS segment or per message on
    /// other channels; gateways without a price count nothing.
    public func cost(price: (String) -> Double?) -> Int {
        sentBy.reduce(0) { total, sent in
            if sent.costMicros > 0 { return total + sent.costMicros }
            guard let yuan = price(sent.gateway) else { return total }
            let units = sent.channel == .sms ? max(sent.segments, sent.messages) : sent.messages
            return total + Int((yuan * 1_000_000).rounded()) * units
        }
    }
    public var delivered: Int { byStatus[.delivered] ?? 0 }

    /// Survey answers per delivered message; nil before any was delivered.
    public var responseRate: Double? { delivered == 0 ? nil : Double(surveyAnswers) / Double(delivered) }
    public var meanScore: Double? { scored == 0 ? nil : Double(scoreSum) / Double(scored) }

    /// Delivered of those a gateway accepted; nil before any was.
    public var deliveryRate: Double? { sent == 0 ? nil : Double(delivered) / Double(sent) }

    /// The receipt time below which `fraction` of the delivered receipts came,
    /// as its bucket's upper bound in seconds; nil without receipts.
    public func receiptSeconds(at fraction: Double) -> Int? {
        Self.seconds(at: fraction, of: receiptSeconds)
    }

    /// The upper bound (`2^b` seconds) of the bucket holding the `fraction` rank of `buckets`.
    public static func seconds(at fraction: Double, of buckets: [Int: Int]) -> Int? {
        BucketCounts.bucket(at: fraction, of: buckets).map { 1 << $0 }
    }
}

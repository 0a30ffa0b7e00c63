/// Delivered receipts of one gateway in one time bucket (up to `2^bucket` seconds after acceptance).
public struct LatencyCount: Sendable, Hashable {
    public var gateway: String
    public var bucket: Int
    public var receipts: Int

    public init(gateway: String, bucket: Int, receipts: Int) {
        self.gateway = gateway
        self.bucket = bucket
        self.receipts = receipts
    }
}

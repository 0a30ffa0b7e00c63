import CoreModel

/// A campaign's messages in the columns `campaign list` shows (and the admin API lists).
struct CampaignTally: Sendable, Encodable {
    /// Not final yet: still to send, or awaiting a receipt.
    var queued: Int
    /// Handed to a gateway (submitted, delivered, failed, expired).
    var sent: Int
    var delivered: Int
    var failed: Int
    /// Suppressed or cancelled.
    var suppressed: Int

    init(_ progress: CampaignProgress) {
        queued = progress.unfinished
        sent = progress.total([.submitted, .delivered, .failed, .expired])
        delivered = progress.total([.delivered])
        failed = progress.total([.failed, .expired])
        suppressed = progress.total([.suppressed, .cancelled])
    }
}

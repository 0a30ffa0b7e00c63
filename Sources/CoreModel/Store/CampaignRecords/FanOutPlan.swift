import Foundation

/// Everything the store needs to put one run of a campaign into the outbox
/// with `INSERT … SELECT`: who (the segment), on which channel (the first in
/// order the member can be reached on), which variant or the control group
/// (a hash of member and campaign, so a relaunch gives the same split), and
/// when (the run's start, per time zone, spaced by the throttle).
public struct FanOutPlan: Sendable {
    public struct Variant: Sendable, Hashable {
        public var name: String
        public var template: String
        /// Members whose bucket (0..<10,000) is below this and at or above the previous variant's get this variant.
        public var bucketsBelow: Int

        public init(name: String, template: String, bucketsBelow: Int) {
            self.name = name
            self.template = template
            self.bucketsBelow = bucketsBelow
        }
    }

    public var campaignId: Int64
    /// 1 for a campaign sent once; a cron campaign's runs are numbered by their start minute.
    public var run: Int64
    public var segment: Segment
    public var category: ConsentCategory
    public var lane: Lane
    public var priority: Int
    /// Fallback order: a member gets the first channel whose contact is valid and (marketing, survey) consented.
    public var channels: [Channel]
    /// Buckets below this are the control group: recorded, sent nothing.
    public var controlBelow: Int
    /// Ordered by `bucketsBelow`; the last one's is 10,000.
    public var variants: [Variant]
    /// Per campaign, so two campaigns split members independently.
    public var salt: Int64
    /// The locales every variant's templates have; a member reading another gets `fallbackLocale`.
    public var locales: [String]
    public var fallbackLocale: String
    public var start: Date
    /// "At 10:00 in each member's own time zone": the start per zone; zones not listed start at `start`.
    public var startsByTimeZone: [String: Date]
    /// Throttle: messages per minute, spread from the start (nil: all due at the start).
    public var perMinute: Int?
    /// How long after its due time a message may still go.
    public var expiresAfter: TimeInterval?
    public var maxAttempts: Int

    public init(
        campaignId: Int64, run: Int64, segment: Segment, category: ConsentCategory, lane: Lane, priority: Int = 0,
        channels: [Channel], controlBelow: Int, variants: [Variant], salt: Int64, locales: [String], fallbackLocale: String,
        start: Date, startsByTimeZone: [String: Date] = [:], perMinute: Int? = nil, expiresAfter: TimeInterval? = nil,
        maxAttempts: Int = 5
    ) {
        self.campaignId = campaignId
        self.run = run
        self.segment = segment
        self.category = category
        self.lane = lane
        self.priority = priority
        self.channels = channels
        self.controlBelow = controlBelow
        self.variants = variants
        self.salt = salt
        self.locales = locales
        self.fallbackLocale = fallbackLocale
        self.start = start
        self.startsByTimeZone = startsByTimeZone
        self.perMinute = perMinute
        self.expiresAfter = expiresAfter
        self.maxAttempts = maxAttempts
    }

    /// Buckets are 0..<10,000: weights and the control share resolve to 0.01 %.
    public static let buckets = 10_000
}

/// How far a fan-out got (after each chunk, for a progress bar).
public struct FanOutProgress: Sendable, Hashable {
    /// Members looked at so far and in all (by id range, not only those in the segment).
    public var scanned: Int
    public var total: Int
    public var result: FanOutResult
}

/// What a run's fan-out did (all chunks so far, this launch and earlier ones).
public struct FanOutResult: Sendable, Hashable, Codable {
    /// Members in the segment.
    public var audience: Int = 0
    /// Messages put in the outbox by this call (0 on a relaunch).
    public var queued: Int = 0
    /// In the control group: recorded, not sent.
    public var control: Int = 0
    /// In the segment but reachable on none of the channels.
    public var unreachable: Int = 0
    /// Per variant: messages in the outbox for this run (whenever queued).
    public var byVariant: [String: Int] = [:]

    public init() {}
}

extension FanOutPlan {
    /// Three rounds of `h = (h·a + b) mod p` over different primes: affine
    /// steps under different moduli do not compose into one, so the bucket
    /// behaves like a hash of (member, campaign) — the same on every launch,
    /// independent between campaigns — and stays plain SQL that `sqlite3`
    /// (or PostgreSQL) computes too.
    public struct BucketHash: Sendable, Hashable {
        public static let primes: [Int64] = [2_147_483_647, 2_147_483_629, 2_147_483_587]
        /// (a, b) per round, each in 1..<p.
        public var rounds: [(a: Int64, b: Int64)] { zip(coefficients, Self.primes).map { ($0.0.a, $0.0.b) } }
        let coefficients: [Pair]

        struct Pair: Sendable, Hashable {
            var a: Int64
            var b: Int64
        }

        public init(salt: Int64) {
            var random = SeededGenerator(seed: UInt64(bitPattern: salt))
            coefficients = Self.primes.map { p in
                Pair(a: 1 + Int64(random.next() % UInt64(p - 1)), b: 1 + Int64(random.next() % UInt64(p - 1)))
            }
        }

        /// The same function in Swift (tests check the SQL against it).
        public func bucket(memberId: Int64) -> Int {
            var h = memberId
            for (pair, p) in zip(coefficients, Self.primes) {
                // Member ids stay below 2^32 and every later h below 2^31: no product reaches 2^63.
                h = (h * pair.a + pair.b) % p
            }
            return Int(h % Int64(FanOutPlan.buckets))
        }
    }

    public var bucketHash: BucketHash { BucketHash(salt: salt) }
}

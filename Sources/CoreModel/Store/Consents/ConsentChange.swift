import Foundation

/// One grant or revocation to append to the consent ledger: for a member
/// (by number) or for an address no member may have (a prospect, a number
/// that texted 退订), with where it came from and the evidence.
public struct ConsentChange: Sendable, Hashable {
    public enum Subject: Sendable, Hashable, CustomStringConvertible {
        case member(String)
        /// A normalised phone number (E.164) or email address.
        case address(String)

        public var description: String {
            switch self {
            case .member(let number): "member \(number)"
            case .address(let address): "address \(Redaction.address(address))"
            }
        }
    }

    public var subject: Subject
    public var channel: Channel
    public var category: ConsentCategory
    public var granted: Bool
    /// How it was given or taken: signup, agent, sms_reply, keypad, unsubscribe_link, import, cli…
    public var source: String
    /// What shows it: the inbound message, the import file and row, the agent's note.
    public var evidence: String?
    /// Who recorded it (an operator's name), when a person did.
    public var actor: String?
    /// When the member gave or took it (may be earlier than when it was recorded).
    public var at: Date
    /// The same key twice is appended once: what makes an import idempotent.
    public var dedupeKey: String?

    public init(
        subject: Subject, channel: Channel, category: ConsentCategory, granted: Bool, source: String,
        evidence: String? = nil, actor: String? = nil, at: Date, dedupeKey: String? = nil
    ) {
        self.subject = subject
        self.channel = channel
        self.category = category
        self.granted = granted
        self.source = source
        self.evidence = evidence
        self.actor = actor
        self.at = at
        self.dedupeKey = dedupeKey
    }
}

/// What appending one change did.
public enum ConsentChangeResult: String, Sendable, Hashable, Codable {
    /// Appended, and the current state is now what it says.
    case changed
    /// Appended as evidence; the state already said so, or a later entry outranks it.
    case unchanged
    /// Its dedupe key was appended before: nothing written.
    case duplicate
    /// No member has that number: nothing written.
    case unknownMember
}

/// A ledger entry as read back.
public struct ConsentEntry: Sendable, Hashable, Codable {
    public var id: Int64
    public var memberNo: String?
    public var address: String?
    public var channel: Channel
    public var category: ConsentCategory
    public var granted: Bool
    public var source: String
    public var evidence: String?
    public var actor: String?
    public var at: Date
    public var recordedAt: Date

    public init(
        id: Int64, memberNo: String?, address: String?, channel: Channel, category: ConsentCategory, granted: Bool,
        source: String, evidence: String?, actor: String?, at: Date, recordedAt: Date
    ) {
        self.id = id
        self.memberNo = memberNo
        self.address = address
        self.channel = channel
        self.category = category
        self.granted = granted
        self.source = source
        self.evidence = evidence
        self.actor = actor
        self.at = at
        self.recordedAt = recordedAt
    }
}

/// The current state for one channel and category, derived from the ledger.
public struct ConsentState: Sendable, Hashable, Codable {
    public var channel: Channel
    public var category: ConsentCategory
    public var granted: Bool
    public var source: String
    public var since: Date

    public init(channel: Channel, category: ConsentCategory, granted: Bool, source: String, since: Date) {
        self.channel = channel
        self.category = category
        self.granted = granted
        self.source = source
        self.since = since
    }
}

/// An address on the blacklist: nothing at all is sent to it.
public struct BlacklistEntry: Sendable, Hashable, Codable {
    public var address: String
    public var reason: String
    public var addedBy: String
    public var addedAt: Date

    public init(address: String, reason: String, addedBy: String, addedAt: Date) {
        self.address = address
        self.reason = reason
        self.addedBy = addedBy
        self.addedAt = addedAt
    }
}

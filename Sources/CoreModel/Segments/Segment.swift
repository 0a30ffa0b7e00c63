import Foundation

/// A typed audience expression: which members a campaign reaches. Parsed
/// from the segment language (`SegmentParser`), checked against the fields
/// below, and compiled by each store to its own SQL with bound arguments
/// only — field names come from this whitelist, values never become SQL text.
public indirect enum Segment: Sendable, Hashable {
    case all
    case and(Segment, Segment)
    case or(Segment, Segment)
    case not(Segment)
    case compare(SegmentField, SegmentComparison, SegmentValue)
    case within(SegmentField, [SegmentValue])
    case between(SegmentField, SegmentValue, SegmentValue)
    /// `tags CONTAINS '爱辣'`: one tag, matched whole.
    case contains(SegmentField, String)
    case isNull(SegmentField, Bool)
    /// A boolean field on its own: `has_phone`, `consent(sms, marketing)`.
    case isTrue(SegmentField)
}

extension Segment {
    /// Whether the expression asks about prospects at all (`prospect`,
    /// `prospect_source`, `enquired_at`, anywhere in the tree).
    public var mentionsProspects: Bool {
        switch self {
        case .all: false
        case .and(let left, let right), .or(let left, let right): left.mentionsProspects || right.mentionsProspects
        case .not(let inner): inner.mentionsProspects
        case .compare(let field, _, _), .within(let field, _), .between(let field, _, _), .contains(let field, _),
            .isNull(let field, _), .isTrue(let field):
            field.isAboutProspects
        }
    }

    /// The audience a store counts and sends to: a segment that does not
    /// mention prospects means members only, so every saved segment and
    /// campaign written before prospects existed keeps its audience; one that
    /// does is taken as written (`prospect OR level = gold` reaches both).
    public var audience: Segment {
        if mentionsProspects { return self }
        if self == .all { return .not(.isTrue(.prospect)) }
        return .and(.not(.isTrue(.prospect)), self)
    }
}

extension SegmentField {
    var isAboutProspects: Bool {
        switch self {
        case .prospect, .prospectSource, .enquiredAt: true
        default: false
        }
    }
}

public enum SegmentComparison: String, Sendable, Hashable, CaseIterable {
    case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
}

/// A literal, typed by the field it is compared with.
public enum SegmentValue: Sendable, Hashable {
    case integer(Int)
    /// Yuan in fen.
    case money(Int)
    case text(String)
    /// An instant: `'2026-01-01'`, `today`, `today - 30d`.
    case date(Date)
    case bool(Bool)
}

/// What a segment can ask about a member. Each has a type; some take
/// arguments (`orders(90d)`, `consent(sms, marketing)`).
public enum SegmentField: Sendable, Hashable {
    case level, points, tags, branch, district, locale, timezone
    case joined, lastOrder
    /// Whole days since the last order; null when the member never ordered.
    case daysSinceLastOrder
    /// Orders and spend (yuan) in the last `days` (nil: ever).
    case orders(days: Int?)
    case spend(days: Int?)
    /// Complaints opened in the last `days` (nil: ever); open ones now.
    case complaints(days: Int?)
    case openComplaints
    /// The score (1–5) of the member's latest survey answer.
    case lastSurveyScore
    case consent(Channel, ConsentCategory)
    case hasPhone, hasEmail
    /// The last `tidings rfm` run: the named segment, and the 1–5 scores.
    case rfmSegment, rfmR, rfmF, rfmM
    /// Whether the row is a prospect (enquired, never ordered), where and when they enquired.
    case prospect, prospectSource, enquiredAt

    public enum Kind: String, Sendable, Hashable {
        case integer, money, text, date, bool, tags
        /// Text from a fixed list (`level`).
        case choice
    }

    public var kind: Kind {
        switch self {
        case .level, .rfmSegment, .prospectSource: .choice
        case .rfmR, .rfmF, .rfmM: .integer
        case .points, .daysSinceLastOrder, .orders, .complaints, .openComplaints, .lastSurveyScore: .integer
        case .spend: .money
        case .tags: .tags
        case .branch, .district, .locale, .timezone: .text
        case .joined, .lastOrder, .enquiredAt: .date
        case .consent, .hasPhone, .hasEmail, .prospect: .bool
        }
    }

    /// The values a `.choice` field may take.
    public var choices: [String] {
        switch self {
        case .level: MemberLevel.allCases.map(\.rawValue)
        case .rfmSegment: RFMSegment.allCases.map(\.rawValue)
        case .prospectSource: ProspectSource.allCases.map(\.rawValue)
        default: []
        }
    }

    /// The fields as written, for help and error messages.
    public static let names = [
        "level", "points", "tags", "branch", "district", "locale", "timezone", "joined", "last_order",
        "days_since_last_order", "orders(90d)", "spend(365d)", "complaints(180d)", "open_complaints",
        "last_survey_score", "consent(sms, marketing)", "has_phone", "has_email", "rfm_segment", "rfm_r", "rfm_f", "rfm_m",
        "prospect", "prospect_source", "enquired_at",
    ]
}

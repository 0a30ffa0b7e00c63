import CoreModel
import Foundation

/// An audience expression (or a saved segment's name, `segments:` in
/// tidings.yaml) parsed into a segment, as `tidings segment` and the admin
/// API's segment routes ask the store about it.
struct SegmentQuery: Sendable {
    /// What was given: an expression, or a saved segment's name.
    let expression: String
    /// The expression parsed (the saved segment's, for a name).
    let text: String
    let segment: Segment
    let now: Date

    /// Why the text is not a segment, with a caret under the column.
    struct Invalid: Error, CustomStringConvertible {
        var error: SegmentError
        var text: String
        var description: String { "segment \(error)\n\(error.pointing(at: text))" }
    }

    init(_ expression: String, config: TidingsConfig, now: Date = Date()) throws(Invalid) {
        self.expression = expression
        self.now = now
        let text = config.segments[expression] ?? expression
        self.text = text
        let parser = SegmentParser(now: now, timeZone: TimeZone(identifier: config.defaults.timezone) ?? .current)
        do {
            segment = try parser.parse(text)
        } catch {
            throw Invalid(error: error, text: text)
        }
    }

    func count(in store: any Segments) async throws -> Int {
        try await store.countMembers(in: segment, now: now)
    }

    /// The first members by member number (at most 1000), phone numbers masked unless `reveal`.
    func sample(in store: any Segments, limit: Int, reveal: Bool) async throws -> [SegmentMember] {
        let members = try await store.sampleMembers(in: segment, limit: max(1, min(limit, Self.sampleLimit)), now: now)
        return reveal
            ? members
            : members.map {
                var m = $0; m.phone = m.phone.map(Redaction.phone); return m
            }
    }

    static let sampleLimit = 1000
}

import CoreModel
import Foundation
import Testing

/// Prospects in the segment language: the fields parse to typed values, and
/// an expression that does not mention prospects means members only.
struct SegmentAudienceTests {
    let parser = SegmentParser(now: Date(timeIntervalSince1970: 1_795_694_400), timeZone: TimeZone(identifier: "Asia/Shanghai")!)
    static let membersOnly = Segment.not(.isTrue(.prospect))

    @Test func prospectFieldsParse() throws {
        #expect(
            try parser.parse("prospect AND prospect_source = banquet_enquiry")
                == .and(.isTrue(.prospect), .compare(.prospectSource, .equal, .text("banquet_enquiry"))))
        #expect(try parser.parse("prospect = false") == .compare(.prospect, .equal, .bool(false)))
        #expect(
            try parser.parse("prospect_source IN ('call_centre', other)")
                == .within(.prospectSource, [.text("call_centre"), .text("other")]))
        #expect(try parser.parse("enquired_at IS NOT NULL") == .isNull(.enquiredAt, false))
    }

    /// A value that is not a source is refused where it stands, never passed on.
    @Test func aSourceOutsideTheListIsAnError() {
        #expect {
            try parser.parse("prospect_source = 'banquet_enquiry'' OR 1=1 --'")
        } throws: { error in
            let error = error as? SegmentError
            return error?.column == 19 && error?.message.contains("is not one of banquet_enquiry") == true
        }
    }

    @Test(arguments: [
        ("", Segment.not(.isTrue(.prospect))),
        ("level = gold", .and(membersOnly, .compare(.level, .equal, .text("gold")))),
        ("prospect", .isTrue(.prospect)),
        ("NOT prospect", .not(.isTrue(.prospect))),
        ("level = gold OR prospect", .or(.compare(.level, .equal, .text("gold")), .isTrue(.prospect))),
        ("enquired_at >= '2026-10-01'", .compare(.enquiredAt, .greaterOrEqual, .date(Date(timeIntervalSince1970: 1_790_784_000)))),
    ])
    func theAudienceLeavesProspectsOutUnlessAsked(_ text: String, _ audience: Segment) throws {
        #expect(try parser.parse(text).audience == audience)
    }
}

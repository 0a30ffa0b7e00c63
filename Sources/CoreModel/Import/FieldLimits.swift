/// How long an imported field may be, in characters (after trimming): a
/// spreadsheet cell pasted into the wrong column, or a file whose quotes went
/// wrong, is refused by row and column instead of filling timelines, messages
/// and error reports.
public enum FieldLimits {
    /// Keys, codes, names, numbers, dates, choices: anything not listed below.
    public static let short = 64
    /// A branch's or a delivery order's address; a blacklist entry's reason.
    public static let address = 200
    /// RFC 5321's longest forward path.
    public static let email = 254
    /// Free text: a complaint's description and resolution, a delivery note, an order's items, a consent's evidence.
    public static let freeText = 2000
    /// A member's tags: how many, and how long each.
    public static let tagCount = 20
    public static let tagLength = 32

    /// The most characters `column` may hold.
    public static func maxLength(of column: String) -> Int {
        switch column {
        case "address", "reason": address
        case "email": email
        case "description", "resolution", "note", "items", "tags", "evidence": freeText
        default: short
        }
    }
}

/// Follows a CSV file's quoted fields byte by byte, the way CSV.swift reads
/// them, to find a quote that never closes. CSV.swift reads such a field to
/// the end of the file and returns it as one value, so the rows after it
/// vanish without a word; the import refuses the file instead, naming the
/// line where the quoted field started.
struct CSVQuoteTracker {
    private enum State {
        /// At the start of a field: a quote here opens a quoted field.
        case fieldStart
        case unquoted
        case quoted
        /// A quote inside a quoted field: what follows decides.
        case quoteInQuoted
    }

    private var state = State.fieldStart
    private var line = 1
    /// Bytes read so far of a UTF-8 byte order mark at the start (CSV.swift skips one); nil once past it.
    private var bomRead: Int? = 0
    /// The line where the quoted field being read started.
    private(set) var openedAt: Int?

    /// The line of a quoted field still open at the end of the input.
    var unterminatedAt: Int? { state == .quoted ? openedAt : nil }

    mutating func feed<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        for byte in bytes { feed(byte) }
    }

    mutating func feed(_ byte: UInt8) {
        if let read = bomRead {
            let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
            if byte == bom[read] {
                bomRead = read + 1 < bom.count ? read + 1 : nil
                return
            }
            bomRead = nil
            // Part of a mark that was not one: text, so the first field is not quoted.
            if read > 0 { state = .unquoted }
        }
        let quote: UInt8 = 34, comma: UInt8 = 44, lf: UInt8 = 10, cr: UInt8 = 13
        switch state {
        case .fieldStart:
            if byte == quote {
                state = .quoted
                openedAt = line
            } else if byte != comma && byte != lf && byte != cr {
                state = .unquoted
            }
        case .unquoted:
            if byte == comma || byte == lf || byte == cr { state = .fieldStart }
        case .quoted:
            if byte == quote { state = .quoteInQuoted }
        case .quoteInQuoted:
            // A doubled quote is a quote; a comma or line end closes the field. Anything
            // else keeps the field open (CSV.swift drops that byte and reads on).
            if byte == comma || byte == lf || byte == cr {
                state = .fieldStart
                openedAt = nil
            } else {
                state = .quoted
            }
        }
        if byte == lf { line += 1 }
    }

    /// The end of the input: a quote just read closes its field.
    mutating func finish() {
        if state == .quoteInQuoted {
            state = .fieldStart
            openedAt = nil
        }
    }
}

import Foundation

/// The segment language, e.g.
///
///     level IN ('gold', 'diamond') AND orders(365d) >= 3 AND NOT tags CONTAINS '已流失'
///     days_since_last_order BETWEEN 60 AND 180 AND consent(sms, marketing)
///     joined >= today - 30d OR spend(90d) > 1000
///
/// AND binds tighter than OR; NOT applies to what follows it; parentheses
/// group. Keywords are case-insensitive. Strings are in single or double
/// quotes (a quote inside is written twice). Dates are `'YYYY-MM-DD'`,
/// `today`, `today - 30d` (d, w, m = 30 days, y = 365 days), in the group's
/// time zone. Every value is checked against its field's type here, so a
/// store never sees an expression it would have to refuse.
public struct SegmentParser: Sendable {
    public let now: Date
    public let timeZone: TimeZone

    public init(now: Date = Date(), timeZone: TimeZone) {
        self.now = now
        self.timeZone = timeZone
    }

    public func parse(_ text: String) throws(SegmentError) -> Segment {
        var state = State(tokens: try Self.tokens(text), parser: self)
        if state.peek.kind == .end { return .all }
        if state.peek.isKeyword("ALL"), state.tokens[state.index + 1].kind == .end { return .all }
        let segment = try state.orExpression()
        guard state.peek.kind == .end else { throw state.unexpected("AND, OR or the end") }
        return segment
    }

    /// "90d" → 90, "2w" → 14, "6m" → 180, "1y" → 365; nil beyond 10 years or not a window.
    public static func days(_ text: String) -> Int? { State.days(text) }

    // MARK: - Tokens

    struct Token: Equatable {
        enum Kind: Equatable { case word, number, string, symbol, end }
        var kind: Kind
        var text: String
        var column: Int

        func isKeyword(_ keyword: String) -> Bool { kind == .word && text.uppercased() == keyword }
        func isSymbol(_ symbol: String) -> Bool { kind == .symbol && text == symbol }

        var shown: String { kind == .end ? "the end" : kind == .string ? "'\(text)'" : "'\(text)'" }
    }

    static func tokens(_ text: String) throws(SegmentError) -> [Token] {
        let characters = Array(text)
        var tokens: [Token] = []
        var index = 0
        while index < characters.count {
            let c = characters[index]
            let column = index + 1
            if c.isWhitespace {
                index += 1
            } else if c.isLetter || c == "_" {
                var end = index
                while end < characters.count, characters[end].isLetter || characters[end].isNumber || characters[end] == "_" {
                    end += 1
                }
                tokens.append(Token(kind: .word, text: String(characters[index..<end]), column: column))
                index = end
            } else if c.isASCII && c.isNumber {
                var end = index
                while end < characters.count, characters[end].isASCII, characters[end].isNumber || characters[end] == "." {
                    end += 1
                }
                // A unit right after the number: 90d, 2w.
                while end < characters.count, characters[end].isASCII, characters[end].isLetter { end += 1 }
                tokens.append(Token(kind: .number, text: String(characters[index..<end]), column: column))
                index = end
            } else if c == "'" || c == "\"" {
                var value = ""
                var end = index + 1
                while true {
                    guard end < characters.count else {
                        throw SegmentError(column: column, "unterminated string (it starts here; a quote inside is written twice)")
                    }
                    if characters[end] == c {
                        if end + 1 < characters.count, characters[end + 1] == c {
                            value.append(c)
                            end += 2
                            continue
                        }
                        break
                    }
                    value.append(characters[end])
                    end += 1
                }
                guard value.count <= 200 else { throw SegmentError(column: column, "string longer than 200 characters") }
                tokens.append(Token(kind: .string, text: value, column: column))
                index = end + 1
            } else if "<>!".contains(c), index + 1 < characters.count, characters[index + 1] == "=" || (c == "<" && characters[index + 1] == ">") {
                tokens.append(Token(kind: .symbol, text: String(characters[index...index + 1]), column: column))
                index += 2
            } else if "=<>(),+-".contains(c) {
                tokens.append(Token(kind: .symbol, text: String(c), column: column))
                index += 1
            } else {
                throw SegmentError(column: column, "unexpected character '\(c)'")
            }
        }
        tokens.append(Token(kind: .end, text: "", column: characters.count + 1))
        guard tokens.count <= 2000 else { throw SegmentError(column: 1, "expression too long (over 2000 tokens)") }
        return tokens
    }

    // MARK: - Grammar

    struct State {
        var tokens: [Token]
        var index = 0
        var depth = 0
        let parser: SegmentParser

        init(tokens: [Token], parser: SegmentParser) {
            self.tokens = tokens
            self.parser = parser
        }

        var peek: Token { tokens[index] }

        mutating func next() -> Token {
            let token = tokens[index]
            if token.kind != .end { index += 1 }
            return token
        }

        func unexpected(_ expected: String) -> SegmentError {
            SegmentError(column: peek.column, "expected \(expected), found \(peek.shown)")
        }

        mutating func expectSymbol(_ symbol: String) throws(SegmentError) {
            guard peek.isSymbol(symbol) else { throw unexpected("'\(symbol)'") }
            index += 1
        }

        mutating func orExpression() throws(SegmentError) -> Segment {
            var left = try andExpression()
            while peek.isKeyword("OR") {
                index += 1
                left = .or(left, try andExpression())
            }
            return left
        }

        mutating func andExpression() throws(SegmentError) -> Segment {
            var left = try notExpression()
            while peek.isKeyword("AND") {
                index += 1
                left = .and(left, try notExpression())
            }
            return left
        }

        mutating func notExpression() throws(SegmentError) -> Segment {
            if peek.isKeyword("NOT") {
                index += 1
                return .not(try notExpression())
            }
            if peek.isSymbol("(") {
                let open = next()
                depth += 1
                guard depth <= 50 else { throw SegmentError(column: open.column, "parentheses nested more than 50 deep") }
                let inner = try orExpression()
                guard peek.isSymbol(")") else {
                    throw SegmentError(column: peek.column, "expected ')' to close the '(' at column \(open.column), found \(peek.shown)")
                }
                index += 1
                depth -= 1
                return inner
            }
            return try condition()
        }

        mutating func condition() throws(SegmentError) -> Segment {
            let start = peek
            let field = try self.field()
            let kind = field.kind
            if peek.isKeyword("IS") {
                index += 1
                let negated = peek.isKeyword("NOT")
                if negated { index += 1 }
                guard peek.isKeyword("NULL") else { throw unexpected("NULL") }
                index += 1
                return .isNull(field, !negated)
            }
            if peek.isKeyword("CONTAINS") {
                guard kind == .tags else { throw SegmentError(column: peek.column, "CONTAINS is for tags, not \(start.text)") }
                index += 1
                guard peek.kind == .string else { throw unexpected("a tag in quotes") }
                return .contains(field, next().text)
            }
            if kind == .tags { throw unexpected("CONTAINS after tags (e.g. tags CONTAINS '爱辣')") }
            let negated = peek.isKeyword("NOT") && (tokens[index + 1].isKeyword("IN") || tokens[index + 1].isKeyword("BETWEEN"))
            if negated { index += 1 }
            if peek.isKeyword("IN") {
                guard kind != .bool else { throw SegmentError(column: peek.column, "IN is not for \(start.text), which is true or false") }
                index += 1
                try expectSymbol("(")
                var values = [try value(for: field, name: start.text)]
                while peek.isSymbol(",") {
                    index += 1
                    values.append(try value(for: field, name: start.text))
                }
                try expectSymbol(")")
                guard values.count <= 500 else { throw SegmentError(column: start.column, "IN lists at most 500 values") }
                return negated ? .not(.within(field, values)) : .within(field, values)
            }
            if peek.isKeyword("BETWEEN") {
                guard [.integer, .money, .date].contains(kind) else {
                    throw SegmentError(column: peek.column, "BETWEEN is for numbers and dates, not \(start.text)")
                }
                index += 1
                let low = try value(for: field, name: start.text)
                guard peek.isKeyword("AND") else { throw unexpected("AND in BETWEEN … AND …") }
                index += 1
                let high = try value(for: field, name: start.text)
                return negated ? .not(.between(field, low, high)) : .between(field, low, high)
            }
            guard peek.kind == .symbol, let comparison = SegmentComparison(rawValue: peek.text == "<>" ? "!=" : peek.text) else {
                if kind == .bool { return .isTrue(field) }
                throw unexpected("a comparison (=, !=, <, <=, >, >=), IN, BETWEEN or IS NULL after \(start.text)")
            }
            let operatorToken = next()
            if [.text, .choice, .bool].contains(kind), ![.equal, .notEqual].contains(comparison) {
                throw SegmentError(column: operatorToken.column, "\(start.text) can be compared with = or != only")
            }
            return .compare(field, comparison, try value(for: field, name: start.text))
        }

        /// A field name, with its arguments in parentheses where it takes them.
        mutating func field() throws(SegmentError) -> SegmentField {
            guard peek.kind == .word else { throw unexpected("a field (\(SegmentField.names.joined(separator: ", ")))") }
            let name = next()
            let lower = name.text.lowercased()
            switch lower {
            case "level": return .level
            case "points": return .points
            case "tags": return .tags
            case "branch": return .branch
            case "district": return .district
            case "locale": return .locale
            case "timezone": return .timezone
            case "joined": return .joined
            case "last_order": return .lastOrder
            case "days_since_last_order": return .daysSinceLastOrder
            case "open_complaints": return .openComplaints
            case "last_survey_score": return .lastSurveyScore
            case "has_phone": return .hasPhone
            case "has_email": return .hasEmail
            case "rfm_segment": return .rfmSegment
            case "rfm_r": return .rfmR
            case "rfm_f": return .rfmF
            case "rfm_m": return .rfmM
            case "prospect": return .prospect
            case "prospect_source": return .prospectSource
            case "enquired_at": return .enquiredAt
            case "orders", "spend", "complaints":
                var days: Int?
                if peek.isSymbol("(") {
                    index += 1
                    guard peek.kind == .number, let window = Self.days(peek.text) else {
                        throw unexpected("a window such as 90d, 12w, 6m or 1y")
                    }
                    days = window
                    index += 1
                    try expectSymbol(")")
                }
                return lower == "orders" ? .orders(days: days) : lower == "spend" ? .spend(days: days) : .complaints(days: days)
            case "consent":
                try expectSymbol("(")
                guard peek.kind == .word, let channel = Channel(rawValue: peek.text.lowercased()) else {
                    throw unexpected("a channel (\(Channel.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                index += 1
                try expectSymbol(",")
                guard peek.kind == .word, let category = ConsentCategory(rawValue: peek.text.lowercased()) else {
                    throw unexpected("a category (\(ConsentCategory.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                index += 1
                try expectSymbol(")")
                return .consent(channel, category)
            default:
                throw SegmentError(
                    column: name.column, "unknown field '\(name.text)' (fields: \(SegmentField.names.joined(separator: ", ")))")
            }
        }

        /// A literal of the field's type.
        mutating func value(for field: SegmentField, name: String) throws(SegmentError) -> SegmentValue {
            let token = peek
            switch field.kind {
            case .integer:
                guard token.kind == .number, let value = Int(token.text), abs(value) < 1_000_000_000_000 else {
                    throw unexpected("a whole number for \(name)")
                }
                index += 1
                return .integer(value)
            case .money:
                guard token.kind == .number, let fen = Self.fen(token.text) else { throw unexpected("an amount in yuan for \(name) (e.g. 1000 or 88.50)") }
                index += 1
                return .money(fen)
            case .text:
                guard token.kind == .string else { throw unexpected("a value in quotes for \(name)") }
                index += 1
                return .text(token.text)
            case .choice:
                guard token.kind == .string || token.kind == .word else { throw unexpected("one of \(field.choices.joined(separator: ", ")) for \(name)") }
                guard field.choices.contains(token.text.lowercased()) else {
                    throw SegmentError(column: token.column, "'\(token.text)' is not one of \(field.choices.joined(separator: ", ")) for \(name)")
                }
                index += 1
                return .text(token.text.lowercased())
            case .bool:
                guard token.isKeyword("TRUE") || token.isKeyword("FALSE") else { throw unexpected("true or false for \(name)") }
                index += 1
                return .bool(token.isKeyword("TRUE"))
            case .date:
                return .date(try date(name: name))
            case .tags:
                throw unexpected("CONTAINS after tags")
            }
        }

        /// `'2026-01-01'`, `today`, `today - 30d`, `today + 1w`.
        mutating func date(name: String) throws(SegmentError) -> Date {
            let token = peek
            if token.kind == .string {
                guard let date = DateText.parse(token.text, timeZone: parser.timeZone) else {
                    throw SegmentError(column: token.column, "'\(token.text)' is not a date (YYYY-MM-DD or YYYY-MM-DD HH:MM)")
                }
                index += 1
                return date
            }
            guard token.isKeyword("TODAY") else { throw unexpected("a date for \(name) ('2026-01-01', today, today - 30d)") }
            index += 1
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = parser.timeZone
            var date = calendar.startOfDay(for: parser.now)
            if peek.isSymbol("-") || peek.isSymbol("+") {
                let sign = next().text == "-" ? -1 : 1
                guard peek.kind == .number, let days = Self.days(peek.text) else { throw unexpected("a duration such as 30d after today \(sign < 0 ? "-" : "+")") }
                index += 1
                date = calendar.date(byAdding: .day, value: sign * days, to: date) ?? date
            }
            return date
        }

        /// "90d" → 90, "2w" → 14, "6m" → 180, "1y" → 365; at most 10 years.
        static func days(_ text: String) -> Int? {
            guard let unit = text.last, let count = Int(text.dropLast()), count >= 0 else { return nil }
            let days: Int
            switch unit {
            case "d": days = count
            case "w": days = count * 7
            case "m": days = count * 30
            case "y": days = count * 365
            default: return nil
            }
            return days <= 3650 ? days : nil
        }

        /// "88.5" → 8850 fen.
        static func fen(_ text: String) -> Int? {
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), let yuan = Int(parts[0]), yuan < 1_000_000_000 else { return nil }
            guard parts.count == 2 else { return yuan * 100 }
            guard (1...2).contains(parts[1].count), let cents = Int(parts[1]) else { return nil }
            return yuan * 100 + (parts[1].count == 1 ? cents * 10 : cents)
        }
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces, tabs, line breaks and the
    /// ideographic space (U+3000). Foundation's `trimmingCharacters(in:)`
    /// bridges through NSString and was a fifth of an import's time.
    public var trimmedWhitespace: String {
        let scalars = unicodeScalars
        func isSpace(_ scalar: Unicode.Scalar) -> Bool {
            switch scalar.value {
            case 0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C, 0xA0, 0x3000, 0xFEFF: true
            default: false
            }
        }
        guard let first = scalars.firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isSpace($0) })!
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}

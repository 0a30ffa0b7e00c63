extension String {
    /// "7" → "007" for width 3: member, branch and order numbers.
    public func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}

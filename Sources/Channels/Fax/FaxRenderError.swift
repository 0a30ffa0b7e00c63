/// Why a fax document could not be drawn. Nothing was sent: the gateways
/// report it as a permanent failure with this description.
public enum FaxRenderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// fontconfig has no face of the family (the package is not installed on
    /// this host), or the face it picked cannot draw Chinese. `resolved`: the
    /// family it gave instead, empty if none.
    case fontUnavailable(family: String, resolved: String)
    /// Characters no installed font can draw (they would print as boxes),
    /// with the 1-based numbers of the lines holding them (0: the title).
    case undrawableCharacters([Unicode.Scalar], lines: [Int])
    /// cairo failed to produce the PDF.
    case pdf(status: String)

    /// Stable, for logs and alerts.
    public var code: String {
        switch self {
        case .fontUnavailable: "fax_font_unavailable"
        case .undrawableCharacters: "fax_undrawable_characters"
        case .pdf: "fax_pdf_failed"
        }
    }

    public var description: String {
        switch self {
        case .fontUnavailable(let family, let resolved):
            "\(code): the fax font '\(family)' is not installed on this host "
                + (resolved.isEmpty ? "(fontconfig finds no fonts at all)" : "(fontconfig offers '\(resolved)')")
                + "; install Debian's fonts-wqy-zenhei"
        case .undrawableCharacters(let scalars, let lines):
            "\(code): no installed font can draw "
                + scalars.map(Self.codePoint).joined(separator: ", ")
                + " (" + lines.map { $0 == 0 ? "title" : "line \($0)" }.joined(separator: ", ") + ")"
        case .pdf(let status): "\(code): cairo: \(status)"
        }
    }

    /// "U+00B7", "U+1F600".
    static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let digits = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

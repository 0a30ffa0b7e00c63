/// How an SMS text is split on the air: GSM-7 (with its extension table,
/// whose characters cost two septets) when every character fits, else UCS-2.
/// Single messages carry 160 septets / 70 UCS-2 units; concatenated parts
/// lose room to the UDH and carry 153 / 67.
public enum SMSSegmenter {
    public enum Encoding: String, Sendable { case gsm7, ucs2 }

    public struct Count: Sendable, Hashable {
        public let encoding: Encoding
        /// Septets (GSM-7) or UTF-16 code units (UCS-2).
        public let units: Int
        public let segments: Int
    }

    static let basic: Set<Unicode.Scalar> = Set(
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà".unicodeScalars)
    static let extended: Set<Unicode.Scalar> = Set("^{}\\[~]|€\u{000C}".unicodeScalars)

    public static func count(_ text: String) -> Count {
        var septets = 0
        for scalar in text.unicodeScalars {
            if basic.contains(scalar) {
                septets += 1
            } else if extended.contains(scalar) {
                septets += 2
            } else {
                let units = text.utf16.count
                return Count(encoding: .ucs2, units: units, segments: units <= 70 ? 1 : (units + 66) / 67)
            }
        }
        return Count(encoding: .gsm7, units: septets, segments: septets <= 160 ? 1 : (septets + 152) / 153)
    }
}

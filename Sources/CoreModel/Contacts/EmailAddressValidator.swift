import Foundation

/// Pragmatic email validation: what a mail server would accept as a recipient,
/// not the whole of RFC 5322 (no quoted local parts, no IP literals).
public enum EmailAddressValidator {
    /// ASCII letters, digits and the specials RFC 5322 allows unquoted.
    private static let localAllowed: Set<UInt32> = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+/=?^_`{|}~-.".unicodeScalars.map(\.value))

    public static func normalize(_ input: String) -> Result<String, PhoneNumberNormalizer.Rejection> {
        func reject(_ reason: String) -> Result<String, PhoneNumberNormalizer.Rejection> {
            .failure(.init(input: input, reason: reason))
        }
        let address = input.trimmedWhitespace
        if address.isEmpty { return reject("empty email address") }
        if address.utf8.count > 254 { return reject("email address longer than 254 bytes") }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return reject(parts.count == 1 ? "missing '@'" : "more than one '@'") }
        let local = parts[0], domain = parts[1]
        guard !local.isEmpty, local.utf8.count <= 64 else { return reject("local part must have 1 to 64 characters") }
        guard local.unicodeScalars.allSatisfy({ localAllowed.contains($0.value) }) else { return reject("local part has a character mail servers refuse") }
        guard !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..") else { return reject("misplaced '.' in local part") }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return reject("domain '\(domain)' has no dot") }
        for label in labels {
            guard !label.isEmpty, label.count <= 63 else { return reject("empty or overlong label in domain '\(domain)'") }
            guard label.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }), !label.hasPrefix("-"), !label.hasSuffix("-") else {
                return reject("domain '\(domain)' has an invalid label '\(label)'")
            }
        }
        guard let tld = labels.last, tld.count >= 2, tld.allSatisfy(\.isLetter) else {
            return reject("domain '\(domain)' has no valid top-level label")
        }
        return .success("\(local)@\(domain.lowercased())")
    }

    public static func contact(_ raw: String?) -> ContactField {
        guard let raw, !raw.trimmedWhitespace.isEmpty else { return .missing }
        switch normalize(raw) {
        case .success(let address): return .valid(address)
        case .failure(let rejection): return .invalid(raw, reason: rejection.reason)
        }
    }
}

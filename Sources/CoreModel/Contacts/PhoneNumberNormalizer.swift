import Foundation

/// Turns what people type into E.164 (`+8613812345678`).
///
/// Chinese numbers get full rules: 11-digit mobiles (1[3-9]…), landlines with a
/// trunk 0 and an area code (010 and 02x take 8-digit locals, other areas 7 or
/// 8), 400/800 service numbers, and the +86 / 0086 / 86 prefixes. Numbers of
/// other regions are accepted in plain E.164 (`+`/`00` and a country code), or
/// as national numbers when that region is the configured default.
public struct PhoneNumberNormalizer: Sendable {
    public enum Kind: String, Sendable { case mobile, landline, service, international }

    public struct Normalized: Sendable, Hashable {
        public let e164: String
        public let kind: Kind
    }

    public struct Rejection: Error, Sendable, Hashable, CustomStringConvertible {
        public let input: String
        public let reason: String
        public var description: String { reason }
    }

    public let defaultRegion: String

    public init(defaultRegion: String = "CN") {
        self.defaultRegion = defaultRegion.uppercased()
    }

    /// Regions whose national numbers can be written without a country code
    /// when they are the default region: calling code and whether a trunk 0 is dialled.
    static let regions: [String: (code: String, trunkZero: Bool)] = [
        "CN": ("86", true), "HK": ("852", false), "MO": ("853", false), "TW": ("886", true),
        "SG": ("65", false), "MY": ("60", true), "JP": ("81", true), "KR": ("82", true),
        "US": ("1", false), "CA": ("1", false), "GB": ("44", true), "AU": ("61", true),
        "DE": ("49", true), "FR": ("33", true),
    ]

    public static func isSupportedRegion(_ region: String) -> Bool { regions[region.uppercased()] != nil }

    public func normalize(_ input: String) -> Result<Normalized, Rejection> {
        func reject(_ reason: String) -> Result<Normalized, Rejection> { .failure(Rejection(input: input, reason: reason)) }
        let trimmed = input.trimmedWhitespace
        if trimmed.isEmpty { return reject("empty phone number") }

        var digits = ""
        var hasPlus = false
        for (index, scalar) in trimmed.unicodeScalars.enumerated() {
            switch scalar.value {
            case 0x30...0x39: digits.unicodeScalars.append(scalar)
            case 0xFF10...0xFF19: digits.unicodeScalars.append(Unicode.Scalar(scalar.value - 0xFF10 + 0x30)!)
            case 0x2B, 0xFF0B:
                guard index == 0 else { return reject("'+' may only start the number") }
                hasPlus = true
            case 0x20, 0x2D, 0x2E, 0x28, 0x29, 0x3000, 0xFF0D, 0x2010...0x2015, 0xFF08, 0xFF09:
                continue
            default:
                return reject("unexpected character '\(scalar)'")
            }
        }
        if digits.isEmpty { return reject("no digits") }

        if hasPlus { return international(digits, reject: reject) }
        if digits.hasPrefix("00") { return international(String(digits.dropFirst(2)), reject: reject) }
        if defaultRegion == "CN" {
            if digits.count == 13, digits.hasPrefix("861") { return chinese(String(digits.dropFirst(2)), reject: reject) }
            return chinese(digits, reject: reject)
        }
        guard let region = Self.regions[defaultRegion] else {
            return reject("number without country code and no rules for region \(defaultRegion); write it as +<country code>…")
        }
        var national = Substring(digits)
        if region.trunkZero, national.first == "0" { national = national.dropFirst() }
        return e164(region.code + national, kind: .international, reject: reject)
    }

    private func international(_ digits: String, reject: (String) -> Result<Normalized, Rejection>) -> Result<Normalized, Rejection> {
        if digits.hasPrefix("86") {
            let national = String(digits.dropFirst(2))
            // "+86 010 …" keeps the trunk 0 by habit; accept it.
            return chinese(national.hasPrefix("0") ? national : "0" + national, reject: reject, allowBareMobile: true)
        }
        return e164(Substring(digits), kind: .international, reject: reject)
    }

    private func e164(_ digits: Substring, kind: Kind, reject: (String) -> Result<Normalized, Rejection>) -> Result<Normalized, Rejection> {
        guard let first = digits.first, first != "0" else { return reject("country code cannot start with 0") }
        guard (8...15).contains(digits.count) else {
            return reject("international number must have 8 to 15 digits, found \(digits.count)")
        }
        return .success(Normalized(e164: "+" + digits, kind: kind))
    }

    private func chinese(_ digits: String, reject: (String) -> Result<Normalized, Rejection>, allowBareMobile: Bool = false) -> Result<Normalized, Rejection> {
        var number = Substring(digits)
        // "+86 0138…" is not a thing, but "+86 138…" reaches here as "0138…".
        if allowBareMobile, number.hasPrefix("01"), number.count == 12, !number.hasPrefix("010") {
            number = number.dropFirst()
        }
        if number.first == "1" {
            guard number.count == 11 else { return reject("Chinese mobile numbers have 11 digits, found \(number.count)") }
            guard let second = number.dropFirst().first, ("3"..."9").contains(second) else {
                return reject("not a Chinese mobile prefix (1\(number.dropFirst().prefix(1))…)")
            }
            return .success(Normalized(e164: "+86" + number, kind: .mobile))
        }
        if number.hasPrefix("400") || number.hasPrefix("800") {
            guard number.count == 10 else { return reject("400/800 service numbers have 10 digits, found \(number.count)") }
            return .success(Normalized(e164: "+86" + number, kind: .service))
        }
        guard number.first == "0" else {
            if (7...8).contains(number.count) { return reject("landline without area code") }
            return reject("not a Chinese mobile or landline number")
        }
        let withoutTrunk = number.dropFirst()
        let areaLength = (withoutTrunk.hasPrefix("10") || withoutTrunk.hasPrefix("2")) ? 2 : 3
        let local = withoutTrunk.dropFirst(areaLength)
        guard withoutTrunk.count > areaLength, local.first != "0" else { return reject("landline area code or local number is malformed") }
        let allowed = areaLength == 2 ? 8...8 : 7...8
        guard allowed.contains(local.count) else {
            return reject("landline local number after area code 0\(withoutTrunk.prefix(areaLength)) must have \(areaLength == 2 ? "8" : "7 or 8") digits, found \(local.count)")
        }
        return .success(Normalized(e164: "+86" + withoutTrunk, kind: .landline))
    }

    /// A contact field for a member: valid E.164, or the raw text kept with the reason.
    public func contact(_ raw: String?) -> ContactField {
        guard let raw, !raw.trimmedWhitespace.isEmpty else { return .missing }
        switch normalize(raw) {
        case .success(let number): return .valid(number.e164)
        case .failure(let rejection): return .invalid(raw, reason: rejection.reason)
        }
    }

    /// A fax number: like a phone number, but a mobile cannot receive faxes.
    public func faxContact(_ raw: String?) -> ContactField {
        guard let raw, !raw.trimmedWhitespace.isEmpty else { return .missing }
        switch normalize(raw) {
        case .success(let number) where number.kind == .mobile:
            return .invalid(raw, reason: "a mobile number cannot receive faxes")
        case .success(let number): return .valid(number.e164)
        case .failure(let rejection): return .invalid(raw, reason: rejection.reason)
        }
    }
}

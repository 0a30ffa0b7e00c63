/// The member number a prospect gets: `P` and 12 digits from a hash of the
/// phone (FNV-1a, stable across runs and machines, unlike `Hasher`), so the
/// same enquiry imported twice lands on the same row without a lookup table,
/// and the number does not show the phone.
public enum ProspectNumber {
    public static func `for`(phone: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in phone.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let digits = String(hash % 1_000_000_000_000)
        return "P" + String(repeating: "0", count: 12 - digits.count) + digits
    }
}

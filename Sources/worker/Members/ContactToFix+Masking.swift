import CoreModel

extension ContactToFix {
    /// The same contact with its address masked, and any number or address in the reason.
    func masked() -> ContactToFix {
        var copy = self
        copy.address = address.map(kind == .email ? Redaction.email : Redaction.phone)
        copy.reason = reason.map(Redaction.text)
        return copy
    }
}

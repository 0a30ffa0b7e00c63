import CoreModel

extension MessageSummary {
    /// The same message with its address masked, and any number or address in
    /// what the provider wrote (the status reason).
    func masked() -> MessageSummary {
        var copy = self
        copy.address = Redaction.address(address)
        copy.reason = reason.map(Redaction.text)
        return copy
    }
}

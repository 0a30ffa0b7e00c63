import CoreModel

extension MemberProfile {
    /// The same profile with phone numbers and emails masked, in the contacts
    /// and in what providers and people wrote (error texts, replies): the
    /// database keeps their words, the screen shows them masked.
    func masked() -> MemberProfile {
        var copy = self
        copy.member.phone.value = member.phone.value.map(Redaction.phone)
        copy.member.email.value = member.email.value.map(Redaction.email)
        copy.member.fax.value = member.fax.value.map(Redaction.phone)
        copy.member.phone.reason = member.phone.reason.map(Redaction.text)
        copy.member.email.reason = member.email.reason.map(Redaction.text)
        copy.member.fax.reason = member.fax.reason.map(Redaction.text)
        copy.complaints = complaints.map {
            var c = $0; c.description = Redaction.text(c.description); c.resolution = c.resolution.map(Redaction.text);
            return c
        }
        copy.timeline = timeline.map {
            var entry = $0; entry.text = Redaction.text(entry.text); return entry
        }
        copy.enquiry = enquiry.map {
            var e = $0; e.note = e.note.map(Redaction.text); return e
        }
        return copy
    }
}

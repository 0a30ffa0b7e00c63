import Foundation

/// One parsed row, ready for the store.
public enum ParsedRecord: Sendable {
    case branch(Branch)
    case menuItem(MenuItem)
    case member(Member)
    case order(Order)
    case complaint(Complaint)
    case feedback(DeliveryFeedback)
    case consent(ConsentChange)
    case blacklisted(BlacklistEntry)
    case prospect(Prospect)
    case assignment(Assignment)
}

/// Turns a row of text fields into a domain record, or says which column is
/// wrong and why. Pure: no database access (references are checked by the store).
public struct RecordParser: Sendable {
    public let kind: ImportKind
    public let phones: PhoneNumberNormalizer
    public let timeZone: TimeZone
    /// Keep rows with unusable contacts (status invalid + reason) instead of rejecting them.
    public let acceptInvalidContacts: Bool
    /// The file's name: consent evidence and the key that makes re-importing it append nothing.
    public var file = "import"
    /// Who is importing (consents, blacklist), when a person is.
    public var actor: String?
    /// When a consent or blacklist row without a time took effect.
    public var now = Date()

    public init(kind: ImportKind, phones: PhoneNumberNormalizer, timeZone: TimeZone, acceptInvalidContacts: Bool = false) {
        self.kind = kind
        self.phones = phones
        self.timeZone = timeZone
        self.acceptInvalidContacts = acceptInvalidContacts
    }

    public func parse(_ fields: [String: String], row: Int) -> Result<ParsedRecord, RowError> {
        let reader = FieldReader(fields: fields, row: row, timeZone: timeZone)
        do throws(RowError) {
            try reader.checkLengths(kind.requiredColumns + kind.optionalColumns)
            switch kind {
            case .branches: return .success(.branch(try branch(reader)))
            case .menu: return .success(.menuItem(try menuItem(reader)))
            case .members: return .success(.member(try member(reader)))
            case .orders: return .success(.order(try order(reader)))
            case .complaints: return .success(.complaint(try complaint(reader)))
            case .feedback: return .success(.feedback(try feedback(reader)))
            case .consents: return .success(.consent(try consent(reader)))
            case .blacklist: return .success(.blacklisted(try blacklisted(reader)))
            case .prospects: return .success(.prospect(try prospect(reader)))
            case .assignments:
                return .success(
                    .assignment(
                        Assignment(
                            memberNo: try reader.required("member_no"), staffNo: try reader.required("staff_no"), file: file, importedAt: now,
                            actor: actor ?? "import")))
            }
        } catch {
            return .failure(error)
        }
    }

    private func branch(_ r: FieldReader) throws(RowError) -> Branch {
        Branch(
            code: try r.required("code"), name: try r.required("name"), district: try r.required("district"),
            address: try r.required("address"), phone: try checkedPhone(r, "phone"), fax: try checkedPhone(r, "fax"),
            email: try checkedEmail(r), seats: try r.integer("seats", in: 0...100_000) ?? 0)
    }

    private func menuItem(_ r: FieldReader) throws(RowError) -> MenuItem {
        guard let code = try r.integer("code", in: 1...99_999) else { throw RowError(row: r.row, column: "code", reason: "is required but empty") }
        guard let price = try r.money("price") else { throw RowError(row: r.row, column: "price", reason: "is required but empty") }
        return MenuItem(code: code, name: try r.required("name"), priceFen: price, category: r.text("category") ?? "其他")
    }

    private func member(_ r: FieldReader) throws(RowError) -> Member {
        let memberNo = try r.required("member_no")
        let name = try r.required("name")
        let phone = try usable(phones.contact(r.text("phone")), r, "phone")
        let email = try usable(EmailAddressValidator.contact(r.text("email")), r, "email")
        let fax = try usable(phones.faxContact(r.text("fax")), r, "fax")
        let zone = r.text("timezone") ?? timeZone.identifier
        guard TimeZone(identifier: zone) != nil else { throw RowError(row: r.row, column: "timezone", reason: "unknown time zone '\(zone)' (use an IANA name such as Asia/Shanghai)") }
        let locale = r.text("locale") ?? "zh-CN"
        guard Self.isLocaleTag(locale) else {
            throw RowError(row: r.row, column: "locale", reason: "'\(locale)' is not a locale tag such as zh-CN or en-US")
        }
        let tags = (r.text("tags") ?? "").split(whereSeparator: { ",;|，".contains($0) })
            .map { $0.trimmedWhitespace }.filter { !$0.isEmpty }
        guard tags.count <= FieldLimits.tagCount else {
            let reason = "has \(tags.count) tags; the limit is \(FieldLimits.tagCount)"
            throw RowError(row: r.row, column: "tags", reason: reason)
        }
        let tagLength = FieldLimits.tagLength
        if let long = tags.first(where: { $0.count > tagLength }) {
            let reason = "tag '\(long.prefix(tagLength))…' is \(long.count) characters long; the limit is \(tagLength)"
            throw RowError(row: r.row, column: "tags", reason: reason)
        }
        return Member(
            memberNo: memberNo, name: name, phone: phone, email: email, fax: fax,
            level: try r.choice("level", MemberLevel.self) ?? .regular, points: try r.integer("points", in: 0...1_000_000_000) ?? 0,
            tags: tags, timezone: zone, locale: locale, branchCode: r.text("branch_code"), joinedAt: try r.date("joined_on"),
            birthday: try r.birthday("birthday"))
    }

    private func order(_ r: FieldReader) throws(RowError) -> Order {
        var items: [OrderLine] = []
        if let text = r.text("items") {
            for entry in text.split(whereSeparator: { ";|".contains($0) }) {
                let parts = entry.trimmedWhitespace.lowercased().split(whereSeparator: { "x*×".contains($0) })
                guard (1...2).contains(parts.count), let code = Int(parts[0]), code > 0,
                    let quantity = parts.count == 2 ? Int(parts[1]) : 1, (1...999).contains(quantity)
                else { throw RowError(row: r.row, column: "items", reason: "'\(entry)' is not CODExQTY (e.g. 101x2;205)") }
                items.append(OrderLine(menuCode: code, quantity: quantity))
            }
        }
        let kind = try r.requiredChoice("kind", OrderKind.self)
        let scheduled = try r.date("scheduled_at")
        if (kind == .reservation || kind == .banquet) && scheduled == nil {
            throw RowError(row: r.row, column: "scheduled_at", reason: "is required for \(kind.rawValue) orders")
        }
        return Order(
            orderNo: try r.required("order_no"), memberNo: try r.required("member_no"), branchCode: try r.required("branch_code"),
            source: try r.requiredChoice("source", OrderSource.self), kind: kind,
            status: try r.choice("status", OrderStatus.self) ?? (kind == .reservation || kind == .banquet ? .booked : .placed),
            orderedAt: try r.requiredDate("ordered_at"), scheduledAt: scheduled,
            partySize: try r.integer("party_size", in: 1...2000), amountFen: try r.money("amount") ?? -1,
            address: r.text("address"), items: items, takenBy: r.text("taken_by"))
    }

    private func complaint(_ r: FieldReader) throws(RowError) -> Complaint {
        let status = try r.choice("status", ComplaintStatus.self) ?? .open
        let resolvedAt = try r.date("resolved_at")
        let openedAt = try r.requiredDate("opened_at")
        if let resolvedAt, resolvedAt < openedAt {
            throw RowError(row: r.row, column: "resolved_at", reason: "is before opened_at")
        }
        return Complaint(
            complaintNo: try r.required("complaint_no"), memberNo: try r.required("member_no"), orderNo: r.text("order_no"),
            channel: r.text("channel") ?? "phone", department: try r.required("department"), status: status,
            description: try r.required("description"), resolution: r.text("resolution"), openedAt: openedAt,
            resolvedAt: resolvedAt, satisfaction: try r.integer("satisfaction", in: 1...5),
            resolutionKind: r.text("resolution_kind"))
    }

    private func feedback(_ r: FieldReader) throws(RowError) -> DeliveryFeedback {
        DeliveryFeedback(
            orderNo: try r.required("order_no"), outcome: try r.requiredChoice("outcome", DeliveryOutcome.self),
            note: r.text("note"), recordedAt: try r.requiredDate("recorded_at"))
    }

    private func consent(_ r: FieldReader) throws(RowError) -> ConsentChange {
        let subject: ConsentChange.Subject
        switch (r.text("member_no"), r.text("address")) {
        case (let number?, nil): subject = .member(number)
        case (nil, let address?): subject = .address(try Self.address(address, phones: phones, row: r.row))
        case (.some, .some): throw RowError(row: r.row, column: "address", reason: "give member_no or address, not both")
        case (nil, nil): throw RowError(row: r.row, column: "member_no", reason: "member_no or address is required")
        }
        let channel = try r.requiredChoice("channel", Channel.self)
        let category = try r.requiredChoice("category", ConsentCategory.self)
        let raw = try r.required("granted")
        guard let granted = Self.grantWords[raw.lowercased()] else {
            throw RowError(row: r.row, column: "granted", reason: "'\(raw)' is not yes/no (also 1/0, true/false, grant/revoke, 同意/拒绝)")
        }
        let source = r.text("source") ?? "import"
        let at = try r.date("at")
        let statement = "\(subject):\(channel.rawValue):\(category.rawValue):\(granted):\(source):\(at.map { String($0.unixMillis) } ?? "-")"
        return ConsentChange(
            subject: subject, channel: channel, category: category, granted: granted, source: source,
            evidence: "\(file) row \(r.row)" + (r.text("evidence").map { ": \($0)" } ?? ""), actor: actor, at: at ?? now,
            dedupeKey: "import:\(file):\(statement)")
    }

    private func blacklisted(_ r: FieldReader) throws(RowError) -> BlacklistEntry {
        BlacklistEntry(
            address: try Self.address(try r.required("address"), phones: phones, row: r.row),
            reason: r.text("reason") ?? "imported from \(file)", addedBy: r.text("added_by") ?? actor ?? "import",
            addedAt: try r.date("added_at") ?? now)
    }

    /// An enquiry: the phone is required and must be usable (a prospect is
    /// only worth keeping if we can reach them); party size and event date go
    /// into the note; `marketing_consent` yes grants SMS marketing (and email
    /// marketing when an email is given) with this file and row as evidence.
    private func prospect(_ r: FieldReader) throws(RowError) -> Prospect {
        let raw = try r.required("phone")
        let field = phones.contact(raw)
        guard field.status == .valid, let phone = field.value else {
            throw RowError(row: r.row, column: "phone", reason: "'\(raw)': \(field.reason ?? "not a phone number")")
        }
        let email = try usable(EmailAddressValidator.contact(r.text("email")), r, "email")
        let source = try r.choice("source", ProspectSource.self) ?? .other
        let enquiredAt = try r.date("enquired_at")
        var note = r.text("note").map { [$0] } ?? []
        if let guests = try r.integer("party_size", in: 1...2000) { note.append("\(guests) guests") }
        if let raw = r.text("event_date") {
            _ = try r.date("event_date")
            note.append("event \(raw)")
        }
        var consents: [ConsentChange] = []
        if let answer = r.text("marketing_consent") {
            guard let granted = Self.grantWords[answer.lowercased()] else {
                let reason = "'\(answer)' is not yes/no (also 1/0, true/false, 同意/拒绝)"
                throw RowError(row: r.row, column: "marketing_consent", reason: reason)
            }
            let memberNo = ProspectNumber.for(phone: phone)
            let channels: [Channel] = email.status == .valid ? [.sms, .email] : [.sms]
            // Only a yes is evidence of anything: a no on an enquiry form is the absence of a grant, not an opt-out.
            if granted {
                consents = channels.map { channel in
                    ConsentChange(
                        subject: .member(memberNo), channel: channel, category: .marketing, granted: true,
                        source: "enquiry", evidence: "\(file) row \(r.row): enquiry", actor: actor,
                        at: enquiredAt ?? now,
                        dedupeKey: "import:\(file):prospect:\(memberNo):\(channel.rawValue):marketing:true")
                }
            }
        }
        return Prospect(
            memberNo: ProspectNumber.for(phone: phone), name: r.text("name") ?? "", phone: phone, email: email,
            source: source, enquiredAt: enquiredAt, note: note.isEmpty ? nil : note.joined(separator: "; "),
            branchCode: r.text("branch"), timezone: timeZone.identifier, consents: consents)
    }

    static let grantWords: [String: Bool] = [
        "yes": true, "y": true, "1": true, "true": true, "grant": true, "granted": true, "同意": true, "是": true,
        "no": false, "n": false, "0": false, "false": false, "revoke": false, "revoked": false, "拒绝": false, "否": false,
        "退订": false,
    ]

    /// A phone number (normalised to E.164) or an email address, as the
    /// outbox stores addresses; anything else is refused.
    public static func address(
        _ text: String, phones: PhoneNumberNormalizer, row: Int = 0, column: String = "address"
    ) throws(RowError) -> String {
        let field = text.contains("@") ? EmailAddressValidator.contact(text) : phones.contact(text)
        guard field.status == .valid, let value = field.value else {
            throw RowError(row: row, column: column, reason: "'\(text)': \(field.reason ?? "not a phone number or email address")")
        }
        return value
    }

    /// "zh-CN", "en-US", "zh-Hant-HK": a 2–3 letter language, then 2–8 character subtags.
    static func isLocaleTag(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard let language = parts.first, (2...3).contains(language.count),
            language.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) })
        else { return false }
        return parts.dropFirst().allSatisfy { part in
            (2...8).contains(part.count) && part.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }
        }
    }

    private func usable(_ field: ContactField, _ r: FieldReader, _ column: String) throws(RowError) -> ContactField {
        if field.status == .invalid && !acceptInvalidContacts {
            throw RowError(row: r.row, column: column, reason: "'\(field.value ?? "")': \(field.reason ?? "invalid")")
        }
        return field
    }

    /// A branch's email: order tickets go there, so a bad one is refused, never kept.
    private func checkedEmail(_ r: FieldReader) throws(RowError) -> String? {
        let field = EmailAddressValidator.contact(r.text("email"))
        switch field.status {
        case .valid: return field.value
        case .missing: return nil
        case .invalid, .bounced:
            throw RowError(row: r.row, column: "email", reason: "'\(field.value ?? "")': \(field.reason ?? "invalid")")
        }
    }

    private func checkedPhone(_ r: FieldReader, _ column: String) throws(RowError) -> String? {
        let field = column == "fax" ? phones.faxContact(r.text(column)) : phones.contact(r.text(column))
        switch field.status {
        case .valid: return field.value
        case .missing: return nil
        case .invalid, .bounced: throw RowError(row: r.row, column: column, reason: "'\(field.value ?? "")': \(field.reason ?? "invalid")")
        }
    }
}

import CoreModel
import Foundation

/// Generates a realistic, deterministic restaurant group: branches across
/// Shanghai districts, a numbered menu, members with Chinese names and
/// mobiles (some emails and faxes, a few invalid contacts, some members
/// abroad), twelve months of orders from every source, delivery feedback,
/// complaints, consents with opt-outs, and a points ledger.
public struct DemoSeeder: Sendable {
    public struct Options: Sendable {
        public var members: Int
        public var seed: UInt64
        /// "Now" for the generated history; orders lie in the 12 months before it
        /// and reservations up to two weeks after.
        public var anchor: Date
        public var branches: Int
        /// People who enquired but never ordered (mostly banquet enquiries):
        /// the audience of the prospect follow-up campaign.
        public var prospects: Int

        /// `prospects` defaults to a tenth of the members, at most 300.
        public init(members: Int, seed: UInt64 = 42, anchor: Date, branches: Int = 24, prospects: Int? = nil) {
            self.members = members
            self.seed = seed
            self.anchor = anchor
            self.branches = branches
            self.prospects = prospects ?? min(300, members / 10)
        }
    }

    public struct Report: Sendable, Codable {
        public var rows: [String: Int]
        public var seconds: Double
        /// A member with several orders, feedback and a complaint: a good first look.
        public var exampleMemberNo: String
    }

    public struct AlreadySeeded: Error, CustomStringConvertible {
        public let members: Int
        public var description: String {
            "the database already holds \(members) members; seed into a new database"
                + " (tidings init --database NEW.sqlite) or remove the file"
        }
    }

    public let options: Options

    public init(options: Options) { self.options = options }

    /// Shanghai local time is UTC+8 all year (no DST), which lets the seeder
    /// place orders at meal times without a calendar per row.
    private static let shanghaiOffset: Int64 = 8 * 3600 * 1000
    private static let day: Int64 = 86_400_000
    private static let hour: Int64 = 3_600_000

    public func run(into store: SQLiteStore, progress: @escaping (Int, Int) -> Void = { _, _ in }) throws -> Report {
        let existing = try store.memberCount()
        guard existing == 0 else { throw AlreadySeeded(members: existing) }
        let started = Date()
        var random = SeededGenerator(seed: options.seed)
        let anchor = options.anchor.unixMillis
        var example: String?
        let counts = try store.bulkLoad { loader in
            var state = GenerationState(options: options, anchor: anchor)
            defer { example = state.exampleMemberNo }
            try writeBranches(loader, &random, &state)
            try writeMenu(loader, &state)
            for memberIndex in 0..<options.members {
                try writeMember(memberIndex, loader, &random, &state)
                if memberIndex % 10_000 == 9_999 { progress(memberIndex + 1, options.members) }
            }
            progress(options.members, options.members)
            // After every member, so the members a seed gives do not change with the prospects.
            try writeProspects(loader, &random, &state)
        }
        let names: [BulkTable: String] = [
            .branches: "branches", .staff: "staff", .menuItems: "menu_items", .members: "members",
            .consents: "consents", .consentLedger: "consent_ledger", .orders: "orders", .orderItems: "order_items",
            .deliveryFeedback: "delivery_feedback", .complaints: "complaints", .pointsLedger: "points_ledger",
            .prospects: "prospects",
        ]
        var rows: [String: Int] = [:]
        for (table, count) in counts { rows[names[table]!] = count }
        return Report(
            rows: rows, seconds: Date().timeIntervalSince(started), exampleMemberNo: example ?? Self.memberNo(0))
    }

    public static func memberNo(_ index: Int) -> String { "M" + String(index + 1).leftPadded(to: 8) }

    private struct GenerationState {
        let options: Options
        let anchor: Int64
        var branchCount = 0
        var managersByBranch: [[Int64]] = []
        var menuPrices: [Int] = []
        var banquetItems: [Int] = []
        var regularItems: [Int] = []
        var nextOrderId: Int64 = 1
        var nextComplaint = 1
        var nextStaffId: Int64 = 1
        var exampleMemberNo: String?
    }

    private func writeBranches(
        _ loader: BulkLoader, _ random: inout SeededGenerator, _ state: inout GenerationState
    ) throws {
        let vocabulary = SampleVocabulary.self
        for index in 0..<options.branches {
            let id = Int64(index + 1)
            let district = vocabulary.districts[index % vocabulary.districts.count]
            let street = vocabulary.streets[index % vocabulary.streets.count]
            let name = "鸿福楼\(street)\(vocabulary.branchSuffixes[index % vocabulary.branchSuffixes.count])"
            let landline = "+8621\(6000_0000 + random.below(3999_9999))"
            let fax = "+8621\(6000_0000 + random.below(3999_9999))"
            try loader.insert(
                .branches,
                id, "B" + String(index + 1).leftPadded(to: 3), name, district,
                "上海市\(district)\(street)\(random.below(900) + 1)号",
                landline, fax, 80 + random.below(320), state.anchor, state.anchor)
            var managers: [Int64] = []
            for role in ["branch_manager", "manager", "manager"] {
                let staffId = state.nextStaffId
                state.nextStaffId += 1
                let staffName =
                    random.pick(vocabulary.surnames) + random.pick(vocabulary.givenNames)
                    + random.pick(vocabulary.givenNames)
                try loader.insert(
                    .staff,
                    staffId, "S" + String(staffId).leftPadded(to: 4), staffName, role, id,
                    "+86139\(String(random.below(1_0000_0000)).leftPadded(to: 8))", "staff\(staffId)@hongfulou.example")
                if role == "manager" { managers.append(staffId) }
            }
            state.managersByBranch.append(managers)
        }
        state.branchCount = options.branches
    }

    private func writeMenu(_ loader: BulkLoader, _ state: inout GenerationState) throws {
        for (index, item) in SampleVocabulary.menu.enumerated() {
            let code = item.0 == "宴席" ? 900 + index : 101 + index
            try loader.insert(.menuItems, Int64(index + 1), code, item.1, item.2, item.0)
            state.menuPrices.append(item.2)
            if item.0 == "宴席" { state.banquetItems.append(index) } else { state.regularItems.append(index) }
        }
    }

    private func writeMember(
        _ index: Int, _ loader: BulkLoader, _ random: inout SeededGenerator, _ state: inout GenerationState
    ) throws {
        let vocabulary = SampleVocabulary.self
        let memberId = Int64(index + 1)
        let memberNo = Self.memberNo(index)
        let name =
            random.pick(vocabulary.surnames) + random.pick(vocabulary.givenNames)
            + (random.chance(70) ? random.pick(vocabulary.givenNames) : "")
        let branchIndex = random.below(state.branchCount)
        let abroad = random.chance(1.5)
        var timezone = "Asia/Shanghai"
        var locale = "zh-CN"

        var phone: ContactField
        if abroad {
            let place = random.pick(vocabulary.overseas)
            timezone = place.zone
            locale = random.chance(50) ? "en-US" : "zh-CN"
            phone = .valid(
                place.prefix + String(random.below(Int(pow(10.0, Double(place.digits))))).leftPadded(to: place.digits))
        } else if random.chance(0.4) {
            let raw = "1\(random.below(90) + 10)\(random.below(10000))"
            phone = .invalid(raw, reason: "Chinese mobile numbers have 11 digits, found \(raw.count)")
        } else {
            let prefixes = [
                "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "156", "157",
                "158", "159", "166", "176", "177", "180", "181", "182", "185", "186", "187", "188", "189", "191", "199",
            ]
            phone = .valid("+86" + random.pick(prefixes) + String(random.below(1_0000_0000)).leftPadded(to: 8))
        }
        var email = ContactField.missing
        if random.chance(22) {
            if random.chance(2) {
                let mailbox = "\(memberNo.lowercased())@\(random.pick(vocabulary.emailDomains))"
                email = .invalid(mailbox.replacingOccurrences(of: ".com", with: ""), reason: "domain has no dot")
            } else {
                email = .valid("\(memberNo.lowercased())@\(random.pick(vocabulary.emailDomains))")
            }
        }
        var fax = ContactField.missing
        if random.chance(3) {
            fax = .valid("+8621\(6000_0000 + random.below(3999_9999))")
        }
        let level = random.pick([(MemberLevel.regular, 55), (.silver, 25), (.gold, 13), (.platinum, 5), (.diamond, 2)])
        var tags: [String] = []
        if random.chance(35) { tags.append(random.pick(vocabulary.tags)) }
        if random.chance(10) { tags.append(random.pick(vocabulary.tags)) }
        let joinedAt = state.anchor - Int64(random.below(5 * 365)) * Self.day - Int64(random.below(86_400)) * 1000

        // Orders first (foreign keys are checked by construction while seeding),
        // so the member row carries last_order_at and points.
        let orderCount = random.pick([
            (0, 15), (1, 20), (2, 18), (3, 15), (4, 10), (5, 8), (6, 5), (8, 4), (12, 3), (20, 2),
        ])
        var lastOrder: Int64?
        var earned = 0
        var orderTimes: [Int64] = []
        orderTimes.reserveCapacity(orderCount)
        for _ in 0..<orderCount { orderTimes.append(orderTime(&random, state.anchor)) }
        orderTimes.sort()
        let managers = state.managersByBranch[branchIndex]
        let managerId = managers[random.below(managers.count)]

        let complaintsBefore = state.nextComplaint
        for orderedAt in orderTimes {
            let points = try writeOrder(
                memberId: memberId, homeBranch: branchIndex, orderedAt: orderedAt, loader, &random, &state)
            earned += points
            lastOrder = orderedAt
        }
        if earned > 0 {
            // Older points expire soon, which the monthly points notice reports.
            let older = earned / 3
            if older > 0 {
                try loader.insert(
                    .pointsLedger, memberId, older, "消费积分", nil as Int64?,
                    state.anchor + Int64(15 + random.below(60)) * Self.day, state.anchor - 300 * Self.day)
            }
            try loader.insert(
                .pointsLedger, memberId, earned - older, "消费积分", nil as Int64?, state.anchor + 330 * Self.day,
                state.anchor - 30 * Self.day)
        }
        try loader.insert(
            .members,
            memberId, memberNo, name, phone.value, phone.status.rawValue, phone.reason,
            email.value, email.status.rawValue, email.reason, fax.value, fax.status.rawValue, fax.reason,
            level.rawValue, earned, tags.joined(separator: ","), timezone, locale,
            Int64(branchIndex + 1), managerId, joinedAt, joinedAt, state.anchor, lastOrder, Self.birthday(memberId))
        try writeConsents(memberId, email: email.status == .valid, joinedAt: joinedAt, loader, &random)
        if state.exampleMemberNo == nil, orderTimes.count >= 5, state.nextComplaint > complaintsBefore,
            phone.status == .valid
        {
            state.exampleMemberNo = memberNo
        }

    }

    /// Enquiries from the last 60 days, each with a distinct mobile (its
    /// prospect number comes from the phone) and, for most, SMS marketing
    /// consent given on the call.
    private func writeProspects(
        _ loader: BulkLoader, _ random: inout SeededGenerator, _ state: inout GenerationState
    ) throws {
        let vocabulary = SampleVocabulary.self
        var phones: Set<String> = []
        var index = 0
        while index < options.prospects {
            let prefix = random.pick(["138", "139", "186", "188", "135", "159"])
            let phone = "+86" + prefix + String(random.below(1_0000_0000)).leftPadded(to: 8)
            guard phones.insert(phone).inserted else { continue }
            let id = Int64(options.members + index + 1)
            let name = random.pick(vocabulary.surnames) + random.pick(["先生", "女士"])
            let source = random.pick([
                (ProspectSource.banquetEnquiry, 80), (.reservationEnquiry, 15), (.callCentre, 5),
            ])
            let enquiredAt = state.anchor - Int64(1 + random.below(60)) * Self.day - Int64(random.below(36_000)) * 1000
            let note = source == .banquetEnquiry ? "\(10 * (1 + random.below(6))) guests" : nil
            try loader.insert(
                .prospects, id, ProspectNumber.for(phone: phone), name, phone,
                Int64(random.below(state.branchCount) + 1), enquiredAt, source.rawValue, enquiredAt, note)
            if random.chance(90) {
                try loader.insert(.consentLedger, id, "sms", "marketing", 1, "enquiry", enquiredAt)
                try loader.insert(.consents, id, "sms", "marketing", 1, "enquiry", enquiredAt)
            }
            index += 1
        }
    }

    /// `MM-DD` spread over the year by member id, one member in ten without:
    /// drawn from the id, not the generator, so the rest of the seed stays as it was.
    static func birthday(_ memberId: Int64) -> String? {
        guard memberId % 10 != 0 else { return nil }
        let lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        var day = Int((memberId &* 7919 &+ 13) % 365)
        var month = 0
        while day >= lengths[month] {
            day -= lengths[month]
            month += 1
        }
        return Member.birthday(month: month + 1, day: day + 1)
    }

    private func writeConsents(
        _ memberId: Int64, email: Bool, joinedAt: Int64, _ loader: BulkLoader, _ random: inout SeededGenerator
    ) throws {
        // Each consent as the ledger holds it, and the state derived from it.
        func consent(
            _ channel: String, _ category: String, _ granted: Int, _ source: String, _ at: Int64, current: Bool = true
        ) throws {
            try loader.insert(.consentLedger, memberId, channel, category, granted, source, at)
            if current { try loader.insert(.consents, memberId, channel, category, granted, source, at) }
        }
        if random.chance(65) {
            let revoked = random.chance(8)
            if revoked { try consent("sms", "marketing", 1, "signup", joinedAt, current: false) }
            try consent(
                "sms", "marketing", revoked ? 0 : 1, revoked ? "sms_reply" : "signup", joinedAt + (revoked ? 90 * Self.day : 0))
        }
        if random.chance(55) {
            try consent("sms", "survey", 1, "signup", joinedAt)
        }
        if email, random.chance(50) {
            try consent("email", "marketing", 1, "web", joinedAt)
        }
        if random.chance(1) {
            try consent("voice", "service", 0, "agent", joinedAt + 30 * Self.day)
        }
    }

    /// A time in the last 12 months, at lunch or dinner in Shanghai.
    private func orderTime(_ random: inout SeededGenerator, _ anchor: Int64) -> Int64 {
        let dayStart = ((anchor + Self.shanghaiOffset) / Self.day) * Self.day - Self.shanghaiOffset
        let daysBack = Int64(random.below(365))
        let hour: Int64 = random.chance(45) ? 10 + Int64(random.below(3)) : 16 + Int64(random.below(4))
        let time = dayStart - daysBack * Self.day + hour * Self.hour + Int64(random.below(3600)) * 1000
        return min(time, anchor - 60_000)
    }

    /// A lunch (11:30–12:30) or dinner (17:30–19:30) half-hour slot, Shanghai time, `days` after `from`.
    private func mealSlot(daysAfter from: Int64, _ days: Int, _ random: inout SeededGenerator) -> Int64 {
        let dayStart = ((from + Self.shanghaiOffset) / Self.day + Int64(days)) * Self.day - Self.shanghaiOffset
        let halfHours: Int64 = random.chance(35) ? 23 + Int64(random.below(3)) : 35 + Int64(random.below(5))
        return dayStart + halfHours * Self.hour / 2
    }

    /// Writes one order with its lines, feedback and maybe a complaint; returns points earned.
    private func writeOrder(
        memberId: Int64, homeBranch: Int, orderedAt: Int64, _ loader: BulkLoader, _ random: inout SeededGenerator,
        _ state: inout GenerationState
    ) throws -> Int {
        let orderId = state.nextOrderId
        state.nextOrderId += 1
        let kind = random.pick([(OrderKind.delivery, 58), (.reservation, 22), (.dineIn, 15), (.banquet, 5)])
        let source = random.pick([(OrderSource.ivr, 30), (.agent, 25), (.web, 35), (.fax, 5), (.email, 5)])
        let branch = random.chance(80) ? homeBranch : random.below(state.branchCount)
        var scheduled: Int64?
        var partySize: Int?
        var status: OrderStatus
        let anchor = state.anchor
        switch kind {
        case .delivery:
            scheduled = orderedAt + 45 * 60_000
            status = orderedAt > anchor - Self.hour ? .dispatched : (random.chance(4) ? .cancelled : .delivered)
        case .reservation:
            scheduled = mealSlot(daysAfter: orderedAt, 1 + random.below(14), &random)
            partySize = 2 + random.below(8)
            status =
                scheduled! > anchor ? (random.chance(8) ? .moved : .booked) : (random.chance(7) ? .cancelled : .seated)
        case .dineIn:
            status = .completed
            partySize = 1 + random.below(6)
        case .banquet:
            scheduled = mealSlot(daysAfter: orderedAt, 7 + random.below(50), &random)
            partySize = 10 * (1 + random.below(6))
            status = scheduled! > anchor ? .booked : (random.chance(5) ? .cancelled : .completed)
        }
        var amount = 0
        var lines: [(item: Int, quantity: Int)] = []
        if kind == .banquet {
            let item = state.banquetItems[random.below(state.banquetItems.count)]
            lines.append((item, max(1, (partySize ?? 10) / 10)))
        } else {
            for _ in 1...random.pick([(1, 45), (2, 35), (3, 20)]) {
                lines.append((state.regularItems[random.below(state.regularItems.count)], random.chance(80) ? 1 : 2))
            }
        }
        for line in lines { amount += line.quantity * state.menuPrices[line.item] }
        let address: String?
        if kind == .delivery {
            let district = SampleVocabulary.districts[random.below(SampleVocabulary.districts.count)]
            let street = SampleVocabulary.streets[random.below(SampleVocabulary.streets.count)]
            let (lane, number, floor) = (random.below(999) + 1, random.below(30) + 1, random.below(30) + 1)
            address = "上海市\(district)\(street)\(lane)弄\(number)号\(floor)01室"
        } else {
            address = nil
        }
        try loader.insert(
            .orders,
            orderId, "SO" + String(orderId).leftPadded(to: 10), memberId, Int64(branch + 1),
            source.rawValue, kind.rawValue,
            status.rawValue, orderedAt, scheduled, partySize, amount, address)
        for (index, line) in lines.enumerated() {
            try loader.insert(
                .orderItems, orderId, index + 1, Int64(line.item + 1), line.quantity, state.menuPrices[line.item])
        }

        var badExperience = false
        if kind == .delivery, status == .delivered || status == .cancelled,
            random.chance(status == .cancelled ? 50 : 25)
        {
            let outcome =
                status == .cancelled
                ? DeliveryOutcome.notDelivered
                : random.pick([
                    (DeliveryOutcome.onTime, 80), (.late30m, 8), (.late1h, 5), (.wrongAddress, 2), (.cold, 3),
                    (.damaged, 2),
                ])
            badExperience = outcome.isFailure
            try loader.insert(
                .deliveryFeedback, orderId, outcome.rawValue, nil as String?,
                scheduled! + Int64(random.below(120)) * 60_000)
        }
        if random.chance(badExperience ? 40 : 0.6) {
            let topic = random.pick(SampleVocabulary.complaintTopics)
            let openedAt = orderedAt + Int64(1 + random.below(48)) * Self.hour
            let recent = openedAt > anchor - 7 * Self.day
            let complaintStatus: ComplaintStatus =
                recent && random.chance(60)
                ? random.pick([.open, .inProgress]) : random.pick([(ComplaintStatus.resolved, 70), (.closed, 30)])
            let resolved =
                complaintStatus.isOpen ? nil : min(openedAt + Int64(2 + random.below(72)) * Self.hour, anchor)
            try loader.insert(
                .complaints,
                "C" + String(state.nextComplaint).leftPadded(to: 8), memberId, orderId,
                random.pick(["phone", "ivr", "web", "email"]),
                topic.department, complaintStatus.rawValue, topic.text,
                resolved == nil ? nil : random.pick(SampleVocabulary.resolutions),
                min(openedAt, anchor), resolved, resolved == nil ? nil : 1 + random.below(5))
            state.nextComplaint += 1
        }
        return status == .cancelled ? 0 : amount / 100
    }
}

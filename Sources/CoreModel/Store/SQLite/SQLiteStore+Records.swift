import Foundation
import GRDB

extension SQLiteStore: Records {
    public func memberProfile(memberNo: String, timelineLimit: Int) async throws -> MemberProfile? {
        try await pool.read { db in
            guard let row = try Row.fetchOne(
                db,
                sql: "SELECT m.*, b.code AS branch_code, b.name AS branch_name FROM members m LEFT JOIN branches b ON b.id = m.branch_id WHERE m.member_no = ?",
                arguments: [memberNo])
            else { return nil }
            let memberId: Int64 = row["id"]
            let member = Self.member(row)
            let consents = try Row.fetchAll(
                db, sql: "SELECT channel, category, granted, source, changed_at FROM consents WHERE member_id = ? ORDER BY channel, category",
                arguments: [memberId]
            ).map {
                MemberProfile.ConsentLine(
                    channel: $0["channel"], category: $0["category"], granted: $0["granted"], source: $0["source"],
                    changedAt: Date(unixMillis: $0["changed_at"]))
            }
            let orderCount = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM orders WHERE member_id = ?", arguments: [memberId]) ?? 0
            let orders = try Row.fetchAll(
                db,
                sql: """
                    SELECT o.order_no, o.kind, o.source, o.status, b.name AS branch, o.ordered_at, o.scheduled_at, o.amount_fen, f.outcome
                    FROM orders o JOIN branches b ON b.id = o.branch_id LEFT JOIN delivery_feedback f ON f.order_id = o.id
                    WHERE o.member_id = ? ORDER BY o.ordered_at DESC LIMIT ?
                    """,
                arguments: [memberId, timelineLimit]
            ).map {
                MemberProfile.OrderLineSummary(
                    orderNo: $0["order_no"], kind: $0["kind"], source: $0["source"], status: $0["status"], branch: $0["branch"],
                    orderedAt: Date(unixMillis: $0["ordered_at"]), scheduledAt: Self.date($0["scheduled_at"]),
                    amountFen: $0["amount_fen"], feedback: $0["outcome"])
            }
            let complaints = try Row.fetchAll(
                db,
                sql: """
                    SELECT complaint_no, department, status, description, resolution, opened_at, resolved_at, department_notified_at
                    FROM complaints WHERE member_id = ? ORDER BY opened_at DESC
                    """,
                arguments: [memberId]
            ).map {
                MemberProfile.ComplaintSummary(
                    complaintNo: $0["complaint_no"], department: $0["department"], status: $0["status"], description: $0["description"],
                    resolution: $0["resolution"], openedAt: Date(unixMillis: $0["opened_at"]), resolvedAt: Self.date($0["resolved_at"]),
                    departmentNotifiedAt: Self.date($0["department_notified_at"]))
            }
            let messageCount = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM messages WHERE member_id = ?", arguments: [memberId]) ?? 0
            let messageEvents = try Row.fetchAll(
                db,
                sql: """
                    SELECT e.at, m.channel, m.template, e.event, e.to_status, e.reason FROM message_events e JOIN messages m ON m.id = e.message_id
                    WHERE m.member_id = ? ORDER BY e.at DESC, e.id DESC LIMIT ?
                    """,
                arguments: [memberId, timelineLimit]
            ).map {
                MemberProfile.TimelineEntry(
                    at: Date(unixMillis: $0["at"]), kind: "message",
                    text: "\($0["channel"] as String) \(($0["template"] as String?) ?? "message"): \($0["event"] as String) → \($0["to_status"] as String)\(($0["reason"] as String?).map { " (\($0))" } ?? "")")
            }
            let inbound = try Row.fetchAll(
                db, sql: "SELECT received_at, channel, kind, body FROM inbound_messages WHERE member_id = ? ORDER BY received_at DESC LIMIT ?",
                arguments: [memberId, timelineLimit]
            ).map {
                MemberProfile.TimelineEntry(
                    at: Date(unixMillis: $0["received_at"]), kind: "inbound",
                    text: "\($0["channel"] as String) \($0["kind"] as String): \($0["body"] as String)")
            }
            let consentChanges = try Self.ledgerEntries(where: "l.member_id = ?", arguments: [memberId, timelineLimit], db).map {
                MemberProfile.TimelineEntry(
                    at: $0.at, kind: "consent",
                    text: "\($0.channel.rawValue) \($0.category.rawValue) \($0.granted ? "granted" : "revoked") via \($0.source)"
                        + ($0.evidence.map { " (\($0))" } ?? "") + ($0.actor.map { " by \($0)" } ?? ""))
            }
            let enquiry = Self.date(row["enquired_at"]).map { at in
                MemberProfile.Enquiry(
                    source: row["prospect_source"] ?? ProspectSource.other.rawValue, at: at, note: row["enquiry_note"],
                    open: row["prospect"])
            }
            let conversion = try Row.fetchOne(
                db,
                sql: """
                    SELECT c.converted_at, o.order_no, k.name AS campaign FROM conversions c
                    LEFT JOIN orders o ON o.id = c.order_id LEFT JOIN campaigns k ON k.id = c.campaign_id
                    WHERE c.member_id = ?
                    """,
                arguments: [memberId]
            ).map {
                MemberProfile.Conversion(
                    at: Date(unixMillis: $0["converted_at"]), orderNo: $0["order_no"], campaign: $0["campaign"])
            }
            let surveyAnswers = try Row.fetchAll(
                db.cachedStatement(sql: """
                    SELECT r.received_at, r.answer, r.score, r.comment, o.order_no, k.complaint_no
                    FROM survey_responses r
                    LEFT JOIN orders o ON o.id = r.order_id LEFT JOIN complaints k ON k.id = r.complaint_id
                    WHERE r.member_id = ? ORDER BY r.received_at DESC LIMIT ?
                    """),
                arguments: [memberId, timelineLimit]
            ).map {
                let about = (($0["order_no"] as String?) ?? $0["complaint_no"]).map { " about \($0)" } ?? ""
                let comment = ($0["comment"] as String?).map { ": \($0)" } ?? ""
                return MemberProfile.TimelineEntry(
                    at: Date(unixMillis: $0["received_at"]), kind: "survey",
                    text: "answered \($0["answer"] as String)\(about)\(comment)")
            }
            // A task shows when it was opened, with where it stands now.
            let tasks = try Row.fetchAll(
                db.cachedStatement(sql: "\(Self.taskSelect) WHERE t.member_id = ? ORDER BY t.created_at DESC LIMIT ?"),
                arguments: [memberId, timelineLimit]
            ).map { row in
                let task = try Self.task(row)
                let owner = task.staffNo.map { " for \($0)" } ?? ""
                let closed = task.note.map { ": \($0)" } ?? ""
                let escalated = task.escalatedAt == nil ? "" : ", escalated"
                return MemberProfile.TimelineEntry(
                    at: task.createdAt, kind: "task",
                    text: "#\(task.id) \(task.reason)\(owner): \(task.status.rawValue)\(escalated)\(closed)")
            }
            var timeline = messageEvents + inbound + consentChanges + surveyAnswers + tasks
            if let enquiry {
                let text = enquiry.source + (enquiry.note.map { ": \($0)" } ?? "")
                timeline.append(MemberProfile.TimelineEntry(at: enquiry.at, kind: "enquiry", text: text))
            }
            if let conversion {
                let order = conversion.orderNo.map { "by order \($0)" } ?? "by member import"
                let campaign = conversion.campaign.map { "campaign \($0)" } ?? "no campaign had reached them"
                let text = "converted \(order) (\(campaign))"
                timeline.append(MemberProfile.TimelineEntry(at: conversion.at, kind: "converted", text: text))
            }
            timeline += orders.map { MemberProfile.TimelineEntry(at: $0.orderedAt, kind: "order", text: "\($0.kind) \($0.orderNo) via \($0.source) at \($0.branch): \($0.status)\($0.feedback.map { ", feedback \($0)" } ?? "")") }
            timeline += complaints.map { MemberProfile.TimelineEntry(at: $0.openedAt, kind: "complaint", text: "\($0.complaintNo) to \($0.department): \($0.status)") }
            timeline += complaints.compactMap { c in
                c.departmentNotifiedAt.map {
                    MemberProfile.TimelineEntry(at: $0, kind: "assigned", text: "\(c.complaintNo) work order sent to \(c.department)")
                }
            }
            timeline.sort { $0.at > $1.at }
            return MemberProfile(
                member: member, enquiry: enquiry, conversion: conversion, branchName: row["branch_name"],
                consents: consents, orderCount: orderCount,
                recentOrders: orders, complaints: complaints, messageCount: messageCount,
                timeline: Array(timeline.prefix(timelineLimit)))
        }
    }

    public func statistics() async throws -> StoreStatistics {
        try await pool.read { db in
            var tables: [String: Int] = [:]
            for table in [
                "branches", "staff", "members", "consents", "consent_ledger", "address_consents", "blacklist", "menu_items", "orders", "order_items", "delivery_feedback",
                "complaints", "points_ledger", "campaigns", "conversions", "messages", "message_events", "inbound_messages", "survey_responses", "tasks",
                "receipt_inbox",
            ] {
                tables[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0
            }
            var byStatus: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM messages GROUP BY status") {
                byStatus[row["status"]] = row["n"]
            }
            var invalid: [String: Int] = [:]
            for channel in ["phone", "email", "fax"] {
                invalid[channel] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM members WHERE \(channel)_status IN ('invalid','bounced')") ?? 0
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: self.path)[.size] as? NSNumber)?.int64Value ?? 0
            return StoreStatistics(path: self.path, fileBytes: size, tables: tables, messagesByStatus: byStatus, invalidContacts: invalid)
        }
    }

    static func contact(_ row: Row, _ column: String) -> ContactField {
        ContactField(
            value: row[column], status: ContactStatus(rawValue: row["\(column)_status"]) ?? .missing, reason: row["\(column)_reason"])
    }

    /// A `members` row selected with `b.code AS branch_code`.
    static func member(_ row: Row) -> Member {
        Member(
            memberNo: row["member_no"], name: row["name"],
            phone: contact(row, "phone"), email: contact(row, "email"), fax: contact(row, "fax"),
            level: MemberLevel(rawValue: row["level"]) ?? .regular, points: row["points"],
            tags: (row["tags"] as String).split(separator: ",").map(String.init),
            timezone: row["timezone"], locale: row["locale"], branchCode: row["branch_code"],
            joinedAt: date(row["joined_at"]), birthday: row["birthday"])
    }

    static func date(_ millis: Int64?) -> Date? { millis.map(Date.init(unixMillis:)) }
}

import CoreModel
import Foundation
import TestSupport

/// A fresh SQLite file in a temporary directory, removed afterwards.
func withStore<T>(_ body: (SQLiteStore, URL) async throws -> T) async throws -> T {
    try await withTemporaryDirectory("tidings-test") { directory in
        try await body(try SQLiteStore(path: directory.appendingPathComponent("test.sqlite").path), directory)
    }
}

func fixture(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)").path
}

func importer(_ store: SQLiteStore, _ kind: ImportKind, acceptInvalidContacts: Bool = false) -> Importer {
    Importer(
        store: store,
        parser: RecordParser(
            kind: kind, phones: PhoneNumberNormalizer(defaultRegion: "CN"), timeZone: TimeZone(identifier: "Asia/Shanghai")!,
            acceptInvalidContacts: acceptInvalidContacts))
}

/// One branch, `members` members M1… with phones, and a service campaign fanned
/// out to all of them at `now`: variants A and B half each of what control
/// (`controlBelow` of 10,000 buckets) leaves. The campaign's id.
func seedCampaign(_ store: SQLiteStore, name: String, members: Int, controlBelow: Int = 0, salt: Int64 = 7, now: Date) async throws -> Int64 {
    _ = try await store.apply(.branches([Branch(code: "B01", name: "天河店", district: "天河区", address: "天河路1号", phone: nil, fax: nil, seats: 80)]), dryRun: false)
    _ = try await store.apply(.members((1...members).map {
        Member(memberNo: "M\($0)", name: "会员\($0)", phone: .valid(String(format: "+86138%08d", $0)), branchCode: "B01")
    }), dryRun: false)
    let id = try await store.saveCampaign(name: name, category: .service, definition: "{}", file: nil, actor: "t", now: now).id
    let half = controlBelow + (10_000 - controlBelow) / 2
    _ = try await store.fanOut(
        FanOutPlan(
            campaignId: id, run: 1, segment: .all, category: .service, lane: .marketing, channels: [.sms], controlBelow: controlBelow,
            variants: [.init(name: "A", template: "promotion", bucketsBelow: half), .init(name: "B", template: "promotion", bucketsBelow: 10_000)],
            salt: salt, locales: ["zh-CN"], fallbackLocale: "zh-CN", start: now, perMinute: nil),
        chunkSize: 25, now: now) { _ in }
    return id
}

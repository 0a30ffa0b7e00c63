import ArgumentParser
import Campaigns
import CoreModel
import Foundation

/// One campaign's fan-out over a seeded database: members/s, wall time and
/// peak RSS, against the `sqlite3` shell running exactly the same
/// statements (same chunks, values written in) on a copy of the same file.
struct FanOutBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fanout",
        abstract: "Fan a campaign out over a seeded database; ratio against sqlite3 running the same INSERT … SELECT.",
        discussion: """
            Seed first (a separate process, so peak RSS is the fan-out's own):
              tidings demo seed --members 1000000 --database /tmp/fan.sqlite
              tidings bench fanout --database /tmp/fan.sqlite
            The database is copied twice (VACUUM INTO) and left as it was.
            """)

    @Option(help: "A seeded database (tidings demo seed).") var database: String
    @Option(help: "The audience.") var audience = "consent(sms, marketing)"
    @Option(help: "Members per transaction.") var chunk = 25_000
    @Option(help: "The sqlite3 shell.") var sqlite3 = "/usr/bin/sqlite3"
    @Option(help: "Also write the shell's script here (to study it).") var keepScript: String?

    func run() async throws {
        guard FileManager.default.fileExists(atPath: database) else { throw CommandFailure("no database at \(database)") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-bench-fanout-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let ours = directory.appendingPathComponent("ours.sqlite").path
        let shell = directory.appendingPathComponent("shell.sqlite").path

        let now = Date()
        let plan: FanOutPlan
        do {
            let source = try SQLiteStore(path: database)
            for copy in [ours, shell] { try await source.copy(to: copy) }
        }
        let store = try SQLiteStore(path: ours)
        let members = try store.memberCount()
        let record = try await store.saveCampaign(
            name: "bench-\(UUID().uuidString.prefix(8).lowercased())", category: .marketing, definition: "{}", file: nil, actor: "bench", now: now)
        plan = FanOutPlan(
            campaignId: record.id, run: 1, segment: try SegmentParser(now: now, timeZone: .current).parse(audience),
            category: .marketing, lane: .marketing, channels: [.sms], controlBelow: 1_000,
            variants: [.init(name: "A", template: "promotion", bucketsBelow: 5_500), .init(name: "B", template: "promotion", bucketsBelow: 10_000)],
            salt: 42, locales: ["zh-CN"], fallbackLocale: "zh-CN", start: now, expiresAfter: 3 * 86_400)
        // The shell's copy gets the same campaign row (same id) before its run.
        let shellStore = try SQLiteStore(path: shell)
        _ = try await shellStore.saveCampaign(name: record.name, category: .marketing, definition: "{}", file: nil, actor: "bench", now: now)
        let script = try await store.fanOutScript(plan, chunkSize: chunk, now: now)
        let scriptFile = directory.appendingPathComponent("fanout.sql")
        try script.write(to: scriptFile, atomically: true, encoding: .utf8)
        if let keepScript { try script.write(toFile: keepScript, atomically: true, encoding: .utf8) }

        // The copies' pages reach the disk first: their write-back must not land inside either timing.
        sync()
        let started = ContinuousClock.now
        let result = try await store.fanOut(plan, chunkSize: chunk, now: now) { _ in }
        let oursSeconds = (ContinuousClock.now - started).seconds
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let peakMB = Double(usage.ru_maxrss) / 1024

        sync()
        let shellStarted = ContinuousClock.now
        let process = Process()
        process.executableURL = URL(fileURLWithPath: sqlite3)
        process.arguments = [shell, ".read \(scriptFile.path)"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let shellSeconds = (ContinuousClock.now - shellStarted).seconds
        guard process.terminationStatus == 0 else { throw CommandFailure("sqlite3 failed on \(scriptFile.path)") }
        let shellQueued = try await shellStore.campaignProgress(id: record.id).total([.queued])

        print("members \(members), audience \(result.audience) (\(Int((Double(result.audience) / Double(max(1, members)) * 100).rounded())) %), queued \(result.queued), control \(result.control), unreachable \(result.unreachable)")
        print(String(format: "tidings fan-out: %.2f s, %.0f members/s, peak RSS %.0f MB", oursSeconds, Double(members) / oursSeconds, peakMB))
        print(String(format: "sqlite3 shell, same statements: %.2f s (%d queued)", shellSeconds, shellQueued))
        print(String(format: "ratio: %.2f (sqlite3 time / ours; 1.00 = as fast as the shell)", shellSeconds / oursSeconds))
        print("targets: <= 5 s and <= 300 MB for 1,000,000 members")
    }
}

import ArgumentParser
import CoreModel
import Demo
import Foundation
import Synchronization

/// `segment count` over every field family on a seeded database, each
/// against the sqlite3 shell running the same SQL (values inlined), and the
/// RFM recompute with an order-confirmation-sized write every 20 ms beside
/// it: how long such a write waited is what an order confirmation would.
/// Times are wall clock and CPU (this process, or the shell as a child), so
/// figures from a busy machine can still be read.
struct SegmentsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "segments",
        abstract:
            "segment count per field family vs the sqlite3 shell, and the RFM recompute's longest write hold, at 1M members.",
        discussion: """
            Without --database, seeds --members into a temporary file first (about 90 s at 1M).
            Example: tidings bench segments --members 1000000
                     tidings bench segments --database /tmp/seeded.sqlite --runs 5
            """)

    @Option(help: "A database seeded by `tidings demo seed --anchor ANCHOR` (it gets migrated and RFM recomputed).")
    var database: String?
    @Option(help: "Members to seed when no --database is given.") var members = 1_000_000
    @Option(help: "The seed's anchor day; windows count back from the end of it.") var anchor = "2026-11-20"
    @Option(help: "Runs per expression; the median is shown.") var runs = 3
    @Option(help: "The sqlite3 shell.") var sqlite3 = "/usr/bin/sqlite3"

    /// Every field family at least once, alone and in AND / OR / NOT combinations.
    static let expressions = [
        "level IN ('gold', 'diamond')",
        "points >= 2000 AND has_phone AND locale = 'zh-CN'",
        "tags CONTAINS '爱辣' OR tags CONTAINS '海鲜控'",
        "district = '黄浦区' OR branch = 'B002'",
        "consent(sms, marketing) AND has_phone",
        "days_since_last_order BETWEEN 60 AND 180 AND consent(sms, marketing)",
        "orders(365d) >= 3",
        "spend(1y) > 1000 OR tags CONTAINS '爱辣'",
        "spend(90d) BETWEEN 100 AND 500 AND NOT orders(30d) >= 1",
        "complaints(180d) > 0 OR open_complaints > 0",
        "last_survey_score <= 2 OR joined >= today - 30d",
        "rfm_segment IN (champions, loyal) AND consent(sms, marketing)",
        "rfm_r >= 4 AND rfm_m <= 2 AND NOT tags CONTAINS '素食'",
    ]

    func validate() throws {
        guard runs >= 1, members >= 1 else { throw ValidationError("--runs and --members must be at least 1") }
        guard DateText.parseDay(anchor) != nil else {
            throw ValidationError("--anchor '\(anchor)' is not a day YYYY-MM-DD")
        }
    }

    func run() async throws {
        let zone = TimeZone(identifier: "Asia/Shanghai")!
        let now = (DateText.parseDay(anchor) ?? Date()).addingTimeInterval(86_400)
        var temporary: URL?
        defer { temporary.map { try? FileManager.default.removeItem(at: $0) } }
        let path: String
        if let database {
            path = database
        } else {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "tidings-bench-segments-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            temporary = directory
            path = directory.appendingPathComponent("seed.sqlite").path
        }
        let opening = ContinuousClock.now
        let store = try SQLiteStore(path: path)
        print(
            String(
                format: "machine   %@, %d cores, load average %@", ProcessInfo.processInfo.hostName,
                ProcessInfo.processInfo.activeProcessorCount, Self.loadAverage()))
        print(
            String(
                format: "database  %@ (opened and migrated in %.1f s)", path, (ContinuousClock.now - opening).seconds))
        if database == nil {
            let report = try DemoSeeder(options: .init(members: members, anchor: now.addingTimeInterval(-86_400))).run(
                into: store)
            print(String(format: "seeded    %d members in %.1f s", members, report.seconds))
        }

        // RFM first: the rfm_ expressions below need scores.
        let probe = WriteProbe(store: store)
        let probing = Task { await probe.run(every: .milliseconds(20)) }
        let cpu = DispatchBench.cpuSeconds()
        let summary = try await store.recomputeRFM(windowDays: 365, now: now)
        let rfmCPU = DispatchBench.cpuSeconds() - cpu
        probing.cancel()
        let waits = await probing.value
        print(
            String(
                format:
                    "rfm       %d members scored in %.2f s (%.2f s CPU incl. the probe): read %.2f s, %d write transactions, longest %.0f ms",
                summary.members, summary.seconds, rfmCPU, summary.readSeconds, summary.writeTransactions,
                summary.longestWriteSeconds * 1000))
        print(
            String(
                format:
                    "probe     %d single-message enqueues during it, one per 20 ms: longest wait %.0f ms, p99 %.0f ms (target: <= 100 ms)",
                waits.count, (waits.max() ?? 0) * 1000, Self.percentile(waits, 0.99) * 1000))

        let parser = SegmentParser(now: now, timeZone: zone)
        print("")
        print(
            "expression".padding(toLength: 72, withPad: " ", startingAt: 0)
                + ["members", "tidings", "cpu", "sqlite3", "cpu", "ratio"].map { $0.leftPadded(to: 10, with: " ") }
                .joined())
        var worst = 0.0
        for expression in Self.expressions {
            let segment = try parser.parse(expression)
            var ours: [(wall: Double, cpu: Double)] = []
            var count = 0
            for _ in 0..<runs {
                let cpu = DispatchBench.cpuSeconds()
                let started = ContinuousClock.now
                count = try await store.countMembers(in: segment, now: now)
                ours.append(((ContinuousClock.now - started).seconds, DispatchBench.cpuSeconds() - cpu))
            }
            let sql = SQLiteStore.countSQLForShell(segment, now: now)
            var shell: [(wall: Double, cpu: Double)] = []
            for _ in 0..<runs {
                let (output, wall, cpu) = try Self.shell(sqlite3, path, sql)
                guard Int(output) == count else {
                    throw CommandFailure("sqlite3 counted \(output) for '\(expression)', tidings \(count)")
                }
                shell.append((wall, cpu))
            }
            let ourWall = Self.median(ours.map(\.wall))
            let shellWall = Self.median(shell.map(\.wall))
            worst = max(worst, ourWall)
            // Chinese characters take two columns: pad by display width.
            let width = expression.reduce(0) { $0 + ($1.utf8.count > 1 ? 2 : 1) }
            print(
                expression + String(repeating: " ", count: max(1, 72 - width))
                    + String(
                        format: "%10d %8.2fs %8.2fs %8.2fs %8.2fs %8.2fx", count, ourWall, Self.median(ours.map(\.cpu)),
                        shellWall,
                        Self.median(shell.map(\.cpu)), ourWall / shellWall))
        }
        print("")
        print(
            String(
                format:
                    "targets   segment count <= 1 s: %@ (slowest %.2f s); longest write hold <= 100 ms: %@; load average now %@",
                worst <= 1 ? "met" : "MISSED", worst, summary.longestWriteSeconds <= 0.1 ? "met" : "MISSED",
                Self.loadAverage()))
    }

    /// Output, wall seconds and CPU seconds of `sqlite3 FILE SQL`.
    static func shell(_ sqlite3: String, _ path: String, _ sql: String) throws -> (String, Double, Double) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: sqlite3)
        process.arguments = ["-readonly", path, sql]
        let pipe = Pipe()
        process.standardOutput = pipe
        let cpu = childCPUSeconds()
        let started = ContinuousClock.now
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let wall = (ContinuousClock.now - started).seconds
        guard process.terminationStatus == 0 else { throw CommandFailure("sqlite3 failed on: \(sql)") }
        let text = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return (text, wall, childCPUSeconds() - cpu)
    }

    static func childCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }

    static func percentile(_ values: [Double], _ share: Double) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * share))]
    }

    static func loadAverage() -> String {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(
            separator: " ") ?? "?"
    }
}

/// One single-message enqueue at a time, the size of an order confirmation,
/// timed from the call to its commit, until cancelled.
struct WriteProbe: Sendable {
    let store: SQLiteStore

    func run(every interval: Duration) async -> [Double] {
        var waits: [Double] = []
        var index = 0
        let prefix = "rfm-probe-\(UUID().uuidString.prefix(8))"
        while !Task.isCancelled {
            let started = ContinuousClock.now
            do {
                try await SyntheticSMS.queue(1, into: store, prefix: "\(prefix):\(index)", lane: .transactional)
            } catch { break }
            waits.append((ContinuousClock.now - started).seconds)
            index += 1
            try? await Task.sleep(for: interval)
        }
        return waits
    }
}

import Campaigns
import CoreModel
import Foundation
import InMemoryLogging
import Logging
import Scheduler
import ServiceLifecycle
import Synchronization
import Testing

/// The shipped templates, with one that can be taken away and put back, counting how often it is looked for.
final class FlakyTemplates: MessageRenderer {
    private let missing = Mutex(true)
    private let checks = Mutex(0)
    let template: String

    init(missing template: String) {
        self.template = template
    }

    var checked: Int { checks.withLock { $0 } }

    func restore() { missing.withLock { $0 = false } }

    func render(template: String, channel: Channel, locale: String, values: [String: String]) throws -> MessageContent {
        try check(template: template, channel: channel, locale: locale)
        return try shippedTemplates.render(template: template, channel: channel, locale: locale, values: values)
    }

    func check(template: String, channel: Channel, locale: String) throws {
        if template == self.template { checks.withLock { $0 += 1 } }
        if template == self.template, missing.withLock({ $0 }) {
            throw CocoaError(
                .fileNoSuchFile,
                userInfo: [NSFilePathErrorKey: "templates/\(template)/\(channel.rawValue).\(locale).mustache"])
        }
        try shippedTemplates.check(template: template, channel: channel, locale: locale)
    }
}

/// A template that does not load is logged once, not on every scan or for every member.
struct MissingTemplateTests {
    func logged(_ logs: InMemoryLogHandler, _ prefix: String) -> [InMemoryLogHandler.Entry] {
        logs.entries.filter { $0.message.description.hasPrefix(prefix) }
    }

    @Test func aMissingTemplateIsLoggedOnceAndTheAutomationResumesWhenItLoads() async throws {
        try await withAutomationStore { store in
            let now = currentMinute()
            try await store.load(.members([member("M1")]))
            try await store.load(.orders([order("SO1", orderedAt: now)]))
            let logs = InMemoryLogHandler()
            let templates = FlakyTemplates(missing: "order-confirmation")
            let runner = AutomationRunner(
                store: store, settings: automationConfig(enabled: [.orderConfirmation]), defaults: .defaults,
                brand: .defaults,
                renderer: templates, logger: Logger(label: "test") { _ in logs })
            for minute in 0..<3 {
                let report = try await runner.runOnce(now: now.adding(minutes: Double(minute)))
                #expect(report.failed == [.orderConfirmation])
                #expect(report[.orderConfirmation]?.waitingForTemplate == true)
            }
            let missing = logged(logs, "template does not load")
            #expect(missing.count == 1, "\(logs.entries)")
            #expect(missing.first?.metadata["locale"] == "zh-CN")
            templates.restore()
            let report = try await runner.runOnce(now: now.adding(minutes: 3))
            #expect(report[.orderConfirmation]?.enqueued == 1)
            #expect(logged(logs, "template loads again").count == 1)
        }
    }

    /// A member's locale without a template: each of its messages is skipped and counted, the problem logged once.
    @Test func aTemplateMissingForAMembersLocaleIsLoggedOnce() async throws {
        try await withAutomationStore { store in
            let now = currentMinute()
            try await store.load(.members([member("M1", locale: "ja-JP"), member("M2", locale: "ja-JP")]))
            try await store.load(.orders([order("SO1", orderedAt: now), order("SO2", member: "M2", orderedAt: now)]))
            let logs = InMemoryLogHandler()
            let runner = AutomationRunner(
                store: store, settings: automationConfig(enabled: [.orderConfirmation]), defaults: .defaults,
                brand: .defaults,
                renderer: shippedTemplates, logger: Logger(label: "test") { _ in logs })
            let report = try await runner.runOnce(now: now)
            #expect(report[.orderConfirmation]?.skipped[.renderFailed(.sms)] == 2)
            #expect(logged(logs, "template did not render").count == 1, "\(logs.entries)")
        }
    }

    /// The service tries a held automation less and less often: not every 20 ms scan.
    @Test func theServiceBacksOffAnAutomationWhoseTemplateIsMissing() async throws {
        try await withAutomationStore { store in
            let logs = InMemoryLogHandler()
            let logger = Logger(label: "test") { _ in logs }
            let templates = FlakyTemplates(missing: "order-confirmation")
            let runner = AutomationRunner(
                store: store, settings: automationConfig(enabled: [.orderConfirmation]), defaults: .defaults,
                brand: .defaults,
                renderer: templates, logger: logger)
            let service = AutomationService(
                runner: runner, interval: .milliseconds(20), eventInterval: .milliseconds(20), logger: logger)
            let group = ServiceGroup(configuration: .init(services: [service], logger: logger))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                try await Task.sleep(for: .milliseconds(1500))
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            // At 0 and 1 s (the first wait), not 75 times.
            #expect((1...2).contains(templates.checked), "\(templates.checked) checks")
            #expect(logged(logs, "template does not load").count == 1)
            #expect(logged(logs, "automation failed").isEmpty, "a missing template is not logged again as a failure")
        }
    }
}

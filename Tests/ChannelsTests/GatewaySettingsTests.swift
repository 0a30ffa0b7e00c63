import CoreModel
import Testing

@testable import Channels

struct GatewaySettingsTests {
    @Test func anEntryWithOnlyTheRequiredValuesIsValid() {
        let entry = GatewaySettings(name: "k", kind: .kannel, channels: [.sms], url: "http://127.0.0.1:13013/sendsms")
        #expect(entry.rate == 100 && entry.burst == 50 && entry.maxInFlight == 32)
        #expect(entry.timeoutMs == 10_000 && entry.weight == 0)
        #expect(GatewaySettings.issues([entry], path: ["gateways"]).isEmpty)
    }

    @Test func badValuesAreIssuesByKeyPath() {
        let bad = GatewaySettings(
            name: "g", kind: .http, channels: [], url: "nope", rate: 0, burst: 0, maxInFlight: 0, timeoutMs: 50,
            weight: -1)
        let twin = GatewaySettings(name: "g", kind: .simulator, channels: [.sms], url: nil)
        let issues = GatewaySettings.issues([bad, twin], path: ["gateways"])
        #expect(issues.map(\.keyPath) == [
            "gateways[0].channels", "gateways[0].rate", "gateways[0].burst", "gateways[0].max_in_flight",
            "gateways[0].weight", "gateways[0].timeout_ms", "gateways[0].url", "gateways[1].name",
        ])
        #expect(issues.allSatisfy { $0.severity == .error })
    }

    @Test func optionsTheAdapterDoesNotReadAreIssuesByKeyPath() {
        let kannel = GatewaySettings(
            name: "k", kind: .kannel, channels: [.sms], url: nil, options: ["from": "1", "smcs": "x"])
        #expect(kannel.unknownOptionIssues(path: ["gateways", "0"]).map(\.description) == [
            "gateways[0].options.smcs: unknown option for kannel (allowed: from, smsc, method)"
        ])
        // The simulator reads what it knows and ignores the rest; http checks its mapping itself.
        let simulator = GatewaySettings(name: "s", kind: .simulator, channels: [.sms], url: nil, options: ["x": "1"])
        #expect(simulator.unknownOptionIssues(path: ["gateways", "1"]).isEmpty)
    }
}

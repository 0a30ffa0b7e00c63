import Channels
import CoreModel
import Foundation
import Testing
import TestSupport

/// Where the transport may connect: loopback, the configured gateways'
/// hosts and `transport.allow` — nothing else, whatever a URL says. Traffic in
/// these tests stays on loopback: refused hosts are refused before any
/// connection, and allowed ones are only checked, not contacted.
@Suite struct TransportPolicyTests {
    static func gateway(_ name: String, url: String, caFile: String? = nil) -> GatewaySettings {
        GatewaySettings(name: name, kind: .http, channels: [.sms], url: url, caFile: caFile)
    }

    @Test func theAllowListIsTheGatewaysHostsPlusTransportAllow() {
        let gateways = [
            Self.gateway("aliyun", url: "https://dysmsapi.aliyuncs.com/"),
            Self.gateway("twilio", url: "https://API.Twilio.com"),
            Self.gateway("kannel", url: "http://127.0.0.1:13013/cgi-bin/sendsms"),
        ]
        let policy = TransportSettings(allow: ["media.example.cn"]).policy(for: gateways)
        #expect(policy.allowedHosts == ["dysmsapi.aliyuncs.com", "api.twilio.com", "127.0.0.1", "media.example.cn"])
        #expect(policy.allows("dysmsapi.aliyuncs.com"))
        #expect(policy.allows("api.twilio.com."), "a trailing dot is the same name")
        #expect(policy.allows("MEDIA.example.cn"))
        #expect(policy.allows("127.0.0.9") && policy.allows("localhost") && policy.allows("[::1]"), "loopback always")
        #expect(!policy.allows("evil.example.com"))
        #expect(!policy.allows("aliyuncs.com"), "a parent domain is another host")
        #expect(!policy.allows("dysmsapi.aliyuncs.com.evil.example.com"))
    }

    @Test func aHostNoGatewayNamesIsRefusedBeforeAnyConnection() async throws {
        let policy = TransportSettings(allow: []).policy(for: [Self.gateway("aliyun", url: "https://dysmsapi.aliyuncs.com/")])
        let transport = CurlTransport(policy: policy)
        defer { transport.shutdown() }
        for url in [
            "http://evil.example.com/steal", "https://dysmsapi.aliyuncs.com@evil.example.com/",
            "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1:8080/",
        ] {
            do {
                _ = try await transport.send(OutboundRequest(method: .post, url: url, body: Array("x".utf8), timeoutMs: 500))
                Issue.record("\(url) was sent")
            } catch {
                #expect(error.kind == .refusedByPolicy, "\(url): \(error)")
                #expect(error.message.contains("transport.allow"), "\(error.message)")
            }
        }
        #expect(transport.inFlight == 0)
    }

    @Test func aProviderSignedByAPrivateCAIsReachedWithItsCAFileAndRefusedWithout() async throws {
        let peer = try TLSPeer.start()
        defer { peer.stop() }
        let request = OutboundRequest(method: .post, url: peer.url + "/sms", body: Array("{}".utf8), timeoutMs: 5000)

        let trusting = CurlTransport(
            policy: TransportSettings(allow: []).policy(for: [Self.gateway("p", url: peer.url, caFile: TLSFixtures.caFile)]))
        defer { trusting.shutdown() }
        let answer = try await trusting.send(request)
        #expect(answer.status == 200)
        #expect(answer.text.hasPrefix(#"{"id":"tls-"#))

        // The system's bundle does not know the test CA: verification fails, nothing is accepted.
        let plain = CurlTransport(policy: TransportSettings(allow: []).policy(for: [Self.gateway("p", url: peer.url)]))
        defer { plain.shutdown() }
        do {
            _ = try await plain.send(request)
            Issue.record("a certificate from an unknown CA was accepted")
        } catch {
            #expect(error.kind == .tls, "\(error)")
            #expect(error.message.lowercased().contains("certificate") || error.message.contains("SSL"), "\(error.message)")
        }
    }

    @Test func transportAllowRefusesWhatIsNotAHostName() {
        let issues = TransportSettings(allow: ["ok.example.com", "https://x.example.com", "x.example.com/path", ""])
            .issues(path: ["transport"])
        #expect(issues.map(\.keyPath) == ["transport.allow[1]", "transport.allow[2]", "transport.allow[3]"])
    }
}

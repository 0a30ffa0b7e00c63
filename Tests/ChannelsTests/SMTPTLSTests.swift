import Channels
import CoreModel
import Foundation
import TestSupport
import Testing

/// TLS for email against a real SMTP server (aiosmtpd with the test CA's
/// `localhost` certificate): STARTTLS and implicit TLS deliver when the CA is
/// trusted; an unknown CA or a server without STARTTLS gets nothing, and the
/// credentials never go in clear.
@Suite(.serialized, .enabled(if: SMTPPeer.isAvailable, "needs Debian's python3-aiosmtpd (make test installs it)"))
struct SMTPTLSTests {
    let login = ("tidings", "s3cret-password")
    var auth: String { "\(login.0):\(login.1)" }

    func gateway(_ peer: SMTPPeer, _ transport: CurlTransport, tls: SMTPTLSMode? = nil) -> SMTPGateway {
        SMTPGateway(
            settings: .init(
                name: "mail", url: peer.url, fromAddress: "news@hongfulou.example", fromName: "鸿福楼",
                unsubscribeURL: "http://127.0.0.1:8080/u", username: login.0, password: login.1, tls: tls),
            transport: transport, signer: WebhookSigner(secret: "tls"))
    }

    @Test func starttlsWithTheCATrustedDeliversAndAuthenticatesOnlyOverTLS() async throws {
        let peer = try SMTPPeer.start(security: .starttls, auth: auth)
        defer { peer.stop() }
        let transport = SMTPGatewayTests.trustingTransport()
        defer { transport.shutdown() }
        let mail = gateway(peer, transport)
        #expect(mail.settings.tls == .starttls, "credentials imply starttls")
        _ = try await mail.send(SMTPGatewayTests.message("li@example.com"))
        #expect(peer.messages().count == 1)
        #expect(peer.commands() == ["STARTTLS clear", "AUTH tls", "MAIL tls", "RCPT tls"])
    }

    @Test func implicitTLSDelivers() async throws {
        let peer = try SMTPPeer.start(security: .implicit, auth: auth)
        defer { peer.stop() }
        let transport = SMTPGatewayTests.trustingTransport()
        defer { transport.shutdown() }
        let mail = gateway(peer, transport)
        #expect(mail.settings.tls == .implicit, "an smtps:// url implies implicit TLS")
        _ = try await mail.send(SMTPGatewayTests.message("li@example.com"))
        #expect(peer.messages().count == 1)
        #expect(peer.commands() == ["AUTH tls", "MAIL tls", "RCPT tls"])
    }

    @Test func aCertificateFromAnUnknownCAIsRefusedBeforeAnythingIsSent() async throws {
        let peer = try SMTPPeer.start(security: .starttls, auth: auth)
        defer { peer.stop() }
        let transport = CurlTransport()  // the system's bundle does not know the test CA
        defer { transport.shutdown() }
        do {
            _ = try await gateway(peer, transport).send(SMTPGatewayTests.message("li@example.com"))
            Issue.record("a certificate from an unknown CA was accepted")
        } catch {
            guard case .transient(let reason, _) = error else {
                Issue.record("gave \(error)")
                return
            }
            #expect(reason.hasPrefix("TLS: "), "\(reason)")
            #expect(reason.contains("certificate"), "\(reason)")
        }
        #expect(peer.messages().isEmpty)
        #expect(peer.commands() == ["STARTTLS clear"], "no AUTH, no MAIL")
    }

    /// A server that does not offer STARTTLS (but would take AUTH in clear) gets nothing at all.
    @Test func aServerWithoutSTARTTLSIsRefusedAndNothingGoesInClear() async throws {
        let peer = try SMTPPeer.start(security: .none, auth: auth)
        defer { peer.stop() }
        let transport = SMTPGatewayTests.trustingTransport()
        defer { transport.shutdown() }
        do {
            _ = try await gateway(peer, transport, tls: .starttls).send(SMTPGatewayTests.message("li@example.com"))
            Issue.record("sent without TLS")
        } catch {
            guard case .transient(let reason, _) = error else {
                Issue.record("gave \(error)")
                return
            }
            #expect(reason.hasPrefix("TLS: "), "\(reason)")
            #expect(reason.contains("STARTTLS"), "\(reason)")
        }
        #expect(peer.messages().isEmpty)
        #expect(peer.commands().isEmpty, "no AUTH, no MAIL: \(peer.commands())")
    }

    @Test func theModeFollowsTheURLAndCredentialsUnlessGivenAndUnsafeOnesAreRefused() throws {
        func resolve(_ option: String?, _ url: String, credentials: Bool) -> Result<SMTPTLSMode, SMTPTLSMode.Refusal> {
            SMTPTLSMode.resolve(option: option, url: url, hasCredentials: credentials)
        }
        func refusedKey(_ option: String?, _ url: String, credentials: Bool) -> String? {
            guard case .failure(let refusal) = resolve(option, url, credentials: credentials) else { return nil }
            return refusal.key.joined(separator: ".")
        }
        // Implied: smtps → implicit; credentials or a remote host → starttls; a loopback relay → none.
        #expect(try resolve(nil, "smtps://smtp.example.com:465", credentials: true).get() == .implicit)
        #expect(try resolve(nil, "smtp://smtp.example.com:587", credentials: true).get() == .starttls)
        #expect(try resolve(nil, "smtp://127.0.0.1:25", credentials: true).get() == .starttls)
        #expect(try resolve(nil, "smtp://relay.example.com:25", credentials: false).get() == .starttls)
        #expect(try resolve(nil, "smtp://127.0.0.1:25", credentials: false).get() == SMTPTLSMode.none)
        #expect(try resolve(nil, "smtp://localhost", credentials: false).get() == SMTPTLSMode.none)
        // Given explicitly.
        #expect(try resolve("none", "smtp://relay.lan:25", credentials: false).get() == SMTPTLSMode.none)
        #expect(try resolve("none", "smtp://127.0.0.1:25", credentials: true).get() == SMTPTLSMode.none, "loopback may")
        #expect(try resolve("STARTTLS", "smtp://127.0.0.1:25", credentials: false).get() == .starttls)
        #expect(try resolve("implicit", "smtps://smtp.example.com", credentials: true).get() == .implicit)
        // Refused, by the key to fix.
        #expect(refusedKey("none", "smtp://smtp.example.com:25", credentials: true) == "options.tls")
        #expect(refusedKey("implicit", "smtp://smtp.example.com:465", credentials: true) == "options.tls")
        #expect(refusedKey("starttls", "smtps://smtp.example.com", credentials: true) == "options.tls")
        #expect(refusedKey("none", "smtps://smtp.example.com", credentials: false) == "options.tls")
        #expect(refusedKey("sometimes", "smtp://127.0.0.1", credentials: false) == "options.tls")
        #expect(refusedKey(nil, "http://smtp.example.com", credentials: false) == "url")
        if case .failure(let refusal) = resolve("none", "smtp://smtp.example.com:25", credentials: true) {
            #expect(refusal.message.contains("in clear to smtp.example.com"))
        }
    }
}

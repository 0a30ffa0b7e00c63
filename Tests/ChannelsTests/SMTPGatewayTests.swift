import Channels
import CoreModel
import Foundation
import TestSupport
import Testing

/// Email through a real SMTP server (aiosmtpd from PyPI, started by
/// scripts/smtp/server.py).
@Suite(.serialized, .enabled(if: SMTPPeer.isAvailable, "needs Debian's python3-aiosmtpd (make test installs it)"))
struct SMTPGatewayTests {
    let signer = WebhookSigner(secret: "smtp-test")

    func gateway(_ peer: SMTPPeer, _ transport: CurlTransport) -> SMTPGateway {
        SMTPGateway(
            settings: .init(
                name: "mail", url: peer.url, fromAddress: "news@hongfulou.example", fromName: "鸿福楼会员中心",
                unsubscribeURL: "http://127.0.0.1:8080/webhooks/email/mail/unsubscribe"),
            transport: transport, signer: signer)
    }

    /// Unfolds a header and decodes its RFC 2047 words (independently of the adapter).
    static func header(_ name: String, in message: String) -> String? {
        let head = message.components(separatedBy: "\r\n\r\n").first ?? message
        let unfolded = head.replacingOccurrences(of: "\r\n ", with: " ").replacingOccurrences(of: "\r\n\t", with: " ")
        guard let line = unfolded.components(separatedBy: "\r\n").first(where: { $0.lowercased().hasPrefix(name.lowercased() + ":") }) else { return nil }
        return String(line.dropFirst(name.count + 1)).trimmingCharacters(in: .whitespaces)
    }

    static func decodeWords(_ value: String) -> String {
        let pattern = try! NSRegularExpression(pattern: #"=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?="#, options: .caseInsensitive)
        let matches = pattern.matches(in: value, range: NSRange(value.startIndex..., in: value))
        guard !matches.isEmpty else { return value }
        var bytes = Data()
        for match in matches {
            let range = Range(match.range(at: 1), in: value)!
            bytes.append(Data(base64Encoded: String(value[range])) ?? Data())
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func storedMessageHasEncodedSubjectBothPartsAndOneClickUnsubscribe() async throws {
        let peer = try SMTPPeer.start()
        defer { peer.stop() }
        let transport = CurlTransport()
        defer { transport.shutdown() }
        let subject = "【鸿福楼】冬至家宴套餐八折，会员专享积分翻倍活动开始啦！"
        let content = MessageContent(
            text: "王先生您好：\n冬至家宴套餐八折。\n回复T退订", subject: subject,
            html: "<p>王先生您好：</p><p><b>冬至家宴</b>套餐八折。</p>")
        let submission = try await gateway(peer, transport).send(OutboundMessage(
            id: 901, idempotencyKey: "campaign:winter:901:email", channel: .email, to: "wang.wei@example.com", content: content,
            category: .marketing))
        #expect(submission.providerMessageId == "<tidings.901@hongfulou.example>")
        let stored = try #require(peer.messages().first)

        let rawSubject = try #require(Self.header("Subject", in: stored))
        #expect(rawSubject.hasPrefix("=?UTF-8?B?"), "subject is an RFC 2047 encoded word: \(rawSubject)")
        #expect(!rawSubject.contains("鸿"), "no raw UTF-8 in the header")
        #expect(Self.decodeWords(rawSubject) == subject)
        #expect(Self.decodeWords(Self.header("From", in: stored) ?? "").hasPrefix("鸿福楼会员中心"))
        #expect(Self.header("Message-ID", in: stored) == "<tidings.901@hongfulou.example>")
        let unsubscribe = try #require(Self.header("List-Unsubscribe", in: stored))
        #expect(unsubscribe.contains("<http://127.0.0.1:8080/webhooks/email/mail/unsubscribe?id=901&token=\(signer.token(gateway: "mail", messageId: 901))>"))
        #expect(unsubscribe.contains("<mailto:news@hongfulou.example?subject=unsubscribe-901>"))
        #expect(Self.header("List-Unsubscribe-Post", in: stored) == "List-Unsubscribe=One-Click")
        #expect(stored.contains("multipart/alternative"))
        #expect(stored.contains("Content-Type: text/plain; charset=UTF-8"))
        #expect(stored.contains("Content-Type: text/html; charset=UTF-8"))
        #expect(stored.contains("Content-Transfer-Encoding: quoted-printable"))
    }

    @Test func serviceMailHasNoUnsubscribeHeaders() async throws {
        let peer = try SMTPPeer.start()
        defer { peer.stop() }
        let transport = CurlTransport()
        defer { transport.shutdown() }
        _ = try await gateway(peer, transport).send(OutboundMessage(
            id: 5, idempotencyKey: "k5", channel: .email, to: "li@example.com", content: MessageContent(text: "Your table is booked", subject: "Booking"),
            category: .service))
        let stored = try #require(peer.messages().first)
        #expect(Self.header("Subject", in: stored) == "Booking")
        #expect(Self.header("List-Unsubscribe", in: stored) == nil)
    }

    @Test func unknownMailboxIsAnInvalidAddressAndBusyIsTransient() async throws {
        let peer = try SMTPPeer.start()
        defer { peer.stop() }
        let transport = CurlTransport()
        defer { transport.shutdown() }
        let mail = gateway(peer, transport)
        func message(_ to: String) -> OutboundMessage {
            OutboundMessage(id: 1, idempotencyKey: "k", channel: .email, to: to, content: MessageContent(text: "x", subject: "y"), category: .service)
        }
        do {
            _ = try await mail.send(message("bounce-550@example.com"))
            Issue.record("550 was accepted")
        } catch {
            guard case .invalidAddress(let reason) = error else { Issue.record("550 gave \(error)"); return }
            #expect(reason.contains("550"))
        }
        do {
            _ = try await mail.send(message("busy-451@example.com"))
            Issue.record("451 was accepted")
        } catch {
            guard case .transient(let reason, _) = error else { Issue.record("451 gave \(error)"); return }
            #expect(reason.contains("451"))
        }
        #expect(peer.messages().isEmpty)
    }

    @Test func encodedWordsKeepWholeCharactersAndShortLines() {
        let encoded = MIMEHeader.encodedWord(String(repeating: "鸿福楼", count: 20))
        for word in encoded.components(separatedBy: "\r\n ") {
            #expect(word.count <= 75)
            #expect(Self.decodeWords(word).unicodeScalars.allSatisfy { $0 != "\u{FFFD}" })
        }
        #expect(Self.decodeWords(encoded) == String(repeating: "鸿福楼", count: 20))
        #expect(MIMEHeader.encodedWord("Plain ASCII") == "Plain ASCII")
    }
}

@Suite(.serialized, .enabled(if: SMTPPeer.isAvailable, "needs Debian's python3-aiosmtpd (make test installs it)"))
struct EmailToFaxTests {
    @Test func faxGoesAsAPDFAttachmentToTheFaxDomain() async throws {
        let peer = try SMTPPeer.start()
        defer { peer.stop() }
        let transport = CurlTransport()
        defer { transport.shutdown() }
        let gateway = SMTPGateway(
            settings: .init(
                name: "efax", url: peer.url, fromAddress: "orders@hongfulou.example", fromName: "鸿福楼", unsubscribeURL: "http://127.0.0.1/u",
                faxDomain: "fax.example.net"),
            transport: transport, signer: WebhookSigner(secret: "f"), channels: [.fax])
        let document = MessageContent.FaxDocument(title: "鸿福楼 宴会确认", lines: ["12月24日 18:30 十人宴席套餐 两桌", "合计：¥5376.00"])
        _ = try await gateway.send(OutboundMessage(
            id: 31, idempotencyKey: "banquet:B1:confirm:fax", channel: .fax, to: "+862163210002", content: MessageContent(fax: document),
            category: .service))
        let stored = try #require(peer.messages().first)
        #expect(SMTPGatewayTests.header("To", in: stored) == "<862163210002@fax.example.net>")
        #expect(SMTPGatewayTests.decodeWords(SMTPGatewayTests.header("Subject", in: stored) ?? "") == "鸿福楼 宴会确认")
        #expect(stored.contains("Content-Type: application/pdf"))
        #expect(stored.contains("filename=\"fax-31.pdf\""))
        #expect(stored.contains("Content-Transfer-Encoding: base64"))
        let base64 = stored.components(separatedBy: "filename=\"fax-31.pdf\"")[1].components(separatedBy: "\r\n\r\n")[1]
            .components(separatedBy: "\r\n--")[0].replacingOccurrences(of: "\r\n", with: "")
        let pdf = try #require(Data(base64Encoded: base64))
        #expect(try Array(pdf) == FaxDocumentPDF.render(document))
    }
}

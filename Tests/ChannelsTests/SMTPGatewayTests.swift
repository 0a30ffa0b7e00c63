@testable import Channels
import CoreModel
import Foundation
import TestSupport
import Testing

/// Email through a real SMTP server (aiosmtpd from PyPI, started by
/// scripts/smtp/server.py).
@Suite(.serialized, .enabled(if: SMTPPeer.isAvailable, "needs Debian's python3-aiosmtpd (make test installs it)"))
struct SMTPGatewayTests {
    let signer = WebhookSigner(secret: "smtp-test")

    func gateway(
        _ peer: SMTPPeer, _ transport: CurlTransport, login: (String, String)? = nil, tls: SMTPTLSMode? = nil,
        unsubscribeURL: String = "http://127.0.0.1:8080/webhooks/email/mail/unsubscribe"
    ) -> SMTPGateway {
        SMTPGateway(
            settings: .init(
                name: "mail", url: peer.url, fromAddress: "news@hongfulou.example", fromName: "鸿福楼会员中心",
                unsubscribeURL: unsubscribeURL, username: login?.0, password: login?.1, tls: tls),
            transport: transport, signer: signer)
    }

    static func message(
        _ to: String, id: Int64 = 1, uid: String = "0123456789abcdef0123456789abcdef"
    ) -> OutboundMessage {
        OutboundMessage(
            id: id, idempotencyKey: "k\(id)", channel: .email, to: to, content: MessageContent(text: "x", subject: "y"),
            category: .service, uid: uid)
    }

    /// A transport that trusts the test CA for the loopback peers, as a gateway's `ca_file` does.
    static func trustingTransport() -> CurlTransport {
        CurlTransport(policy: .init(caFiles: ["127.0.0.1": TLSFixtures.caFile]))
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
        let uid = "5f0c2a9e7d3b41c8a6e2f1d0b9c8a7e6"
        let submission = try await gateway(peer, transport).send(OutboundMessage(
            id: 901, idempotencyKey: "campaign:winter:901:email", channel: .email, to: "wang.wei@example.com", content: content,
            category: .marketing, uid: uid))
        #expect(submission.providerMessageId == "<tidings.901.\(uid)@hongfulou.example>")
        let stored = try #require(peer.messages().first)

        let rawSubject = try #require(Self.header("Subject", in: stored))
        #expect(rawSubject.hasPrefix("=?UTF-8?B?"), "subject is an RFC 2047 encoded word: \(rawSubject)")
        #expect(!rawSubject.contains("鸿"), "no raw UTF-8 in the header")
        #expect(Self.decodeWords(rawSubject) == subject)
        #expect(Self.decodeWords(Self.header("From", in: stored) ?? "").hasPrefix("鸿福楼会员中心"))
        #expect(Self.header("Message-ID", in: stored) == "<tidings.901.\(uid)@hongfulou.example>")
        // Only the one-click link: nobody reads a mailto: address, so none is offered.
        let token = signer.token(gateway: "mail", messageId: 901)
        let link = "http://127.0.0.1:8080/webhooks/email/mail/unsubscribe?id=901&token=\(token)"
        #expect(Self.header("List-Unsubscribe", in: stored) == "<\(link)>")
        #expect(Self.header("List-Unsubscribe-Post", in: stored) == "List-Unsubscribe=One-Click")
        // The same link ends both bodies (quoted-printable: "=" is "=3D", long lines are soft-broken).
        let body = Self.unQuotedPrintable(stored)
        #expect(body.contains("退订 Unsubscribe: \(link)"), "text part")
        #expect(
            body.contains("<a href=\"\(link.replacingOccurrences(of: "&", with: "&amp;"))\">退订 Unsubscribe</a>"),
            "html part")
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

    /// The server's own reply is the reason, the recipient's address in it masked.
    @Test func refusalsAreClassifiedByReplyAndKeepTheServersText() async throws {
        let peer = try SMTPPeer.start()
        defer { peer.stop() }
        let transport = CurlTransport()
        defer { transport.shutdown() }
        let mail = gateway(peer, transport)
        func refusal(_ to: String) async -> GatewayError? {
            do {
                _ = try await mail.send(Self.message(to))
                Issue.record("\(to) was accepted")
                return nil
            } catch {
                return error
            }
        }
        #expect(
            await refusal("bounce-550@example.com")
                == .invalidAddress(reason: "SMTP 550: 5.1.1 <b***@example.com>: mailbox unavailable"))
        #expect(await refusal("busy-451@example.com")
            == .transient(reason: "SMTP 451: 4.3.0 <b***@example.com>: mailbox busy, try again later", retryAfter: nil))
        #expect(
            await refusal("reject-554@example.com")
                == .permanent(reason: "SMTP 554: 5.7.1 <r***@example.com>: rejected by policy"))
        // Refused after the data: curl's own word for it was "Weird server reply".
        #expect(await refusal("spam-554@example.com") == .permanent(reason: "SMTP 554: 5.6.0 message content rejected"))
        #expect(peer.messages().isEmpty)
        // The next message on the same (reused) connection is not blamed for the last refusal.
        _ = try await mail.send(Self.message("li@example.com"))
        #expect(peer.messages().count == 1)
    }

    /// Without enhanced status codes, the reply code decides; with one, 5.1.x is the address and 5.7.x policy.
    @Test func classifiesByEnhancedStatusWhereTheServerGivesOne() {
        func classify(_ code: Int, _ reply: String?) -> GatewayError {
            SMTPGateway.classify(TransportError(
                kind: .dropped, curlCode: 55, message: "RCPT failed: \(code)", replyCode: code, serverReply: reply))
        }
        #expect(classify(550, "5.7.1 spam rejected") == .permanent(reason: "SMTP 550: 5.7.1 spam rejected"))
        #expect(
            classify(554, "5.1.1 no such user here") == .invalidAddress(reason: "SMTP 554: 5.1.1 no such user here"))
        #expect(classify(550, "no such user") == .invalidAddress(reason: "SMTP 550: no such user"))
        #expect(classify(535, "5.7.8 Authentication credentials invalid") == .auth(
            reason: "SMTP 535: 5.7.8 Authentication credentials invalid"))
        #expect(
            classify(535, "Authentication credentials invalid")
                == .auth(reason: "SMTP 535: Authentication credentials invalid"))
        #expect(classify(421, nil) == .transient(reason: "SMTP 421: RCPT failed: 421", retryAfter: nil))
        #expect(classify(452, "4.2.2 <zhang.wei@qq.com> over quota") == .transient(
            reason: "SMTP 452: 4.2.2 <z***@qq.com> over quota", retryAfter: nil))
    }

    @Test func messageIdIsTheRowsUidSoRetriesKeepItAndDatabasesDoNotShareIt() async throws {
        let peer = try SMTPPeer.start()
        defer { peer.stop() }
        let transport = CurlTransport()
        defer { transport.shutdown() }
        let mail = gateway(peer, transport)
        let first = try await mail.send(
            Self.message("li@example.com", id: 7, uid: "aa".padding(toLength: 32, withPad: "0", startingAt: 0)))
        let retried = try await mail.send(
            Self.message("li@example.com", id: 7, uid: "aa".padding(toLength: 32, withPad: "0", startingAt: 0)))
        let otherDatabase = try await mail.send(
            Self.message("li@example.com", id: 7, uid: "bb".padding(toLength: 32, withPad: "0", startingAt: 0)))
        #expect(first.providerMessageId == retried.providerMessageId)
        #expect(first.providerMessageId != otherDatabase.providerMessageId)
        #expect(
            peer.messages().map { Self.header("Message-ID", in: $0) }
                == [first, retried, otherDatabase].map(\.providerMessageId))
    }

    @Test func unsubscribeOverPlainHTTPBeyondLoopbackIsNoOneClick() async throws {
        let peer = try SMTPPeer.start()
        defer { peer.stop() }
        let transport = CurlTransport()
        defer { transport.shutdown() }
        var message = Self.message("li@example.com")
        message.category = .marketing
        _ = try await gateway(
            peer, transport, unsubscribeURL: "http://tidings.example.cn/webhooks/email/mail/unsubscribe"
        ).send(message)
        _ = try await gateway(
            peer, transport, unsubscribeURL: "https://tidings.example.cn/webhooks/email/mail/unsubscribe"
        ).send(message)
        let stored = peer.messages()
        #expect(stored.count == 2)
        #expect(Self.header("List-Unsubscribe", in: stored[0])?.hasPrefix("<http://tidings.example.cn/") == true)
        #expect(Self.header("List-Unsubscribe-Post", in: stored[0]) == nil)
        #expect(Self.header("List-Unsubscribe", in: stored[1])?.hasPrefix("<https://tidings.example.cn/") == true)
        #expect(Self.header("List-Unsubscribe-Post", in: stored[1]) == "List-Unsubscribe=One-Click")
    }

    /// Decodes quoted-printable soft breaks and =XX bytes of a whole raw message (good enough to search it).
    static func unQuotedPrintable(_ raw: String) -> String {
        var bytes: [UInt8] = []
        let source = Array(raw.replacingOccurrences(of: "=\r\n", with: "").utf8)
        var index = 0
        while index < source.count {
            if source[index] == UInt8(ascii: "="), index + 2 < source.count,
                let value = UInt8(String(decoding: source[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                index += 3
            } else {
                bytes.append(source[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
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

    /// A complaint's work order by email: the text in the body, the sheet attached as the same PDF a fax would be.
    @Test func anEmailCarriesItsAttachmentAsAPDF() async throws {
        let peer = try SMTPPeer.start()
        defer { peer.stop() }
        let transport = CurlTransport()
        defer { transport.shutdown() }
        let gateway = SMTPGateway(
            settings: .init(
                name: "mail", url: peer.url, fromAddress: "service@hongfulou.example", fromName: "鸿福楼",
                unsubscribeURL: "http://127.0.0.1/u"),
            transport: transport, signer: WebhookSigner(secret: "f"), channels: [.email])
        let sheet = MessageContent.FaxDocument(title: "鸿福楼投诉处理单 C123", lines: ["处理部门：配送部", "处理时限：6月2日 14:00 前"])
        _ = try await gateway.send(OutboundMessage(
            id: 32, idempotencyKey: "complaint:C123:department", channel: .email, to: "delivery@example.com",
            content: MessageContent(text: "投诉C123已派给贵部门", subject: "派单：投诉C123", attachment: sheet), category: .service))
        let stored = try #require(peer.messages().first)
        #expect(SMTPGatewayTests.header("To", in: stored) == "<delivery@example.com>")
        #expect(stored.contains("filename=\"document-32.pdf\""))
        let base64 = stored.components(separatedBy: "filename=\"document-32.pdf\"")[1].components(separatedBy: "\r\n\r\n")[1]
            .components(separatedBy: "\r\n--")[0].replacingOccurrences(of: "\r\n", with: "")
        let pdf = try #require(Data(base64Encoded: base64))
        #expect(pdf.starts(with: Array("%PDF".utf8)))
        #expect(try Array(pdf) == FaxDocumentPDF.render(sheet))
    }
}

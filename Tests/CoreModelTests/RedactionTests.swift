import CoreModel
import Testing

struct RedactionTests {
    @Test(arguments: [
        ("451 4.3.0 <busy-451@example.com>: mailbox busy", "451 4.3.0 <b***@example.com>: mailbox busy"),
        ("550 5.1.1 zhang.wei@qq.com does not exist.", "550 5.1.1 z***@qq.com does not exist."),
        ("from a@b.cn to li.na+vip@mail.example.com", "from a***@b.cn to l***@mail.example.com"),
        ("no address here", "no address here"),
        ("a lone @ sign, and user@ with no domain", "a lone @ sign, and user@ with no domain"),
        ("王芳@例子.中国 收件人", "王***@例子.中国 收件人"),
    ])
    func emailsInsideFreeTextAreMasked(text: String, masked: String) {
        #expect(Redaction.emails(in: text) == masked)
    }
}

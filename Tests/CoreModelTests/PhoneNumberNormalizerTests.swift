import CoreModel
import Testing

struct PhoneNumberNormalizerTests {
    let cn = PhoneNumberNormalizer(defaultRegion: "CN")

    @Test(arguments: [
        ("13812345678", "+8613812345678"),
        ("138 1234 5678", "+8613812345678"),
        ("138-1234-5678", "+8613812345678"),
        ("+86 138 1234 5678", "+8613812345678"),
        ("+86-13812345678", "+8613812345678"),
        ("008613812345678", "+8613812345678"),
        ("8613812345678", "+8613812345678"),
        ("１３８１２３４５６７８", "+8613812345678"),
        ("010-12345678", "+861012345678"),
        ("(021) 8765 4321", "+862187654321"),
        ("0755-1234567", "+867551234567"),
        ("0571 87654321", "+8657187654321"),
        ("+86 10 12345678", "+861012345678"),
        ("+86 010 12345678", "+861012345678"),
        ("400-123-4567", "+864001234567"),
        ("+852 9123 4567", "+85291234567"),
        ("+1 415 555 0134", "+14155550134"),
        ("0044 20 7946 0958", "+442079460958"),
    ])
    func normalizes(_ input: String, _ expected: String) throws {
        #expect(try cn.normalize(input).get().e164 == expected)
    }

    @Test(arguments: [
        ("1381234567", "11 digits"),
        ("138123456789", "11 digits"),
        ("12812345678", "mobile prefix"),
        ("62345678", "without area code"),
        ("010-1234567", "must have 8"),
        ("0755-123456", "7 or 8"),
        ("138abc45678", "unexpected character"),
        ("13+812345678", "'+' may only"),
        ("", "empty"),
        ("+0123456789", "cannot start with 0"),
        ("+1234", "8 to 15"),
    ])
    func rejects(_ input: String, _ reasonFragment: String) {
        guard case .failure(let rejection) = cn.normalize(input) else {
            Issue.record("\(input) was accepted")
            return
        }
        #expect(rejection.reason.contains(reasonFragment), "\(input): \(rejection.reason)")
    }

    @Test func otherDefaultRegionsReadNationalNumbers() throws {
        #expect(try PhoneNumberNormalizer(defaultRegion: "HK").normalize("9123 4567").get().e164 == "+85291234567")
        #expect(try PhoneNumberNormalizer(defaultRegion: "GB").normalize("020 7946 0958").get().e164 == "+442079460958")
        #expect(try PhoneNumberNormalizer(defaultRegion: "HK").normalize("+86 13812345678").get().e164 == "+8613812345678")
    }

    @Test func invalidContactsAreKeptWithAReason() {
        let field = cn.contact("138-1234")
        #expect(field.status == .invalid)
        #expect(field.value == "138-1234")
        #expect(field.reason?.contains("11 digits") == true)
        #expect(cn.contact("  ") == .missing)
    }

    @Test func faxRefusesMobiles() {
        #expect(cn.faxContact("13812345678").status == .invalid)
        #expect(cn.faxContact("021-87654321") == .valid("+862187654321"))
    }

    @Test(arguments: [
        ("Zhang.Wei@QQ.com", "Zhang.Wei@qq.com"), ("a+tag@mail.example.cn", "a+tag@mail.example.cn"), (" li@163.com ", "li@163.com"),
    ])
    func emailsAccepted(_ input: String, _ expected: String) throws {
        #expect(try EmailAddressValidator.normalize(input).get() == expected)
    }

    @Test(arguments: ["zhangwei", "a@b", "a@@b.com", ".a@b.com", "a..b@c.com", "a@-b.com", "a@b.c0m", "张伟@qq.com", "a@b..com"])
    func emailsRejected(_ input: String) {
        #expect(throws: PhoneNumberNormalizer.Rejection.self) { try EmailAddressValidator.normalize(input).get() }
    }

    @Test func masking() {
        #expect(Redaction.phone("+8613812345678") == "+86138****5678")
        #expect(Redaction.email("zhang.wei@qq.com") == "z***@qq.com")
        #expect(!Redaction.address("+8613812345678").contains("1234"))
    }
}

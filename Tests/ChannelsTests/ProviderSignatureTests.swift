import Channels
import Testing

/// Signatures checked against the providers' own published examples.
struct TwilioSignatureTests {
    // Twilio's documented validation example (docs and helper-library tests).
    let token = "12345"
    let url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    let parameters = [
        ("CallSid", "CA1234567890ABCDE"), ("Caller", "+14158675309"), ("Digits", "1234"), ("From", "+14158675309"), ("To", "+18005551212"),
    ]

    @Test func publishedExampleValidates() {
        #expect(TwilioSignature.compute(authToken: token, url: url, parameters: parameters) == "RSOYDt4T1cUTdK1PDd93/VVr8B8=")
        #expect(TwilioSignature.isValid(signature: "RSOYDt4T1cUTdK1PDd93/VVr8B8=", authToken: token, url: url, parameters: parameters.reversed()))
    }

    @Test func publishedRepeatedParameterExample() {
        let repeated = [("Sid", "CA123"), ("SidAccount", "AC123"), ("Digits", "5678"), ("Digits", "1234"), ("Digits", "1234")]
        #expect(TwilioSignature.compute(authToken: token, url: url, parameters: repeated) == "IK+Dwps556ElfBT0I3Rgjkr1wJU=")
    }

    @Test func anyChangeBreaksIt() {
        let good = "RSOYDt4T1cUTdK1PDd93/VVr8B8="
        #expect(!TwilioSignature.isValid(signature: good, authToken: "54321", url: url, parameters: parameters))
        #expect(!TwilioSignature.isValid(signature: good, authToken: token, url: url + "&x=1", parameters: parameters))
        #expect(!TwilioSignature.isValid(signature: good, authToken: token, url: url, parameters: parameters.map { $0.0 == "Digits" ? ("Digits", "9") : $0 }))
        #expect(!TwilioSignature.isValid(signature: "forged", authToken: token, url: url, parameters: parameters))
    }

    @Test func publishedJSONBodyExample() {
        let body = Array(#"{"property": "value", "boolean": true}"#.utf8)
        let signed = url + "&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"
        let signature = TwilioSignature.compute(authToken: token, url: signed, parameters: [])
        #expect(TwilioSignature.isValid(signature: signature, authToken: token, url: signed, body: body))
        #expect(!TwilioSignature.isValid(signature: signature, authToken: token, url: signed, body: Array("{}".utf8)))
    }
}

struct AliyunSignatureTests {
    // The SendSms example of Alibaba Cloud's SMS signature documentation.
    let sendSms = [
        "AccessKeyId": "testId", "Action": "SendSms", "Format": "XML", "OutId": "123", "PhoneNumbers": "15300000001",
        "RegionId": "cn-hangzhou", "SignName": "阿里云短信测试专用", "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466", "SignatureVersion": "1.0", "TemplateCode": "SMS_71390007",
        "TemplateParam": #"{"customer":"test"}"#, "Timestamp": "2017-07-12T02:42:19Z", "Version": "2017-05-25",
    ]

    @Test func publishedSendSmsExample() {
        #expect(AliyunSignature.stringToSign(sendSms) == "GET&%2F&AccessKeyId%3DtestId%26Action%3DSendSms%26Format%3DXML%26OutId%3D123%26PhoneNumbers%3D15300000001%26RegionId%3Dcn-hangzhou%26SignName%3D%25E9%2598%25BF%25E9%2587%258C%25E4%25BA%2591%25E7%259F%25AD%25E4%25BF%25A1%25E6%25B5%258B%25E8%25AF%2595%25E4%25B8%2593%25E7%2594%25A8%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D45e25e9b-0a6f-4070-8c85-2956eda1b466%26SignatureVersion%3D1.0%26TemplateCode%3DSMS_71390007%26TemplateParam%3D%257B%2522customer%2522%253A%2522test%2522%257D%26Timestamp%3D2017-07-12T02%253A42%253A19Z%26Version%3D2017-05-25")
        #expect(AliyunSignature.sign(sendSms, accessKeySecret: "testSecret") == "zJDF+Lrzhj/ThnlvIToysFRq6t4=")
    }

    @Test func publishedRPCExample() {
        // The DescribeRegions example of the RPC signature documentation.
        let parameters = [
            "Format": "XML", "AccessKeyId": "testid", "Action": "DescribeRegions", "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf", "SignatureVersion": "1.0", "Version": "2014-05-26",
            "Timestamp": "2016-02-23T12:46:24Z",
        ]
        #expect(AliyunSignature.sign(parameters, accessKeySecret: "testsecret") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY=")
    }

    @Test func percentEncodingFollowsPOPRules() {
        #expect(AliyunSignature.percentEncode("a b") == "a%20b")
        #expect(AliyunSignature.percentEncode("*") == "%2A")
        #expect(AliyunSignature.percentEncode("~-_.") == "~-_.")
        #expect(AliyunSignature.percentEncode("/=&+") == "%2F%3D%26%2B")
        #expect(AliyunSignature.percentEncode("鸿") == "%E9%B8%BF")
    }

    @Test func existingSignatureParameterIsIgnoredAndChangesBreakIt() {
        var withOld = sendSms
        withOld["Signature"] = "old"
        #expect(AliyunSignature.sign(withOld, accessKeySecret: "testSecret") == "zJDF+Lrzhj/ThnlvIToysFRq6t4=")
        var changed = sendSms
        changed["PhoneNumbers"] = "15300000002"
        #expect(AliyunSignature.sign(changed, accessKeySecret: "testSecret") != "zJDF+Lrzhj/ThnlvIToysFRq6t4=")
    }
}

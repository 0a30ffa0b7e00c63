import Channels
import Testing

/// The CCurl module links and libcurl speaks what the adapters need.
struct CurlRuntimeTests {
    @Test func libcurlIsLinkedWithHTTPAndSMTP() {
        #expect(CurlRuntime.version.hasPrefix("libcurl/"))
        let protocols = Set(CurlRuntime.protocols)
        for needed in ["http", "https", "smtp", "smtps"] {
            #expect(protocols.contains(needed), "libcurl lacks \(needed)")
        }
    }
}

import CCurl

/// libcurl's process-wide state. `curl_global_init` runs exactly once, from a
/// static initialiser, before any handle exists.
public enum CurlRuntime {
    private static let initResult: CURLcode = curl_global_init(Int(CURL_GLOBAL_ALL))

    /// Initialises libcurl if needed and returns its version string.
    public static var version: String {
        _ = initResult
        guard let raw = curl_version() else { return "unknown" }
        return String(cString: raw)
    }

    /// Protocols this libcurl was built with (http, https, smtp, …).
    public static var protocols: [String] {
        _ = initResult
        guard let info = tidings_version_info(), let list = info.pointee.protocols else { return [] }
        var result: [String] = []
        var cursor = list
        while let entry = cursor.pointee {
            result.append(String(cString: entry))
            cursor = cursor.advanced(by: 1)
        }
        return result
    }

    static func ensureInitialised() -> Bool { initResult == CURLE_OK }
}

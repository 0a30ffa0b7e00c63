import Foundation

/// How an SMTP gateway secures its connection (`options.tls`). The peer's
/// certificate is always verified (against the gateway's `ca_file` when set).
public enum SMTPTLSMode: String, Sendable, CaseIterable {
    /// Plain connection upgraded with STARTTLS before anything else; a server
    /// that does not offer it is refused, so AUTH and the message never go in clear.
    case starttls
    /// TLS from the first byte: an smtps:// url (port 465).
    case implicit
    /// No TLS: a relay on loopback, or an unauthenticated relay chosen explicitly.
    case none

    /// Why a gateway's `tls` (or its url) cannot be used; `key` is under the gateway's entry.
    public struct Refusal: Error, Sendable, Equatable {
        public var key: [String]
        public var message: String
    }

    /// The mode when `options.tls` is not given: an smtps:// url is implicit
    /// TLS; credentials or a host beyond loopback get starttls (AUTH, member
    /// data and the message never cross a network in clear unless asked);
    /// an unauthenticated relay on loopback gets none.
    public static func implied(url: String, hasCredentials: Bool) -> SMTPTLSMode {
        if scheme(of: url) == "smtps" { return .implicit }
        if hasCredentials { return .starttls }
        guard let host = CurlTransport.hostAndPort(of: url)?.host else { return .starttls }
        return CurlTransport.Policy.isLoopback(host) ? .none : .starttls
    }

    /// `option` checked against the url and the credentials, or the implied mode when it is nil.
    public static func resolve(option: String?, url: String, hasCredentials: Bool) -> Result<SMTPTLSMode, Refusal> {
        let scheme = scheme(of: url)
        guard scheme == "smtp" || scheme == "smtps" else {
            return .failure(
                Refusal(key: ["url"], message: "an smtp gateway's url is smtp://host[:port] or smtps://host[:port]"))
        }
        guard let option else { return .success(implied(url: url, hasCredentials: hasCredentials)) }
        guard let mode = SMTPTLSMode(rawValue: option.lowercased()) else {
            return .failure(
                Refusal(key: ["options", "tls"], message: "must be starttls, implicit or none (found '\(option)')"))
        }
        switch (mode, scheme) {
        case (.implicit, "smtp"):
            return .failure(Refusal(
                key: ["options", "tls"],
                message: "implicit TLS needs an smtps:// url (usually port 465); smtp:// takes starttls"))
        case (.starttls, "smtps"), (.none, "smtps"):
            return .failure(Refusal(
                key: ["options", "tls"], message: "\(mode.rawValue) contradicts the smtps:// url, which is implicit TLS"))
        default: break
        }
        if mode == .none, hasCredentials {
            let host = CurlTransport.hostAndPort(of: url)?.host ?? url
            if !CurlTransport.Policy.isLoopback(host) {
                return .failure(Refusal(
                    key: ["options", "tls"],
                    message: "none would send the credentials (AUTH) and the mail in clear to \(host); "
                        + "use starttls or implicit (none with credentials is allowed to loopback only)"))
            }
        }
        return .success(mode)
    }

    private static func scheme(of url: String) -> String {
        guard let end = url.range(of: "://") else { return "" }
        return url[..<end.lowerBound].lowercased()
    }
}

import Foundation

/// A real SMTP server (aiosmtpd, scripts/smtp/server.py) on a free loopback
/// port, storing what it accepts; stops after 5 minutes on its own.
public struct SMTPPeer {
    /// How the peer secures its connections (with the test CA's `localhost` certificate).
    public enum Security: String {
        /// Plain SMTP, no STARTTLS offered.
        case none
        /// STARTTLS offered and required before MAIL (and before AUTH).
        case starttls
        /// TLS from the first byte (smtps).
        case implicit
    }

    public let directory: URL
    public let url: String
    private let pid: pid_t

    /// Debian's python3 with its python3-aiosmtpd package (make test installs it).
    public static var python: String? {
        let system = "/usr/bin/python3"
        let module = "/usr/lib/python3/dist-packages/aiosmtpd"
        return FileManager.default.isExecutableFile(atPath: system) && FileManager.default.fileExists(atPath: module) ? system : nil
    }

    public static var isAvailable: Bool { python != nil }

    /// - Parameter auth: "user:password" the peer requires (over a plain
    ///   peer it offers AUTH in clear, as a careless server would).
    public static func start(security: Security = .none, auth: String? = nil) throws -> SMTPPeer {
        guard let python else { throw PeerError(message: "needs Debian's python3-aiosmtpd (make test installs it)") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-smtp-\(UUID().uuidString)")
        let port = LocalPorts.block(1)
        let script = repositoryRoot.appendingPathComponent("scripts/smtp/server.py").path
        var arguments = [python, script, directory.path, String(port), "300", "--tls", security.rawValue]
        if security != .none { arguments += ["--cert", TLSFixtures.certificate, "--key", TLSFixtures.key] }
        if let auth { arguments += ["--auth", auth] }
        let pid = try spawnDetached(arguments)
        let ready = directory.appendingPathComponent("ready")
        for _ in 0..<200 where !FileManager.default.fileExists(atPath: ready.path) { usleep(25_000) }
        guard FileManager.default.fileExists(atPath: ready.path) else { throw PeerError(message: "aiosmtpd did not start") }
        let scheme = security == .implicit ? "smtps" : "smtp"
        return SMTPPeer(directory: directory, url: "\(scheme)://127.0.0.1:\(port)", pid: pid)
    }

    public func stop() {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        try? FileManager.default.removeItem(at: directory)
    }

    /// The raw messages stored so far, oldest first.
    public func messages() -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".eml") }.sorted().compactMap {
            try? String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8)
        }
    }

    /// STARTTLS, AUTH, MAIL and RCPT as the peer received them, each with how
    /// it came: "AUTH tls", "MAIL clear"…
    public func commands() -> [String] {
        let log = directory.appendingPathComponent("commands.log")
        return ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }
}

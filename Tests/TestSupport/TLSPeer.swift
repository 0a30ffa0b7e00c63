import Foundation

/// The test CA and the `localhost` certificate it signed (Tests/TestSupport/TLS).
public enum TLSFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("TLS")
    /// The CA a gateway's `ca_file` names to trust the loopback peers.
    public static var caFile: String { directory.appendingPathComponent("ca.pem").path }
    public static var certificate: String { directory.appendingPathComponent("localhost.pem").path }
    public static var key: String { directory.appendingPathComponent("localhost.key").path }
}

/// A real HTTPS server (python3's http.server behind ssl, scripts/tls/server.py)
/// on a free loopback port with the test CA's `localhost` certificate;
/// answers 200 to everything and stops after 2 minutes on its own.
public struct TLSPeer {
    public let directory: URL
    public let port: Int
    private let pid: pid_t

    public static func start() throws -> TLSPeer {
        let python = "/usr/bin/python3"
        guard FileManager.default.isExecutableFile(atPath: python) else { throw PeerError(message: "needs python3") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-tls-\(UUID().uuidString)")
        let port = LocalPorts.block(1)
        let script = repositoryRoot.appendingPathComponent("scripts/tls/server.py").path
        let pid = try spawnDetached([
            python, script, directory.path, String(port), TLSFixtures.certificate, TLSFixtures.key, "120",
        ])
        let ready = directory.appendingPathComponent("ready")
        for _ in 0..<200 where !FileManager.default.fileExists(atPath: ready.path) { usleep(25_000) }
        guard FileManager.default.fileExists(atPath: ready.path) else { throw PeerError(message: "the TLS peer did not start") }
        return TLSPeer(directory: directory, port: port, pid: pid)
    }

    /// https://localhost:PORT (the name its certificate carries).
    public var url: String { "https://localhost:\(port)" }

    public func stop() {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        try? FileManager.default.removeItem(at: directory)
    }
}

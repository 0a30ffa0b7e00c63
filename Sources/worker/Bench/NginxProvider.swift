import Foundation

/// A provider we did not write: Debian's nginx-light on a loopback port,
/// answering every POST to /sms with 200 and a JSON id. With `lateEvery`,
/// requests whose X-Ref header (our message id) ends in one of the suffixes
/// are passed to an upstream that takes the connection and never answers —
/// answers late by more than any client timeout.
struct NginxProvider {
    let process: Process
    let directory: URL
    let port: Int
    let blackHole: BlackHole?

    var url: String { "http://127.0.0.1:\(port)/sms" }

    static let binary = "/usr/sbin/nginx"

    /// `lateSuffixes`, e.g. ["000", "500"]: 0.2 % of consecutive ids.
    static func start(port: Int, lateSuffixes: [String] = []) throws -> NginxProvider {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw BenchError("needs nginx (apt-get install nginx-light)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-nginx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let hole = lateSuffixes.isEmpty ? nil : try BlackHole()
        let late = hole.map { hole in
            (
                """
                map $http_x_ref $late { default 0; "~(\(lateSuffixes.joined(separator: "|")))$" 1; }
                upstream hole { server 127.0.0.1:\(hole.port); }
                """,
                "if ($late) { rewrite ^ /late last; }",
                "location /late { internal; proxy_pass http://hole; proxy_read_timeout 300s; proxy_connect_timeout 300s; }"
            )
        }
        let temp = directory.path
        try """
            worker_processes 1;
            daemon off;
            pid \(temp)/nginx.pid;
            error_log \(temp)/error.log crit;
            events { worker_connections 8192; }
            http {
              access_log off;
              client_body_temp_path \(temp)/body; proxy_temp_path \(temp)/proxy; fastcgi_temp_path \(temp)/fastcgi;
              uwsgi_temp_path \(temp)/uwsgi; scgi_temp_path \(temp)/scgi;
              keepalive_requests 10000000;
              \(late?.0 ?? "")
              server {
                listen 127.0.0.1:\(port) backlog=4096;
                location /sms {
                  \(late?.1 ?? "")
                  default_type application/json;
                  return 200 '{"code":0,"msg_id":"$request_id"}';
                }
                \(late?.2 ?? "")
              }
            }
            """.write(to: directory.appendingPathComponent("nginx.conf"), atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["-p", temp, "-c", directory.appendingPathComponent("nginx.conf").path]
        process.standardError = FileHandle.nullDevice
        try process.run()
        return NginxProvider(process: process, directory: directory, port: port, blackHole: hole)
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }

    var cpuSeconds: Double { DispatchBench.cpuSeconds(pid: process.processIdentifier) }
}

/// A loopback socket that listens and never accepts: connections complete in
/// the kernel's backlog and their requests are never answered.
final class BlackHole: Sendable {
    let port: Int
    private let descriptor: Int32

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.descriptor = descriptor
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(descriptor, 4096) == 0 else { throw BenchError("cannot open the black-hole socket") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(descriptor, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(descriptor) }
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Free loopback ports for the peers a test starts.
public enum LocalPorts {
    public static func isFree(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// A run of `count` free consecutive ports.
    public static func block(_ count: Int) -> Int {
        for _ in 0..<200 {
            let base = Int.random(in: 20_000...60_000)
            if (base..<base + count).allSatisfy(isFree) { return base }
        }
        return 45_000
    }
}

/// The repository root, for the project's scripts.
public let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Runs a command and returns its exit status and output.
///
/// Spawned with posix_spawn and an empty signal mask: Foundation's Process
/// passes on the test thread's blocked signals, and a `timeout` or a daemon
/// started with SIGALRM/SIGTERM blocked never stops. Output goes to a file,
/// not a pipe, because daemons the command starts inherit the descriptor.
@discardableResult
public func runCommand(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
    let log = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-command-\(UUID().uuidString).log")
    defer { try? FileManager.default.removeItem(at: log) }
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    let pid = try spawn(["/usr/bin/env"] + arguments, output: log.path, environment: env)
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let exitStatus: Int32 = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    return (exitStatus, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
}

/// Starts a long-running program with default signal handling and its output
/// discarded; returns its pid (the caller stops and reaps it).
public func spawnDetached(_ arguments: [String]) throws -> pid_t {
    try spawn(arguments, output: nil, environment: nil)
}

/// posix_spawn of `arguments[0]` with an empty signal mask and default
/// handlers, stdin from /dev/null, stdout and stderr into `output` (nil:
/// discarded), and `environment` (nil: ours).
private func spawn(_ arguments: [String], output: String?, environment: [String: String]?) throws -> pid_t {
    var attributes = posix_spawnattr_t()
    defaultSignalAttributes(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    if let output {
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    } else {
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    }
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    let argv = arguments.map { strdup($0) } + [nil]
    let envp = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
    defer {
        argv.forEach { free($0) }
        envp?.forEach { free($0) }
    }
    var pid: pid_t = 0
    let result = envp.map { posix_spawn(&pid, arguments[0], &actions, &attributes, argv, $0) }
        ?? posix_spawn(&pid, arguments[0], &actions, &attributes, argv, environ)
    guard result == 0 else { throw PeerError(message: "cannot start \(arguments[0]): \(result)") }
    return pid
}

/// Spawn attributes with no blocked signals and default handlers.
private func defaultSignalAttributes(_ attributes: inout posix_spawnattr_t) {
    posix_spawnattr_init(&attributes)
    var empty = sigset_t()
    sigemptyset(&empty)
    posix_spawnattr_setsigmask(&attributes, &empty)
    var all = sigset_t()
    sigfillset(&all)
    posix_spawnattr_setsigdefault(&attributes, &all)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
}

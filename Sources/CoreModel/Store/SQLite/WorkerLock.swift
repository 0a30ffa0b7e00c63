import Foundation

/// One sending worker per SQLite file. Leases in one file are exclusive, but
/// a second worker would keep its own rate buckets, breakers and lane shares,
/// so the budgets the config promises would double; several workers are the
/// PostgreSQL store's job. The lock is an `flock` on `<database>.worker`: the
/// kernel drops it when the process dies (kill -9 included), so a stale file
/// never blocks a restart, and the file names the holder for the refusal.
public final class WorkerLock: Sendable {
    /// Who holds the lock, as written in the lock file.
    public struct Holder: Sendable, Hashable, CustomStringConvertible {
        public var owner: String
        public var host: String
        public var pid: Int32
        public var since: Date

        public var description: String {
            "host \(host), pid \(pid), since \(ISO8601DateFormatter().string(from: since)) (lease owner \(owner))"
        }
    }

    public let path: String
    public let holder: Holder
    private let descriptor: Int32

    /// Takes the lock for `owner`, or throws `store.locked` naming the worker that holds it.
    public init(database: String, owner: String, now: Date = Date()) throws {
        path = database + ".worker"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw StoreError(.cannotOpen, place: path, message: "cannot open the worker lock: \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let other = Self.read(fd)
            close(fd)
            let who = other.map(\.description) ?? "a process that has not written its name yet"
            throw StoreError(
                .locked, place: database,
                message: "another worker is sending from this database: \(who). "
                    + "One worker per SQLite file; stop that one first (several workers need the PostgreSQL store)")
        }
        descriptor = fd
        holder = Holder(
            owner: owner, host: ProcessInfo.processInfo.hostName, pid: ProcessInfo.processInfo.processIdentifier, since: now)
        let line = "\(holder.owner)\t\(holder.host)\t\(holder.pid)\t\(Int64(now.timeIntervalSince1970 * 1000))\n"
        _ = ftruncate(fd, 0)
        _ = line.withCString { pwrite(fd, $0, strlen($0), 0) }
    }

    deinit {
        _ = ftruncate(descriptor, 0)
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// The holder named in an open lock file, if it wrote one.
    private static func read(_ fd: Int32) -> Holder? {
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = pread(fd, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        let fields = String(decoding: buffer[..<count], as: UTF8.self)
            .trimmingCharacters(in: .newlines).split(separator: "\t", omittingEmptySubsequences: false)
        guard fields.count == 4, let pid = Int32(fields[2]), let millis = Int64(fields[3]) else { return nil }
        return Holder(
            owner: String(fields[0]), host: String(fields[1]), pid: pid,
            since: Date(timeIntervalSince1970: Double(millis) / 1000))
    }
}

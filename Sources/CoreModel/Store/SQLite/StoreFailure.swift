import Foundation
import GRDB

/// SQLite's answers a user can act on, in words: "database FILE is read-only
/// (…)" rather than "attempt to write a readonly database", and a full disk
/// as such. Everything else passes through unchanged.
enum StoreFailure {
    static func translate(_ error: any Error, path: String) -> any Error {
        guard let error = error as? DatabaseError else { return error }
        switch error.resultCode {
        case .SQLITE_READONLY:
            return readOnly(path, detail: readOnlyReason(path) ?? error.message ?? "SQLite refused to write")
        case .SQLITE_FULL:
            return StoreError(
                .diskFull, place: path,
                message:
                    "the disk holding database \(path) is full (\(error.message ?? "SQLITE_FULL")); free space and it resumes"
            )
        case .SQLITE_CANTOPEN, .SQLITE_IOERR, .SQLITE_PERM, .SQLITE_AUTH:
            if let reason = readOnlyReason(path) { return readOnly(path, detail: reason) }
            return error
        default:
            return error
        }
    }

    static func readOnly(_ path: String, detail: String) -> StoreError {
        StoreError(.readOnly, place: path, message: "database \(path) is read-only (\(detail))")
    }

    /// Why this process cannot write `path`, if it cannot: the file, or its
    /// directory, where SQLite keeps the -wal and -shm files beside it.
    static func readOnlyReason(_ path: String) -> String? {
        // Only a refusal: a missing directory is not a read-only one.
        func refused(_ target: String) -> String? {
            guard access(target, W_OK) != 0, [EACCES, EPERM, EROFS].contains(errno) else { return nil }
            return String(cString: strerror(errno))
        }
        if FileManager.default.fileExists(atPath: path), let why = refused(path) {
            return "the file is not writable: \(why)"
        }
        // With its -wal and -shm files present and writable, SQLite needs nothing more of the directory.
        let sidecars = [path + "-wal", path + "-shm"]
        if sidecars.allSatisfy({ FileManager.default.fileExists(atPath: $0) && access($0, W_OK) == 0 }) { return nil }
        let directory = (path as NSString).deletingLastPathComponent
        let folder = directory.isEmpty ? "." : directory
        if let why = refused(folder) {
            let name = (path as NSString).lastPathComponent
            return "its directory \(folder) is not writable, and SQLite keeps \(name)-wal and \(name)-shm there: \(why)"
        }
        return nil
    }
}

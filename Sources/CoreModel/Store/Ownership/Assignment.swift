import Foundation

/// One row of an assignments import: this member is owned by this manager.
/// All rows of one import run (same file, same start) form one batch.
public struct Assignment: Sendable, Hashable {
    public var memberNo: String
    public var staffNo: String
    /// The file it came from and when that import started: the batch it belongs to.
    public var file: String
    public var importedAt: Date
    public var actor: String

    public init(memberNo: String, staffNo: String, file: String, importedAt: Date, actor: String) {
        self.memberNo = memberNo
        self.staffNo = staffNo
        self.file = file
        self.importedAt = importedAt
        self.actor = actor
    }
}

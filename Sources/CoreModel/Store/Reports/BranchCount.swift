import Foundation

/// How many of one figure one branch had in one hour (see `BranchFigure`).
public struct BranchCount: Sendable, Hashable {
    /// The branch's code; `-` for what no branch can be named for (a complaint with neither order nor home branch).
    public var branch: String
    /// The hour's start.
    public var hour: Date
    public var figure: BranchFigure
    /// The source, outcome, department, score or channel.
    public var label: String
    /// Hours to resolve (`resolved`); 0 elsewhere.
    public var bucket: Int
    public var count: Int

    public init(branch: String, hour: Date, figure: BranchFigure, label: String, bucket: Int = 0, count: Int) {
        self.branch = branch
        self.hour = hour
        self.figure = figure
        self.label = label
        self.bucket = bucket
        self.count = count
    }
}

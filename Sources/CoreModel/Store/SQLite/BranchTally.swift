import GRDB

/// What the triggers on orders, delivery feedback and complaints count for
/// the branch report (see `BranchFigure`), written once as SQL over a row
/// alias: the triggers read it over `NEW` and `OLD`, the recount over the
/// table, so the two cannot count differently. A row counts at the branch
/// its order (else, for a complaint, its member) had when the row was written.
enum BranchTally {
    struct Figure: Sendable {
        var figure: BranchFigure
        var label: @Sendable (String) -> String
        /// The row's time (unix ms) that names its hour.
        var at: @Sendable (String) -> String
        var bucket: @Sendable (String) -> String = { _ in "0" }
        var condition: @Sendable (String) -> String = { _ in "1" }
    }

    struct Source: Sendable {
        var table: String
        var branch: @Sendable (String) -> String
        /// The columns whose change can move the row's counts.
        var columns: [String]
        var figures: [Figure]
    }

    static let sources = [
        Source(
            table: "orders", branch: { "\($0).branch_id" }, columns: ["branch_id", "source", "ordered_at"],
            figures: [Figure(figure: .order, label: { "\($0).source" }, at: { "\($0).ordered_at" })]),
        Source(
            table: "delivery_feedback",
            branch: { "COALESCE((SELECT branch_id FROM orders WHERE id = \($0).order_id), 0)" },
            columns: ["order_id", "outcome", "recorded_at"],
            figures: [Figure(figure: .delivery, label: { "\($0).outcome" }, at: { "\($0).recorded_at" })]),
        Source(
            table: "complaints",
            branch: {
                """
                COALESCE((SELECT branch_id FROM orders WHERE id = \($0).order_id),
                  (SELECT branch_id FROM members WHERE id = \($0).member_id), 0)
                """
            },
            columns: ["member_id", "order_id", "department", "status", "opened_at", "resolved_at"],
            figures: [
                Figure(figure: .complaint, label: { "\($0).department" }, at: { "\($0).opened_at" }),
                Figure(
                    figure: .resolved, label: { "\($0).department" }, at: { "\($0).resolved_at" },
                    bucket: { "MAX(0, (\($0).resolved_at - \($0).opened_at + 3599999) / 3600000)" },
                    condition: {
                        "(\($0).status = 'resolved' OR \($0).status = 'closed') AND \($0).resolved_at IS NOT NULL"
                    }),
            ]),
    ]

    /// The figures the triggers keep (the others are folded by id).
    static var figures: [BranchFigure] { sources.flatMap { $0.figures.map(\.figure) } }

    /// Insert, update and delete triggers appending each change to `branch_changes`
    /// (an update that moves nothing writes a pair the fold cancels out).
    static var triggers: String {
        sources.map { source in
            func append(_ row: String, _ n: Int) -> String {
                source.figures.map { f in
                    """
                    INSERT INTO branch_changes (branch_id, hour, figure, label, bucket, n)
                      SELECT \(source.branch(row)), \(f.at(row)) / 3600000, '\(f.figure.rawValue)', \(f.label(row)),
                        \(f.bucket(row)), \(n)
                      WHERE \(f.condition(row));
                    """
                }.joined(separator: "\n")
            }
            let changed = source.columns.map { "OLD.\($0) IS NOT NEW.\($0)" }.joined(separator: " OR ")
            let name = "branch_counts_\(source.table)"
            return """
                CREATE TRIGGER \(name)_insert AFTER INSERT ON \(source.table) BEGIN
                \(append("NEW", 1))
                END;
                CREATE TRIGGER \(name)_delete AFTER DELETE ON \(source.table) BEGIN
                \(append("OLD", -1))
                END;
                CREATE TRIGGER \(name)_update
                AFTER UPDATE OF \(source.columns.joined(separator: ", ")) ON \(source.table) WHEN \(changed) BEGIN
                \(append("OLD", -1))
                \(append("NEW", 1))
                END;
                """
        }.joined(separator: "\n")
    }

    /// The trigger-kept counts afresh from the tables (a new store's start, the end of a bulk load).
    static var recount: String {
        let figures = figures.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        let counts = sources.flatMap { source in
            source.figures.map { f in
                """
                INSERT INTO branch_counts (branch_id, hour, figure, label, bucket, n)
                  SELECT \(source.branch("t")), \(f.at("t")) / 3600000, '\(f.figure.rawValue)', \(f.label("t")),
                    \(f.bucket("t")), COUNT(*)
                  FROM \(source.table) t WHERE \(f.condition("t")) GROUP BY 1, 2, 4, 5;
                """
            }
        }
        return """
            DELETE FROM branch_changes;
            DELETE FROM branch_counts WHERE figure IN (\(figures));
            \(counts.joined(separator: "\n"))
            """
    }
}

/// Everything Tidings asks of its database, as the roles a store plays.
/// Modules ask for the role they need (the dispatcher an `Outbox`, the
/// webhooks `Receipts`, the automations `AutomationScans`); the worker wires
/// one store that plays them all. `SQLiteStore` is the embedded default; a
/// PostgreSQL store will play the same roles and pass the same contract tests.
public typealias Store = Outbox & Receipts & Records & Consents & Segments & AutomationScans & CampaignRecords & Ownership & Tasks
    & ManagerBriefs & BranchTickets & ApiTokens & Reports & Queues

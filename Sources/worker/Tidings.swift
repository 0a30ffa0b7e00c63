import ArgumentParser

@main
struct Tidings: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tidings",
        abstract: "Outbound campaign and notification worker for restaurant groups.",
        discussion: """
            Start here:
              tidings init
              tidings demo seed --members 1000
              tidings member show M00000001
            Config: --config PATH, $TIDINGS_CONFIG, or ./tidings.yaml.
            """,
        subcommands: [
            InitCommand.self, ConfigCommand.self, ImportCommand.self, MemberCommand.self, ConsentCommand.self, BlacklistCommand.self,
            ManagerCommand.self, TaskCommand.self, BranchCommand.self, ReportCommand.self, SegmentCommand.self, RFMCommand.self,
            CampaignCommand.self, TemplateCommand.self,
            WebhooksCommand.self,
            DatabaseCommand.self,
            SendCommand.self, RunCommand.self, TokenCommand.self, SimulatorCommand.self, DemoCommand.self, BenchCommand.self, VersionCommand.self,
        ]
    )
}

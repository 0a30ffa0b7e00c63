import ArgumentParser

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks that print figures against a ceiling measured in the same run.",
        discussion: """
            Examples:
              tidings bench dispatch --messages 100000
              tidings bench http --messages 100000
              tidings bench dlr --messages 300000 --seconds 10
              tidings bench latency --backlog 100000
              tidings bench fanout --database /tmp/fan.sqlite   (after tidings demo seed --members 1000000 there)
              tidings bench segments --members 1000000
              tidings bench report --messages 10000000
              tidings bench dashboard --messages 100000
            See docs/PERFORMANCE.md for the figures and the machine.
            """,
        subcommands: [
            DispatchBench.self, HTTPBench.self, DLRBench.self, LatencyBench.self, FanOutBench.self, SegmentsBench.self, ReportBench.self,
            DashboardBench.self,
        ])
}

import ArgumentParser

@main
struct Tidings: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tidings",
        abstract: "Outbound campaign and notification worker for restaurant groups.",
        subcommands: []
    )
}

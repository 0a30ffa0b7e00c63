import ArgumentParser
import Channels

struct VersionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version", abstract: "Print the version of Tidings and of the libcurl it uses.")

    func run() async throws {
        print("tidings 0.1.0")
        print("libcurl \(CurlRuntime.version)")
        print("protocols \(CurlRuntime.protocols.joined(separator: " "))")
    }
}

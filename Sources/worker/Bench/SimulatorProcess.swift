import Channels
import Foundation
import Simulator

/// The provider simulator as its own process, as a provider would be: the
/// benchmarks measure our side and the provider's apart.
struct SimulatorProcess {
    let process: Process
    let base: String

    /// Starts `tidings simulator` (this binary) on loopback `port`; callbacks off unless `arguments` say otherwise.
    static func start(port: Int, arguments: [String] = ["--callback-delay-ms=-1"], transport: CurlTransport) async throws -> SimulatorProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = ["simulator", "--bind", "127.0.0.1:\(port)", "--lifetime", "900"] + arguments
        try process.run()
        let simulator = SimulatorProcess(process: process, base: "http://127.0.0.1:\(port)")
        guard await transport.waitUntilAnswering("\(simulator.base)/sim/stats") else {
            simulator.stop()
            throw BenchError("the simulator did not start on port \(port)")
        }
        return simulator
    }

    func stop() { process.terminate() }

    var cpuSeconds: Double { DispatchBench.cpuSeconds(pid: process.processIdentifier) }

    func stats(_ transport: CurlTransport) async -> ProviderSimulator.Stats? {
        guard let answer = try? await transport.send(OutboundRequest(url: "\(base)/sim/stats")) else { return nil }
        return try? JSONDecoder().decode(ProviderSimulator.Stats.self, from: Data(answer.body))
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

import Foundation

/// A private Kannel (bearerbox + smsbox + fakesmsc) started by the project's
/// own script, on free loopback ports; stopped by `stop()` or after 5 minutes.
public struct KannelPeer: Sendable {
    public let directory: URL
    public let basePort: Int
    public let sendsmsURL: String
    public static let password = "tidings-test"

    public static func start(moURL: String) throws -> KannelPeer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-kannel-\(UUID().uuidString)")
        let base = LocalPorts.block(5)
        let script = repositoryRoot.appendingPathComponent("scripts/kannel/start.sh").path
        let (status, output) = try runCommand([script, directory.path, String(base), moURL, "300"], environment: ["KANNEL_PASSWORD": password])
        guard status == 0, let line = output.split(separator: "\n").first(where: { $0.hasPrefix("ready sendsms=") }) else {
            throw PeerError(message: "kannel did not start: \(output)")
        }
        return KannelPeer(directory: directory, basePort: base, sendsmsURL: String(line.dropFirst("ready sendsms=".count)))
    }

    public func stop() {
        _ = try? runCommand([repositoryRoot.appendingPathComponent("scripts/kannel/stop.sh").path, directory.path])
        try? FileManager.default.removeItem(at: directory)
    }

    public func injectMO(from: String, to: String, text: String) throws {
        let script = repositoryRoot.appendingPathComponent("scripts/kannel/inject-mo.sh").path
        let (status, output) = try runCommand([script, directory.path, String(basePort), from, to, text])
        guard status == 0 else { throw PeerError(message: "MO injection failed: \(output)") }
    }

    /// Texts the fake SMSC received, decoded from its UCS-2 or plain-text log lines.
    public func receivedTexts() -> [(to: String, text: String)] {
        guard let log = try? String(contentsOf: directory.appendingPathComponent("fakesmsc.log"), encoding: .utf8) else { return [] }
        return log.split(separator: "\n").compactMap { line in
            guard let start = line.range(of: "Got message "), let open = line[start.upperBound...].firstIndex(of: "<"),
                line.hasSuffix(">")
            else { return nil }
            let fields = line[line.index(after: open)..<line.index(before: line.endIndex)].split(separator: " ", maxSplits: 3)
            guard fields.count == 4 else { return nil }
            let payload = String(fields[3])
            if fields[2] == "ucs-2" || fields[2] == "ucs2" {
                let bytes = Array((payload.removingPercentEncoding(bytes: true)) ?? [])
                let units = stride(from: 0, to: bytes.count - 1, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
                return (String(fields[1]), String(decoding: units, as: UTF16.self))
            }
            return (String(fields[1]), payload.removingPercentEncoding ?? payload)
        }
    }
}

public struct PeerError: Error, CustomStringConvertible {
    public let message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

extension String {
    /// Percent-decoding to raw bytes (the payload is UTF-16BE, not UTF-8).
    func removingPercentEncoding(bytes: Bool) -> [UInt8]? {
        var result: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next(), let low = iterator.next(),
                    let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
                else { return nil }
                result.append(value)
            } else {
                result.append(byte)
            }
        }
        return result
    }
}

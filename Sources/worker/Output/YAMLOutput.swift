import Foundation
import Yams

/// YAML for people: Yams writes every Double in scientific notation
/// (`rate: 1e+2`, `share: 5e-1`); here numbers read as they are written in a
/// config (`rate: 100`, `share: 0.5`).
enum YAMLOutput {
    static func text<T: Encodable>(_ value: T) throws -> String {
        let encoder = YAMLEncoder()
        encoder.options.allowUnicode = true
        let yaml = try encoder.encode(value)
        guard let node = try Yams.compose(yaml: yaml) else { return yaml }
        return try Yams.serialize(node: humanNumbers(node), allowUnicode: true)
    }

    /// Plain float scalars rewritten; quoted ones are text that only looks like a number.
    static func humanNumbers(_ node: Node) -> Node {
        switch node {
        case .scalar(var scalar):
            guard scalar.style == .plain, node.int == nil, let value = node.float, value.isFinite else { return node }
            scalar.string = human(value)
            return .scalar(scalar)
        case .mapping(var mapping):
            for index in mapping.indices { mapping[index].value = humanNumbers(mapping[index].value) }
            return .mapping(mapping)
        case .sequence(var sequence):
            for index in sequence.indices { sequence[index] = humanNumbers(sequence[index]) }
            return .sequence(sequence)
        case .alias:
            return node
        }
    }

    /// 100, 0.5, 2.75; Swift's shortest form that reads back to the same value.
    static func human(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}

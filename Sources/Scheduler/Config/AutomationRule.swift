import CoreModel
import Foundation

/// What every automation has: on/off, the channels it sends on (one message
/// each), and the template under templates/.
public struct AutomationRule: Sendable, Hashable {
    public var enabled: Bool
    public var channels: [Channel]
    public var template: String

    public init(enabled: Bool, channels: [Channel], template: String) {
        self.enabled = enabled
        self.channels = channels
        self.template = template
    }
}

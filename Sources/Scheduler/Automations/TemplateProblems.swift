import CoreModel
import Synchronization

/// The templates found not to load or render, by (template, channel,
/// locale), so each is logged once rather than on every scan or for every
/// member; one the runner's check finds loading again is forgotten, and
/// logged again if it breaks again.
final class TemplateProblems: Sendable {
    struct Key: Hashable, Sendable {
        /// The runner's check before a scan, or a member's message during it.
        enum Stage: Hashable, Sendable { case load, render }
        var template: String
        var channel: Channel
        var locale: String
        var stage: Stage
    }

    private let known = Mutex<Set<Key>>([])

    /// True the first time `key` is reported (log it then).
    func report(_ key: Key) -> Bool {
        known.withLock { $0.insert(key).inserted }
    }

    /// `key` loads again; true if it had been reported.
    func resolved(_ key: Key) -> Bool {
        known.withLock { $0.remove(key) != nil }
    }
}

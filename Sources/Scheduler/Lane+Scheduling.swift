import CoreModel

/// Order in which lanes are served; the dispatcher (scheduler issue) reserves
/// capacity per lane on top of this.
public enum LanePriority {
    public static let servingOrder: [Lane] = [.transactional, .reminder, .marketing]
}

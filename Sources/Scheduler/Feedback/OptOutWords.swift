import CoreModel

/// Replies that mean "stop marketing to me": T, TD, 退订, STOP, UNSUBSCRIBE…
enum OptOutWords {
    static let words: Set<String> = ["T", "TD", "N", "STOP", "UNSUBSCRIBE", "退订", "退", "取消订阅", "退订回T"]

    static func matches(_ text: String) -> Bool {
        words.contains(text.trimmedWhitespace.uppercased())
    }
}

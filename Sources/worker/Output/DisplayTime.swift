import Foundation

/// "2026-11-26 19:05" in `zone`: how times read in tables.
func displayTime(_ date: Date, _ zone: TimeZone) -> String {
    let formatter = DateFormatter()
    formatter.timeZone = zone
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.dateFormat = "yyyy-MM-dd HH:mm"
    return formatter.string(from: date)
}

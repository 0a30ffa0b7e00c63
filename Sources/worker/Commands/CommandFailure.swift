/// Why a command cannot do its work — a config value, an option's value, a
/// file, the database, a missing tool — thrown from `run()`: ArgumentParser
/// prints "Error: message" on stderr and exits 1. `ValidationError` is for
/// `validate()` only: it exits 64 and appends the usage, which helps only when
/// the command line itself is wrong.
struct CommandFailure: Error, CustomStringConvertible {
    var message: String

    init(_ message: String) {
        self.message = message
    }

    var description: String { message }
}

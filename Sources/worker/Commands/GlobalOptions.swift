import ArgumentParser
import CoreModel
import Foundation

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Config file (default: $TIDINGS_CONFIG, else ./tidings.yaml, else built-in defaults).", valueName: "path"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Database file; overrides database.path in the config.", valueName: "path"))
    var database: String?

    /// The config file in use, for messages.
    var configPathDescription: String {
        config ?? ProcessInfo.processInfo.environment["TIDINGS_CONFIG"] ?? (FileManager.default.fileExists(atPath: "tidings.yaml") ? "tidings.yaml" : "built-in defaults")
    }

    /// The effective config; warnings go to stderr.
    func loadConfig(showWarnings: Bool = false) throws -> TidingsConfig {
        try loadConfigFile(showWarnings: showWarnings).config
    }

    /// The effective config with the file it came from; warnings go to stderr.
    func loadConfigFile(showWarnings: Bool = false) throws -> ConfigLoader.Loaded {
        var loaded = try ConfigLoader.load(path: config)
        if showWarnings { for warning in loaded.warnings { printError(warning.description) } }
        if let database { loaded.config.database.path = database }
        return loaded
    }

    /// The store; one to write must be writable (said before the first write fails).
    func openStore(_ config: TidingsConfig, readOnly: Bool = false) throws -> SQLiteStore {
        if readOnly, !FileManager.default.fileExists(atPath: config.database.path) {
            throw CommandFailure("no database at \(config.database.path); run `tidings init` first")
        }
        let store = try SQLiteStore(path: config.database.path)
        if !readOnly { try store.checkWritable() }
        return store
    }
}

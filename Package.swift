// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "tidings",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tidings", targets: ["worker"]),
        .library(name: "CoreModel", targets: ["CoreModel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // Fax documents: Pango lays out the text, cairo's PDF surface embeds a subset of the font.
        .systemLibrary(
            name: "CPangoCairo",
            pkgConfig: "pangocairo",
            providers: [.apt(["libpango1.0-dev", "libcairo2-dev"])]
        ),
        .target(
            name: "CoreModel",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "CSV", package: "CSV.swift"),
            ]
        ),
        .target(
            name: "Channels",
            dependencies: [
                "CoreModel", "CCurl", "CPangoCairo",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),
        .target(
            name: "Scheduler",
            dependencies: [
                "CoreModel", "Channels",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .target(name: "Demo", dependencies: ["CoreModel"]),
        .target(
            name: "Simulator",
            dependencies: [
                "Channels", "CoreModel",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ]
        ),
        .target(
            name: "Campaigns",
            dependencies: ["CoreModel", "Channels", "Scheduler", .product(name: "Mustache", package: "swift-mustache")]
        ),
        .executableTarget(
            name: "worker",
            dependencies: [
                "CoreModel", "Channels", "Scheduler", "Campaigns", "Demo", "Simulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            // The web console's static files, served by `tidings run` (ConsoleFiles).
            resources: [.copy("Console")]
        ),
        .testTarget(
            name: "StoreContractTests",
            dependencies: ["CoreModel", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "CoreModelTests", dependencies: ["CoreModel", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")], exclude: ["Fixtures"]),
        .target(
            name: "TestSupport",
            dependencies: ["Channels", .product(name: "Hummingbird", package: "hummingbird")],
            path: "Tests/TestSupport", exclude: ["TLS"]),
        .testTarget(
            name: "ChannelsTests",
            dependencies: [
                "Channels", "CoreModel", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .testTarget(name: "CampaignsTests", dependencies: ["Campaigns", "CoreModel"]),
        .testTarget(
            name: "SchedulerTests",
            dependencies: [
                "Scheduler", "CoreModel", "Channels", "Campaigns", "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        .testTarget(
            name: "AutomationTests",
            dependencies: [
                "Scheduler", "Campaigns", "Channels", "CoreModel", "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "DemoTests", dependencies: ["Demo", "CoreModel", "TestSupport"]),
        .testTarget(
            name: "SimulatorTests",
            dependencies: ["Simulator", "Channels", "CoreModel", "TestSupport", .product(name: "Logging", package: "swift-log")]),
        .testTarget(
            name: "WorkerTests",
            dependencies: [
                "worker", "CoreModel", "Channels", "Scheduler", "Demo", "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "GMQueue",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "gmqd", targets: ["gmqd"]),
        .executable(name: "gmq", targets: ["gmq"]),
        .executable(name: "gmq-player", targets: ["gmq-player"]),
        .library(name: "GMQClient", targets: ["GMQClient"]),
        .library(name: "GMQProtocol", targets: ["GMQProtocol"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        .target(
            name: "GMQProtocol",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GMQCore", dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            resources: [.copy("Resources/Lexicon")], swiftSettings: swiftSettings),
        .target(
            name: "GMQStore",
            dependencies: [
                "GMQCore", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GMQPostgres",
            dependencies: [
                "GMQCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GMQServer",
            dependencies: [
                "GMQProtocol", "GMQCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GMQClient",
            dependencies: [
                "GMQProtocol", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        // glibc's mallopt, which Swift's Glibc module does not export (gmqd caps malloc's arenas).
        .target(name: "CGMQHeap"),
        .executableTarget(
            name: "gmqd",
            dependencies: [
                "GMQServer", "GMQCore", "GMQStore", "GMQPostgres", "GMQProtocol", "CGMQHeap",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "gmq",
            dependencies: [
                "GMQClient", "GMQProtocol", "GMQCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "gmq-player",
            dependencies: [
                "GMQClient", "GMQProtocol",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Tools/gmq-player",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "gmq-load",
            dependencies: [
                "GMQClient", "GMQProtocol", "GMQServer",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            path: "Tools/gmq-load",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "gmq-surge",
            dependencies: [
                "GMQClient", "GMQProtocol", "GMQServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Tools/gmq-surge",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "gmq-bench-check",
            dependencies: ["GMQCore"],
            path: "Tools/bench-check",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "gmq-bench-search",
            dependencies: ["GMQStore", "GMQCore", "GMQClient"],
            path: "Tools/bench-search",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "gmq-bench-store",
            dependencies: ["GMQStore", "GMQCore", "GMQClient", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Tools/bench-store",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GMQTestSupport",
            dependencies: [
                "GMQServer", "GMQClient", "GMQStore", "GMQPostgres", "GMQCore", "GMQProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/GMQTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GMQProtocolTests",
            dependencies: ["GMQProtocol", .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "NIOTestUtils", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "GMQClientTests", dependencies: ["GMQClient", "GMQProtocol"], swiftSettings: swiftSettings),
        .testTarget(name: "GMQCoreTests", dependencies: ["GMQCore"], exclude: ["Corpus"], swiftSettings: swiftSettings),
        .testTarget(
            name: "GMQStoreTests",
            dependencies: [
                "GMQStore", "GMQCore", "GMQPostgres", "GMQTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GMQServerTests",
            dependencies: [
                "GMQTestSupport", "GMQServer", "GMQClient", "GMQStore", "GMQCore", "GMQProtocol",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            exclude: ["Resources"],
            swiftSettings: swiftSettings
        ),
    ]
)

// swift-tools-version:6.1
// The protocol fuzzer, a package of its own because libFuzzer supplies `main`: build it only through `Tools/fuzz/run`.
import PackageDescription

let package = Package(
    name: "GMQFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: "../.."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
    ],
    targets: [
        .executableTarget(
            name: "FuzzProtocol",
            dependencies: [
                .product(name: "GMQProtocol", package: "main"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        )
    ]
)

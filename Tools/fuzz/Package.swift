// swift-tools-version:6.1
// The protocol fuzzer, a package of its own because libFuzzer supplies `main`: build it only through `Tools/fuzz/run`.
import Foundation
import PackageDescription

/// The root package's identity is the name of the directory it was cloned into.
let root = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().deletingLastPathComponent()
    .lastPathComponent.lowercased()

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
                .product(name: "GMQProtocol", package: root),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        )
    ]
)

import Foundation
import GMQTestSupport

/// Runs a built executable (gmqd, gmq, gmq-player) to completion. The pipes are read on threads of their own:
/// blocking the cooperative pool would starve an in-process test server the tool talks to.
enum Tool {
    struct Output {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    static func run(_ tool: String, _ arguments: [String], environment: [String: String] = [:]) async throws -> Output {
        let process = ChildProcess()
        process.executableURL = ReadmeWalkthroughTests.binaries.appendingPathComponent(tool)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        let exit = ReadmeWalkthroughTests.exit(of: process)
        try process.run()
        async let out = Self.readToEnd(output)
        async let err = Self.readToEnd(errors)
        let (standardOutput, standardError) = await (out, err)
        return Output(status: await exit.value, standardOutput: standardOutput, standardError: standardError)
    }

    static func readToEnd(_ pipe: Pipe) async -> String {
        let data = await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: pipe.fileHandleForReading.readDataToEndOfFile()) }.start()
        }
        return String(decoding: data, as: UTF8.self)
    }
}

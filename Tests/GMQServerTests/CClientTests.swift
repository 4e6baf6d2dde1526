import Foundation
import GMQClient
import GMQCore
import GMQProtocol
import GMQServer
import GMQTestSupport
import Testing

/// The C99 client of `Protocol/clients/c`, written from the spec alone: its own vector tests, and its example
/// program against a live server while a GM works the ticket.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct CClientTests {
    static let source = ReadmeWalkthroughTests.root.appendingPathComponent("Protocol/clients/c")
    static let build = FileManager.default.temporaryDirectory.appendingPathComponent("gmq-c-\(getpid())")

    /// Runs a command to its end; returns its exit status and everything it printed.
    static func run(_ executable: String, _ arguments: [String], in directory: URL? = nil) async throws -> (Int32, String) {
        let process = ChildProcess()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let exit = ReadmeWalkthroughTests.exit(of: process)
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (await exit.value, text)
    }

    @Test func theCClientPassesTheGoldenVectors() async throws {
        let (status, output) = try await Self.run("/usr/bin/make", ["-s", "-C", Self.source.path, "BUILD=\(Self.build.path)", "test"])
        #expect(status == 0, "\(output)")
        #expect(output.contains(" passed, 0 failed"), "\(output)")
    }

    @Test func theCExampleSubmitsAndReceivesTheGMsAnswerLive() async throws {
        let (built, log) = try await Self.run("/usr/bin/make", ["-s", "-C", Self.source.path, "BUILD=\(Self.build.path)", "all"])
        try #require(built == 0, "\(log)")
        try await withTestServer { server in
            let example = ChildProcess()
            example.executableURL = Self.build.appendingPathComponent("gmq_example")
            example.arguments = [
                "127.0.0.1", "\(server.ports.player)", server.token(player: 42, name: "Thrall"), "stuck_character",
                "Stuck under the Ironforge bridge, can't move or hearth", "10", "2",
            ]
            // A screenshot to attach: PNG's signature and some bytes (the server sniffs the signature).
            let screenshot = FileManager.default.temporaryDirectory.appendingPathComponent("gmq-c-\(UUID()).png")
            try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 7, count: 300_000))
                .write(to: screenshot)
            defer { try? FileManager.default.removeItem(at: screenshot) }
            var environment = ProcessInfo.processInfo.environment
            environment["GMQ_ATTACH"] = screenshot.path
            example.environment = environment
            let pipe = Pipe()
            example.standardOutput = pipe
            let exit = ReadmeWalkthroughTests.exit(of: example)
            try example.run()
            var chunks = ReadmeWalkthroughTests.chunks(of: pipe).makeAsyncIterator()

            var output = ""
            while let chunk = await chunks.next() {
                output += chunk
                if output.contains("attached number=") && output.hasSuffix("\n") { break }
            }
            let id = try #require(output.split(separator: "ticket=").dropFirst().first.flatMap { UInt64($0.prefix { $0.isNumber }) })
            let gm = try await server.staff("Mirna")
            _ = try await gm.update(.claim(Claim(ticketID: id)))
            _ = try await gm.update(.answer(Answer(ticketID: id, text: "Teleported you to the gates.")))
            while let chunk = await chunks.next() { output += chunk }
            #expect(await exit.value == 0, "\(output)")
            #expect(output.contains("welcome Thrall, 0 pending"), "\(output)")
            #expect(output.contains("preview: accepted, 0 article(s)"), "\(output)")
            #expect(output.contains("attached number=1 type=image/png size=300008"), "\(output)")
            #expect(output.contains("kind=2 actor=Mirna"), "\(output)")
            #expect(output.contains("kind=6 actor=Mirna text=Teleported you to the gates."), "\(output)")
            // Both were acknowledged: a new session has nothing pending.
            let again = try await server.player(42, "Thrall")
            #expect(again.welcome.pendingNotifications == 0)
            await again.close()
            await gm.close()
        }
    }
}

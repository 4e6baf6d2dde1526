import Foundation
import GMQClient
import GMQCore
import GMQProtocol
import GMQServer
import GMQStore
import GMQTestSupport
import Testing

/// Issue 18 §6 and §7: what a host user or the network can reach of a gmqd, and how long a credential lives.
@Suite struct HostSafetyTests {
    static func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("gmq-host-\(UUID().uuidString)")
    }

    static func mode(_ path: String) throws -> Int {
        try #require((FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue)
    }

    @Test func aNewDataDirectoryAndItsFilesAreTheServiceAccountsAlone() async throws {
        let directory = Self.temporaryDirectory().appendingPathComponent("data")
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let listed = try await Tool.run("gmqd", ["category", "list", "--data", directory.path])
        #expect(listed.status == 0 && listed.standardError.isEmpty, "\(listed.standardError)")
        #expect(try Self.mode(directory.path) == 0o700)
        for name in ["gmq.sqlite", "gmq.sqlite-wal", "gmq.sqlite-shm", "secret.key"] {
            let path = directory.appendingPathComponent(name).path
            guard FileManager.default.fileExists(atPath: path) else { continue }
            #expect(try Self.mode(path) == 0o600, "\(name)")
        }
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("gmq.sqlite").path))
    }

    @Test func filesOthersCanReadAreNamedWithTheCommandThatFixesThem() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
        let database = directory.appendingPathComponent("gmq.sqlite").path
        _ = FileManager.default.createFile(atPath: database, contents: nil, attributes: [.posixPermissions: 0o644])
        let listed = try await Tool.run("gmqd", ["category", "list", "--data", directory.path])
        #expect(listed.status == 0)
        #expect(listed.standardError.contains("\(directory.path) has mode 755"))
        #expect(listed.standardError.contains("run chmod 600 \(database)"))
    }

    @Test func tokenLifetimesAreCappedAtSevenDays() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let long = try await Tool.run(
            "gmqd", ["token", "player", "--id", "1", "--name", "Thrall", "--ttl", "99999999999", "--data", directory.path])
        #expect(long.status != 0 && long.standardError.contains("--ttl must be 1 to 604800 seconds (7 days)"))
        let day = try await Tool.run("gmqd", ["token", "player", "--id", "1", "--name", "Thrall", "--data", directory.path])
        #expect(day.status == 0 && day.standardOutput.hasPrefix("player 1 (Thrall), expires"))

        // A token signed elsewhere for longer is refused by the server, whoever minted it.
        let signer = PlayerTokenSigner(secret: Data(repeating: 1, count: 32))
        let now = Date()
        let tooLong = signer.sign(playerID: 1, name: "Thrall", expiresAt: now.addingTimeInterval(30 * 86_400))
        #expect(throws: PlayerTokenSigner.Failure.lifetimeTooLong) { try signer.verify(tooLong, now: now) }
        let week = signer.sign(playerID: 1, name: "Thrall", expiresAt: now.addingTimeInterval(7 * 86_400))
        #expect(try signer.verify(week, now: now).playerID == 1)
    }

    @Test func aStaffPortBeyondLoopbackIsAnnouncedLoudly() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = ChildProcess()
        server.executableURL = ReadmeWalkthroughTests.binaries.appendingPathComponent("gmqd")
        server.arguments = [
            "--data", directory.path, "--player-port", "0", "--staff-port", "0", "--staff-bind", "0.0.0.0",
            "--log-level", "critical",
        ]
        let errors = Pipe()
        server.standardError = errors
        server.standardOutput = Pipe()
        let exit = ReadmeWalkthroughTests.exit(of: server)
        try server.run()
        var text = ""
        for await chunk in ReadmeWalkthroughTests.chunks(of: errors) {
            text += chunk
            if text.contains("\n") { break }
        }
        server.terminate()
        _ = await exit.value
        #expect(text.contains("the staff port listens on 0.0.0.0, beyond this host, without TLS"))
    }

    @Test func theStaffPortCapsConnectionsPerAddress() async throws {
        var configuration = GMQServer.Configuration.forTests
        configuration.maximumStaffConnectionsPerAddress = 2
        try await withTestServer(configuration: configuration) { server in
            let open = [
                try await HostileClientTests.admitted(port: server.ports.staff),
                try await HostileClientTests.admitted(port: server.ports.staff),
            ]
            let third = try await RawConnection.connect(port: server.ports.staff)
            let refusal = await HostileClientTests.errors(from: third)
            #expect(refusal.map(\.code) == [.connectionLimit])
            #expect(refusal.first?.message.contains("your address already has 2 connections open") == true)
            for connection in open { await connection.close() }
        }
    }
}

import Foundation
import NIOCore
import GMQTestSupport
import NIOPosix
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 11 §7: one settings file (JSON or YAML) with GMQ_* variables over it and flags over both; `gmqd
/// check-config` names every unknown key and bad value by its path.
@Suite struct SettingsTests {
    static func directory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gmq-settings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func checkConfigNamesEveryUnknownKeyAndBadValueByItsPath() async throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("gmqd.yaml")
        try """
            player:
              port: 7170
              prot: 1
            staff:
              port: "abc"
            idle_timeout: 5
            abuse:
              submit_rate: 5-30
            log: {format: xml}
            tls: {cert: /no/such/cert.pem}
            sla: \(directory.appendingPathComponent("sla.json").path)
            """.write(to: file, atomically: true, encoding: .utf8)
        try #"{"fallback": {"first_response_minutes": 0, "resolution_minutes": 10}}"#
            .write(to: directory.appendingPathComponent("sla.json"), atomically: true, encoding: .utf8)
        let checked = try await Tool.run("gmqd", ["check-config", file.path])
        #expect(checked.status == 1)
        let lines = checked.standardOutput.split(separator: "\n").map { String($0.dropFirst(file.path.count + 2)) }
        #expect(lines.contains("player.prot: unknown key; did you mean player.port?"), "\(lines)")
        #expect(lines.contains("staff.port: must be a whole number within 0…65535"))
        #expect(lines.contains("idle_timeout: 5 is not within 10…86400"))
        #expect(lines.contains { $0.hasPrefix("abuse.submit_rate: '5-30' is not BURST/SECONDS") })
        #expect(lines.contains("log.format: 'xml' is none of text, json"))
        #expect(lines.contains("tls.cert: no file at /no/such/cert.pem"))
        #expect(lines.contains { $0.hasPrefix("sla: ") && $0.contains("first_response_minutes") }, "\(lines)")
        #expect(lines.contains("tls: give both tls.cert and tls.key, or neither") == false, "a bad cert is said once")
        #expect(lines.count == 7, "\(lines)")

        let good = directory.appendingPathComponent("gmqd.json")
        try #"{"player": {"port": 0, "bind": "127.0.0.1"}, "log": {"format": "json"}, "abuse": {"cooldown": "off"}}"#
            .write(to: good, atomically: true, encoding: .utf8)
        let ok = try await Tool.run("gmqd", ["check-config", good.path])
        #expect(ok.status == 0 && ok.standardOutput.contains("ok, 4 settings"), "\(ok.standardOutput)")
    }

    @Test func flagsOverVariablesOverTheFile() async throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // Two ports held by the test: a setting that is used wrongly makes gmqd fail to bind.
        let group = MultiThreadedEventLoopGroup.singleton
        let held = try await (0..<2).asyncMap { _ in
            try await ServerBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
        }
        defer { for channel in held { channel.close(promise: nil) } }
        let (busyPlayer, busyStaff) = (held[0].localAddress!.port!, held[1].localAddress!.port!)
        let file = directory.appendingPathComponent("gmqd.json")
        try """
            {"data": "\(directory.appendingPathComponent("data").path)", "player": {"port": \(busyPlayer)},
             "metrics": {"port": 0}, "log": {"level": "error"}}
            """.write(to: file, atomically: true, encoding: .utf8)
        let running = try await ReadmeWalkthroughTests.startGMQD(
            arguments: ["--config", file.path, "--staff-port", "0"], in: directory,
            environment: ["GMQ_PLAYER_PORT": "0", "GMQ_STAFF_PORT": "\(busyStaff)"], freePorts: false)
        defer { kill(running.process.processIdentifier, SIGKILL) }
        #expect(running.playerPort != busyPlayer, "GMQ_PLAYER_PORT is over the file's player.port")
        #expect(running.staffPort != busyStaff, "--staff-port is over GMQ_STAFF_PORT")
        #expect(running.metricsPort != nil, "metrics.port from the file: \(running.banner)")
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("data/gmq.sqlite").path))

        let refused = try await Tool.run(
            "gmqd", ["--config", file.path, "--player-port", "0", "--staff-port", "0"],
            environment: ["GMQ_OPEN_LIMIT": "zero", "GMQ_LOG_FORMAT": "xml"])
        #expect(refused.status != 0)
        #expect(refused.standardError.contains("GMQ_OPEN_LIMIT: 'zero' is not a whole number"), "\(refused.standardError)")
        #expect(refused.standardError.contains("GMQ_LOG_FORMAT: 'xml' is none of text, json"))
    }

    /// The README's sample settings file holds only known keys and good values (its certificate files are the
    /// operator's to make).
    @Test func theReadmeSampleIsAValidSettingsFile() async throws {
        let readme = try String(
            contentsOf: ReadmeWalkthroughTests.root.appendingPathComponent("README.md"), encoding: .utf8)
        let sample = try #require(readme.firstMatch(of: /cat > gmqd.yaml <<'YAML'\n([\s\S]*?)\nYAML\n/)?.output.1)
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("gmqd.yaml")
        try String(sample).write(to: file, atomically: true, encoding: .utf8)
        let checked = try await Tool.run("gmqd", ["check-config", file.path])
        let problems = checked.standardOutput.split(separator: "\n").map { String($0.dropFirst(file.path.count + 2)) }
        #expect(problems == ["tls.cert: no file at /etc/gmq/server.pem", "tls.key: no file at /etc/gmq/server.key"])
    }
}

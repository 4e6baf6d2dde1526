import Foundation
import GMQTestSupport
import Testing

/// Runs the README's walkthrough block, as written, against a real `gmqd` process and the built `gmq` and
/// `gmq-player` executables, so that the README cannot drift from the product.
@Suite struct ReadmeWalkthroughTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Where `swift test` put the executables: beside the test bundle.
    static var binaries: URL {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        if FileManager.default.isExecutableFile(atPath: besideTests.appendingPathComponent("gmqd").path) {
            return besideTests
        }
        return root.appendingPathComponent(".build/debug")
    }

    /// The shell block between `<!-- NAME:start -->` and `<!-- NAME:end -->`.
    static func block(_ name: String) throws -> String {
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        guard let start = readme.range(of: "<!-- \(name):start -->"), let end = readme.range(of: "<!-- \(name):end -->")
        else { throw WalkthroughError("README.md has no \(name) markers") }
        return readme[start.upperBound..<end.lowerBound].split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("```") }.joined(separator: "\n")
    }

    static func walkthrough() throws -> String { try self.block("walkthrough") }

    @Test func theReadmeWalkthroughWorksAsWritten() async throws {
        let (transcript, status) = try await Self.run(try Self.walkthrough())
        #expect(status == 0, "walkthrough failed:\n\(transcript)")

        for expected in [
            "Not sent (contact_only)", "Accepted: ticket 1, position 1", "stuck_character  open   Thrall",
            "ticket 1 is now claimed, held by Mirna", "ticket 1 is now waiting_player",
            "Listening as Thrall; 2 waiting.", "Mirna is looking at your request",
            "Mirna asks: Which side of the bridge are you on?", "Mirna answered: I teleported you",
            "Mirna closed the request: Enjoy your game!", "ticket 1 is now closed", "resolution solved",
            "noted by Mirna (gm): Known hole", "rated 5/5", "solved      5/5", "intact: 8 events, every link holds",
            "All tickets", "By GM",
        ] {
            #expect(transcript.contains(expected), "missing '\(expected)' in:\n\(transcript)")
        }
        let playerView = transcript.components(separatedBy: "History:").dropFirst().first ?? ""
        #expect(!playerView.components(separatedBy: "Ticket 1 ·").first!.contains("Known hole"), "the player saw a note")
    }

    @Test func thePatchDaySectionWorksAsWritten() async throws {
        let (transcript, status) = try await Self.run(try Self.block("patchday"))
        #expect(status == 0, "patch-day section failed:\n\(transcript)")
        for expected in [
            "incident #1 opened", "Accepted: ticket 1.\nThis is a known issue and game masters are on it: Error 132",
            "Accepted: ticket 2, position 1 in the queue", "1. 2 tickets [account]",
            "2 of its 2 tickets linked", "Accepted: ticket 4.\nThis is a known issue",
            "incident #1: 4 tickets answered and closed, 0 left alone", "Mirna closed the request: Incident #1: Hotfix",
            "closed", "0 open",
        ] {
            #expect(transcript.contains(expected), "missing '\(expected)' in:\n\(transcript)")
        }
    }

    @Test func theSelfHelpSectionWorksAsWritten() async throws {
        let (transcript, status) = try await Self.run(try Self.block("selfhelp"))
        #expect(status == 0, "self-help section failed:\n\(transcript)")
        for expected in [
            "article #1 added", "article #2 added", "#1 [stuck_character, en] Stuck in a wall or under the map",
            "#2 [stuck_character, ru] Застрял в текстурах", "Would be accepted.", "Does this answer your question?",
            "[1] Stuck in a wall or under the map", "Press Help > Unstuck", "Would not be sent (contact_only)",
            "(exit 2: it would be refused)",
            "Self-help: 2 previews in 1 drafts; 1 offered an article or a known issue, 1 of them ended without a request (deflection 100.0%).",
        ] {
            #expect(transcript.contains(expected), "missing '\(expected)' in:\n\(transcript)")
        }
    }

    @Test func theAttachmentExampleWorksAsWritten() async throws {
        let (transcript, status) = try await Self.run(try Self.block("attachments"))
        #expect(status == 0, "attachment example failed:\n\(transcript)")
        for expected in [
            "Accepted: ticket 1", "Attached to ticket 1: 1. trade-chat.png (image/png, 24 bytes) by Thrall (player)",
            "attached to ticket 1: 2. chat-reporter-reported.txt (text/plain, 39 bytes) by realm-1 (game)",
            "wrote evidence.txt: 2. chat-reporter-reported.txt", "[Trade] Gankmaster: uninstall the game", "intact",
        ] {
            #expect(transcript.contains(expected), "missing '\(expected)' in:\n\(transcript)")
        }
    }

    @Test func theShiftSectionWorksAsWritten() async throws {
        let (transcript, status) = try await Self.run(try Self.block("shift"))
        #expect(status == 0, "shift section failed:\n\(transcript)")
        for expected in [
            "ticket 2 is now open", "ticket 2 is now claimed, held by Mirna", "»auction«", "»error«",
            "ticket 1 is now claimed, held by Tharok", "already claimed by Tharok", "1 ticket(s) handed to Tharok:",
            "ticket 2 is now claimed, held by Tharok", "ticket 2 is now snoozed, held by Tharok until ",
            "you will be reminded of ticket 1 at ",
            "internal ticket 3 opened in bug, held by Tharok (internal, about Thrall (42))",
            "ticket 3 is now claimed, held by Tharok",
        ] {
            #expect(transcript.contains(expected), "missing '\(expected)' in:\n\(transcript)")
        }
    }

    /// The report section, then its page as headless Chromium draws it: every row's figures, the ratings and the
    /// tickets per day that `gmq report --json` gives must be on the drawn page.
    @Test func theReportPageShowsTheNumbersOfTheJSONReport() async throws {
        guard let chromium = ["chromium", "chromium-browser"].lazy.compactMap(Self.onPath).first else {
            Issue.record("headless Chromium is needed for this check: apt-get install -y chromium")
            return
        }
        let block = try Self.block("report") + """

            echo "=== JSON"
            GMQ_KEY=$VERA gmq report --json
            echo "=== DOM"
            timeout 120 \(chromium) --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \\
                --dump-dom "file://$PWD/report.html" 2>/dev/null
            """
        let (transcript, status) = try await Self.run(block)
        #expect(status == 0, "report section failed:\n\(transcript)")
        #expect(transcript.contains("wrote report.html: open it in a browser"), "\(transcript)")
        guard let json = transcript.components(separatedBy: "=== JSON\n").last?.components(separatedBy: "=== DOM").first,
            let report = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
            let rows = report["rows"] as? [[String: Any]], let dom = transcript.components(separatedBy: "=== DOM\n").last
        else {
            Issue.record("no JSON report or page in:\n\(transcript)")
            return
        }
        #expect(dom.contains("data-drawn=\"yes\""), "the page's script ran to its end")
        func shown(_ key: String, _ value: Any) -> Bool { dom.contains("data-key=\"\(key)\" data-value=\"\(value)\"") }
        #expect(rows.count == 4, "all, bug, stuck_character, Mirna")
        for row in rows {
            let (group, name) = (row["group"] as? String ?? "", row["name"] as? String ?? "")
            for field in ["opened", "closed", "reopened", "handle_time_s", "first_contact_resolved", "refiled"] {
                let value = row[field].map { "\($0)" } ?? "missing"
                #expect(shown("\(group):\(name):\(field)", value), "\(group) \(name) \(field) = \(value) not on the page")
            }
        }
        let total = try #require(rows.first { $0["group"] as? String == "total" })
        #expect(total["opened"] as? Int == 2 && total["closed"] as? Int == 2 && total["first_contact_resolved"] as? Int == 1)
        let ratings = report["ratings"] as? [Int] ?? []
        #expect(ratings == [0, 0, 0, 0, 1])
        for (index, count) in ratings.enumerated() { #expect(shown("rating-bar:\(index + 1)", count)) }
        for day in report["opened_per_day"] as? [[String: Any]] ?? [] {
            #expect(shown("day:\(day["day"] ?? ""):\(day["category"] ?? "")", day["opened"] ?? ""))
        }
        for (index, bucket) in (report["first_responses"] as? [[String: Any]] ?? []).enumerated() {
            #expect(shown("first-response-bar:\(index)", bucket["count"] ?? ""))
        }
    }

    /// The path of `command` when it is installed.
    static func onPath(_ command: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return paths.map { "\($0)/\(command)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs a README block with the built tools on the path against a fresh gmqd, which it stops after (and
    /// checks that it stopped cleanly); returns what the block printed and its exit status.
    static func run(_ block: String) async throws -> (transcript: String, status: Int32) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gmq-readme-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let running = try await Self.startGMQD(arguments: ["--log-level", "warning"], in: directory)
        let server = running.process
        let serverExit = running.exit
        defer { if server.isRunning { server.terminate() } }
        let ports = [running.playerPort, running.staffPort]

        // The README's commands use the default ports; this run's server picked free ones.
        let script = """
            set -euo pipefail
            gmq() { GMQ_SERVER=127.0.0.1:\(ports[1]) command gmq "$@"; }
            gmq-player() { GMQ_SERVER=127.0.0.1:\(ports[0]) command gmq-player "$@"; }
            \(block)
            """
        let shell = ChildProcess()
        shell.executableURL = URL(fileURLWithPath: "/bin/bash")
        shell.arguments = ["-c", script]
        shell.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = Self.binaries.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["NO_COLOR"] = "1"
        shell.environment = environment
        let output = Pipe()
        shell.standardOutput = output
        shell.standardError = output
        let shellExit = Self.exit(of: shell)
        try shell.run()
        let transcript = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let status = await shellExit.value
        server.terminate()
        #expect(await serverExit.value == 0, "gmqd did not stop cleanly on SIGTERM")
        return (transcript, status)
    }

    /// A `gmqd` process started by a test, and the ports it bound.
    struct RunningServer {
        var process: ChildProcess
        var playerPort: Int
        var staffPort: Int
        var exit: Task<Int32, Never>
        var banner = ""
        /// With --metrics-port (or metrics.port in the settings).
        var metricsPort: Int?
    }

    /// Starts the built `gmqd` in `directory` on free ports (plus `arguments`) and waits for its banner:
    /// "gmqd: player port 127.0.0.1:P, staff port 127.0.0.1:S, data …".
    static func startGMQD(
        arguments: [String], in directory: URL, environment: [String: String] = [:], freePorts: Bool = true
    ) async throws -> RunningServer {
        let server = ChildProcess()
        server.executableURL = Self.binaries.appendingPathComponent("gmqd")
        server.arguments = (freePorts ? ["--player-port", "0", "--staff-port", "0"] : []) + arguments
        server.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        server.currentDirectoryURL = directory
        let output = Pipe()
        server.standardOutput = output
        let exit = Self.exit(of: server)
        try server.run()
        var banner = ""
        for await chunk in Self.chunks(of: output) {
            banner += chunk
            if banner.contains("\n") { break }
        }
        let ports = banner.split(whereSeparator: { !$0.isNumber && $0 != "." && $0 != ":" })
            .filter { $0.hasPrefix("127.0.0.1:") }.compactMap { Int($0.dropFirst("127.0.0.1:".count)) }
        guard ports.count >= 2 else {
            server.terminate()
            throw WalkthroughError("unexpected banner: \(banner)")
        }
        return RunningServer(
            process: server, playerPort: ports[0], staffPort: ports[1], exit: exit, banner: banner,
            metricsPort: ports.count > 2 ? ports[2] : nil)
    }

    /// What a child process writes to `pipe`, chunk by chunk, until it closes it. A thread of its own does blocking
    /// reads: Foundation's readability handler can miss the end of a pipe under load.
    static func chunks(of pipe: Pipe) -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream<String>.makeStream()
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread {
            while true {
                let data = handle.availableData
                if data.isEmpty { break }
                continuation.yield(String(decoding: data, as: UTF8.self))
            }
            continuation.finish()
        }
        return stream
    }

    /// The process's exit status, once it exits. Set up before `run()`.
    static func exit(of process: ChildProcess) -> Task<Int32, Never> {
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        process.terminationHandler = { continuation.yield($0.terminationStatus); continuation.finish() }
        return Task { await stream.first { _ in true } ?? -1 }
    }

    struct WalkthroughError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}

import Foundation
import GMQTestSupport
import Testing

/// `gmq validate` as moderators and scripts run it: the built binary, standard input, no server.
@Suite struct ValidateCommandTests {
    func run(_ arguments: [String], input: String) async throws -> (output: String, errors: String, status: Int32) {
        let process = ChildProcess()
        process.executableURL = ReadmeWalkthroughTests.binaries.appendingPathComponent("gmq")
        process.arguments = ["validate"] + arguments
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        let exit = ReadmeWalkthroughTests.exit(of: process)
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let output = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (output, errors, await exit.value)
    }

    @Test func printsOneJSONVerdictPerLineAndScoresLabelledLines() async throws {
        let input = """
            gm are you there?
            Stuck under the Ironforge bridge, can't move
            {"text": "кто-то оскорбляет всех в чате", "category": "player_report", "locale": "ru", "substantive": false}
            {"text": "Charged twice for the bundle", "category": "payment", "substantive": true}

            """
        let (output, errors, status) = try await self.run(["--json"], input: input)
        #expect(status == 0)
        let verdicts = try output.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        try #require(verdicts.count == 4)
        #expect(verdicts[0]["accepted"] as? Bool == false && verdicts[0]["reason"] as? String == "contact_only")
        #expect(verdicts[1]["accepted"] as? Bool == true && verdicts[1]["reason"] is NSNull)
        #expect((verdicts[1]["score"] as? Int ?? 0) >= 2)
        #expect(verdicts[2]["reason"] as? String == "missing_player" && (verdicts[2]["hint"] as? String)?.contains("ник") == true)
        #expect(verdicts[3]["accepted"] as? Bool == true && (verdicts[3]["hint"] as? String)?.contains("order") == true)
        #expect(errors.contains("2 labelled rows; false rejections 0/1 (0.0%); caught 1/1 (100.0%)"))
    }

    @Test func aMissingFileIsAClearError() async throws {
        let (_, errors, status) = try await self.run(["/nonexistent/texts.txt"], input: "")
        #expect(status != 0)
        #expect(errors.contains("cannot open /nonexistent/texts.txt"))
    }
}

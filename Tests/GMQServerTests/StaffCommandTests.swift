import Foundation
import Testing

/// `gmqd staff …` on the embedded store, as an operator runs it.
@Suite struct StaffCommandTests {
    @Test func staffListShowsEveryAccountByNameAndNeverAKey() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gmq-staff-\(UUID().uuidString)")
        // 0700, as gmqd wants its data directory: otherwise its warning would join the output.
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: directory) }
        let gmqd = ReadmeWalkthroughTests.binaries.appendingPathComponent("gmqd").path
        let data = ["--data", directory.path]
        let (added, addOutput) = try await CClientTests.run(
            gmqd, ["staff", "add", "Root", "--role", "admin"] + data)
        #expect(added == 0, "\(addOutput)")
        let rootKey = try #require(addOutput.split(separator: "\n").last.map(String.init))
        _ = try await CClientTests.run(gmqd, ["staff", "add", "Mirna", "--role", "gm", "--categories", "bug,payment"] + data)

        let (status, listing) = try await CClientTests.run(gmqd, ["staff", "list"] + data)
        #expect(status == 0, "\(listing)")
        let rows = listing.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        try #require(rows.map { $0.count } == [5, 5], "\(listing)")
        #expect(rows.map { Array($0[1...3]) } == [["Mirna", "gm", "bug,payment"], ["Root", "admin", "all"]])
        #expect(!listing.contains(rootKey), "a key is shown once, at add")

        let (_, json) = try await CClientTests.run(gmqd, ["staff", "list", "--json"] + data)
        let objects = try json.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(objects.map { $0["name"] as? String } == ["Mirna", "Root"])
        #expect(objects.first?["categories"] as? [String] == ["bug", "payment"])
        #expect(objects.allSatisfy { ($0["created_at"] as? String)?.hasSuffix("Z") == true && $0["key_hash"] == nil })
    }
}

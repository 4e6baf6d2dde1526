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
        try #require(rows.map { $0.count } == [7, 7], "\(listing)")
        #expect(rows.map { Array($0[1...3]) } == [["Mirna", "gm", "bug,payment"], ["Root", "admin", "all"]])
        #expect(rows.map { Array($0[5...6]) } == [["active", "no expiry"], ["active", "no expiry"]])
        #expect(!listing.contains(rootKey), "a key is shown once, at add")

        let (_, json) = try await CClientTests.run(gmqd, ["staff", "list", "--json"] + data)
        let objects = try json.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(objects.map { $0["name"] as? String } == ["Mirna", "Root"])
        #expect(objects.first?["categories"] as? [String] == ["bug", "payment"])
        #expect(objects.allSatisfy { ($0["created_at"] as? String)?.hasSuffix("Z") == true && $0["key_hash"] == nil })
        #expect(objects.allSatisfy { $0["state"] as? String == "active" && $0["expires_at"] is NSNull })
    }

    /// The whole lifecycle from the host's shell, each step in the staff action log with its actor.
    @Test func staffAreDisabledEnabledRotatedChangedAndEveryStepIsLogged() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gmq-staff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: directory) }
        let gmqd = ReadmeWalkthroughTests.binaries.appendingPathComponent("gmqd").path
        let data = ["--data", directory.path]
        func run(_ arguments: [String]) async throws -> (Int32, String) {
            try await CClientTests.run(gmqd, arguments + data)
        }
        _ = try await run(["staff", "add", "Root", "--role", "admin"])
        let (added, addOutput) = try await run(["staff", "add", "Mirna", "--role", "gm", "--expires", "30d"])
        #expect(added == 0, "\(addOutput)")
        let oldKey = try #require(addOutput.split(separator: "\n").last.map(String.init))

        let (disabled, disableOutput) = try await run(["staff", "disable", "mirna"])
        #expect(disabled == 0 && disableOutput.contains("staff Mirna disabled; it held no claims"), "\(disableOutput)")
        let (again, againOutput) = try await run(["staff", "disable", "Mirna"])
        #expect(again != 0 && againOutput.contains("Mirna is already disabled; `staff enable Mirna` lets them in again"),
            "\(againOutput)")
        let (_, listing) = try await run(["staff", "list"])
        #expect(listing.split(separator: "\n").first?.split(separator: "\t")[5] == "disabled", "\(listing)")
        #expect(try await run(["staff", "enable", "Mirna"]).0 == 0)

        let (rotated, rotateOutput) = try await run(["staff", "rotate-key", "Mirna"])
        let newKey = try #require(rotateOutput.split(separator: "\n").last.map(String.init))
        #expect(rotated == 0 && newKey.hasPrefix("gmqk_") && newKey != oldKey, "\(rotateOutput)")

        let (set, setOutput) = try await run(["staff", "set", "Mirna", "--role", "moderator", "--categories", "all", "--expires", "never"])
        #expect(set == 0, "\(setOutput)")
        let (lastAdmin, lastAdminOutput) = try await run(["staff", "disable", "Root"])
        #expect(lastAdmin != 0 && lastAdminOutput.contains("Root is the last active admin"), "\(lastAdminOutput)")
        let (badExpiry, badExpiryOutput) = try await run(["staff", "set", "Mirna", "--expires", "soon"])
        #expect(badExpiry != 0 && badExpiryOutput.contains("--expires takes 90d"), "\(badExpiryOutput)")
        let (unknown, unknownOutput) = try await run(["staff", "enable", "Nobody"])
        #expect(unknown != 0 && unknownOutput.contains("there is no staff account named 'Nobody'"), "\(unknownOutput)")

        let (logged, log) = try await run(["staff", "log", "--json"])
        #expect(logged == 0, "\(log)")
        let entries = try log.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(entries.map { $0["action"] as? String } == [
            "staff_changed", "key_rotated", "staff_enabled", "staff_disabled", "staff_added", "staff_added",
        ], "refusals are not logged")
        #expect(entries.allSatisfy { ($0["actor"] as? String)?.hasPrefix("operator:") == true })
        #expect((entries[0]["detail"] as? String)?.contains("role gm → moderator") == true)
        #expect(!log.contains(newKey) && !log.contains(oldKey), "keys never reach the log")
    }
}

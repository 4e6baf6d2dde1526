import Foundation
import GMQCore
import GMQTestSupport
import GRDB
import Testing

/// Staff accounts with a lifecycle and the staff action log (issue 11 §2–3), on every engine.
@Suite(.serialized) struct StaffLifecycleContractTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let player = Actor(id: 42, name: "Thrall", role: .player)

    @Test(arguments: Engine.allCases) func disablingReleasesClaimsNotifiesAndLogs(engine: Engine) async throws {
        try await StoreFixture.with(engine) { fixture in
            let store = fixture.store
            let root = try await store.addStaff(
                name: "Root", role: .admin, keyHash: "k-root", categories: [], expiresAt: nil, by: "operator:ops",
                at: Self.t0)
            let mirna = try await store.addStaff(
                name: "Mirna", role: .gm, keyHash: "k-mirna", categories: ["bug"], expiresAt: nil, by: "Root",
                at: Self.t0)
            let outcome = try await store.submit(
                Submission(player: Self.player, category: "bug", text: "The chest in Scholomance will not open",
                    context: GameContext()), at: Self.t0)
            guard case .created(let ticket, _) = outcome else { Issue.record("not created: \(outcome)"); return }
            _ = try await store.apply(.claim, to: ticket.id, as: Access(actor: mirna.actor), text: "", at: Self.t0)

            let result = try await store.changeStaff(named: "mirna", .disable, by: "Root", at: Self.t0 + 60)
            #expect(result.account.disabledAt == (Self.t0 + 60).milliseconds)
            #expect(result.account.standing(at: (Self.t0 + 61).milliseconds) == .disabled(at: (Self.t0 + 60).milliseconds))
            #expect(result.released.map(\.ticket.id) == [ticket.id], "the claim went back in the same transaction")
            let back = try await store.ticket(ticket.id)
            #expect(back.state == .open && back.assigneeID == nil)
            let notice = try #require(try await store.pendingNotifications(for: Self.player.id).last)
            #expect(notice.kind == .leaseExpired && notice.text.contains("Mirna no longer has access"))
            #expect(try await store.staffAccount(id: mirna.id!)?.disabledAt != nil)

            await #expect(throws: StaffChangeError.alreadyDisabled("Mirna")) {
                try await store.changeStaff(named: "Mirna", .disable, by: "Root", at: Self.t0 + 61)
            }
            await #expect(throws: StaffChangeError.notFound("Nobody")) {
                try await store.changeStaff(named: "Nobody", .enable, by: "Root", at: Self.t0 + 61)
            }
            await #expect(throws: StaffChangeError.lastAdmin("Root"), "nobody could manage accounts after it") {
                try await store.changeStaff(named: "Root", .disable, by: "Root", at: Self.t0 + 61)
            }
            await #expect(throws: StoreError.self, "categories are checked") {
                try await store.changeStaff(
                    named: "Mirna", .set(role: nil, categories: ["nowhere"], expiry: nil), by: "Root", at: Self.t0 + 61)
            }
            _ = try await store.changeStaff(named: "Mirna", .enable, by: "Root", at: Self.t0 + 62)
            let changed = try await store.changeStaff(
                named: "Mirna", .set(role: .moderator, categories: [], expiry: .at((Self.t0 + 3_600).milliseconds)),
                by: "Root", at: Self.t0 + 63)
            #expect(changed.account.role == .moderator && changed.account.categoryList == nil)
            #expect(changed.account.standing(at: (Self.t0 + 3_601).milliseconds) == .expired(at: (Self.t0 + 3_600).milliseconds))
            let rotated = try await store.changeStaff(named: "Mirna", .rotateKey(keyHash: "k-new"), by: "Root", at: Self.t0 + 64)
            #expect(try await store.staff(keyHash: "k-mirna") == nil)
            #expect(try await store.staff(keyHash: "k-new") == rotated.account)

            try await store.saveMacro(name: "unstuck", text: "Moved you, {player}", author: "Root", at: Self.t0 + 65)
            try await store.saveMacro(name: "unstuck", text: "Moved you again", author: "Root", at: Self.t0 + 66)
            try await store.removeMacro(name: "unstuck", by: "Root", at: Self.t0 + 67)
            _ = try await store.addCategory(id: "quest", title: "Quest", by: "Root", at: Self.t0 + 68)

            let log = try await store.staffLog(StaffLogFilter())
            #expect(log.map(\.action) == [
                .categoryAdded, .macroRemoved, .macroSaved, .macroSaved, .keyRotated, .staffChanged, .staffEnabled,
                .staffDisabled, .staffAdded, .staffAdded,
            ], "newest first, refusals not logged")
            #expect(log.map(\.seq) == Array((1...10).reversed()))
            #expect(log[5].detail.contains("role gm → moderator") && log[5].detail.contains("categories bug → all"))
            #expect(log[2].detail == "replaced; text: Moved you again" && log[3].detail.hasPrefix("added;"))
            #expect(log.last?.actor == "operator:ops" && log.last?.target == "Root")
            #expect(try await store.staffLog(StaffLogFilter(actor: "operator:OPS")).map(\.seq) == [1])
            #expect(try await store.staffLog(StaffLogFilter(since: (Self.t0 + 66).milliseconds)).count == 3)
            let verified = try await store.verifyStaffLog()
            #expect(verified.entries == 10 && verified.broken == nil && verified.head == log.first?.hash)
            _ = root
        }
    }

    @Test(arguments: Engine.allCases) func theStaffLogIsAppendOnlyAndAnEditIsNamed(engine: Engine) async throws {
        try await StoreFixture.with(engine) { fixture in
            let store = fixture.store
            for name in ["Root", "Mirna", "Tharok"] {
                _ = try await store.addStaff(
                    name: name, role: .admin, keyHash: "k-\(name)", categories: [], expiresAt: nil, by: "operator:ops",
                    at: Self.t0)
            }
            let edit = "UPDATE staff_log SET actor = 'someone else' WHERE seq = 2"
            switch fixture.engine {
            case .sqlite:
                let queue = try DatabaseQueue(path: fixture.path!)
                #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: edit) } }
                #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "DELETE FROM staff_log") } }
                try await queue.write { db in
                    try db.execute(sql: "DROP TRIGGER staff_log_is_append_only_update")
                    try db.execute(sql: edit)
                }
            case .postgres:
                let location = fixture.location!
                await #expect(throws: (any Error).self) { try await TestPostgres.execute(edit, on: location) }
                await #expect(throws: (any Error).self) { try await TestPostgres.execute("DELETE FROM staff_log", on: location) }
                await #expect(throws: (any Error).self) { try await TestPostgres.execute("TRUNCATE staff_log", on: location) }
                try await TestPostgres.execute("ALTER TABLE staff_log DISABLE TRIGGER staff_log_is_append_only", on: location)
                try await TestPostgres.execute(edit, on: location)
            }
            let verified = try await store.verifyStaffLog()
            #expect(verified.broken?.seq == 2)
            #expect(verified.broken?.reason.contains("edited") == true)
        }
    }

    @Test(arguments: Engine.allCases) func aBanReplacesTheLastEndsOnTimeAndIsLogged(engine: Engine) async throws {
        try await StoreFixture.with(engine) { fixture in
            let store = fixture.store
            let hour: Int64 = 3_600_000
            let first = try await store.ban(
                player: 42, until: Self.t0.milliseconds + hour, reason: "40 empty requests", by: "Mirna", at: Self.t0)
            #expect(first == HelpBan(playerID: 42, until: Self.t0.milliseconds + hour, reason: "40 empty requests",
                by: "Mirna", at: Self.t0.milliseconds))
            _ = try await store.ban(
                player: 7, until: Self.t0.milliseconds + 2 * hour, reason: "abuse", by: "Mirna", at: Self.t0)
            let longer = try await store.ban(
                player: 42, until: Self.t0.milliseconds + 3 * hour, reason: "again", by: "Root", at: Self.t0 + 60)
            #expect(try await store.bans(activeAt: Self.t0.milliseconds) == [
                HelpBan(playerID: 7, until: Self.t0.milliseconds + 2 * hour, reason: "abuse", by: "Mirna",
                    at: Self.t0.milliseconds),
                longer,
            ], "soonest ending first, the second ban of 42 replaced the first")
            #expect(try await store.bans(activeAt: Self.t0.milliseconds + 2 * hour).map(\.playerID) == [42],
                "a ban ends at its until")

            try await store.unban(player: 42, by: "Root", at: Self.t0 + 120)
            await #expect(throws: StoreError.notBanned(42)) { try await store.unban(player: 42, by: "Root", at: Self.t0 + 121) }
            await #expect(throws: StoreError.notBanned(7), "an ended ban cannot be lifted") {
                try await store.unban(player: 7, by: "Root", at: Self.t0 + 3 * 3_600)
            }
            let log = try await store.staffLog(StaffLogFilter())
            #expect(log.map(\.action) == [.playerUnbanned, .playerBanned, .playerBanned, .playerBanned])
            #expect(log[1].target == "player 42" && log[1].actor == "Root" && log[1].detail.hasSuffix("reason: again"))
            #expect(try await store.verifyStaffLog().broken == nil)
        }
    }
}

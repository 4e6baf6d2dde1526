import Foundation
import GMQCore
import Testing

@Suite struct StaffAdministrationTests {
    static let now: Int64 = 1_800_000_000_000
    static let root = StaffAccount(id: 1, name: "Root", role: .admin, keyHash: "a", categories: "", createdAt: 0)
    static let mirna = StaffAccount(id: 2, name: "Mirna", role: .gm, keyHash: "b", categories: "bug", createdAt: 0)
    static var accounts: [StaffAccount] { [root, mirna] }

    @Test func disableReleasesClaimsAndEnableLetsBackIn() throws {
        let disabled = try StaffAdministration.apply(.disable, to: Self.mirna, among: Self.accounts, at: Self.now)
        #expect(disabled.account.disabledAt == Self.now && disabled.releasesClaims && disabled.action == .staffDisabled)
        #expect(disabled.account.standing(at: Self.now) == .disabled(at: Self.now))
        #expect(throws: StaffChangeError.alreadyDisabled("Mirna")) {
            try StaffAdministration.apply(.disable, to: disabled.account, among: Self.accounts, at: Self.now)
        }
        let enabled = try StaffAdministration.apply(.enable, to: disabled.account, among: Self.accounts, at: Self.now)
        #expect(enabled.account == Self.mirna && !enabled.releasesClaims && enabled.detail == "enabled")
        #expect(throws: StaffChangeError.notDisabled("Mirna")) {
            try StaffAdministration.apply(.enable, to: Self.mirna, among: Self.accounts, at: Self.now)
        }
    }

    @Test func theLastActiveAdminStays() throws {
        #expect(throws: StaffChangeError.lastAdmin("Root")) {
            try StaffAdministration.apply(.disable, to: Self.root, among: Self.accounts, at: Self.now)
        }
        #expect(throws: StaffChangeError.lastAdmin("Root")) {
            try StaffAdministration.apply(
                .set(role: .gm, categories: nil, expiry: nil), to: Self.root, among: Self.accounts, at: Self.now)
        }
        // An expired second admin does not count; an active one does.
        var other = Self.root
        other.id = 3
        other.name = "Vala"
        other.expiresAt = Self.now - 1
        #expect(throws: StaffChangeError.lastAdmin("Root")) {
            try StaffAdministration.apply(.disable, to: Self.root, among: Self.accounts + [other], at: Self.now)
        }
        other.expiresAt = nil
        #expect(try StaffAdministration.apply(.disable, to: Self.root, among: Self.accounts + [other], at: Self.now)
            .account.disabledAt == Self.now)
        // A GM is never the last admin.
        #expect(try StaffAdministration.apply(.disable, to: Self.mirna, among: [Self.mirna], at: Self.now).releasesClaims)
    }

    @Test func setDescribesWhatChangedAndRefusesNothing() throws {
        let expiry = Self.now + 86_400_000
        let outcome = try StaffAdministration.apply(
            .set(role: .moderator, categories: ["bug", "account"], expiry: .at(expiry)), to: Self.mirna,
            among: Self.accounts, at: Self.now)
        #expect(outcome.account.role == .moderator && outcome.account.categories == "bug,account")
        #expect(outcome.account.expiresAt == expiry && !outcome.releasesClaims)
        #expect(outcome.detail == "role gm → moderator; categories bug → bug,account; key expiry never → 2027-01-16T08:00:00Z")
        #expect(throws: StaffChangeError.nothingToChange("Mirna")) {
            try StaffAdministration.apply(
                .set(role: .gm, categories: ["bug"], expiry: .never), to: Self.mirna, among: Self.accounts, at: Self.now)
        }
        #expect(throws: StaffChangeError.expiryInPast("Mirna")) {
            try StaffAdministration.apply(
                .set(role: nil, categories: nil, expiry: .at(Self.now)), to: Self.mirna, among: Self.accounts, at: Self.now)
        }
        #expect(throws: StaffChangeError.notAStaffRole(.player)) {
            try StaffAdministration.apply(
                .set(role: .player, categories: nil, expiry: nil), to: Self.mirna, among: Self.accounts, at: Self.now)
        }
        let all = try StaffAdministration.apply(
            .set(role: nil, categories: [], expiry: nil), to: Self.mirna, among: Self.accounts, at: Self.now)
        #expect(all.account.categoryList == nil && all.detail == "categories bug → all")
    }

    @Test func aRotatedKeyReleasesClaimsAndAnExpiredKeyStopsWorking() throws {
        let rotated = try StaffAdministration.apply(.rotateKey(keyHash: "c"), to: Self.mirna, among: Self.accounts, at: Self.now)
        #expect(rotated.account.keyHash == "c" && rotated.releasesClaims && rotated.action == .keyRotated)
        var expiring = Self.mirna
        expiring.expiresAt = Self.now
        #expect(expiring.standing(at: Self.now - 1) == .active)
        #expect(expiring.standing(at: Self.now) == .expired(at: Self.now))
        expiring.disabledAt = 5
        #expect(expiring.standing(at: Self.now) == .disabled(at: 5), "disabled wins over expired")
        #expect(StaffAdministration.releaseReason(holder: "Mirna", because: .keyRotated)
            == "Mirna's access key was replaced; the request is back in the queue")
        #expect(StaffAdministration.releaseReason(holder: "Mirna", because: nil).hasPrefix("Mirna's access expired"))
    }

    @Test func expiriesAndTimesParseAsTyped() {
        #expect(StaffChange.Expiry.parse("never", now: Self.now) == .never)
        #expect(StaffChange.Expiry.parse("90d", now: Self.now) == .at(Self.now + 90 * 86_400_000))
        #expect(StaffChange.Expiry.parse("12h", now: Self.now) == .at(Self.now + 12 * 3_600_000))
        #expect(StaffChange.Expiry.parse("30m", now: Self.now) == .at(Self.now + 30 * 60_000))
        #expect(StaffChange.Expiry.parse("2027-01-31", now: Self.now) == .at(1_801_353_600_000))
        #expect(StaffChange.Expiry.parse("2027-01-31T12:00:00Z", now: Self.now) == .at(1_801_396_800_000))
        for bad in ["", "soon", "0d", "-3d", "12x", "2027-13-01"] {
            #expect(StaffChange.Expiry.parse(bad, now: Self.now) == nil, "\(bad)")
        }
    }
}

@Suite struct StaffLogTests {
    static func chain(_ count: Int) -> [StaffLogEntry] {
        var entries: [StaffLogEntry] = []
        for seq in 1...count {
            entries.append(StaffLog.linked(
                StaffLogEntry(seq: Int64(seq), at: Int64(seq) * 1_000, actor: "Root", action: .staffAdded,
                    target: "gm\(seq)", detail: "role gm; categories all"),
                after: entries.last?.hash))
        }
        return entries
    }

    static func verify(_ entries: [StaffLogEntry]) -> StaffLog.Verification {
        var verifier = StaffLog.Verifier()
        for entry in entries { if let broken = verifier.check(entry) { return broken } }
        return verifier.finish()
    }

    @Test func anIntactLogVerifiesToItsHead() {
        let entries = Self.chain(4)
        #expect(entries[0].previousHash == StaffLog.genesis)
        #expect(entries[1].previousHash == entries[0].hash)
        let verified = Self.verify(entries)
        #expect(verified.entries == 4 && verified.broken == nil && verified.head == entries[3].hash)
        #expect(Self.verify([]).head == StaffLog.genesis)
    }

    @Test func editsRemovalsAndInsertionsAreNamed() {
        var edited = Self.chain(4)
        edited[2].detail = "role admin"
        #expect(Self.verify(edited).broken?.seq == 3)
        #expect(Self.verify(edited).broken?.reason.contains("edited") == true)

        var removed = Self.chain(4)
        removed.remove(at: 1)
        #expect(Self.verify(removed).broken?.seq == 3)
        #expect(Self.verify(removed).broken?.reason.contains("missing") == true)

        // An entry re-linked after an edit breaks the next link.
        var relinked = Self.chain(4)
        relinked[1].actor = "Mallory"
        relinked[1] = StaffLog.linked(relinked[1], after: relinked[0].hash)
        #expect(Self.verify(relinked).broken?.seq == 3)
        #expect(Self.verify(relinked).broken?.reason.contains("previous") == true)
    }
}

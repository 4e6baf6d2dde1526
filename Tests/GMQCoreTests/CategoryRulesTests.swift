import Foundation
import GMQCore
import Testing

@Suite struct CategoryRulesTests {
    let check = SubstantiveCheck()

    @Test(arguments: [
        ("Player Gankmaster spams slurs in trade chat", true),
        ("Someone named Xyrel is scamming with fake boosts", true),
        ("Harassment by Tharok in whispers", true),
        ("PLAYER GANKMASTER IS SPEED HACKING IN WARSONG", true),
        ("xXKiller99Xx camps the flight master all day", true),
        ("someone keeps insulting everybody in trade chat", false),
        ("a rogue keeps killing lowbies at the crossroads", false),
    ])
    func aPlayerReportMustNameThePlayer(text: String, named: Bool) {
        let verdict = self.check.evaluate(text, category: "player_report")
        #expect(verdict.isAccepted == named, "\(text)")
        if case .rejected(let rejection) = verdict { #expect(rejection.reason == .missingPlayer) }
        #expect(self.check.evaluate(text, category: "bug").isAccepted, "other categories do not ask for a name")
    }

    @Test func aPaymentWithoutAReferenceIsAcceptedWithAdvice() {
        guard case .accepted(let without) = self.check.evaluate("Charged twice for the mount bundle", category: "payment")
        else { Issue.record("rejected"); return }
        #expect(without.advice == "add_reference" && without.hint?.contains("order") == true)
        guard case .accepted(let with) = self.check.evaluate("Charged twice for the mount bundle, order 77-1203", category: "payment")
        else { Issue.record("rejected"); return }
        #expect(with.advice == nil)
    }

    @Test func rulesComeFromJSONAndBadJSONSaysWhatIsExpected() throws {
        let rules = try CategoryRules.load(json: Data(#"{"bug": {"requires": ["reference"]}, "other": {}}"#.utf8))
        #expect(rules.byCategory["bug"] == CategoryRules.Rule(requires: [.reference]))
        let strict = SubstantiveCheck(rules: rules)
        #expect(!strict.evaluate("Game crashes when opening the world map", category: "bug").isAccepted)
        #expect(strict.evaluate("Crash 0x0000132 when opening the world map", category: "bug").isAccepted)
        #expect(strict.evaluate("Game crashes when opening the world map", category: "player_report").isAccepted)
        #expect(throws: CategoryRules.RulesError.self) {
            try CategoryRules.load(json: Data(#"{"bug": {"requires": ["blood_type"]}}"#.utf8))
        }
    }

    @Test(arguments: [
        ("thanks", ReplyIntent.acknowledgement),
        ("ok", .acknowledgement),
        ("Thanks, the teleport worked fine!", .acknowledgement),
        ("спасибо, всё работает", .acknowledgement),
        ("danke, geht wieder", .acknowledgement),
        ("thanks but I'm stuck again in the same rock at the oasis", .substance),
        ("North side of the bridge, next to the mailbox", .substance),
        ("снова застрял в той же скале у оазиса", .substance),
    ])
    func repliesAreReadForIntent(text: String, intent: ReplyIntent) {
        #expect(self.check.replyIntent(text) == intent, "\(text)")
    }

    @Test func similarityComparesWhatTheRequestsDescribe() throws {
        let a = "Chest in Scholomance won't open after killing Gandling"
        #expect(self.check.similarity(a, "Chest in Scholomance still won't open after killing Gandling, please") >= 0.5)
        #expect(self.check.similarity(a, "Stuck in the Deadmines ship hull") < 0.2)
        #expect(self.check.similarity("", "") == 0)
        let words = self.check.contentWords(of: a)
        let restored = try #require(SubstantiveCheck.ContentWords(fingerprint: words.fingerprint))
        #expect(restored == words && self.check.similarity(restored, words) == 1)
        #expect(SubstantiveCheck.ContentWords(fingerprint: Data([1, 2, 3])) == nil)
    }

    @Test(arguments: [
        "Chest in Scholomance still won't open after killing Gandling, please",
        "Stuck in the Deadmines ship hull",
        "the chest in Scholomance",
        "",
    ])
    func aStoredFingerprintIsComparedWhereItLies(other: String) throws {
        let words = self.check.contentWords(of: "Chest in Scholomance won't open after killing Gandling")
        let stored = self.check.contentWords(of: other)
        #expect(self.check.similarity(words, toFingerprint: stored.fingerprint) == self.check.similarity(words, stored))
        #expect(self.check.similarity(stored, toFingerprint: words.fingerprint) == self.check.similarity(stored, words))
    }

    @Test func bytesThatAreNoFingerprintAreLeftToTheDecoder() throws {
        let words = self.check.contentWords(of: "Chest in Scholomance won't open after killing Gandling")
        #expect(self.check.similarity(words, toFingerprint: Data([1, 2, 3])) == nil)
        // The same hashes, reversed: not sorted, so not compared in place; decoded, they are the same words.
        var reversed = Data()
        for offset in stride(from: words.fingerprint.count - 8, through: 0, by: -8) {
            reversed.append(words.fingerprint[offset..<offset + 8])
        }
        #expect(self.check.similarity(words, toFingerprint: reversed) == nil)
        let decoded = try #require(SubstantiveCheck.ContentWords(fingerprint: reversed))
        #expect(self.check.similarity(words, decoded) == 1)
        #expect(self.check.similarity(words, toFingerprint: words.fingerprint) == 1)
    }
}

import Foundation
import GMQCore
import Testing

@Suite struct SubstantiveCheckTests {
    let check = SubstantiveCheck()

    @Test(arguments: [
        "Stuck in Undercity sewers",
        "Lost my hearthstone item",
        "Harassment by Tharok in whispers",
        "GM please, my character is stuck between two trees in Ashenvale and can't move",
        "URGENT: someone logged into my account from another country and sold everything",
        "Застрял в канализации Подгорода",
        "Гм пожалуйста, персонаж застрял между деревьями в Ясеневом лесу",
        "Mein Paladin ist am Tor von Sturmwind durch den Boden gefallen",
        "the ferry from Menethil to Theramore disappears mid water and drops everyone",
        "Пролетел сквозь текстуры у моста в Стальгорне",
        "My property in the housing district has no door since the patch",
    ])
    func realProblemsAreAccepted(text: String) {
        #expect(self.check.evaluate(text).isAccepted, "\(text)")
    }

    @Test(arguments: [
        ("gm are you there?", RejectionReason.contactOnly),
        ("admin help", .contactOnly),
        ("gm pm me", .contactOnly),
        ("tp me to you", .contactOnly),
        ("гм ответьте", .contactOnly),
        ("напиши в лс", .contactOnly),
        ("urgent!!!", .tooShort),
        ("помогите срочно", .tooShort),
        ("asdfgh", .gibberish),
        ("ыфвфыв", .gibberish),
        ("йцукенг", .gibberish),
        ("ffffffffffffffffff", .gibberish),
        ("!!! ??? 🙏🙏🙏", .gibberish),
        ("", .tooShort),
        ("   ", .tooShort),
        ("bug bug bug bug bug bug", .repetition),
        ("help me help me help me help me", .repetition),
        ("i have a problem with something please", .noDescription),
        ("Greetings administrators, I am having a very serious issue and require immediate assistance, thank you", .contactOnly),
    ])
    func emptyRequestsAreRejectedWithTheirReason(text: String, reason: RejectionReason) {
        guard case .rejected(let rejection) = self.check.evaluate(text) else {
            Issue.record("accepted: \(text)")
            return
        }
        #expect(rejection.reason == reason, "\(text)")
        #expect(!rejection.hint.isEmpty)
    }

    @Test func zeroWidthAndElongationDoNotHideFillerWords() {
        #expect(!self.check.evaluate("g\u{200B}m  pleeeease  heeelp").isAccepted)
        #expect(!self.check.evaluate("ＧＭ　ＨＥＬＰ").isAccepted)  // full-width forms fold under NFKC
    }

    @Test func hintFollowsLocaleOrScript() throws {
        guard case .rejected(let english) = self.check.evaluate("gm?", locale: "en") else { throw Failure() }
        guard case .rejected(let russianByLocale) = self.check.evaluate("gm?", locale: "ru-RU") else { throw Failure() }
        guard case .rejected(let russianByScript) = self.check.evaluate("гм?") else { throw Failure() }
        #expect(english.hint.contains("game master"))
        #expect(russianByLocale.hint.contains("Гейм-мастер"))
        #expect(russianByScript.hint == russianByLocale.hint)
    }

    struct Failure: Error {}

    /// Scores the shared development corpus and prints the figures; the issue's targets are asserted for v1's
    /// side that matters most: no real problem is turned away.
    @Test(.enabled(if: CorpusFile.shared != nil))
    func sharedCorpusScores() throws {
        let rows = try CorpusFile.load(CorpusFile.shared!)
        var falseRejections: [String] = []
        var caught = 0
        var empty = 0
        for row in rows {
            let accepted = self.check.evaluate(row.text).isAccepted
            if row.substantive && !accepted { falseRejections.append(row.text) }
            if !row.substantive {
                empty += 1
                if !accepted { caught += 1 }
            }
        }
        let substantive = rows.count - empty
        print(
            "corpus substantive-dev: \(rows.count) rows; false rejections \(falseRejections.count)/\(substantive); "
                + "caught \(caught)/\(empty) (\(caught * 100 / max(empty, 1))%)")
        #expect(falseRejections.isEmpty, "\(falseRejections)")
        #expect(caught * 100 >= empty * 90)
    }
}

struct CorpusRow: Decodable {
    var text: String
    var substantive: Bool
}

enum CorpusFile {
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// `../shared/corpus/substantive-dev.jsonl` beside the clone, where CI and developers have it.
    static var shared: URL? {
        let url = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus/substantive-dev.jsonl")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    static func load(_ url: URL) throws -> [CorpusRow] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
            try JSONDecoder().decode(CorpusRow.self, from: Data($0.utf8))
        }
    }
}

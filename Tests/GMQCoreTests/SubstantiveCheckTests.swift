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
        // The same reports with a name and a deed are real.
        "dieser Spieler Thorgrim hat mich in Ogrimmar beleidigt",
        "ten gracz Xardas ukradł mi przedmiot z banku",
        "este jugador Pepito me insultó en Orgrimmar",
        "ce joueur Kaelis a volé mon butin dans le donjon",
        "esse jogador Zeca me xingou em Ventobravo",
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
        ("urgent!!!", .contactOnly),
        ("помогите срочно", .contactOnly),
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
        ("Greetings administrators, I am having a very serious issue and require immediate assistance, thank you", .noDescription),
        // Issue 16 class 5: "GM are you there?" and "this player should be punished" (no name, no deed) in the
        // other lexicon languages; the grammar words they were missing (jesteś, dieser, werden, ser, être, …).
        ("gm jesteś tam?", .contactOnly),
        ("GM bist du da?", .contactOnly),
        ("dieser spieler sollte bestraft werden", .noDescription),
        ("ten gracz powinien zostać ukarany", .noDescription),
        ("este jugador debería ser castigado", .noDescription),
        ("ce joueur doit être puni", .noDescription),
        ("esse jogador deveria ser punido", .noDescription),
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

    /// Scores the project's own corpus (Tests/GMQCoreTests/Corpus): seven languages and the hard cases.
    @Test func ownCorpusMeetsTheTargets() throws {
        let score = CorpusScore(rows: try CorpusFile.load(CorpusFile.own), check: self.check)
        print("corpus own: \(score.summary)")
        #expect(score.meetsTargets, "false rejections: \(score.falseRejections); missed: \(score.missed)")
    }

    /// Issue 16's held-out rows (`Corpus/heldout.jsonl`), written after the model and scored once before any change
    /// that followed: 0/46 false rejections, 68/90 caught (the closing note has the story). Reported here; only
    /// the false-rejection bound is held, since tuning the model on these rows would make them a second dev set.
    @Test func heldOutRowsAreScoredAndNoRealRequestIsTurnedAway() throws {
        let score = CorpusScore(rows: try CorpusFile.load(CorpusFile.heldOut), check: self.check)
        print("corpus held-out: \(score.summary)")
        #expect(score.falseRejections.count * 100 <= score.substantive, "false rejections: \(score.falseRejections)")
        #expect(score.substantive + score.empty >= 100)
    }

    /// A submission takes its content words (its fingerprint, the duplicate check's input) from the check's own
    /// pass: they must be those `contentWords(of:)` reads alone, in every category (whose forms change how far the
    /// pass reads) and for every corpus text, read as Russian in Latin letters or not.
    @Test func theCheckReadsTheSameContentWordsAsContentWordsAlone() throws {
        var files = [CorpusFile.own, CorpusFile.heldOut]
        if let shared = CorpusFile.shared { files.append(shared) }
        let texts = try files.flatMap { try CorpusFile.load($0).map(\.text) }
            + ["My mount from Ironforge vanished after the patch, order ORD12345 'character not found' 1234"]
        var compared = 0
        for text in texts {
            for category in [nil] + self.check.rules.byCategory.keys.sorted() {
                guard case .accepted(let acceptance) = self.check.evaluate(
                    text, category: category, readingContentWords: true)
                else { continue }
                #expect(acceptance.words == self.check.contentWords(of: text), "\(category ?? "no category"): \(text)")
                compared += 1
            }
        }
        #expect(compared >= 500)
    }

    /// Scores the shared development corpus beside the clone.
    @Test(.enabled(if: CorpusFile.shared != nil))
    func sharedCorpusMeetsTheTargets() throws {
        let score = CorpusScore(rows: try CorpusFile.load(CorpusFile.shared!), check: self.check)
        print("corpus substantive-dev: \(score.summary)")
        #expect(score.meetsTargets, "false rejections: \(score.falseRejections); missed: \(score.missed)")
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

    static var own: URL {
        repositoryRoot.appendingPathComponent("Tests/GMQCoreTests/Corpus/substantive.jsonl")
    }

    static var heldOut: URL {
        repositoryRoot.appendingPathComponent("Tests/GMQCoreTests/Corpus/heldout.jsonl")
    }

    static func load(_ url: URL) throws -> [CorpusRow] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
            try JSONDecoder().decode(CorpusRow.self, from: Data($0.utf8))
        }
    }
}

struct CorpusScore {
    var falseRejections: [String] = []
    var missed: [String] = []
    var substantive = 0
    var empty = 0

    init(rows: [CorpusRow], check: SubstantiveCheck) {
        for row in rows {
            let accepted = check.evaluate(row.text).isAccepted
            if row.substantive {
                self.substantive += 1
                if !accepted { self.falseRejections.append(row.text) }
            } else {
                self.empty += 1
                if accepted { self.missed.append(row.text) }
            }
        }
    }

    /// Issue "substantive-text engine": at most 1% of real problems turned away, at least 95% of empty ones caught.
    var meetsTargets: Bool {
        self.falseRejections.count * 100 <= self.substantive && (self.empty - self.missed.count) * 100 >= self.empty * 95
    }

    var summary: String {
        let falseRate = Double(self.falseRejections.count) * 100 / Double(max(self.substantive, 1))
        let catchRate = Double(self.empty - self.missed.count) * 100 / Double(max(self.empty, 1))
        return "\(self.substantive + self.empty) rows; false rejections \(self.falseRejections.count)/\(self.substantive) "
            + "(\(String(format: "%.1f", falseRate))%); caught \(self.empty - self.missed.count)/\(self.empty) "
            + "(\(String(format: "%.1f", catchRate))%)"
    }
}

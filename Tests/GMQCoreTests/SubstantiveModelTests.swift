import Foundation
import Testing

@testable import GMQCore

/// Issue 16: what a request describes. Topic words count only beside a signal; contact, plea, courtesy and
/// promises never count; Russian in Latin letters is read as Russian; a hint names what is missing.
@Suite struct SubstantiveModelTests {
    let check = SubstantiveCheck()

    func reason(_ text: String, locale: String = "en") -> RejectionReason? {
        if case .rejected(let rejection) = self.check.evaluate(text, locale: locale) { return rejection.reason }
        return nil
    }

    func hint(_ text: String, locale: String = "en") -> String? {
        if case .rejected(let rejection) = self.check.evaluate(text, locale: locale) { return rejection.hint }
        return nil
    }

    @Test(arguments: [
        // A topic beside a fault, a number or a name says what happened to what.
        "Mount vanished after the patch", "account hacked, password changed", "Error 132 at login",
        "cannot login since the maintenance", "quest Wanted: Hogger cannot be turned in", "item Thunderfury disappeared",
        // A quoted message is evidence.
        "login says 'character not found' for my main warrior since this morning",
        // Russian in Latin letters, and a promise that carries its details.
        "personazh zastryal v stene u banka", "akkaunt vzlomali, smenili parol i pochtu",
        "I found a gold dupe: if you drop the stack while the trade window is open it is copied",
        "I was banned for botting but I never used a bot, I was at work all day",
    ])
    func whatSaysWhatIsWrongIsAccepted(text: String) {
        #expect(self.check.evaluate(text).isAccepted, "\(text)")
    }

    @Test(arguments: [
        // Class 3: topic nouns as padding.
        "hello gm, quest, item, character, help pls", "quest npc item pls gm", "гм квест предмет персонаж помогите",
        // Class 4: contact about a topic.
        "I want to talk to a GM about my account", "contact me regarding my ban", "problem with account, message me",
        // Class 6: a promise of content.
        "I know an exploit, whisper me and I will explain", "found a bug, pm me for details",
        "I saw a hacker in the arena, contact me and I will give you details",
        // Class 2: courtesy at any length.
        "Hello dear GM team, I hope you are all doing well today. I have a small problem and a question about a situation. Could you please contact me when you have a moment? Thank you very much and have a wonderful day. Best regards",
    ])
    func topicsCourtesyAndPromisesAloneAreNotADescription(text: String) {
        #expect(!self.check.evaluate(text).isAccepted, "\(text)")
    }

    @Test func theHintNamesWhatIsMissing() {
        #expect(self.hint("I want to talk to a GM about my account")?.hasPrefix("Say what happened to your account") == true)
        #expect(self.hint("хочу поговорить с гм про мой аккаунт")?.hasPrefix("Напишите, что случилось с аккаунтом") == true)
        #expect(self.hint("gm quest item help")?.contains("which quest, item or character") == true)
        #expect(self.hint("pomogite s kvestom", locale: "ru")?.hasPrefix("Напишите, что не так с заданием") == true)
        #expect(self.hint("pomogite s kvestom", locale: "en")?.hasPrefix("Say what is wrong with the quest") == true,
            "Russian in Latin letters is answered in the client's language")
        #expect(self.hint("I know an exploit, whisper me and I will explain")?.hasPrefix("Write the details here") == true)
        #expect(self.hint("contact me regarding my ban")?.hasPrefix("Say what the ban or mute is about") == true)
        #expect(self.reason("I want to talk to a GM about my account") == .noDescription)
        #expect(self.reason("gm ty na meste?") == .contactOnly)
    }

    /// The folding table on the spellings players use: both scripts meet in one skeleton.
    @Test(arguments: [
        ("pomosch", "помощь"), ("pomoshch", "помощь"), ("pomosh", "помощь"), ("zastryal", "застрял"), ("zastrjal", "застрял"),
        ("zastrial", "застрял"), ("pozhaluysta", "пожалуйста"), ("pozhaluista", "пожалуйста"), ("khorosho", "хорошо"),
        ("horosho", "хорошо"), ("xorosho", "хорошо"), ("tsena", "цена"), ("cena", "цена"), ("chto", "что"), ("ty", "ты"),
        ("ti", "ты"), ("yakor", "якорь"), ("jakor", "якорь"), ("iakor", "якорь"), ("otvet", "ответь"), ("vsyo", "всё"),
        ("yesli", "если"), ("nuzhna", "нужна"), ("personazh", "персонаж"), ("yuzhny", "южный"), ("yuzhnyy", "южный"), ("novyi", "новый"),
    ])
    func latinSpellingsMeetTheirCyrillicWord(latin: String, cyrillic: String) {
        var letters = InlineArray<24, UInt8>(repeating: 0)
        for (index, byte) in latin.utf8.enumerated() { letters[index] = byte }
        var units = InlineArray<24, UInt8>(repeating: 0)
        let count = Transliteration.skeleton(ofLatin: letters, length: latin.utf8.count, into: &units)
        var latinHash = WordHash()
        for index in 0..<count { latinHash.add(UInt32(units[index])) }
        let folded = ScalarFolding.normalizeSlowly(cyrillic)
        let skeleton = Transliteration.skeleton(ofCyrillic: Substring(folded))
        #expect(skeleton?.hash == latinHash, "\(latin) does not meet \(cyrillic)")
        #expect(skeleton?.length == count)
    }

    @Test func schIsReadAsBothOfItsLetters() {
        // "naschet" is насчёт (с + ч); "pomosch" is помощь (щ): the second reading is tried when the first fails.
        #expect(self.reason("hochu pogovorit s adminom naschet akkaunta") == .noDescription)
        #expect(self.check.evaluate("pomosch nuzhna, zastryal v Stalgorne u banka").isAccepted)
    }

    @Test func englishWithAFewWordsThatReadAsRussianStaysEnglish() {
        // "da", "net", "tam" read as Russian, but the English grammar outweighs them.
        #expect(self.check.evaluate("Tam the tauren is stuck in the Netherstorm da vinci sculpture").isAccepted)
    }
}

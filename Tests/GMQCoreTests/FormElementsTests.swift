import Testing

@testable import GMQCore

/// How a form's cues are found in a request (`FormElements.CueSet`): by each word's hash, confirmed on its scalars.
@Suite struct FormElementsTests {
    static let cues = FormElements.CueSet("after,when i,nothing happen*,crash*,пещер*,turned in")

    @Test(arguments: [
        ("It broke after the patch", true),  // one word
        ("When I log in it breaks", true),  // two words, folded to lower case
        ("I logged in when the server restarted", false),  // "when" without "i" after it
        ("I pressed it and nothing happened", true),  // a stem after an exact word
        ("I pressed it and nothing", false),  // the cue's last word is missing at the text's end
        ("The game crashes on load", true),  // a stem matches a longer word
        ("The game cra on load", false),  // a word shorter than the stem
        ("Застрял в пещере", true),  // a Cyrillic stem
        ("Застрял в пеще", false),
        ("I turned the quest in", false),  // the cue's words must follow each other
        ("Afterwards it broke", false),  // an exact word does not match a longer one
    ])
    func aCueIsFoundOnlyAsItsWordsInOrder(text: String, found: Bool) {
        #expect(Self.cues.occurs(in: FormElements.Words(text)) == found, "\(text)")
    }

    @Test func aPlaceIsAPrepositionBeforeACapitalisedWordPerhapsAfterAnArticle() {
        let words = { FormElements.Words($0) }
        let (prepositions, articles) = (FormElements.placePrepositions, FormElements.articles)
        #expect(words("stuck near Booty Bay").namesAPlace(after: prepositions, articles: articles))
        #expect(words("stuck in the Barrens").namesAPlace(after: prepositions, articles: articles))
        #expect(words("застрял в Оргриммаре").namesAPlace(after: prepositions, articles: articles))
        #expect(!words("stuck in the barrens").namesAPlace(after: prepositions, articles: articles))
        #expect(!words("Stuck Ironforge").namesAPlace(after: prepositions, articles: articles))
    }
}

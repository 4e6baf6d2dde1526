/// Words that carry no description of a problem, by what they do in a request. An entry ending in `*` matches
/// every word starting with it (for inflected languages: "вопрос*" covers вопрос, вопросу, вопросом).
///
/// v1 holds en and ru fully and greetings and pleas of de, es, pt, pl, fr; the substantive-text engine issue moves
/// these lists into one data file per language.
struct Lexicon: Sendable {
    /// Addressing staff and asking for contact: "gm", "admin", "pm me", "напишите в лс".
    let contact: WordSet
    /// Greetings, pleas, politeness, urgency, vague problem words and function words.
    let empty: WordSet

    static let builtIn = Lexicon(
        contact: WordSet(
            """
            gm gms gms' game master masters gamemaster gamemasters admin admins administrator* administration
            moderator* mod mods support staff dev devs pm dm msg message whisper wisp write contact come here tp
            talk speak respond answer reply call online there where anyone someone somebody anybody
            гм гмы гма гму гмов админ* администра* модер* гейм мастер* поддержк* напиш* ответь* ответьте подойд*
            свяж* лс личк* связ* где кто-нибудь кто нибудь онлайн
            alguien estas está online hier da ist ein jemand quelqu'un quelqu là ktoś jest
            """),
        empty: WordSet(
            """
            hi hello hey yo greetings dear good morning evening afternoon day night sir madam
            help helps helping please pls plz urgent urgently asap emergency immediate immediately now quick quickly
            fast right away soon possible
            thank thanks thx ty yes no ok okay sure much advance very really so too
            i i'm im me my mine you your we us our it it's its this that these those he she they them a an the
            am is are was were be been being do does did have has having had can could would should will shall may
            might must need needs needed want wants wanted like
            to for with about of in on at by from as and or but if when what why how who which not don't dont
            doesn't cant can't won't isn't
            problem problems issue issues question questions something thing things anything everything nothing
            broken glitch glitched bug bugs bugged error errors working work works worked wrong
            important serious require requires assistance assist matter
            привет здравствуйте здрасте здравствуй добрый доброе добрая день вечер утро ночи
            помог* помощ* срочн* пожалуйста плиз пжл пож спасибо благодарю большое
            я мне меня мной со с у в во на по к ко о об и а но не ни что как где когда почему это этот эта мой моя
            мои есть был была было бы хотел хотела хочу нужен нужна нужно надо можно могу можете тут здесь
            проблем* вопрос* важн* серьёзн* серьезн* баг баги глюк работает работают ничего всё все поговор*
            hallo guten tag abend hilfe bitte dringend danke problem frage
            hola buenas ayuda por favor urgente gracias problema
            oi olá ola bom dia ajuda obrigado problema
            halo cześć czesc witam pomoc proszę prosze pilne dziękuję dziekuje problem
            bonjour bonsoir salut aide s'il vous plaît plait merci urgent problème
            """)
    )
}

/// A set of words and prefixes, matched after the check's normalisation.
struct WordSet: Sendable {
    private let words: Set<String>
    private let prefixes: [String]

    init(_ list: String) {
        var words = Set<String>()
        var prefixes: [String] = []
        for entry in list.split(whereSeparator: \.isWhitespace) {
            if entry.hasSuffix("*") {
                prefixes.append(String(entry.dropLast()))
            } else {
                words.insert(String(entry).replacingApostrophes())
            }
        }
        self.words = words
        self.prefixes = prefixes
    }

    func contains(_ word: String) -> Bool {
        if self.words.contains(word) { return true }
        return self.prefixes.contains { word.hasPrefix($0) }
    }
}

extension String {
    /// Tokens are compared without apostrophes: "don't" and "dont" are one word.
    func replacingApostrophes() -> String {
        String(self.unicodeScalars.filter { $0 != "'" && $0 != "\u{2019}" }.map(Character.init))
    }
}

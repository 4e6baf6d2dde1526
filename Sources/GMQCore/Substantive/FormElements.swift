import Foundation

/// What a category's form asks of a request beyond describing something (`CategoryRules`): the cue words that show
/// each element is there, and the hint that names what is missing, in the seven languages of the lexicon. Pure;
/// read only for the elements a category's rule names.
///
/// - `steps` (what the player did): an action or a moment ("when I", "after", "clicked", "nachdem", "когда").
/// - `outcome` (what happened): a fault word of the lexicon, a number or code, or a word of failure ("crash").
/// - `expected` (what should have happened): "expected", "should", "instead", "sollte", "вместо".
/// - `place` (where the character is): a zone or map in the game context, a place word ("bridge", "пещера"),
///   or a place preposition followed by a name ("near Booty Bay", "в Оргриммаре").
/// - `named_player` and `reference` are read by the check itself (`SubstantiveCheck.Analysis`).
public enum FormElements {
    /// The languages hints are written in: the lexicon's seven.
    public enum Language: String, Sendable, CaseIterable {
        case english = "en", german = "de", french = "fr", spanish = "es", portuguese = "pt", polish = "pl"
        case russian = "ru"

        /// The client's locale when it is one of the seven, else Russian for a text in Cyrillic, else English.
        public static func of(locale: String, textIsCyrillic: Bool) -> Language {
            if let language = Language(rawValue: String(locale.lowercased().prefix(2))) { return language }
            return textIsCyrillic ? .russian : .english
        }
    }

    /// A request's words folded as the check folds them (`ScalarFolding`: lower case, diacritics removed, ł → l,
    /// ё → е, й → и), apostrophes dropped ("didn't" → didnt). The words are kept as scalars in one array, each with
    /// its hash and the hash of its first three letters (`WordHash`), so that every cue set looks a word up by a
    /// number computed once: as `[String]` looked up by string, the form's reading cost a submission of 150
    /// characters 17 µs of the check's 21 (`gmq-bench-check`, bug form read).
    struct Words {
        /// Every word's folded scalars, one after another.
        private var scalars: [Unicode.Scalar] = []
        /// Where each word starts in `scalars`, and the end of the last.
        private var starts: [Int] = [0]
        /// The hash of each word, and of its first three letters (nil for a shorter word).
        private(set) var hashes: [(word: UInt64, stem: UInt64?)] = []
        /// Whether each word starts with an upper-case letter in the text (a name).
        private var capitalised: [Bool] = []

        init(_ text: String) {
            var hash = WordHash()
            var stem: UInt64?
            var length = 0
            var upper = false
            func flush() {
                guard length > 0 else { return }
                self.starts.append(self.scalars.count)
                self.hashes.append((hash.value, stem))
                self.capitalised.append(upper)
                (hash, stem, length) = (WordHash(), nil, 0)
            }
            for scalar in text.unicodeScalars {
                if scalar == "'" || scalar == "\u{2019}" || ScalarFolding.isInvisible(scalar) { continue }
                guard let value = ScalarFolding.fold(scalar), let folded = Unicode.Scalar(value) else {
                    flush()
                    continue
                }
                if length == 0 {
                    // The Unicode property table only for letters beyond ASCII.
                    upper = scalar.isASCII ? ("A"..."Z").contains(scalar) : scalar.properties.isUppercase
                }
                self.scalars.append(folded)
                hash.add(value)
                length += 1
                if length == 3 { stem = hash.value }
            }
            flush()
        }

        var count: Int { self.hashes.count }

        /// The folded scalars of word `index`.
        func word(_ index: Int) -> ArraySlice<Unicode.Scalar> {
            self.scalars[self.starts[index]..<self.starts[index + 1]]
        }

        func containsAny(_ cues: CueSet) -> Bool { cues.occurs(in: self) }

        /// A place preposition followed by a capitalised word, perhaps after an article ("near Booty Bay", "in
        /// the Barrens", "в Оргриммаре").
        func namesAPlace(after prepositions: WordSet, articles: WordSet) -> Bool {
            for index in 0..<self.count where prepositions.contains(self, at: index) {
                var next = index + 1
                if next < self.count, articles.contains(self, at: next) { next += 1 }
                if next < self.count, self.capitalised[next] { return true }
            }
            return false
        }
    }

    /// A cue's word: its scalars, and whether it ends in `*` (it then matches any word it starts).
    struct CueWord: Sendable {
        let scalars: [Unicode.Scalar]
        let isStem: Bool

        init(_ word: Substring) {
            self.isStem = word.hasSuffix("*")
            self.scalars = Array((self.isStem ? word.dropLast() : word).unicodeScalars)
        }

        func matches(_ word: ArraySlice<Unicode.Scalar>) -> Bool {
            self.isStem ? word.starts(with: self.scalars) : word.elementsEqual(self.scalars)
        }
    }

    /// Words by their hash (`WordHash`), checked against their scalars on a hit.
    struct WordSet: Sendable {
        private let words: [UInt64: [Unicode.Scalar]]

        init(_ words: [String]) {
            self.words = Dictionary(
                words.map { (WordHash(of: $0.unicodeScalars).value, Array($0.unicodeScalars)) },
                uniquingKeysWith: { first, _ in first })
        }

        func contains(_ words: Words, at index: Int) -> Bool {
            self.words[words.hashes[index].word].map { words.word(index).elementsEqual($0) } ?? false
        }
    }

    /// Cues indexed by the hash of their first word (exactly, or of its first three letters for a cue starting
    /// with a stem), so that a text is read once: words in order, a word ending in `*` matching any word it starts.
    struct CueSet: Sendable {
        /// Cues by their first word's hash: the first word and the words after it; an empty sequence is a
        /// one-word cue.
        private var exact: [UInt64: [(first: CueWord, rest: [CueWord])]] = [:]
        /// Cues starting with a stem, by the hash of its first three letters.
        private var stems: [UInt64: [(first: CueWord, rest: [CueWord])]] = [:]

        /// Cues separated by commas, their words by spaces; every language together, since a request may mix
        /// them and the hint's language is the client's.
        init(_ list: String) {
            for cue in list.split(separator: ",").map({ $0.split(separator: " ").map(CueWord.init) })
            where !cue.isEmpty {
                let (first, rest) = (cue[0], Array(cue.dropFirst()))
                if first.isStem {
                    precondition(first.scalars.count >= 3, "a stem cue needs three letters: \(first.scalars)")
                    self.stems[WordHash(of: first.scalars.prefix(3)).value, default: []].append((first, rest))
                } else {
                    self.exact[WordHash(of: first.scalars).value, default: []].append((first, rest))
                }
            }
        }

        func occurs(in words: Words) -> Bool {
            func matches(_ cue: (first: CueWord, rest: [CueWord]), at index: Int) -> Bool {
                guard cue.first.matches(words.word(index)), index + cue.rest.count < words.count else { return false }
                for (offset, part) in cue.rest.enumerated() where !part.matches(words.word(index + 1 + offset)) {
                    return false
                }
                return true
            }
            for index in 0..<words.count {
                let (word, stem) = words.hashes[index]
                if let cues = self.exact[word], cues.contains(where: { matches($0, at: index) }) { return true }
                if let stem, let cues = self.stems[stem], cues.contains(where: { matches($0, at: index) }) {
                    return true
                }
            }
            return false
        }
    }

    static let steps = CueSet(
        "when i,after i,after,when,while,tried*,try*,click*,press*,used,using,opened,open,went,talked,cast*,logged,"
            + "bought,sold,entered,accepted,turned in,equipped,killed,looted,"
            + "als ich,nachdem,wahrend,versuch*,geklickt,klick*,gedruckt,benutzt,geoffnet,gegangen,gekauft,getotet,"
            + "quand,lorsque,apres,pendant,essaye*,clique*,appuye*,utilise*,ouvert,achete,tue,"
            + "cuando,despues,mientras,intent*,hice clic,puls*,use,abri,compre,mate,"
            + "quando,depois,enquanto,tentei,cliquei,apertei,usei,abri,comprei,matei,"
            + "kiedy,gdy,po tym,podczas,probowal*,kliknal*,nacisnal*,uzyl*,otworzyl*,kupil*,zabil*,"
            + "когда,после,пока,пытал*,попробовал*,нажал*,кликнул*,использовал*,открыл*,зашел,зашла,купил*,убил*")
    static let outcome = CueSet(
        "crash*,error,disappear*,vanish*,freez*,froze,kicked,disconnect*,nothing happen*,did not,didnt,does not,doesnt,"
            + "absturz*,sturzt*,fehler,verschwunden,friert,nichts passiert,"
            + "plantage,plante,erreur,disparu*,rien ne se passe,"
            + "se cierra,cierra,desaparec*,nada pasa,no pasa nada,"
            + "trava*,fecha,desaparec*,nada acontece,"
            + "blad,bledu,zniknal*,zawiesza*,nic sie nie dzieje,"
            + "вылет*,ошибк*,исчез*,завис*,ничего не происходит,не работает")
    static let expected = CueSet(
        "expected,expect,should,supposed,instead,normally,meant to,ought,"
            + "erwartet*,sollte*,soll,eigentlich,stattdessen,statt,normalerweise,"
            + "devrait,devait,attendu*,attendais,cense*,normalement,au lieu,"
            + "deberia,debia,esperaba,se supone,normalmente,en lugar,en vez,"
            + "deveria,devia,esperava,suposto,em vez,ao inves,"
            + "powinien,powinna,powinno,powinny,oczekiwal*,spodziewal*,zamiast,normalnie,"
            + "должен,должна,должно,должны,ожидал*,вместо,обычно,по идее,рассчитывал*")
    static let placeWords = CueSet(
        "bridge*,cave*,dungeon*,city,town,village,inn,bank,tower*,camp,river,lake,mountain*,forest,island,castle,"
            + "temple,graveyard,cemetery,harbor,harbour,dock*,road,ship,boat,tunnel,"
            + "brucke*,hohle*,stadt,dorf,gasthaus,turm*,fluss,berg,berge,wald,insel,burg,tempel,friedhof,hafen,"
            + "pont,ponts,grotte*,donjon*,ville,auberge,riviere,montagne*,foret,ile,chateau,cimetiere,"
            + "puente*,cueva*,mazmorra*,ciudad,pueblo,posada,torre*,rio,lago,montana*,bosque,isla,castillo,cementerio,"
            + "ponte*,caverna*,masmorra*,cidade,vila,estalagem,floresta,ilha,castelo,cemiterio,porto,"
            + "mostem,moscie,mostu,mosty,jaskini*,lochu,lochach,miasto*,miescie,wioska*,wiosce,karczm*,wiez*,rzek*,"
            + "jezior*,gora,gorze,gory,lesie,lasu,wysp*,zamek*,zamku,cmentarz*,porcie,"
            + "мост*,пещер*,подземель*,город*,деревн*,таверн*,башн*,рек*,озер*,гора,горы,горе,горах,лес,лесу,лесе,"
            + "остров*,замок*,замк*,кладбищ*,порт,порту,локаци*,данж*")
    static let placePrepositions = WordSet([
        "near", "at", "in", "under", "behind", "inside", "by", "on", "outside",
        "bei", "unter", "neben", "hinter", "im", "am", "in",
        "pres", "dans", "sous", "derriere",
        "cerca", "en", "debajo", "detras", "junto",
        "perto", "em", "no", "na", "debaixo", "atras",
        "przy", "obok", "pod", "za", "w", "na",
        "у", "в", "на", "под", "около", "возле", "за",
    ])

    static let articles = WordSet([
        "the", "der", "die", "das", "den", "dem", "le", "la", "les", "el", "los", "las", "o", "os",
    ])

    /// Whether a request has `element` (`named_player` and `reference` come from the check's own reading).
    static func has(
        _ element: CategoryRules.Element, in words: Words, context: GameContext?, faults: Int, numbers: Int
    ) -> Bool {
        switch element {
        case .namedPlayer, .reference: false
        case .steps: words.containsAny(self.steps)
        case .outcome: faults > 0 || numbers > 0 || words.containsAny(self.outcome)
        case .expected: words.containsAny(self.expected)
        case .place:
            !(context?.zone.isEmpty ?? true) || (context?.mapID ?? 0) != 0 || words.containsAny(self.placeWords)
                || words.namesAPlace(after: self.placePrepositions, articles: self.articles)
        }
    }

    /// What each element is called in a hint.
    static func name(_ element: CategoryRules.Element, in language: Language) -> String {
        switch (element, language) {
        case (.steps, .english): "what you did just before"
        case (.steps, .german): "was du kurz davor getan hast"
        case (.steps, .french): "ce que vous faisiez juste avant"
        case (.steps, .spanish): "qué hacías justo antes"
        case (.steps, .portuguese): "o que você fez logo antes"
        case (.steps, .polish): "co robiłeś tuż przedtem"
        case (.steps, .russian): "что вы делали перед этим"
        case (.outcome, .english): "what happened"
        case (.outcome, .german): "was passiert ist"
        case (.outcome, .french): "ce qui s'est passé"
        case (.outcome, .spanish): "qué pasó"
        case (.outcome, .portuguese): "o que aconteceu"
        case (.outcome, .polish): "co się stało"
        case (.outcome, .russian): "что произошло"
        case (.expected, .english): "what you expected to happen"
        case (.expected, .german): "was du stattdessen erwartet hast"
        case (.expected, .french): "ce que vous attendiez à la place"
        case (.expected, .spanish): "qué esperabas que pasara"
        case (.expected, .portuguese): "o que você esperava que acontecesse"
        case (.expected, .polish): "czego się spodziewałeś"
        case (.expected, .russian): "чего вы ожидали"
        case (.place, .english): "where your character is (the zone and a landmark nearby)"
        case (.place, .german): "wo dein Charakter ist (Gebiet und ein Orientierungspunkt)"
        case (.place, .french): "où se trouve votre personnage (la zone et un repère proche)"
        case (.place, .spanish): "dónde está tu personaje (la zona y un lugar cercano)"
        case (.place, .portuguese): "onde está o seu personagem (a zona e um ponto próximo)"
        case (.place, .polish): "gdzie jest twoja postać (strefa i pobliski punkt orientacyjny)"
        case (.place, .russian): "где находится персонаж (локация и ориентир рядом)"
        case (.reference, .english): "the order or transaction number from your receipt"
        case (.reference, .german): "die Bestell- oder Transaktionsnummer von deinem Beleg"
        case (.reference, .french): "le numéro de commande ou de transaction de votre reçu"
        case (.reference, .spanish): "el número de pedido o de transacción de tu recibo"
        case (.reference, .portuguese): "o número do pedido ou da transação do seu recibo"
        case (.reference, .polish): "numer zamówienia lub transakcji z potwierdzenia"
        case (.reference, .russian): "номер заказа или транзакции из чека"
        case (.namedPlayer, .english): "the name of the character you report"
        case (.namedPlayer, .german): "den Namen des Charakters, den du meldest"
        case (.namedPlayer, .french): "le nom du personnage que vous signalez"
        case (.namedPlayer, .spanish): "el nombre del personaje que denuncias"
        case (.namedPlayer, .portuguese): "o nome do personagem que você denuncia"
        case (.namedPlayer, .polish): "imię zgłaszanej postaci"
        case (.namedPlayer, .russian): "ник персонажа, на которого жалуетесь"
        }
    }

    /// The hint for `missing` elements: to add them before sending (`required`), or to help the GM.
    public static func hint(missing: [CategoryRules.Element], required: Bool, in language: Language) -> String {
        let names = missing.map { self.name($0, in: language) }
        let and: String = switch language {
        case .english: "and"
        case .german: "und"
        case .french: "et"
        case .spanish: "y"
        case .portuguese: "e"
        case .polish: "i"
        case .russian: "и"
        }
        let list = names.count <= 1
            ? names.joined() : names.dropLast().joined(separator: ", ") + " \(and) " + names.last!
        switch (language, required) {
        case (.english, true): return "Please add \(list), then send the request again."
        case (.english, false): return "To help the game master, please add \(list) in a reply."
        case (.german, true): return "Bitte ergänze \(list) und sende die Anfrage dann erneut."
        case (.german, false): return "Damit der GM dir schneller helfen kann, ergänze bitte in einer Antwort \(list)."
        case (.french, true): return "Merci d'ajouter \(list), puis d'envoyer à nouveau la demande."
        case (.french, false): return "Pour aider le maître du jeu, ajoutez dans une réponse \(list)."
        case (.spanish, true): return "Añade \(list) y vuelve a enviar la solicitud."
        case (.spanish, false): return "Para ayudar al maestro de juego, añade en una respuesta \(list)."
        case (.portuguese, true): return "Adicione \(list) e envie o pedido novamente."
        case (.portuguese, false): return "Para ajudar o mestre do jogo, adicione numa resposta \(list)."
        case (.polish, true): return "Dodaj \(list), a potem wyślij zgłoszenie ponownie."
        case (.polish, false): return "Aby pomóc mistrzowi gry, dodaj w odpowiedzi \(list)."
        case (.russian, true): return "Добавьте \(list) и отправьте обращение снова."
        case (.russian, false): return "Чтобы гейм-мастер помог быстрее, добавьте в ответе \(list)."
        }
    }
}

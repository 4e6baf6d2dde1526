import Foundation
import GMQCore
import Testing

/// Forms per category (issue 12 §5): what a GM needs per problem type, asked for in the player's language, in all
/// seven languages of the lexicon.
@Suite struct CategoryFormTests {
    let check = SubstantiveCheck()
    let strict = SubstantiveCheck(rules: try! CategoryRules.load(json: Data(#"""
        {"payment": {"requires": ["reference"]}, "stuck_character": {"requires": ["place"]},
         "player_report": {"requires": ["named_player"]}, "bug": {"suggests": ["steps", "outcome", "expected"]}}
        """#.utf8)))

    struct Case: Sendable, CustomStringConvertible {
        var locale: String
        var complete: String
        var partial: String
        /// Words of the hint that name the missing steps and expectation.
        var names: [String]
        var description: String { self.locale }
    }

    static let bugs: [Case] = [
        Case(locale: "en", complete: "When I opened the auction house the game crashed with error 132, it should show the item list",
            partial: "The auction house crashes the game with error 132",
            names: ["what you did just before", "what you expected to happen"]),
        Case(locale: "de", complete: "Nachdem ich das Auktionshaus geöffnet habe, stürzt das Spiel mit Fehler 132 ab, es sollte die Liste zeigen",
            partial: "Das Auktionshaus stürzt mit Fehler 132 ab",
            names: ["was du kurz davor getan hast", "was du stattdessen erwartet hast"]),
        Case(locale: "fr", complete: "Quand j'ouvre l'hôtel des ventes, le jeu plante avec l'erreur 132, il devrait afficher la liste",
            partial: "L'hôtel des ventes plante avec l'erreur 132",
            names: ["ce que vous faisiez juste avant", "ce que vous attendiez"]),
        Case(locale: "es", complete: "Cuando abro la casa de subastas el juego se cierra con el error 132, debería mostrar la lista",
            partial: "La casa de subastas se cierra con el error 132",
            names: ["qué hacías justo antes", "qué esperabas que pasara"]),
        Case(locale: "pt", complete: "Quando abro a casa de leilões o jogo fecha com erro 132, deveria mostrar a lista",
            partial: "A casa de leilões fecha o jogo com erro 132",
            names: ["o que você fez logo antes", "o que você esperava"]),
        Case(locale: "pl", complete: "Kiedy otwieram dom aukcyjny gra się zawiesza z błędem 132, powinna pokazać listę",
            partial: "Dom aukcyjny zawiesza grę z błędem 132",
            names: ["co robiłeś tuż przedtem", "czego się spodziewałeś"]),
        Case(locale: "ru", complete: "Когда открываю аукцион, игра вылетает с ошибкой 132, должен открываться список",
            partial: "Аукцион вылетает с ошибкой 132",
            names: ["что вы делали перед этим", "чего вы ожидали"]),
    ]

    @Test(arguments: bugs)
    func aBugReportIsAskedWhatThePlayerDidAndExpectedInTheirLanguage(_ bug: Case) throws {
        guard case .accepted(let complete) = check.evaluate(bug.complete, category: "bug", locale: bug.locale) else {
            Issue.record("rejected: \(bug.complete)"); return
        }
        #expect(complete.hint == nil, "\(bug.locale): \(complete.hint ?? "")")
        guard case .accepted(let partial) = check.evaluate(bug.partial, category: "bug", locale: bug.locale) else {
            Issue.record("rejected: \(bug.partial)"); return
        }
        let hint = try #require(partial.hint)
        #expect(partial.advice == "add_details")
        for name in bug.names { #expect(hint.contains(name), "\(bug.locale): '\(name)' not in \(hint)") }
        #expect(!hint.contains(FormElementsNames.outcome[bug.locale]!), "\(bug.locale): it says what happened: \(hint)")
    }

    enum FormElementsNames {
        static let outcome = ["en": "what happened", "de": "was passiert ist", "fr": "ce qui s'est passé",
            "es": "qué pasó", "pt": "o que aconteceu", "pl": "co się stało", "ru": "что произошло"]
        static let place = ["en": "where your character is", "de": "wo dein Charakter ist",
            "fr": "où se trouve votre personnage", "es": "dónde está tu personaje", "pt": "onde está o seu personagem",
            "pl": "gdzie jest twoja postać", "ru": "где находится персонаж"]
        static let reference = ["en": "order or transaction number", "de": "Bestell- oder Transaktionsnummer",
            "fr": "numéro de commande", "es": "número de pedido", "pt": "número do pedido",
            "pl": "numer zamówienia", "ru": "номер заказа"]
        static let player = ["en": "Name the player", "de": "den Namen des Charakters", "fr": "le nom du personnage",
            "es": "el nombre del personaje", "pt": "o nome do personagem", "pl": "imię zgłaszanej postaci",
            "ru": "Укажите ник игрока"]
    }

    static let stuck: [(locale: String, nowhere: String, somewhere: String)] = [
        ("en", "My character is stuck in a wall and cannot move", "Stuck under the bridge in Ironforge, cannot move"),
        ("de", "Mein Charakter steckt in einer Wand fest und kann sich nicht bewegen", "Ich stecke unter der Brücke in Eisenschmiede fest"),
        ("fr", "Mon personnage est bloqué dans un mur et ne peut plus bouger", "Bloqué sous le pont de Forgefer, je ne peux plus bouger"),
        ("es", "Mi personaje está atascado en una pared y no puede moverse", "Atascado debajo del puente de Forjaz, no puedo moverme"),
        ("pt", "Meu personagem está preso numa parede e não consegue se mexer", "Preso embaixo da ponte de Altaforja, não consigo andar"),
        ("pl", "Moja postać utknęła w ścianie i nie może się ruszyć", "Utknąłem pod mostem w Ironforge i nie mogę się ruszyć"),
        ("ru", "Мой персонаж застрял в стене и не может двигаться", "Застрял под мостом в Стальгорне, не могу выйти"),
    ]

    @Test(arguments: stuck.map { [$0.locale, $0.nowhere, $0.somewhere] })
    func aStuckCharacterSaysWhereOrTheGameContextDoes(_ row: [String]) throws {
        let (locale, nowhere, somewhere) = (row[0], row[1], row[2])
        guard case .accepted(let suggested) = check.evaluate(nowhere, category: "stuck_character", locale: locale) else {
            Issue.record("rejected: \(nowhere)"); return
        }
        #expect(suggested.hint?.contains(FormElementsNames.place[locale]!) == true, "\(locale): \(suggested.hint ?? "none")")
        guard case .accepted(let placed) = check.evaluate(somewhere, category: "stuck_character", locale: locale) else {
            Issue.record("rejected: \(somewhere)"); return
        }
        #expect(placed.hint == nil, "\(locale): \(placed.hint ?? "")")
        // The game says where the character is: the text need not.
        guard case .accepted(let fromGame) = check.evaluate(
            nowhere, category: "stuck_character", locale: locale, context: GameContext(mapID: 1, zone: "Tanaris"))
        else { Issue.record("rejected"); return }
        #expect(fromGame.hint == nil)
        // Required: refused without it, naming it, and accepted with the game context.
        guard case .rejected(let refused) = strict.evaluate(nowhere, category: "stuck_character", locale: locale) else {
            Issue.record("accepted: \(nowhere)"); return
        }
        #expect(refused.reason == .missingDetail && refused.hint.contains(FormElementsNames.place[locale]!), "\(refused.hint)")
        #expect(strict.evaluate(nowhere, category: "stuck_character", locale: locale, context: GameContext(zone: "Tanaris")).isAccepted)
    }

    static let payments: [(locale: String, without: String, with: String)] = [
        ("en", "I was charged twice for the mount bundle", "I was charged twice for the mount bundle, order 771203"),
        ("de", "Mir wurde das Reittier-Paket zweimal abgebucht", "Mir wurde das Reittier-Paket zweimal abgebucht, Bestellung 771203"),
        ("fr", "J'ai été débité deux fois pour le pack de montures", "J'ai été débité deux fois pour le pack de montures, commande 771203"),
        ("es", "Me cobraron dos veces el paquete de monturas", "Me cobraron dos veces el paquete de monturas, pedido 771203"),
        ("pt", "Fui cobrado duas vezes pelo pacote de montarias", "Fui cobrado duas vezes pelo pacote de montarias, pedido 771203"),
        ("pl", "Pobrano ode mnie dwa razy opłatę za pakiet wierzchowców", "Pobrano ode mnie dwa razy opłatę za pakiet wierzchowców, zamówienie 771203"),
        ("ru", "С меня дважды списали деньги за набор маунтов", "С меня дважды списали деньги за набор маунтов, заказ 771203"),
    ]

    @Test(arguments: payments.map { [$0.locale, $0.without, $0.with] })
    func aPaymentCarriesItsOrderReference(_ row: [String]) throws {
        let (locale, without, with) = (row[0], row[1], row[2])
        guard case .accepted(let advised) = check.evaluate(without, category: "payment", locale: locale) else {
            Issue.record("rejected: \(without)"); return
        }
        #expect(advised.hint?.contains(FormElementsNames.reference[locale]!) == true, "\(locale): \(advised.hint ?? "none")")
        guard case .rejected(let refused) = strict.evaluate(without, category: "payment", locale: locale) else {
            Issue.record("accepted: \(without)"); return
        }
        #expect(refused.reason == .missingDetail && refused.hint.contains(FormElementsNames.reference[locale]!))
        guard case .accepted(let complete) = strict.evaluate(with, category: "payment", locale: locale) else {
            Issue.record("rejected: \(with)"); return
        }
        #expect(complete.hint == nil, "\(locale): \(complete.hint ?? "")")
    }

    static let reports: [(locale: String, nameless: String)] = [
        ("en", "someone keeps insulting everybody in trade chat for hours"),
        ("de", "jemand beleidigt seit stunden alle leute im handelschat"),
        ("fr", "quelqu'un insulte tout le monde dans le canal commerce depuis des heures"),
        ("es", "alguien insulta a todos en el chat de comercio desde hace horas"),
        ("pt", "alguém está insultando todo mundo no chat de comércio há horas"),
        ("pl", "ktoś od godzin obraża wszystkich na czacie handlowym"),
        ("ru", "кто-то уже несколько часов оскорбляет всех в торговом чате"),
    ]

    @Test(arguments: reports.map { [$0.locale, $0.nameless] })
    func aPlayerReportNamesTheReportedCharacter(_ row: [String]) throws {
        let (locale, nameless) = (row[0], row[1])
        guard case .rejected(let refused) = check.evaluate(nameless, category: "player_report", locale: locale) else {
            Issue.record("accepted: \(nameless)"); return
        }
        #expect(refused.reason == .missingPlayer)
        #expect(refused.hint.contains(FormElementsNames.player[locale]!), "\(locale): \(refused.hint)")
    }

    @Test func theHintNamesEveryMissingElementInOneSentence() {
        #expect(FormElements.hint(missing: [.steps, .outcome, .expected], required: false, in: .english)
            == "To help the game master, please add what you did just before, what happened and what you expected to happen in a reply.")
        #expect(FormElements.hint(missing: [.place], required: true, in: .german)
            == "Bitte ergänze wo dein Charakter ist (Gebiet und ein Orientierungspunkt) und sende die Anfrage dann erneut.")
        #expect(FormElements.Language.of(locale: "pt-BR", textIsCyrillic: false) == .portuguese)
        #expect(FormElements.Language.of(locale: "", textIsCyrillic: true) == .russian)
        #expect(FormElements.Language.of(locale: "ja", textIsCyrillic: false) == .english)
    }

    @Test func rulesNameTheNewElementsAndRefuseUnknownOnes() throws {
        let rules = try CategoryRules.load(json: Data(#"{"bug": {"requires": ["steps"], "suggests": ["expected"]}}"#.utf8))
        #expect(rules.byCategory["bug"] == CategoryRules.Rule(requires: [.steps], suggests: [.expected]))
        #expect(throws: CategoryRules.RulesError.self) {
            try CategoryRules.load(json: Data(#"{"bug": {"requires": ["what_you_did"]}}"#.utf8))
        }
    }
}

import GMQClient

/// The requests of a patch-day surge: the many ways players describe one login problem (error 132 after a patch),
/// and unrelated requests of the same hour, some of them about logins, errors or the number 132 too. Generated from
/// a seed, so that a run can be repeated; written before the incident's match phrases were tuned to anything.
struct SurgeTexts {
    var random: SeededRandom

    init(seed: UInt64) { self.random = SeededRandom(seed: seed) }

    private mutating func pick(_ options: [String]) -> String { options.randomElement(using: &self.random)! }

    /// One player's report of the login problem: English mostly, then Russian (Cyrillic and Latin letters), German
    /// and Spanish; with or without the error's number, in many word orders, with typos and noise.
    mutating func surge() -> String {
        let code = self.pick([
            "error 132", "Error 132", "ERROR 132", "error #132", "error code 132", "err 132", "error 132 (0x85100084)",
            "Error132", "error nr 132",
        ])
        let login = self.pick(["log in", "login", "log into the game", "sign in", "get in", "enter the world", "logon"])
        let cannot = self.pick(["Can't", "Cannot", "I can't", "Unable to", "cant", "I cannot"])
        let since = self.pick(["since the patch", "after today's patch", "after the update", "since maintenance", "since 3.3.5b"])
        let tried = self.pick([
            "reinstalling", "repairing the client", "deleting the Cache folder", "restarting the PC", "another realm",
            "a new character",
        ])
        let character = self.pick(["Thrallmar", "Jainna", "Grommash", "Kelthas", "Anduinn", "Sylvy", "Varok"])
        let roll = Int.random(in: 0..<100, using: &self.random)
        switch roll {
        case 0..<62:
            return self.pick([
                "\(cannot) \(login) \(since), \(code) every time",
                "\(code) when I try to \(login)",
                "Getting \(code) at the login screen \(since)",
                "Login fails with \(code), tried \(tried)",
                "The game says \(code) and closes when I \(login)",
                "\(code) right after entering my password, \(since)",
                "\(since.prefix(1).uppercased() + since.dropFirst()) I get \(code) on login, already tried \(tried)",
                "\(code)!! cant login, tried \(tried), please fix",
                "My character \(character) cannot log in: \(code) on the loading screen",
                "Hi GM, \(code) when logging in \(since). Account is fine on the website",
                "\(code) at login on every character, \(tried) did not help",
                "Client crashes with \(code) when I \(login) \(since)",
                "\(cannot) \(login), the client shows \(code) and exits",
                "login error 132 \(since)",
                "\(code) when connecting, stuck at 'Connecting' then crash",
                "Wow error 132 on login. Happens on both my PCs \(since)",
            ])
        case 62..<74:
            return self.pick([
                "Ошибка 132 при входе в игру после патча",
                "Не могу зайти в игру, ошибка 132",
                "При входе выдаёт ошибку 132, переустановка не помогла",
                "После обновления ошибка #132 при входе, персонаж \(character)",
                "Ошибка 132 на экране входа, что делать?",
                "Вылетает с ошибкой 132 при входе в мир",
            ])
        case 74..<81:
            return self.pick([
                "oshibka 132 pri vhode v igru posle patcha",
                "ne mogu zajti, oshibka 132",
                "pri vkhode oshibka 132, pereustanovka ne pomogla",
            ])
        case 81..<88:
            return self.pick([
                "Fehler 132 bei der Anmeldung seit dem Patch",
                "Kann mich nicht einloggen, Fehler 132",
                "Beim Einloggen kommt Fehler 132 und das Spiel schließt sich",
            ])
        case 88..<94:
            return self.pick([
                "Error 132 al iniciar sesión desde el parche",
                "No puedo entrar al juego, error 132",
            ])
        default:
            // Without the number: the same problem in other words, which no match text can tell from others.
            return self.pick([
                "\(cannot) \(login) \(since), the client crashes at the login screen",
                "Game crashes every time I press Enter World \(since)",
                "Login screen freezes then the client closes, \(tried) did not help",
            ])
        }
    }

    /// A request of the same hour about something else, in the categories GMs work.
    mutating func unrelated() -> (category: String, text: String) {
        let character = self.pick(["Thrallmar", "Jainna", "Grommash", "Kelthas", "Anduinn", "Sylvy", "Varok"])
        let gold = self.pick(["132", "500", "1,200", "40"])
        let options: [(category: String, text: String)] = [
            ("account", "Someone hacked my account and changed the password, my characters were stripped"),
            ("account", "My login reward for the winter event never arrived in the mailbox"),
            ("account", "I lost \(gold) gold to a mail scam from a player called \(character)"),
            ("account", "Authenticator lost with my old phone, I cannot log in without the code"),
            ("account", "Please merge my two accounts, the second one holds \(character)"),
            ("account", "Character \(character) disappeared from the character list after a realm transfer"),
            ("account", "Wrong email on my account, I want to change it to my new address"),
            ("account", "Ошибка в имени персонажа \(character), прошу переименовать"),
            ("bug", "Quest Wanted: Hogger does not complete after killing him"),
            ("bug", "Auction house search crashes the client when filtering by item level"),
            ("bug", "Error in the quest text of The Missing Diplomat, it names the wrong NPC"),
            ("bug", "Mount speed is wrong after the patch, my epic mount runs at 60%"),
            ("bug", "The flight master in Booty Bay shows error 51 and does not fly"),
            ("stuck_character", "Stuck under the Ironforge bridge, can't move or hearth"),
            ("stuck_character", "\(character) fell through the floor in Deadmines and cannot get out"),
            ("stuck_character", "Застрял в текстурах у банка в Оргриммаре"),
            ("payment", "Paid for a realm transfer twice, order 88123-132, only one went through"),
            ("payment", "Bought 1000 coins, the payment went through but the coins never arrived"),
            ("player_report", "Player \(character) spams gold selling adverts in trade chat all evening"),
            ("player_report", "\(character) insults me in whispers and follows me around Stormwind"),
        ]
        return options.randomElement(using: &self.random)!
    }
}

import Foundation
import GMQCore
import Testing

/// Which requests an incident catches, and what answering through it does to one ticket.
@Suite struct IncidentTests {
    let check = SubstantiveCheck()
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let player = Actor(id: 42, name: "Thrall", role: .player)
    static let mirna = Actor(id: 1, name: "Mirna", role: .gm)
    static let tharok = Actor(id: 2, name: "Tharok", role: .gm)
    static let root = Actor(id: 3, name: "Root", role: .admin)

    static func context(build: String = "3.3.5b", zone: String = "Orgrimmar") -> GameContext {
        GameContext(realm: "Ravencrest", characterID: 9, characterName: "Thrall", mapID: 1, zone: zone, x: 0, y: 0, z: 0,
            clientBuild: build)
    }

    static let login = Incident(id: 1, title: "Login error 132", category: "account", match: "login error 132",
        message: "We know; a fix is coming.")

    func match(_ text: String, category: String = "account", context: GameContext = context(),
        among incidents: [Incident] = [login]) -> Int64?
    {
        IncidentMatch(incidents: incidents, check: self.check)
            .incident(for: IncidentWords(text, check: self.check), category: category, context: context)?.id
    }

    @Test(arguments: [
        "I get error 132 every time I log in since the patch",
        "Login fails with ERROR 132 after today's patch, three characters tried",
        "error 132 when logging in, the client closes",
        "Ошибка 132? no: login error 132 on every character",
    ])
    func requestsAboutTheIncidentMatch(_ text: String) {
        #expect(self.match(text) == 1, "\(text)")
    }

    @Test(arguments: [
        // One word in common is not enough for a match text of three.
        "I lost 132 gold to a mail scam from a player called Grimtusk",
        "My login reward for the event never arrived in the mailbox",
    ])
    func unrelatedRequestsDoNot(_ text: String) {
        #expect(self.match(text) == nil, "\(text)")
    }

    @Test func onlyItsCategoryBuildAndZone() {
        let text = "I get error 132 every time I log in since the patch"
        #expect(self.match(text, category: "bug") == nil)
        var scoped = Self.login
        scoped.build = "3.3.5b"
        scoped.zone = "orgrimmar"
        #expect(self.match(text, among: [scoped]) == 1, "build and zone compare without case")
        #expect(self.match(text, context: Self.context(build: "3.3.5c"), among: [scoped]) == nil)
        #expect(self.match(text, context: Self.context(zone: "Stormwind"), among: [scoped]) == nil)
    }

    @Test func closedIncidentsCatchNothingAndTheBestMatchWins() {
        let text = "Login error 132 on the realm list, then the client shuts"
        var closed = Self.login
        closed.closedAt = 1
        closed.closedBy = "Mirna"
        #expect(self.match(text, among: [closed]) == nil)
        let broad = Incident(id: 2, title: "Login trouble", category: "account", match: "login realm", message: "…")
        let exact = Incident(id: 3, title: "Error 132", category: "account", match: "login error 132 realm client",
            message: "…")
        #expect(self.match(text, among: [broad, exact]) == 3)
    }

    @Test func anyOfItsPhrasesMatches() {
        let phrases = Incident(id: 6, title: "Error 132", category: "account",
            match: "login error 132; ошибка 132 при входе\nFehler 132 Anmeldung", message: "…")
        #expect(IncidentMatch.phrases(of: phrases.match) == ["login error 132", "ошибка 132 при входе", "Fehler 132 Anmeldung"])
        #expect(self.match("Не могу зайти в игру: ошибка 132 при входе", among: [phrases]) == 6)
        #expect(self.match("Seit dem Patch Fehler 132 bei der Anmeldung", among: [phrases]) == 6)
        #expect(self.match("Login error 132 on every character", among: [phrases]) == 6)
        #expect(self.match("Ошибка при покупке маунта, деньги списаны", among: [phrases]) == nil)
    }

    @Test(arguments: [
        ("Error132 at login", "login error 132", 3),
        ("err 132 when logging in", "login error 132", 3),
        ("oshibka 132 pri vhode v igru", "ошибка 132 при входе", 3),
        ("pri vkhode oshibka 132", "ошибка 132 при входе", 3),
        ("При входе выдаёт ошибку 132", "ошибка 132 при входе", 3),
        ("Fehler 132 bei der Anmeldung", "Fehler 132 Anmeldung", 3),
        ("error 1320 at the logo screen", "login error 132", 1),
        ("logic error 13", "login error 132", 1),
        ("I cannot log in without the code", "I cannot logon, the client crashes at the login screen", 2),
    ])
    func wordsAreComparedByStemScriptAndNumber(_ request: String, _ phrase: String, _ found: Int) {
        let words = IncidentWords(request, check: self.check)
        #expect(IncidentWords(phrase, check: self.check).found(in: words) == found, "\(request) ~ \(phrase)")
    }

    @Test func aOneWordMatchNeedsThatWord() {
        let one = Incident(id: 4, title: "Crash", category: "bug", match: "crash", message: "…")
        #expect(self.match("The client crash happens when I open the map", category: "bug", among: [one]) == 4)
        #expect(self.match("The map is blank when I open it in Dalaran", category: "bug", among: [one]) == nil)
        let empty = Incident(id: 5, title: "Nothing", category: "bug", match: "the and", message: "…")
        #expect(self.match("the and the and", category: "bug", among: [empty]) == nil, "no content words: no match")
    }

    // MARK: The lifecycle of one linked ticket

    func linked(_ state: TicketState = .open, holder: Actor? = nil) throws -> Ticket {
        var ticket = Ticket(
            id: 7, submission: Submission(player: Self.player, category: "account",
                text: "I get error 132 every time I log in since the patch", context: Self.context()),
            target: ServiceLevels.standard.target(for: "account"), at: Self.now.milliseconds - 60_000)
        ticket.incidentID = 1
        if let holder {
            ticket = try self.step(.claim, on: ticket, by: holder).ticket
            ticket.incidentID = 1
        }
        if state == .waitingPlayer { ticket = try self.step(.ask, on: ticket, by: holder ?? Self.mirna).ticket }
        return ticket
    }

    func step(_ command: TicketLifecycle.Command, on ticket: Ticket, by actor: Actor) throws -> TicketEffects.Step {
        try TicketEffects.step(command, to: ticket, by: actor, at: Self.now, levels: .standard)
    }

    @Test func answeringKeepsTheLinkAndClosingRecordsTheResolution() throws {
        let answered = try self.step(.answerIncident(close: nil), on: try self.linked(), by: Self.mirna)
        #expect(answered.event == .answered && answered.notifiesPlayer)
        #expect(answered.ticket.state == .open && answered.ticket.incidentID == 1)
        let closed = try self.step(.answerIncident(close: .solved), on: answered.ticket, by: Self.mirna)
        #expect(closed.event == .closed && closed.ticket.state == .closed)
        #expect(closed.ticket.resolution == .solved && closed.ticket.closedBy == "Mirna")
        #expect(throws: StoreError.self) { try self.step(.answerIncident(close: nil), on: closed.ticket, by: Self.mirna) }
    }

    @Test func aTicketHeldByAnotherGMIsLeftToThem() throws {
        let held = try self.linked(.waitingPlayer, holder: Self.tharok)
        #expect(throws: StoreError.self) { try self.step(.answerIncident(close: nil), on: held, by: Self.mirna) }
        let own = try self.step(.answerIncident(close: nil), on: held, by: Self.tharok)
        #expect(own.ticket.state == .claimed, "an answer ends the wait for the player")
        let admin = try self.step(.answerIncident(close: .solved), on: held, by: Self.root)
        #expect(admin.ticket.state == .closed)
        #expect(throws: StoreError.self) { try self.step(.answerIncident(close: nil), on: held, by: Self.player) }
    }

    @Test func linkingTakesAWaitingTicketAsAnAnswer() throws {
        var waiting = try self.linked()
        waiting.incidentID = nil
        let linked = try TicketEffects.step(
            .linkIncident, detail: .incident(9), to: waiting, by: Self.mirna, at: Self.now, levels: .standard)
        #expect(linked.event == .answered && linked.notifiesPlayer && linked.ticket.incidentID == 9)
        #expect(linked.ticket.state == .open && linked.ticket.assigneeName == nil && !linked.ticket.isQueued)
        #expect(linked.ticket.firstResponseAt == Self.now.milliseconds, "the player was told: a first response")
        let held = try self.linked(holder: Self.tharok)
        #expect(throws: StoreError.self) {
            try TicketEffects.step(.linkIncident, detail: .incident(9), to: held, by: Self.mirna, at: Self.now, levels: .standard)
        }
        #expect(throws: StoreError.self) {
            try TicketEffects.step(.linkIncident, detail: .incident(9), to: waiting, by: Self.player, at: Self.now, levels: .standard)
        }
    }

    @Test func workingATicketAloneUnlinksIt() throws {
        #expect(try self.step(.claim, on: try self.linked(), by: Self.mirna).ticket.incidentID == nil)
        #expect(try self.step(.reply(substantive: true), on: try self.linked(), by: Self.player).ticket.incidentID == nil)
        #expect(try self.step(.reply(substantive: false), on: try self.linked(), by: Self.player).ticket.incidentID == 1)
        let queued = try self.linked()
        #expect(!queued.isQueued && queued.incidentID == 1)
    }
}

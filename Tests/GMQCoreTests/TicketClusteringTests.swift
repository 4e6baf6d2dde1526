import Foundation
import GMQCore
import Testing

/// Grouping waiting tickets that say the same thing (issue 12 §2).
@Suite struct TicketClusteringTests {
    let check = SubstantiveCheck()

    static func ticket(_ id: Int64, _ text: String, category: String = "account", build: String = "3.3.5b",
        zone: String = "Orgrimmar", at minute: Int64 = 0) -> Ticket
    {
        Ticket(
            id: id,
            submission: Submission(
                player: Actor(id: 100 + id, name: "P\(id)", role: .player), category: category, text: text,
                context: GameContext(realm: "", characterID: 0, characterName: "", mapID: 0, zone: zone, x: 0, y: 0,
                    z: 0, clientBuild: build)),
            target: ServiceLevels.standard.target(for: category), at: 1_800_000_000_000 + minute * 60_000)
    }

    @Test func theSameProblemInOtherWordsIsOneClusterBiggestFirst() {
        let tickets = [
            Self.ticket(1, "Error 132 when I try to log in since the patch", at: 1),
            Self.ticket(2, "Someone hacked my account and changed the password", at: 2),
            Self.ticket(3, "Login fails with error 132 after the patch", at: 3),
            Self.ticket(4, "error #132 at login, reinstalling did not help", zone: "Stormwind", at: 4),
            Self.ticket(5, "My account was hacked, the password was changed", at: 5),
            Self.ticket(6, "Error132 on login since the patch", at: 6),
            Self.ticket(7, "Please rename my character, the name is misspelled", at: 7),
            Self.ticket(8, "Error 132 at login since the patch", category: "bug", at: 8),
            Self.ticket(9, "Error 132 at login since the patch", build: "3.3.5a", at: 9),
        ]
        let clusters = TicketClustering.clusters(of: tickets.shuffled(), check: self.check)
        #expect(clusters.map(\.tickets) == [[1, 3, 4, 6], [2, 5]], "\(clusters.map(\.tickets))")
        let login = clusters[0]
        #expect(login.category == "account" && login.build == "3.3.5b" && login.zone == "Orgrimmar")
        #expect(login.firstAt == tickets[0].createdAt && login.lastAt == tickets[5].createdAt)
        #expect(login.words.prefix(2).sorted() == ["132", "error"], "\(login.words)")
        #expect(login.samples == [tickets[0].text, tickets[5].text, tickets[3].text], "the first, then the latest")
    }

    @Test func singlesAreNoClusterAndANewWordingJoinsItsNeighbour() {
        let tickets = (0..<30).map { n in
            Self.ticket(Int64(n), n % 3 == 0 ? "Game crashes at Enter World since the patch, try \(n)"
                : "The client crashes when I press Enter World, try \(n)", at: Int64(n))
        } + [Self.ticket(99, "Auction house search shows no results for cloth", at: 40)]
        let clusters = TicketClustering.clusters(of: tickets, check: self.check)
        #expect(clusters.count == 1 && clusters[0].tickets.count == 30)
        #expect(TicketClustering.clusters(of: [tickets[0]], check: self.check).isEmpty)
        #expect(TicketClustering.clusters(of: [tickets[0]], check: self.check, minimumSize: 1).count == 1)
    }
}

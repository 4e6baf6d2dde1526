import ArgumentParser
import Foundation
import GMQClient
import GMQProtocol

/// `gmq search`: any past ticket in a second, by what was said on it.
struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find tickets by the words of their request, replies, answers and notes, best first.",
        discussion: """
            Every word must occur (in any event of the ticket); the last one also matches words it starts \
            ("gankm" finds Gankmaster). Case and accents do not count. A GM searches the categories they work.
            """)
    @OptionGroup var options: StaffOptions
    @Argument(help: "The words to find.") var text: String
    @Option(help: "Only this player: an id, or a name.") var player: String?
    @Option(help: "Only tickets filed by this character.") var character: String = ""
    @Option(help: "Only tickets this GM acted on.") var gm: String = ""
    @Option(help: "Only this category.") var category: String = ""
    @Option(help: "Only tickets in this state: open, claimed, waiting_player, snoozed or closed.") var state: String?
    @Option(help: "Only tickets filed at or after: 2026-11-24, an ISO 8601 time, or an age such as 30d.") var since: String?
    @Option(help: "Tickets to show (1–200).") var limit: UInt16 = 20

    func run() async throws {
        let status: TicketStatus?
        switch self.state {
        case nil: status = nil
        case "open": status = .open
        case "claimed": status = .claimed
        case "waiting_player": status = .waitingPlayer
        case "snoozed": status = .snoozed
        case "closed": status = .closed
        case let other?: throw ValidationError("--state '\(other)' is not a state; use open, claimed, waiting_player, snoozed or closed")
        }
        let playerID = self.player.flatMap { UInt64($0) } ?? 0
        let request = SearchRequest(
            text: self.text, playerID: playerID, playerName: playerID == 0 ? (self.player ?? "") : "",
            characterName: self.character, gm: self.gm, category: self.category, status: status,
            since: try TimeArgument.milliseconds(self.since, option: "--since"), limit: self.limit)
        try await self.options.run(.search(request)) {
            guard case .searchResult(let result) = $0 else { return nil }
            let style = Presentation.Style.standardOutput()
            let text = result.hits.isEmpty
                ? "no ticket holds all of these words"
                : result.hits.map { Presentation.describe($0, style: style) }.joined(separator: "\n")
            return (text, result.hits.map(Presentation.json))
        }
    }
}

import Foundation
import GMQCore
import Logging
import Synchronization

/// The re-filing check (`Refiling`) after each accepted submission, off the answer's path and read together:
/// what is submitted while one read runs waits for the next, which reads every waiting player's recently closed
/// tickets at once. On PostgreSQL one read per submission was 38% of a node's statements at 700 submissions/s
/// (a statement log of three nodes under `gmq-load`); a burst now costs one.
final class RefilingChecks: Sendable {
    /// Tickets (so at most as many players) per read: a bounded statement however large the burst.
    static let ticketsPerRead = 500

    private let state = Mutex<(waiting: [Ticket], reading: Bool)>(([], false))

    /// Checks `ticket` soon: a note for its GM if it repeats what its player had closed lately.
    func check(_ ticket: Ticket, context: ServerContext) {
        let start = self.state.withLock { state -> Bool in
            state.waiting.append(ticket)
            defer { state.reading = true }
            return !state.reading
        }
        if start { Task { await self.drain(context) } }
    }

    /// Reads and checks what waits until nothing does.
    private func drain(_ context: ServerContext) async {
        while true {
            let tickets = self.state.withLock { state -> [Ticket] in
                defer { state.waiting = [] }
                if state.waiting.isEmpty { state.reading = false }
                return state.waiting
            }
            if tickets.isEmpty { return }
            for start in stride(from: 0, to: tickets.count, by: Self.ticketsPerRead) {
                await Self.flag(Array(tickets[start..<min(start + Self.ticketsPerRead, tickets.count)]), context: context)
            }
        }
    }

    /// Notes on each of `tickets` the player's recently closed ticket it repeats, if any. A note that cannot be
    /// written is logged and the others are still written, as when each ticket was checked alone.
    static func flag(_ tickets: [Ticket], context: ServerContext) async {
        let now = context.now()
        let closed: [Int64: [Ticket]]
        do {
            closed = Dictionary(grouping: try await context.store.closedTickets(
                ofPlayers: Array(Set(tickets.map(\.playerID))), since: now.milliseconds - Refiling.window,
                limit: Refiling.candidates
            ), by: \.playerID)
        } catch {
            context.logger.warning(
                "could not check tickets for re-filing", metadata: ["error": "\(error)", "tickets": "\(tickets.count)"])
            return
        }
        for ticket in tickets {
            guard let earlier = Refiling.earlier(
                than: ticket, among: closed[ticket.playerID] ?? [], check: context.check, now: now.milliseconds)
            else { continue }
            do {
                let change = try await context.store.apply(
                    .note, to: ticket.id, as: Access(actor: Refiling.noter), text: Refiling.noteText(earlier: earlier),
                    at: now)
                context.published(change)
            } catch {
                context.logger.warning(
                    "could not note a re-filed ticket", metadata: ["ticket.id": "\(ticket.id)", "error": "\(error)"])
            }
        }
    }
}

import ArgumentParser
import Foundation
import GMQClient
import GMQProtocol
import Synchronization

struct Console: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The interactive console: a live queue of your categories and every step on a ticket, without leaving it.",
        discussion: """
            The queue updates as tickets arrive or change (pushed by the server). Type help for the commands; a \
            ticket id may be left out to mean the current ticket. Line editing: arrows, Home/End, Ctrl-A/E/U/K/W; \
            Up/Down recall earlier commands. Colours (overdue red, waiting on the player dimmed) are off with \
            NO_COLOR or when output is not a terminal.
            """)

    @OptionGroup var options: StaffOptions

    func run() async throws {
        let connection: GMQConnection
        do {
            connection = try await self.options.connect()
            _ = try await connection.call(.watch(Watch()))
        } catch let error as ErrorMessage {
            CommandFailure(error, json: false).report()
        } catch let failure as CommandFailure {
            failure.report()
        }
        let terminal = Terminal()
        let session = ConsoleSession(connection: connection, terminal: terminal, style: .standardOutput())
        terminal.start()
        defer { terminal.restore() }
        await session.run()
        await connection.close()
    }
}

/// One console session: executes typed commands one after another while queue changes arrive.
final class ConsoleSession: Sendable {
    private let connection: GMQConnection
    private let terminal: Terminal
    private let style: Presentation.Style
    /// The ticket last claimed or shown: what a command without an id acts on.
    private let current = Mutex<UInt64?>(nil)
    /// Set by a queue change; the refresher then fetches the queue's counts for the prompt.
    private let stale = Atomic<Bool>(true)

    init(connection: GMQConnection, terminal: Terminal, style: Presentation.Style) {
        self.connection = connection
        self.terminal = terminal
        self.style = style
    }

    func run() async {
        let welcome = self.connection.welcome
        self.terminal.say(
            "Signed in as \(TextRules.printable(welcome.displayName)) (\(Presentation.name(welcome.role))). The queue below updates live; "
                + "type help for commands.")
        await self.execute(.queue(category: ""))
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.followChanges() }
            group.addTask { await self.followReminders() }
            group.addTask { await self.refreshPrompt() }
            group.addTask { await self.keepAlive() }
            for await line in self.terminal.lines() {
                let command: ConsoleCommand
                do {
                    command = try ConsoleCommand.parse(line, current: self.current.withLock { $0 })
                } catch {
                    self.terminal.say(self.style.paint("\(error)", .yellow))
                    continue
                }
                if command == .quit { break }
                await self.execute(command)
            }
            group.cancelAll()
        }
    }

    static func milliseconds(fromNow seconds: Int64) -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1000) + seconds * 1000
    }

    // MARK: Live

    private func followChanges() async {
        for await change in self.connection.queueChanges {
            let ticket = change.ticket
            let time = Presentation.time(Int64(Date().timeIntervalSince1970 * 1000)).dropFirst(11).prefix(8)
            var line = "» \(time) #\(ticket.id) \(TextRules.printable(ticket.category)) \(Presentation.name(change.kind))"
                + " by \(TextRules.printable(change.actorName)) → \(Presentation.name(ticket.status))"
            if change.kind == .submitted || change.kind == .replied || change.kind == .reopened {
                line += ": \(TextRules.printable(ticket.preview))"
            }
            let yours = ticket.assignee == self.connection.welcome.displayName
            if change.kind == .assigned, yours { line += " — handed to you" }
            if change.kind == .woke, yours { line += " — back from snooze: yours to take up again" }
            self.terminal.say(ticket.overdue ? self.style.paint(line, .red) : self.style.paint(line, .green))
            self.stale.store(true, ordering: .relaxed)
        }
    }

    private func followReminders() async {
        for await reminder in self.connection.reminders {
            self.terminal.say(self.style.paint(Presentation.describe(reminder), .yellow))
        }
    }

    private func refreshPrompt() async {
        while !Task.isCancelled {
            if self.stale.exchange(false, ordering: .relaxed) {
                if case .ticketList(let list)? = try? await self.connection.call(.queue(QueueRequest(limit: 1000))) {
                    let open = list.tickets.filter { $0.status == .open }.count
                    let overdue = list.tickets.filter(\.overdue).count
                    let mine = list.tickets.filter { $0.assignee == self.connection.welcome.displayName }.count
                    self.updatePrompt(open: open, overdue: overdue, mine: mine)
                }
            }
            try? await Task.sleep(for: .milliseconds(300))
        }
    }

    private let counts = Mutex((open: 0, overdue: 0, mine: 0))

    private func updatePrompt(open: Int? = nil, overdue: Int? = nil, mine: Int? = nil) {
        let counts = self.counts.withLock { counts in
            if let open { counts.open = open }
            if let overdue { counts.overdue = overdue }
            if let mine { counts.mine = mine }
            return counts
        }
        let current = self.current.withLock { $0 }.map { " · #\($0)" } ?? ""
        let overdue = counts.overdue > 0 ? self.style.paint("\(counts.overdue) overdue", .red) + " · " : ""
        self.terminal.setPrompt(
            "gmq [\(counts.open) open · \(overdue)\(counts.mine) yours\(current)]> ")
    }

    private func keepAlive() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: GMQConnection.keepAliveInterval)
            if Task.isCancelled { return }
            try? await self.connection.ping()
        }
    }

    // MARK: Commands

    private func execute(_ command: ConsoleCommand) async {
        do {
            switch command {
            case .nothing, .quit:
                return
            case .help:
                self.terminal.say(ConsoleCommand.summary)
            case .history:
                let history = self.terminal.history
                self.terminal.say(
                    history.isEmpty
                        ? "No commands yet." : history.enumerated().map { "  \($0 + 1)  \($1)" }.joined(separator: "\n"))
            case .queue(let category):
                let list = try await self.list(.queue(QueueRequest(category: category)))
                self.terminal.say(Presentation.table(list, style: self.style))
                let overdue = list.filter(\.overdue).count
                self.updatePrompt(
                    open: category.isEmpty ? list.filter { $0.status == .open }.count : nil,
                    overdue: category.isEmpty ? overdue : nil)
            case .mine:
                self.terminal.say(Presentation.table(try await self.list(.queue(QueueRequest(filter: .mine))), style: self.style))
            case .next(let category):
                let ticket = try await self.update(.claim(Claim.next(category: category)))
                try await self.show(ticket.id)
            case .show(let id):
                try await self.show(id)
            case .claim(let id):
                _ = try await self.update(.claim(Claim(ticketID: id)))
            case .unclaim(let id):
                _ = try await self.update(.unclaim(GMQProtocol.Unclaim(ticketID: id)))
            case .ask(let id, let text):
                _ = try await self.update(.ask(Ask(ticketID: id, text: text)))
            case .answer(let id, let text):
                _ = try await self.update(.answer(Answer(ticketID: id, text: text)))
            case .note(let id, let text):
                _ = try await self.update(.note(Note(ticketID: id, text: text)))
            case .close(let id, let resolution, let text):
                _ = try await self.update(.close(Close(ticketID: id, resolution: resolution, text: text)))
            case .transfer(let id, let category, let text):
                _ = try await self.update(.transfer(Transfer(ticketID: id, category: category, text: text)))
            case .assign(let id, let gm, let text):
                _ = try await self.update(.assign(Assign(ticketID: id, gm: gm, text: text)))
            case .snooze(let id, let seconds, let text):
                let until = seconds.map { Self.milliseconds(fromNow: $0) } ?? 0
                _ = try await self.update(.snooze(Snooze(ticketID: id, until: until, text: text)))
            case .openInternal(let category, let text):
                let opened = try await self.update(.internalOpen(InternalOpen(category: category, text: text)), quietly: true)
                self.terminal.say("internal ticket \(opened.id) opened in \(TextRules.printable(opened.category)); no player sees it")
            case .linkInternal(let id, let internalID):
                _ = try await self.update(.internalLink(InternalLinkRequest(ticketID: id, internalID: internalID)), quietly: true)
                self.terminal.say("ticket \(id) and internal ticket \(internalID) are linked: a staff note on each names the other")
            case .priority(let id, let urgency, let impact):
                _ = try await self.update(.priority(PriorityRequest(ticketID: id, urgency: urgency, impact: impact)))
            case .shiftEnd(let colleague):
                self.terminal.say(try await ShiftEnd.run(on: self.connection, to: colleague, text: "").text)
            case .remind(let id, let seconds, let text):
                let at = Self.milliseconds(fromNow: seconds)
                _ = try await self.connection.call(.remind(Remind(ticketID: id, at: at, text: text)))
                self.terminal.say("you will be reminded of ticket \(id) at \(Presentation.time(at))")
            case .search(let text):
                guard case .searchResult(let result) = try await self.connection.call(.search(SearchRequest(text: text)))
                else { return }
                self.terminal.say(result.hits.isEmpty
                    ? "no ticket holds all of these words"
                    : result.hits.map { Presentation.describe($0, style: self.style) }.joined(separator: "\n"))
            case .escalate(let id, let target, let text):
                let ticket = try await self.update(.escalate(Escalate(ticketID: id, target: target, text: text)), quietly: true)
                self.terminal.say(Presentation.describe(ticket, escalatedTo: target))
            case .macros:
                guard case .macros(let macros) = try await self.connection.call(.macroList(MacroList())) else { return }
                self.terminal.say(Presentation.macrosTable(macros.entries))
            }
        } catch let error as ErrorMessage {
            self.terminal.say(self.style.paint(Presentation.describe(error), .red))
        } catch {
            self.terminal.say(self.style.paint("error: \(error)", .red))
        }
    }

    private func list(_ request: Message) async throws -> [TicketSummary] {
        guard case .ticketList(let list) = try await self.connection.call(request) else { return [] }
        return list.tickets
    }

    /// Sends a ticket step, prints the ticket's new state (unless `quietly`: the caller says it) and makes it the
    /// current ticket.
    private func update(_ request: Message, quietly: Bool = false) async throws -> TicketSummary {
        guard case .ticketUpdated(let update) = try await self.connection.call(request) else {
            throw CommandFailure(message: "unexpected answer to \(request.type)", json: false)
        }
        self.current.withLock { $0 = update.summary.id }
        if !quietly { self.terminal.say(Presentation.describe(update.summary)) }
        self.stale.store(true, ordering: .relaxed)
        return update.summary
    }

    private func show(_ id: UInt64) async throws {
        guard case .ticket(let detail) = try await self.connection.call(.getTicket(GetTicket(ticketID: id))) else { return }
        let history = try await self.connection.history(of: id, page: 1, size: HistoryPages.size) {
            "`gmq show \(id) --page \($0)`"
        }
        let earlier = try await self.list(.playerTickets(PlayerTickets(playerID: detail.summary.playerID)))
        self.current.withLock { $0 = id }
        self.updatePrompt()
        self.terminal.say(Presentation.describe(detail, history: history, earlier: earlier))
    }
}

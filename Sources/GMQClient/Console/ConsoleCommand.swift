import GMQProtocol

/// One line typed in `gmq console`, parsed. Where a command takes a ticket id, it may be left out to mean the
/// current ticket: the one last claimed or shown. Texts run to the end of the line, no quoting needed.
public enum ConsoleCommand: Sendable, Equatable {
    case help
    case queue(category: String)
    case mine
    case next(category: String)
    case show(UInt64)
    case claim(UInt64)
    case unclaim(UInt64)
    case ask(UInt64, String)
    case answer(UInt64, String)
    case note(UInt64, String)
    case close(UInt64, resolution: String, text: String)
    case transfer(UInt64, category: String, text: String)
    case escalate(UInt64, target: EscalationTarget, text: String)
    case assign(UInt64, gm: String, text: String)
    /// Set aside for `seconds`, or with nil taken back now.
    case snooze(UInt64, seconds: Int64?, text: String)
    case remind(UInt64, seconds: Int64, text: String)
    case priority(UInt64, urgency: UInt8, impact: UInt8)
    /// Every ticket one holds back to the queue, or (with a name) to a colleague.
    case shiftEnd(to: String?)
    /// Open an internal ticket in a category.
    case openInternal(category: String, text: String)
    /// Link a player's ticket to an internal one.
    case linkInternal(UInt64, internalID: UInt64)
    case search(String)
    case macros
    case history
    case quit
    case nothing

    /// Why a line is not a command, and what to type instead.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    public static let summary = """
        next [CATEGORY]                  claim the most urgent open ticket in your categories
        queue [CATEGORY] · mine          the live queue · the tickets you hold
        show [ID]                        the request, where the player was, history, their earlier tickets
        claim ID · unclaim [ID]          take a ticket · put it back in the queue
        ask [ID] TEXT                    ask the player for details (waits for their reply)
        answer [ID] TEXT|@macro          answer the player; @name uses a canned response (macros)
        note [ID] TEXT                   internal note, never shown to the player
        close [ID] RESOLUTION [TEXT]     solved, duplicate, not_actionable, escalated_to_dev, no_response
        transfer [ID] CATEGORY [TEXT]    move to another category's queue
        escalate [ID] [senior|developers] [TEXT]
        assign [ID] GM [TEXT]            hand the ticket to a colleague (they must work its category)
        snooze [ID] 2d|4h|30m [TEXT]     set it aside until then (SLA paused) · snooze [ID] off: back now
        remind [ID] 4h|30m TEXT          remind yourself of it then (only you see it)
        priority [ID] URGENCY IMPACT     low…critical × player|group|realm|all (the queue orders by it)
        shift end [GM]                   every ticket you hold back to the queue, or to a colleague
        internal CATEGORY TEXT           open a ticket for staff only (no player sees it)
        link [ID] INTERNAL_ID            link a player's ticket to an internal one
        search TEXT                      find past tickets by what was said on them
        macros · history · help · quit   ID defaults to the current ticket (the last claimed or shown)
        """

    public static func parse(_ line: String, current: UInt64?) throws(ParseError) -> ConsoleCommand {
        var words = Substring(line).drop { $0.isWhitespace }
        guard !words.isEmpty else { return .nothing }
        let verb = Self.word(&words).lowercased()

        func rest() -> String { String(words.drop { $0.isWhitespace }).trimmingTrailingWhitespace() }
        func id() throws(ParseError) -> UInt64 {
            var lookahead = words.drop { $0.isWhitespace }
            let token = Self.word(&lookahead)
            let digits = token.hasPrefix("#") ? String(token.dropFirst()) : token
            if let id = UInt64(digits), id > 0 {
                words = lookahead
                return id
            }
            guard let current else {
                throw ParseError(description: "\(verb) needs a ticket id (no current ticket yet: claim or show one)")
            }
            return current
        }
        /// The next word, which must be there (else `usage`).
        func next(_ usage: String) throws(ParseError) -> String {
            var remainder = words.drop { $0.isWhitespace }
            let word = Self.word(&remainder)
            guard !word.isEmpty else { throw ParseError(description: usage) }
            words = remainder
            return word
        }
        /// The next word as a span (2d, 4h, 30m), or nil when it is "off".
        func span(_ usage: String) throws(ParseError) -> Int64? {
            let word = try next(usage)
            if word.lowercased() == "off" { return nil }
            guard let seconds = DurationArgument.seconds(word) else { throw ParseError(description: usage) }
            return seconds
        }
        func text(_ what: String) throws(ParseError) -> String {
            let text = rest()
            guard !text.isEmpty else { throw ParseError(description: "\(verb) needs \(what); see help") }
            return text
        }

        switch verb {
        case "help", "?": return .help
        case "queue", "q", "ls": return .queue(category: rest())
        case "mine": return .mine
        case "next", "n": return .next(category: rest())
        case "show", "s": return .show(try id())
        case "claim":
            let ticket = try id()
            return .claim(ticket)
        case "unclaim": return .unclaim(try id())
        case "ask": return .ask(try id(), try text("a question"))
        case "answer", "a": return .answer(try id(), try text("an answer or @macro"))
        case "note": return .note(try id(), try text("the note"))
        case "close":
            let ticket = try id()
            let resolution = try next(
                "close needs a resolution: solved, duplicate, not_actionable, escalated_to_dev or no_response")
            return .close(ticket, resolution: resolution, text: rest())
        case "transfer":
            let ticket = try id()
            let category = try next("transfer needs the category to move it to")
            return .transfer(ticket, category: category, text: rest())
        case "assign", "handoff":
            let ticket = try id()
            let gm = try next("assign needs the GM who takes it over")
            return .assign(ticket, gm: gm, text: rest())
        case "snooze":
            let ticket = try id()
            let seconds = try span("snooze needs how long, such as 2d, 4h or 30m (or off to take it back)")
            return .snooze(ticket, seconds: seconds, text: seconds == nil ? "" : rest())
        case "remind":
            let ticket = try id()
            let usage = "remind needs when, such as 4h or 30m, then the text"
            guard let seconds = try span(usage) else { throw ParseError(description: usage) }
            return .remind(ticket, seconds: seconds, text: try text("the text to be reminded of"))
        case "priority":
            let ticket = try id()
            let usage = "priority needs an urgency (low, medium, high, critical), then an impact (player, group, realm, all)"
            guard let u = PriorityArgument.urgency(try next(usage)), let i = PriorityArgument.impact(try next(usage)) else {
                throw ParseError(description: usage)
            }
            return .priority(ticket, urgency: u, impact: i)
        case "shift":
            var remainder = words.drop { $0.isWhitespace }
            guard Self.word(&remainder).lowercased() == "end" else {
                throw ParseError(description: "shift end [GM]: your tickets back to the queue, or to a colleague")
            }
            let gm = Self.word(&remainder)
            return .shiftEnd(to: gm.isEmpty ? nil : gm)
        case "internal":
            let category = try next("internal needs a category, then the text")
            return .openInternal(category: category, text: try text("the text of the internal ticket"))
        case "link":
            var ids: [UInt64] = []
            while case let token = Self.word(&words), !token.isEmpty {
                guard let id = UInt64(token.hasPrefix("#") ? String(token.dropFirst()) : token), id > 0 else {
                    throw ParseError(description: "link takes ticket ids: link [ID] INTERNAL_ID")
                }
                ids.append(id)
            }
            switch ids.count {
            case 1:
                guard let current else { throw ParseError(description: "link needs the player's ticket id (no current ticket)") }
                return .linkInternal(current, internalID: ids[0])
            case 2: return .linkInternal(ids[0], internalID: ids[1])
            default: throw ParseError(description: "link takes the player's ticket (default: the current one) and the internal ticket's id")
            }
        case "search", "find":
            return .search(try text("the words to find"))
        case "escalate":
            let ticket = try id()
            var remainder = words.drop { $0.isWhitespace }
            var target = EscalationTarget.seniorGMs
            switch Self.word(&remainder).lowercased() {
            case "senior", "seniors": words = remainder
            case "developers", "dev", "devs":
                target = .developers
                words = remainder
            default: break
            }
            return .escalate(ticket, target: target, text: rest())
        case "macros": return .macros
        case "history": return .history
        case "quit", "exit", "q!": return .quit
        default:
            throw ParseError(description: "unknown command '\(verb)'; type help for the list")
        }
    }

    private static func word(_ text: inout Substring) -> String {
        text = text.drop { $0.isWhitespace }
        let word = text.prefix { !$0.isWhitespace }
        text = text.dropFirst(word.count)
        return String(word)
    }
}

extension String {
    func trimmingTrailingWhitespace() -> String {
        var copy = self
        while copy.last?.isWhitespace == true { copy.removeLast() }
        return copy
    }
}

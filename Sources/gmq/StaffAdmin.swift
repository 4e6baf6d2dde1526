import ArgumentParser
import Foundation
import GMQClient
import GMQProtocol

/// `gmq staff …`: admins manage accounts over the staff port; each change is in the staff action log.
struct StaffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff",
        abstract: "Admins: list, add, disable, enable, re-key and change staff accounts (each change is logged).",
        discussion: """
            A disabled account or a replaced key ends its open sessions at once, on every node; its claimed \
            tickets return to the queue and each player is told. `gmq audit staff` shows the log.
            """,
        subcommands: [List.self, Add.self, Disable.self, Enable.self, RotateKey.self, Set.self],
        defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every account: id, name, role, categories, state, expiry.")
        @OptionGroup var options: StaffOptions

        func run() async throws {
            try await self.options.run(.staffList(StaffList())) {
                guard case .staffAccounts(let list) = $0 else { return nil }
                return (Presentation.staffTable(list.accounts), list.accounts.map(Presentation.json))
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an account and print its key once (last line).")
        @OptionGroup var options: StaffOptions
        @Argument(help: "The account's name, shown to players and in the audit log.") var name: String
        @Option(help: "gm, moderator, admin, or game (a game server that attaches evidence).") var role: String
        @Option(help: "Comma-separated categories a GM works (default: all).") var categories: String = ""
        @Option(help: "When the key stops working: 90d, 12h, an ISO 8601 time or date, or never (default).")
        var expires: String = "never"

        func run() async throws {
            let (expiry, at) = try StaffArguments.expiry(self.expires)
            let request = StaffChangeRequest(
                action: .add, name: self.name, role: try StaffArguments.role(self.role), setCategories: true,
                categories: StaffArguments.categories(self.categories), expiry: expiry, expiresAt: at)
            try await self.options.run(.staffChange(request), print: StaffArguments.changed("added"))
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Disable an account: its sessions close, its claims return to the queue.")
        @OptionGroup var options: StaffOptions
        @Argument(help: "The account's name.") var name: String

        func run() async throws {
            try await self.options.run(
                .staffChange(StaffChangeRequest(action: .disable, name: self.name)), print: StaffArguments.changed("disabled"))
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let a disabled account in again.")
        @OptionGroup var options: StaffOptions
        @Argument(help: "The account's name.") var name: String

        func run() async throws {
            try await self.options.run(
                .staffChange(StaffChangeRequest(action: .enable, name: self.name)), print: StaffArguments.changed("enabled"))
        }
    }

    struct RotateKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-key", abstract: "Issue a new key, printed once (last line); the old one stops working.")
        @OptionGroup var options: StaffOptions
        @Argument(help: "The account's name.") var name: String

        func run() async throws {
            try await self.options.run(
                .staffChange(StaffChangeRequest(action: .rotateKey, name: self.name)),
                print: StaffArguments.changed("given a new key"))
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change an account's role, categories or key expiry.")
        @OptionGroup var options: StaffOptions
        @Argument(help: "The account's name.") var name: String
        @Option(help: "gm, moderator, admin, or game (a game server that attaches evidence).") var role: String?
        @Option(help: "Comma-separated categories a GM works; 'all' for every one.") var categories: String?
        @Option(help: "When the key stops working: 90d, 12h, an ISO 8601 time or date, or never.") var expires: String?

        func run() async throws {
            let (expiry, at) = try self.expires.map(StaffArguments.expiry) ?? (.unchanged, 0)
            let request = StaffChangeRequest(
                action: .set, name: self.name, role: try self.role.map(StaffArguments.role),
                setCategories: self.categories != nil,
                categories: self.categories.map { $0 == "all" ? [] : StaffArguments.categories($0) } ?? [],
                expiry: expiry, expiresAt: at)
            try await self.options.run(.staffChange(request), print: StaffArguments.changed("changed"))
        }
    }
}

enum StaffArguments {
    static func role(_ text: String) throws -> SessionRole {
        switch text {
        case "gm": .gm
        case "moderator": .moderator
        case "admin": .admin
        case "game": .game
        default: throw ValidationError("unknown role '\(text)'; use gm, moderator, admin or game")
        }
    }

    static func categories(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// `never`, a duration from now (`90d`, `12h`, `30m`) or an ISO 8601 time or date.
    static func expiry(_ text: String) throws -> (StaffExpiryChoice, Int64) {
        if text == "never" { return (.never, 0) }
        if let unit = text.last, let count = Int64(text.dropLast()), count > 0 {
            let seconds: Int64? = switch unit {
            case "d": 86_400
            case "h": 3_600
            case "m": 60
            default: nil
            }
            if let seconds { return (.at, Int64(Date().timeIntervalSince1970 * 1000) + count * seconds * 1000) }
        }
        if text.contains("-"), let at = try? TimeArgument.milliseconds(text, option: "--expires"), at > 0 {
            return (.at, at)
        }
        throw ValidationError("--expires takes 90d, 12h, 30m, an ISO 8601 time or date (2027-01-31), or never")
    }

    /// What STAFF_CHANGED prints: the account, how many claims went back, and a new key last, alone on its line.
    static func changed(_ verb: String) -> (Message) -> (text: String, json: Any)? {
        { response in
            guard case .staffChanged(let changed) = response else { return nil }
            var lines = ["staff \(changed.account.name) \(verb)"]
            if changed.released > 0 {
                lines.append("\(changed.released) claimed ticket(s) are back in the queue; each player was told")
            }
            var json = Presentation.json(changed.account)
            json["released"] = changed.released
            if !changed.key.isEmpty {
                lines.append("keep this key, it is shown once:")
                lines.append(changed.key)
                json["key"] = changed.key
            }
            return (lines.joined(separator: "\n"), json)
        }
    }
}

/// `gmq ban PLAYER_ID --for 24h --reason TEXT`: a help ban (GMs and admins).
struct BanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ban",
        abstract: "Bar a player from filing new requests for a while (they may still reply to open ones).")
    @OptionGroup var options: StaffOptions
    @Argument(help: "The player's account id.") var player: UInt64
    @Option(name: .customLong("for"), help: "How long: 30m, 12h, 7d (at most 366d).") var duration: String
    @Option(help: "Why; the player is shown it.") var reason: String

    func run() async throws {
        guard let seconds = Self.seconds(self.duration) else {
            throw ValidationError("--for takes a duration such as 30m, 12h or 7d")
        }
        let until = Int64((Date().timeIntervalSince1970 + seconds) * 1000)
        try await self.options.run(.ban(BanRequest(playerID: self.player, until: until, reason: self.reason))) {
            guard case .banList(let list) = $0, let ban = list.bans.first else { return nil }
            return (
                "player \(ban.playerID) may not file requests until \(Presentation.time(ban.until)): "
                    + TextRules.printable(ban.reason),
                Presentation.json(ban))
        }
    }
}

extension BanCommand {
    /// A duration such as 30m, 12h or 7d in seconds; nil when it is none.
    static func seconds(_ text: String) -> Double? {
        guard let unit = text.last, let count = Double(text.dropLast()), count > 0,
            let seconds = ["m": 60.0, "h": 3_600.0, "d": 86_400.0][String(unit)]
        else { return nil }
        return count * seconds
    }
}

struct UnbanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unban", abstract: "Lift a player's help ban.")
    @OptionGroup var options: StaffOptions
    @Argument(help: "The player's account id.") var player: UInt64

    func run() async throws {
        try await self.options.run(.unban(UnbanRequest(playerID: self.player))) {
            guard case .ok = $0 else { return nil }
            return ("player \(self.player) may file requests again", ["unbanned": self.player])
        }
    }
}

struct BansCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bans", abstract: "Help bans in force, soonest ending first.")
    @OptionGroup var options: StaffOptions

    func run() async throws {
        try await self.options.run(.bans(BansRequest())) {
            guard case .banList(let list) = $0 else { return nil }
            let text = list.bans.isEmpty ? "no help bans in force" : list.bans.map { ban in
                "player \(ban.playerID)  until \(Presentation.time(ban.until))  by \(TextRules.printable(ban.bannedBy))  "
                    + TextRules.printable(ban.reason)
            }.joined(separator: "\n")
            return (text, list.bans.map(Presentation.json))
        }
    }
}

import Foundation
import GMQCore
import Yams

/// gmqd's settings from three places, each over the one before: the settings file (`--config FILE` or
/// `GMQ_CONFIG`, JSON or YAML), `GMQ_*` environment variables, and flags (issue 11 §7). Every setting is one row of
/// `Settings.keys`: its dotted name in the file (`player.port`), its variable (`GMQ_PLAYER_PORT`), its flag, its
/// default and how its value is checked. The same check runs on a value from any of the three, and names where
/// the value came from.
///
/// Why not apple/swift-configuration: it reads layered providers well, but `gmqd check-config` must report every
/// unknown key and every bad value with its path, and its snapshots do not list their keys, its non-throwing
/// getters turn a value of the wrong type into "missing" silently, and its error type is `package`, so a missing
/// value cannot be told from a bad one. One table checked here does all three sources and the report.
struct Settings: Sendable {
    /// How a setting's value is written and checked.
    enum Kind: Sendable {
        case text
        /// A file that must exist.
        case file
        case integer(ClosedRange<Int>)
        /// A number of at least this.
        case number(minimum: Double)
        case choice([String])
        /// `BURST/SECONDS` or `off` (`AbuseLimits.rate`).
        case rate
        /// `COUNT/WINDOW/WAIT` or `off` (`AbuseLimits.setCooldown`).
        case cooldown
    }

    struct Key: Sendable {
        let name: String
        /// The `gmqd serve` flag that sets it.
        let flag: String
        let kind: Kind
        /// nil: no default (the setting is off, or derived elsewhere).
        let standard: String?

        var variable: String { "GMQ_" + self.name.uppercased().replacingOccurrences(of: ".", with: "_") }
    }

    /// Every setting, in the order `gmqd check-config --keys` lists them.
    static let keys: [Key] = [
        Key(name: "data", flag: "--data", kind: .text, standard: "./gmq-data"),
        Key(name: "store", flag: "--store", kind: .text, standard: nil),
        Key(name: "store_password_file", flag: "--store-password-file", kind: .file, standard: nil),
        Key(name: "node", flag: "--node", kind: .text, standard: nil),
        Key(name: "player.bind", flag: "--player-bind", kind: .text, standard: "127.0.0.1"),
        Key(name: "player.port", flag: "--player-port", kind: .integer(0...65_535), standard: "7070"),
        Key(name: "player.max_connections_per_address", flag: "--max-connections-per-address", kind: .integer(1...1_000_000), standard: "64"),
        Key(name: "staff.bind", flag: "--staff-bind", kind: .text, standard: "127.0.0.1"),
        Key(name: "staff.port", flag: "--staff-port", kind: .integer(0...65_535), standard: "7071"),
        Key(name: "staff.max_connections_per_address", flag: "--max-staff-connections-per-address", kind: .integer(1...1_000_000), standard: "32"),
        Key(name: "max_connections", flag: "--max-connections", kind: .integer(1...10_000_000), standard: "50000"),
        Key(name: "idle_timeout", flag: "--idle-timeout", kind: .integer(10...86_400), standard: "300"),
        Key(name: "open_limit", flag: "--open-limit", kind: .integer(1...1_000_000_000), standard: "3"),
        Key(name: "rules", flag: "--rules", kind: .file, standard: nil),
        Key(name: "sla", flag: "--sla", kind: .file, standard: nil),
        Key(name: "claim_lease", flag: "--claim-lease", kind: .number(minimum: 0.001), standard: "15"),
        Key(name: "abuse.submit_rate", flag: "--submit-rate", kind: .rate, standard: "5/30"),
        Key(name: "abuse.reply_rate", flag: "--reply-rate", kind: .rate, standard: "20/6"),
        Key(name: "abuse.cooldown", flag: "--cooldown", kind: .cooldown, standard: "5/600/600"),
        Key(name: "tls.cert", flag: "--tls-cert", kind: .file, standard: nil),
        Key(name: "tls.key", flag: "--tls-key", kind: .file, standard: nil),
        Key(name: "tls.ports", flag: "--tls-ports", kind: .choice(["both", "player", "staff"]), standard: "both"),
        Key(name: "metrics.port", flag: "--metrics-port", kind: .integer(0...65_535), standard: nil),
        Key(name: "metrics.bind", flag: "--metrics-bind", kind: .text, standard: "127.0.0.1"),
        Key(name: "log.level", flag: "--log-level", kind: .choice(["trace", "debug", "info", "notice", "warning", "error", "critical"]),
            standard: "info"),
        Key(name: "log.format", flag: "--log-format", kind: .choice(["text", "json"]), standard: "text"),
        Key(name: "drain_timeout", flag: "--drain-timeout", kind: .number(minimum: 0.001), standard: "10"),
        Key(name: "reconnect_after", flag: "--reconnect-after", kind: .integer(0...65_535), standard: "5"),
    ]

    static let byName = Dictionary(uniqueKeysWithValues: Self.keys.map { ($0.name, $0) })

    /// One thing wrong with the settings: where (a key's path in the file, a variable or a flag) and what.
    struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        let place: String
        let message: String
        var description: String { "\(self.place): \(self.message)" }
    }

    /// Everything wrong at once, each on its line.
    struct Problems: Error, CustomStringConvertible {
        let problems: [Problem]
        var description: String { self.problems.map(\.description).joined(separator: "\n") }
    }

    /// Checked values by key, as text (numbers as written), from the highest place that set them.
    private var values: [String: String] = [:]

    // MARK: Reading

    /// The settings of `file` (nil: none), `environment`'s `GMQ_*` variables and `flags` (key → the flag's text),
    /// each over the one before; throws every problem found.
    static func load(file: String?, environment: [String: String], flags: [String: String]) throws(Problems) -> Settings {
        var settings = Settings()
        var problems: [Problem] = []
        if let file {
            let (values, found) = Self.read(file: file)
            problems += found
            for (name, text) in values { settings.values[name] = text }
        }
        for key in Self.keys {
            guard let text = environment[key.variable] else { continue }
            if let problem = Self.check(text, as: key, at: key.variable) { problems.append(problem) } else {
                settings.values[key.name] = text
            }
        }
        for (name, text) in flags {
            guard let key = Self.byName[name] else { continue }
            if let problem = Self.check(text, as: key, at: key.flag) { problems.append(problem) } else {
                settings.values[key.name] = text
            }
        }
        guard problems.isEmpty else { throw Problems(problems: problems) }
        return settings
    }

    /// The value of `name`, or its default; nil when neither is set.
    func text(_ name: String) -> String? {
        precondition(Self.byName[name] != nil, "\(name) is not a setting")
        return self.values[name] ?? Self.byName[name]?.standard
    }

    /// Checked on the way in: a value that is present parses.
    func integer(_ name: String) -> Int? { self.text(name).flatMap { Int($0) } }
    func number(_ name: String) -> Double? { self.text(name).flatMap { Double($0) } }

    // MARK: The file

    /// The checked values of `file`, and what is wrong in it: unknown keys, values of the wrong kind.
    static func read(file: String) -> (values: [String: String], problems: [Problem]) {
        let tree: Any
        do {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            tree = try Self.parse(text, yaml: [".yaml", ".yml"].contains { file.lowercased().hasSuffix($0) })
        } catch let problem as Problem {
            return ([:], [Problem(place: file, message: problem.message)])
        } catch {
            return ([:], [Problem(place: file, message: "cannot be read: \(error.localizedDescription)")])
        }
        guard let root = tree as? [String: Any] else {
            return ([:], [Problem(place: file, message: "must hold an object of settings, e.g. {\"player\": {\"port\": 7070}}")])
        }
        var values: [String: String] = [:]
        var problems: [Problem] = []
        func walk(_ object: [String: Any], _ path: String) {
            for (name, value) in object.sorted(by: { $0.key < $1.key }) {
                let full = path.isEmpty ? name : path + "." + name
                if let nested = value as? [String: Any] {
                    if Self.byName[full] != nil {
                        problems.append(Problem(place: full, message: "takes a value, not an object"))
                    } else if !Self.keys.contains(where: { $0.name.hasPrefix(full + ".") }) {
                        problems.append(Problem(place: full, message: Self.unknown(full)))
                    } else {
                        walk(nested, full)
                    }
                    continue
                }
                guard let key = Self.byName[full] else {
                    problems.append(Problem(place: full, message: Self.unknown(full)))
                    continue
                }
                guard let text = Self.scalar(value, for: key) else {
                    problems.append(Problem(place: full, message: "must be \(Self.describe(key.kind))"))
                    continue
                }
                if let problem = Self.check(text, as: key, at: full) { problems.append(problem) } else { values[full] = text }
            }
        }
        walk(root, "")
        return (values, problems)
    }

    private static func parse(_ text: String, yaml: Bool) throws -> Any {
        if yaml {
            do {
                return try Yams.load(yaml: text) ?? [String: Any]()
            } catch {
                throw Problem(place: "", message: "is not valid YAML: \(error)")
            }
        }
        do {
            return try JSONSerialization.jsonObject(with: Data(text.utf8))
        } catch {
            throw Problem(place: "", message: "is not valid JSON (\(error.localizedDescription)); YAML files end in .yaml")
        }
    }

    /// A file's scalar as the text a variable or flag would give; nil for a value of the wrong shape.
    private static func scalar(_ value: Any, for key: Key) -> String? {
        // Foundation hands JSON's true and false over as NSNumbers of C type `c`; 0 and 1 also say `is Bool`.
        if value is [Any] { return nil }
        if let number = value as? NSNumber, String(cString: number.objCType) == "c" { return nil }
        switch (key.kind, value) {
        case (.integer, let number as NSNumber):
            return Int(exactly: number.doubleValue).map(String.init) ?? "\(number)"
        case (.number, let number as NSNumber): return "\(number.doubleValue)"
        case (.integer, _), (.number, _): return nil
        case (_, let string as String): return string
        case (.rate, let number as NSNumber), (.cooldown, let number as NSNumber): return "\(number)"
        default: return nil
        }
    }

    // MARK: Checks

    /// What is wrong with `text` as a value of `key`, said at `place`; nil when it is fine.
    static func check(_ text: String, as key: Key, at place: String) -> Problem? {
        let wrong = { (message: String) in Problem(place: place, message: message) }
        switch key.kind {
        case .text:
            return text.isEmpty ? wrong("is empty") : nil
        case .file:
            guard !text.isEmpty else { return wrong("is empty; give a file's path") }
            return FileManager.default.fileExists(atPath: text) ? nil : wrong("no file at \(text)")
        case .integer(let range):
            guard let value = Int(text) else { return wrong("'\(text)' is not a whole number") }
            return range.contains(value) ? nil : wrong("\(value) is not within \(range.lowerBound)…\(range.upperBound)")
        case .number(let minimum):
            guard let value = Double(text), value.isFinite else { return wrong("'\(text)' is not a number") }
            return value >= minimum ? nil : wrong("\(text) is below the least allowed, \(minimum)")
        case .choice(let choices):
            return choices.contains(text) ? nil : wrong("'\(text)' is none of \(choices.joined(separator: ", "))")
        case .rate:
            do {
                _ = try AbuseLimits.rate(text)
                return nil
            } catch {
                return wrong(error.description)
            }
        case .cooldown:
            var limits = AbuseLimits.standard
            do {
                try limits.setCooldown(text)
                return nil
            } catch {
                return wrong(error.description)
            }
        }
    }

    private static func describe(_ kind: Kind) -> String {
        switch kind {
        case .text: "text"
        case .file: "a file's path"
        case .integer(let range): "a whole number within \(range.lowerBound)…\(range.upperBound)"
        case .number(let minimum): "a number of at least \(minimum)"
        case .choice(let choices): "one of \(choices.joined(separator: ", "))"
        case .rate: "BURST/SECONDS text such as \"5/30\", or \"off\""
        case .cooldown: "COUNT/WINDOW/WAIT text such as \"5/600/600\", or \"off\""
        }
    }

    /// "unknown key", with the nearest known key when one is close (a typo).
    private static func unknown(_ name: String) -> String {
        let nearest = Self.keys.map { ($0.name, Self.distance($0.name, name)) }.min { $0.1 < $1.1 }
        if let (known, distance) = nearest, distance <= min(3, max(1, name.count / 4)) {
            return "unknown key; did you mean \(known)?"
        }
        return "unknown key; gmqd check-config --keys lists them"
    }

    private static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where i <= a.count {
            var previous = row[0]
            row[0] = i
            for j in 1...max(b.count, 1) where j <= b.count {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }
}

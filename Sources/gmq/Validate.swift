import ArgumentParser
import Foundation
import GMQClient
import GMQCore

/// Explain mode: runs the substantive check locally, as gmqd would, one verdict per input line.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check texts as gmqd would, without a server: one verdict per line.",
        discussion: """
            Reads texts one per line from FILE or standard input. A line that is a JSON object with a "text" field \
            (and optionally "category" and "locale") is read as such; any other line is the text itself. With \
            --json each verdict is {"accepted":…,"reason":…,"hint":…,"score":…}; score counts the words that \
            describe something. When JSON lines carry a "substantive" label, a score of the whole input \
            (false rejections and catch rate) is printed last, on standard error.
            """)

    @Argument(help: "File of texts, one per line (default: standard input).")
    var file: String?

    @Option(help: "Category to judge plain-text lines in (JSON lines may carry their own).")
    var category: String?

    @Option(help: "Locale for hints, e.g. en or ru (JSON lines may carry their own).")
    var locale: String = ""

    @Option(help: "JSON file of category rules, as gmqd --rules takes.")
    var rules: String?

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        let rules: CategoryRules
        do {
            rules = try CategoryRules.load(path: self.rules)
        } catch let error as CategoryRules.RulesError {
            throw ValidationError(error.description)
        }
        let check = SubstantiveCheck(rules: rules)
        let input: FileHandle
        if let file = self.file {
            guard let handle = FileHandle(forReadingAtPath: file) else {
                throw ValidationError("cannot open \(file); check the path")
            }
            input = handle
        } else {
            input = FileHandle.standardInput
        }
        let content = String(decoding: input.readDataToEndOfFile(), as: UTF8.self)
        var tally = Tally()
        for line in content.split(separator: "\n", omittingEmptySubsequences: false).dropLast(content.hasSuffix("\n") ? 1 : 0) {
            var text = String(line)
            var category = self.category
            var locale = self.locale
            var label: Bool?
            if line.hasPrefix("{"),
                let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let value = object["text"] as? String
            {
                text = value
                category = object["category"] as? String ?? category
                locale = object["locale"] as? String ?? locale
                label = object["substantive"] as? Bool
            }
            let verdict = check.evaluate(text, category: category, locale: locale)
            tally.add(verdict: verdict, label: label)
            print(self.json ? Presentation.line(Self.json(verdict)) : Self.describe(verdict, text: text))
        }
        if let summary = tally.summary { FileHandle.standardError.write(Data((summary + "\n").utf8)) }
    }

    static func json(_ verdict: Verdict) -> [String: Any] {
        switch verdict {
        case .accepted(let acceptance):
            return ["accepted": true, "reason": NSNull(), "hint": acceptance.hint ?? NSNull(), "score": acceptance.contentWords]
        case .rejected(let rejection):
            return ["accepted": false, "reason": rejection.reason.rawValue, "hint": rejection.hint, "score": rejection.contentWords]
        }
    }

    static func describe(_ verdict: Verdict, text: String) -> String {
        let shown = text.count > 60 ? String(text.prefix(59)) + "…" : text
        switch verdict {
        case .accepted(let acceptance):
            return "accepted (score \(acceptance.contentWords))  \(shown)" + (acceptance.hint.map { "\n    hint: \($0)" } ?? "")
        case .rejected(let rejection):
            return "rejected: \(rejection.reason.rawValue) (score \(rejection.contentWords))  \(shown)\n    hint: \(rejection.hint)"
        }
    }

    /// Scores labelled input the way the test suite scores corpora.
    struct Tally {
        var substantive = 0
        var falseRejections = 0
        var empty = 0
        var caught = 0

        mutating func add(verdict: Verdict, label: Bool?) {
            guard let label else { return }
            if label {
                self.substantive += 1
                if !verdict.isAccepted { self.falseRejections += 1 }
            } else {
                self.empty += 1
                if !verdict.isAccepted { self.caught += 1 }
            }
        }

        var summary: String? {
            guard self.substantive + self.empty > 0 else { return nil }
            let falseRate = Double(self.falseRejections) * 100 / Double(max(self.substantive, 1))
            let catchRate = Double(self.caught) * 100 / Double(max(self.empty, 1))
            return "\(self.substantive + self.empty) labelled rows; false rejections \(self.falseRejections)/\(self.substantive) "
                + String(format: "(%.1f%%)", falseRate) + "; caught \(self.caught)/\(self.empty) " + String(format: "(%.1f%%)", catchRate)
        }
    }
}

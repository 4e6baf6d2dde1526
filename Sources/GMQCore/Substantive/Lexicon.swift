import Foundation

/// What a word does in a request when it does not describe the problem. See `Resources/Lexicon/README.md`.
enum WordClass: UInt8, Sendable, CaseIterable {
    case staff, contact, plea, greeting, vague, function, closure, filler, player, reference

    /// Calling staff or asking for contact rather than describing anything.
    var callsForContact: Bool { self == .staff || self == .contact || self == .plea || self == .greeting }
}

/// The word lists of every language, read from the data files in `Resources/Lexicon`, keyed by the hash of the
/// folded word so that a lookup builds no String.
struct Lexicon: Sendable {
    private var exact = WordTable()
    /// The same words with every run of one letter cut to one, for elongated spellings ("pleeease").
    private var collapsed = WordTable()
    /// Prefix entries ("вопрос*"), keyed by the prefix's hash mixed with its length in scalars.
    private var prefixes = WordTable()
    /// Bit n is set when some prefix entry is n scalars long: most lengths need no lookup at all.
    private var prefixLengths: UInt32 = 0

    static let longestPrefix = 16

    /// The lexicon shipped with GMQueue: every `*.txt` file of `Resources/Lexicon`.
    static let standard: Lexicon = {
        guard let directory = Bundle.module.url(forResource: "Lexicon", withExtension: nil),
            let files = try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
        else {
            preconditionFailure("GMQCore's resource folder Lexicon is missing from the bundle")
        }
        var lexicon = Lexicon()
        for file in files.filter({ $0.pathExtension == "txt" }).sorted(by: { $0.path < $1.path }) {
            guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
            lexicon.load(text)
        }
        return lexicon
    }()

    /// Reads one file's sections. A word already known keeps its first class.
    mutating func load(_ text: String) {
        var current: WordClass?
        for rawLine in text.split(separator: "\n") {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("[") && trimmed.hasSuffix("]") {
                let name = String(trimmed.dropFirst().dropLast())
                current = WordClass.allCases.first { "\($0)" == name }
                precondition(current != nil, "unknown lexicon section [\(name)]")
                continue
            }
            guard let wordClass = current else { continue }
            for entry in trimmed.split(whereSeparator: \.isWhitespace) {
                self.add(String(entry), as: wordClass)
            }
        }
    }

    private mutating func add(_ entry: String, as wordClass: WordClass) {
        let isPrefix = entry.hasSuffix("*")
        let word = isPrefix ? String(entry.dropLast()) : entry
        var parts: [Token] = []
        Tokenizer.forEachToken(in: ScalarFolding.normalizeSlowly(word), lexicon: nil) {
            parts.append($0)
            return true
        }
        for (index, part) in parts.enumerated() {
            if isPrefix && index == parts.count - 1 {
                guard part.length <= Self.longestPrefix else { continue }
                self.prefixes.insertIfAbsent(Self.prefixKey(part.hash, length: part.length), wordClass)
                self.prefixLengths |= 1 << UInt32(part.length)
            } else {
                self.exact.insertIfAbsent(part.hash.value, wordClass)
                self.collapsed.insertIfAbsent(part.collapsedHash.value, wordClass)
            }
        }
    }

    /// The class of the prefix entry that the first `length` scalars of a word, hashed as `hash`, match.
    @inline(__always)
    func prefix(_ hash: WordHash, length: Int) -> WordClass? {
        guard length <= Self.longestPrefix, self.prefixLengths & (1 << UInt32(length)) != 0 else { return nil }
        return self.prefixes[Self.prefixKey(hash, length: length)]
    }

    private static func prefixKey(_ hash: WordHash, length: Int) -> UInt64 {
        hash.value ^ (UInt64(length) &* 0x9E37_79B9_7F4A_7C15)
    }

    /// The class of a whole token: the word itself, a prefix entry, or (when it was elongated) its collapsed form.
    @inline(__always)
    func classify(_ token: Token) -> WordClass? {
        if let found = self.exact[token.hash.value] { return found }
        if let found = token.prefixClass { return found }
        if token.maxRun >= 3, let found = self.collapsed[token.collapsedHash.value] { return found }
        return nil
    }
}

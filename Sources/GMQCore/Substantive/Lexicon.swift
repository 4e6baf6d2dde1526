import Foundation

/// What a word does in a request. See `Resources/Lexicon/README.md`.
enum WordClass: UInt8, Sendable, CaseIterable {
    case staff, contact, plea, greeting, vague, function, closure, filler, player, reference
    /// Names where a problem may be (quest, item, account): counts only beside something that says what is wrong.
    case topic
    /// Says what is wrong (stuck, lost, missing, cannot, stolen, dupe): counts as content.
    case fault
    /// Promises the content instead of giving it (explain, details, later): never counts.
    case promise

    /// Calling staff or asking for contact rather than describing anything.
    var callsForContact: Bool { self == .staff || self == .contact || self == .plea || self == .greeting }
}

/// What a topic word names, for a hint that asks about it ("say what happened to your account").
public enum Subject: UInt8, Sendable, CaseIterable {
    case none, account, item, quest, character, ban, payment, exploit
}

/// A lexicon word: its class, and for a topic what it names.
struct WordEntry: Sendable, Equatable {
    var wordClass: WordClass
    var subject: Subject = .none
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

    /// Reads one file's sections (`[class]`, or `[topic SUBJECT]`). A word already known keeps its first class.
    mutating func load(_ text: String) {
        var current: WordEntry?
        for rawLine in text.split(separator: "\n") {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("[") && trimmed.hasSuffix("]") {
                let parts = trimmed.dropFirst().dropLast().split(separator: " ").map(String.init)
                let wordClass = WordClass.allCases.first { "\($0)" == parts.first }
                let subject = parts.count > 1 ? Subject.allCases.first { "\($0)" == parts[1] } : Subject.none
                precondition(wordClass != nil && subject != nil, "unknown lexicon section \(trimmed)")
                current = WordEntry(wordClass: wordClass!, subject: subject!)
                continue
            }
            guard let entry = current else { continue }
            for word in trimmed.split(whereSeparator: \.isWhitespace) {
                self.add(String(word), as: entry)
            }
        }
    }

    private mutating func add(_ entry: String, as wordEntry: WordEntry) {
        let isPrefix = entry.hasSuffix("*")
        let word = isPrefix ? String(entry.dropLast()) : entry
        let normalized = ScalarFolding.normalizeSlowly(word)
        var parts: [Token] = []
        Tokenizer.forEachToken(in: normalized, lexicon: nil) {
            parts.append($0)
            return true
        }
        for (index, part) in parts.enumerated() {
            if isPrefix && index == parts.count - 1 {
                guard part.length <= Self.longestPrefix else { continue }
                self.prefixes.insertIfAbsent(Self.prefixKey(part.hash, length: part.length), wordEntry)
                self.prefixLengths |= 1 << UInt32(part.length)
            } else {
                self.exact.insertIfAbsent(part.hash.value, wordEntry)
                self.collapsed.insertIfAbsent(part.collapsedHash.value, wordEntry)
            }
        }
        // Russian words are also found in Latin letters ("zastryal" for "застрял"): their transliteration
        // skeleton goes into tables of its own.
        let words = normalized.split(whereSeparator: { !$0.isLetter })
        for (index, part) in words.enumerated() {
            guard let skeleton = Transliteration.skeleton(ofCyrillic: part) else { continue }
            if isPrefix && index == words.count - 1 {
                guard skeleton.length <= Self.longestPrefix else { continue }
                self.translitPrefixes.insertIfAbsent(Self.prefixKey(skeleton.hash, length: skeleton.length), wordEntry)
                self.translitPrefixLengths |= 1 << UInt32(skeleton.length)
            } else {
                self.translitExact.insertIfAbsent(skeleton.hash.value, wordEntry)
            }
        }
    }

    /// The entry of the prefix entry that the first `length` scalars of a word, hashed as `hash`, match.
    @inline(__always)
    func prefix(_ hash: WordHash, length: Int) -> WordEntry? {
        guard length <= Self.longestPrefix, self.prefixLengths & (1 << UInt32(length)) != 0 else { return nil }
        return self.prefixes[Self.prefixKey(hash, length: length)]
    }

    private static func prefixKey(_ hash: WordHash, length: Int) -> UInt64 {
        hash.value ^ (UInt64(length) &* 0x9E37_79B9_7F4A_7C15)
    }

    /// The entry of a whole token: the word itself, a prefix entry, or (when it was elongated) its collapsed form.
    @inline(__always)
    func classify(_ token: Token) -> WordEntry? {
        if let found = self.exact[token.hash.value] { return found }
        if let found = token.prefixClass { return found }
        if token.maxRun >= 3, let found = self.collapsed[token.collapsedHash.value] { return found }
        return nil
    }

    // MARK: Russian in Latin letters

    private var translitExact = WordTable()
    private var translitPrefixes = WordTable()
    private var translitPrefixLengths: UInt32 = 0

    /// The Russian word a Latin-letter token spells, if the lexicon has it: its skeleton matched whole, or the
    /// shortest prefix entry it starts with.
    func classifyTransliterated(_ token: Token) -> WordEntry? {
        guard token.allLatin, token.length <= Transliteration.longestWord else { return nil }
        if let found = self.classifyTransliterated(token, schAsTwoLetters: false) { return found }
        // "sch" spells щ, or с and ч ("naschet" for "насчёт"): the second reading when the first finds nothing.
        return Transliteration.hasSCH(token.latin, length: token.length)
            ? self.classifyTransliterated(token, schAsTwoLetters: true) : nil
    }

    private func classifyTransliterated(_ token: Token, schAsTwoLetters: Bool) -> WordEntry? {
        var units = InlineArray<24, UInt8>(repeating: 0)
        let count = Transliteration.skeleton(
            ofLatin: token.latin, length: token.length, schAsTwoLetters: schAsTwoLetters, into: &units)
        var hash = WordHash()
        for index in 0..<count {
            hash.add(UInt32(units[index]))
            let length = index + 1
            if length <= Self.longestPrefix, self.translitPrefixLengths & (1 << UInt32(length)) != 0,
                let found = self.translitPrefixes[Self.prefixKey(hash, length: length)]
            {
                return found
            }
        }
        return self.translitExact[hash.value]
    }
}

/// Russian written in Latin letters, as players without a Cyrillic keyboard write it. Both scripts fold into
/// one skeleton of Latin letters that erases the spelling choices (ya/ja/ia, sh/sch/shch, zh, kh/h/x, ts/c/ch,
/// y/i/j, the soft sign), so "pomosch", "pomoshch" and "помощь" meet at "pomos". Many Cyrillic letters share a
/// skeleton letter (ш, щ and с all give "s"), and a run of i is one i ("ый", "yy"): the skeleton only looks words
/// up in the Russian lexicon, where such collisions are rare and harmless.
enum Transliteration {
    /// Longer Latin words are not looked up (no Russian lexicon word is this long).
    static var longestWord: Int { 24 }

    /// The skeleton letter(s) of each Cyrillic letter as folded (й → и, ё → е); nil for the signs, which vanish.
    private static let cyrillic: [Character: String] = [
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "z", "з": "z", "и": "i", "й": "i",
        "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
        "ф": "f", "х": "h", "ц": "c", "ч": "c", "ш": "s", "щ": "s", "ы": "i", "э": "e", "ю": "iu", "я": "ia",
        "ё": "e", "ъ": "", "ь": "",
    ]

    /// Whether the letters hold "sch", which has two readings.
    static func hasSCH(_ letters: InlineArray<24, UInt8>, length: Int) -> Bool {
        guard length >= 3 else { return false }
        for index in 0..<(length - 2)
        where letters[index] == UInt8(ascii: "s") && letters[index + 1] == UInt8(ascii: "c")
            && letters[index + 2] == UInt8(ascii: "h")
        {
            return true
        }
        return false
    }

    /// The skeleton of a folded Cyrillic word, or nil when it has other letters.
    static func skeleton(ofCyrillic word: Substring) -> (hash: WordHash, length: Int)? {
        var hash = WordHash()
        var length = 0
        var previous: UInt32 = 0
        for character in word {
            guard let units = Self.cyrillic[character] else { return nil }
            for unit in units.unicodeScalars where !(unit == "i" && previous == unit.value) {
                hash.add(unit.value)
                length += 1
                previous = unit.value
            }
        }
        return length > 0 ? (hash, length) : nil
    }

    /// The skeleton of a folded Cyrillic word as Latin letters (ошибка → osibka), or nil when it has other letters:
    /// what incident matching compares with a Latin word's skeleton.
    static func skeletonLetters(ofCyrillic word: some Sequence<Character>) -> [UInt8]? {
        var letters: [UInt8] = []
        for character in word {
            guard let units = Self.cyrillic[character] else { return nil }
            for unit in units.unicodeScalars where !(unit == "i" && letters.last == UInt8(ascii: "i")) {
                letters.append(UInt8(unit.value))
            }
        }
        return letters
    }

    /// Writes the skeleton of `length` folded Latin letters into `units`; returns how many units it has.
    static func skeleton(
        ofLatin letters: InlineArray<24, UInt8>, length: Int, schAsTwoLetters: Bool = false,
        into units: inout InlineArray<24, UInt8>
    ) -> Int {
        func at(_ index: Int) -> UInt8 { index < length ? letters[index] : 0 }
        var count = 0
        func emit(_ unit: Unicode.Scalar) {
            // "ый", "ий", "yy", "iy" all end in one i.
            if unit == "i" && count > 0 && units[count - 1] == UInt8(ascii: "i") { return }
            if count < 24 {
                units[count] = UInt8(unit.value)
                count += 1
            }
        }
        var index = 0
        while index < length {
            let (letter, next) = (Unicode.Scalar(at(index)), Unicode.Scalar(at(index + 1)))
            var used = 1
            switch (letter, next) {
            case ("s", "h") where at(index + 2) == UInt8(ascii: "c") && at(index + 3) == UInt8(ascii: "h"):  // щ
                emit("s")
                used = 4
            case ("s", "c") where at(index + 2) == UInt8(ascii: "h") && !schAsTwoLetters:  // sch → щ
                emit("s")
                used = 3
            case ("s", "h"), ("z", "h"):  // ш, ж
                emit(letter)
                used = 2
            case ("k", "h"):  // х
                emit("h")
                used = 2
            case ("c", "h"), ("t", "s"), ("t", "z"):  // ч, ц
                emit("c")
                used = 2
            case ("y", "e") where index == 0, ("j", "e") where index == 0, ("y", "o"), ("j", "o"):  // е, ё
                emit("e")
                used = 2
            case ("y", _), ("j", _): emit("i")
            case ("x", _): emit("h")
            case ("w", _): emit("v")
            case ("q", _): emit("k")
            default: emit(letter)
            }
            index += used
        }
        return count
    }
}

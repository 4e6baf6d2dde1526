/// A word of the text as the check sees it: hashes and shape, no String.
struct Token {
    /// Hash of the folded word (apostrophes removed).
    var hash = WordHash()
    /// Hash with every run of one scalar cut to one ("stuuuck" → "stuck").
    var collapsedHash = WordHash()
    var length = 0
    var digits = 0
    /// Longest run of one scalar.
    var maxRun = 0
    /// Distinct scalars, counted up to 4.
    var distinct = 0
    var hasVowel = false
    var allLatin = true
    var allCyrillic = true
    /// The entry of the shortest prefix entry the word starts with.
    var prefixClass: WordEntry?
    /// The word's letters when it is all Latin and at most `Transliteration.longestWord` long, for reading it as
    /// Russian in Latin letters.
    var latin = InlineArray<24, UInt8>(repeating: 0)
    /// The first letter was upper case and at least one later one was lower case: a Name, not a SHOUT.
    var looksLikeName = false
    /// The word starts the text or a sentence, where a capital says nothing.
    var startsSentence = false
    /// The word stands inside quotation marks: a message the player quotes ('character not found').
    var quoted = false
    /// Longest run of neighbouring keys along a keyboard row, for rows whose runs occur in no word.
    var safeKeyRun = 0
    /// The same for rows whose short runs occur in words ("erty" in "property").
    var wordyKeyRun = 0

    var isNumber: Bool { self.digits == self.length }

    // Scanning state.
    fileprivate var previous: UInt32 = 0
    fileprivate var run = 0
    fileprivate var seen = InlineArray<4, UInt32>(repeating: 0)
    fileprivate var firstTwo: (UInt32, UInt32) = (0, 0)
    fileprivate var keys = KeyboardRuns()
    fileprivate var startsUpper = false
    fileprivate var laterLower = false
}

/// Splits normalised text into tokens in one pass over its scalars, without allocating per token.
enum Tokenizer {
    /// Calls `body` with every token of `text` until it returns false. `text` must be table-foldable or already
    /// normalised slowly. With a lexicon, prefix entries are matched while scanning.
    static func forEachToken(in text: String, lexicon: Lexicon?, _ body: (borrowing Token) -> Bool) {
        var token = Token()
        var sentenceEnded = true
        var going = true
        var quoted = false
        /// An apostrophe just ended the letters so far: inside a word ("don't") if a letter follows, a closing
        /// quotation mark if not.
        var apostropheInWord = false
        func flush() {
            if token.length > 0 { going = body(token) }
            token = Token()
        }
        for scalar in text.unicodeScalars {
            guard going else { return }
            if ScalarFolding.isInvisible(scalar) { continue }
            guard let folded = ScalarFolding.fold(scalar) else {
                if ScalarFolding.isApostrophe(scalar) && token.length > 0 {
                    // "l'", "d'", "qu'": French elisions end a word; "don't" stays one word.
                    let elision = token.length == 1 || (token.length == 2 && token.firstTwo == (0x71, 0x75))
                    if elision { flush() } else { apostropheInWord = true }
                    continue
                }
                if token.length > 0 { flush() }
                // An apostrophe after a word closes a quote that is open; otherwise it is part of the word (a soft
                // sign in Russian written in Latin letters, "otvet'"), and opens nothing.
                if apostropheInWord {
                    if quoted { quoted = false }
                } else if ScalarFolding.isQuotationMark(scalar) {
                    quoted.toggle()
                }
                apostropheInWord = false
                if scalar == "." || scalar == "!" || scalar == "?" || scalar == "\n" { sentenceEnded = true }
                continue
            }
            apostropheInWord = false
            if token.length == 0 {
                token.quoted = quoted
                token.startsSentence = sentenceEnded
                sentenceEnded = false
                token.startsUpper = Self.isUpper(scalar.value)
                token.firstTwo.0 = folded
            } else {
                if token.length == 1 { token.firstTwo.1 = folded }
                if !ScalarFolding.isDigit(folded) && !Self.isUpper(scalar.value) { token.laterLower = true }
            }
            token.hash.add(folded)
            if token.length < Transliteration.longestWord && folded < 128 { token.latin[token.length] = UInt8(folded) }
            token.length += 1
            if folded == token.previous {
                token.run += 1
            } else {
                token.run = 1
                token.collapsedHash.add(folded)
            }
            token.maxRun = max(token.maxRun, token.run)
            token.previous = folded
            if ScalarFolding.isDigit(folded) {
                token.digits += 1
                token.allLatin = false
                token.allCyrillic = false
            } else {
                token.hasVowel = token.hasVowel || ScalarFolding.isVowel(folded)
                token.allLatin = token.allLatin && ScalarFolding.isLatinLetter(folded)
                token.allCyrillic = token.allCyrillic && ScalarFolding.isCyrillic(folded)
            }
            if token.distinct < 4 && !(0..<token.distinct).contains(where: { token.seen[$0] == folded }) {
                token.seen[token.distinct] = folded
                token.distinct += 1
            }
            token.keys.add(folded)
            token.safeKeyRun = max(token.safeKeyRun, token.keys.longestSafe)
            token.wordyKeyRun = max(token.wordyKeyRun, token.keys.longestWordy)
            if let lexicon, token.prefixClass == nil { token.prefixClass = lexicon.prefix(token.hash, length: token.length) }
            token.looksLikeName = token.startsUpper && token.laterLower
        }
        if going { flush() }
    }

    /// Upper-case letters of the Latin and Cyrillic tables; enough to tell a Name from a word.
    @inline(__always)
    private static func isUpper(_ value: UInt32) -> Bool {
        (0x41...0x5A).contains(value) || (0xC0...0xDE).contains(value) && value != 0xD7 || (0x400...0x42F).contains(value)
    }
}

/// Runs of neighbouring keys along keyboard rows (QWERTY, AZERTY, QWERTZ, ЙЦУКЕН), tracked scalar by scalar.
struct KeyboardRuns {
    /// Rows whose four-key runs occur in no common word ("asdf", "zxcv").
    private static let safeRows = ["asdfghjkl", "zxcvbnm", "qsdfghjklm", "wxcvbn", "yxcvbnm"]
    /// Rows whose four-key runs do occur in words ("erty" in "property", "прол" in "пролетел"): five keys needed.
    /// Cyrillic rows are folded as the text is (й → и).
    private static let wordyRows = ["qwertyuiop", "azertyuiop", "qwertzuiop", "ицукенгшщзхъ", "фывапролджэ", "ячсмитьбю"]

    /// For each folded ASCII letter (index 0-127) and Cyrillic letter (index 128 + offset from U+0400), up to
    /// four places packed as 16-bit `row << 8 | position`; 0xFFFF marks an empty slot.
    private static let places: [UInt64] = {
        var table = [UInt64](repeating: UInt64.max, count: 128 + 256)
        for (row, keys) in (safeRows + wordyRows).enumerated() {
            for (position, key) in keys.unicodeScalars.enumerated() {
                let index = Self.index(key.value)!
                var entry = table[index]
                for slot in 0..<4 where (entry >> (slot * 16)) & 0xFFFF == 0xFFFF {
                    entry &= ~(0xFFFF << UInt64(slot * 16))
                    entry |= UInt64(row << 8 | position) << UInt64(slot * 16)
                    break
                }
                table[index] = entry
            }
        }
        return table
    }()

    @inline(__always)
    private static func index(_ folded: UInt32) -> Int? {
        if folded < 128 { return Int(folded) }
        if folded >= 0x400 && folded < 0x500 { return 128 + Int(folded - 0x400) }
        return nil
    }

    /// Per row: the scalar index where its run last grew, its last position, direction and length. Inline
    /// arrays, not SIMD vectors: a SIMD lane picked at run time is written through a copy of the whole vector on
    /// the stack, which was 85% of the tokenizer's time (perf annotate). `gmq-bench-check`, checks/s on corpus
    /// texts 384,000 → 911,000, on 450–500-character texts 72,800 → 146,000; content words of 190-character
    /// load-generator requests 50,600 → 161,000/s.
    private var lastIndex = InlineArray<16, Int16>(repeating: -2)
    private var last = InlineArray<16, Int8>(repeating: 0)
    private var direction = InlineArray<16, Int8>(repeating: 0)
    private var run = InlineArray<16, Int8>(repeating: 0)
    private var scalarIndex: Int16 = 0
    private(set) var longestSafe = 0
    private(set) var longestWordy = 0

    @inline(__always)
    mutating func add(_ folded: UInt32) {
        defer { self.scalarIndex &+= 1 }
        guard let index = Self.index(folded) else { return }
        var entry = Self.places[index]
        while entry & 0xFFFF != 0xFFFF {
            let row = Int(entry >> 8 & 0xFF)
            let position = Int8(truncatingIfNeeded: entry & 0xFF)
            entry >>= 16
            let step = position &- self.last[row]
            let continues = self.lastIndex[row] == self.scalarIndex &- 1 && (step == 1 || step == -1)
                && (self.direction[row] == 0 || self.direction[row] == step)
            self.run[row] = continues ? self.run[row] &+ 1 : 1
            self.direction[row] = continues ? step : 0
            self.last[row] = position
            self.lastIndex[row] = self.scalarIndex
            if row < Self.safeRows.count {
                self.longestSafe = max(self.longestSafe, Int(self.run[row]))
            } else {
                self.longestWordy = max(self.longestWordy, Int(self.run[row]))
            }
        }
    }
}

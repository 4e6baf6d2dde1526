import Foundation

/// Folding of one Unicode scalar as the check compares words: lower case, diacritics removed (é → e, ё → е,
/// й → и, ą → a), by table for Latin (U+0000–U+024F) and Cyrillic (U+0400–U+04FF), where nearly all requests are
/// written. Other scripts fall back to Unicode's lower-case mapping.
enum ScalarFolding {
    private static let latinEnd: UInt32 = 0x250
    private static let cyrillicStart: UInt32 = 0x400
    private static let cyrillicEnd: UInt32 = 0x500

    /// Folded value of every scalar in the two tables; 0 where the scalar is not part of a word.
    private static let table: [UInt32] = {
        var table = [UInt32](repeating: 0, count: Int(latinEnd) + Int(cyrillicEnd - cyrillicStart))
        func fill(_ range: Range<UInt32>, offset: Int) {
            for value in range {
                guard let scalar = Unicode.Scalar(value), Self.isWordScalarSlow(scalar) else { continue }
                let folded = String(scalar).folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
                let scalars = folded.unicodeScalars
                table[Int(value) - offset] = scalars.count == 1 ? scalars.first!.value : Self.lowercase(scalar)
            }
        }
        fill(0..<latinEnd, offset: 0)
        fill(cyrillicStart..<cyrillicEnd, offset: Int(cyrillicStart) - Int(latinEnd))
        return table
    }()

    /// The folded scalar, or nil when `scalar` is not a letter or digit (a word boundary).
    @inline(__always)
    static func fold(_ scalar: Unicode.Scalar) -> UInt32? {
        let value = scalar.value
        let folded: UInt32
        if value < latinEnd {
            folded = self.table[Int(value)]
        } else if value >= cyrillicStart && value < cyrillicEnd {
            folded = self.table[Int(value - cyrillicStart + latinEnd)]
        } else {
            return self.isWordScalarSlow(scalar) ? self.lowercase(scalar) : nil
        }
        return folded == 0 ? nil : folded
    }

    /// Whether the text can be folded scalar by scalar without Unicode compatibility normalisation first (every
    /// letter or digit lies in the tables and no combining mark follows one), and whether anything but spaces and
    /// invisible characters shows.
    static func survey(_ text: String) -> (tableFoldable: Bool, visible: Bool) {
        var visible = false
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if !visible && value > 0x20 && !(0x7F...0xA0).contains(value) && !(0x2000...0x200A).contains(value)
                && value != 0x3000 && !self.isInvisible(scalar)
            {
                visible = true
            }
            if value < 0x80 || (value >= 0xC0 && value < latinEnd) || (value >= cyrillicStart && value < cyrillicEnd) {
                // NFKC changes a few Latin Extended letters (ĳ, ŀ, ŉ, ſ), and case folding turns ß into two
                // letters (ss), as it does in the lexicon: those take the slow path.
                if value == 0xDF || value == 0x132 || value == 0x133 || value == 0x13F || value == 0x140 || value == 0x149
                    || value == 0x17F
                {
                    return (false, true)
                }
                continue
            }
            if value >= 0x80 && value < 0xC0 { continue }  // Latin-1 punctuation and symbols: never part of a word
            if (0x300...0x36F).contains(value) { return (false, true) }  // combining marks
            if self.isWordScalarSlow(scalar) { return (false, true) }  // letters of other blocks: fullwidth, styled, …
        }
        return (true, visible)
    }

    /// Compatibility normalisation (NFKC) with case and diacritics folded, for text the tables cannot fold.
    static func normalizeSlowly(_ text: String) -> String {
        text.precomposedStringWithCompatibilityMapping
            .folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
    }

    private static func isWordScalarSlow(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        return (properties.isAlphabetic && !properties.isEmojiPresentation) || properties.numericType != nil
    }

    private static func lowercase(_ scalar: Unicode.Scalar) -> UInt32 {
        let lower = scalar.properties.lowercaseMapping.unicodeScalars
        return lower.count == 1 ? lower.first!.value : scalar.value
    }

    static func isDigit(_ folded: UInt32) -> Bool { folded >= 0x30 && folded <= 0x39 }

    static func isLatinLetter(_ folded: UInt32) -> Bool { folded >= 0x61 && folded <= 0x7A }

    static func isCyrillic(_ folded: UInt32) -> Bool { folded >= cyrillicStart && folded < cyrillicEnd }

    /// Vowels after folding (й → и, ё → е).
    static func isVowel(_ folded: UInt32) -> Bool {
        switch folded {
        case 0x61, 0x65, 0x69, 0x6F, 0x75, 0x79: true  // a e i o u y
        case 0x430, 0x435, 0x438, 0x43E, 0x443, 0x44B, 0x44D, 0x44E, 0x44F: true  // а е и о у ы э ю я
        default: false
        }
    }

    /// Apostrophes join the parts of a word ("don't") or, after one letter or "qu", end an elision ("l'", "qu'").
    /// Quotation marks that open or close a quoted message; an apostrophe at a word's edge does too (the
    /// tokenizer decides).
    static func isQuotationMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\"", "\u{201C}", "\u{201D}", "\u{201E}", "\u{00AB}", "\u{00BB}", "'", "\u{2018}", "\u{2019}", "`": true
        default: false
        }
    }

    static func isApostrophe(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "'" || scalar == "\u{2019}" || scalar == "\u{02BC}"
    }

    /// Invisible format characters that hide words: soft hyphen, zero-width, bidi controls, BOM.
    static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00AD, 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2069, 0xFEFF: true
        default: false
        }
    }
}

/// FNV-1a, 64 bits, over folded scalars: how the check names a word without building a String for it.
struct WordHash: Hashable {
    private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

    init() {}

    /// The hash of a whole word, given as its folded scalars.
    init(of scalars: some Sequence<Unicode.Scalar>) {
        for scalar in scalars { self.add(scalar.value) }
    }

    /// One FNV round per scalar (not per byte): words are hashed the same way in the lexicon and the text.
    @inline(__always)
    mutating func add(_ scalar: UInt32) {
        self.value = (self.value ^ UInt64(scalar)) &* 0x0000_0100_0000_01B3
    }
}

/// A read-mostly map from word hashes to classes: open addressing on the hash itself, which FNV has already
/// mixed, so a lookup costs no further hashing (Swift's `Dictionary` would run SipHash on every probe).
struct WordTable: Sendable {
    private var keys: [UInt64]
    private var values: [WordEntry?]
    private var mask: Int
    private(set) var count = 0

    init() {
        self.keys = Array(repeating: 0, count: 64)
        self.values = Array(repeating: nil, count: 64)
        self.mask = 63
    }

    @inline(__always)
    subscript(key: UInt64) -> WordEntry? {
        let key = key == 0 ? 1 : key
        var slot = Int(truncatingIfNeeded: key ^ (key >> 29)) & self.mask
        while true {
            let stored = self.keys[slot]
            if stored == key { return self.values[slot] }
            if stored == 0 { return nil }
            slot = (slot + 1) & self.mask
        }
    }

    /// Adds `key` unless present: a word keeps the first class it was given.
    mutating func insertIfAbsent(_ key: UInt64, _ value: WordEntry) {
        if (self.count + 1) * 2 > self.keys.count { self.grow() }
        let key = key == 0 ? 1 : key
        var slot = Int(truncatingIfNeeded: key ^ (key >> 29)) & self.mask
        while self.keys[slot] != 0 {
            if self.keys[slot] == key { return }
            slot = (slot + 1) & self.mask
        }
        self.keys[slot] = key
        self.values[slot] = value
        self.count += 1
    }

    private mutating func grow() {
        let old = zip(self.keys, self.values).filter { $0.0 != 0 }
        self.keys = Array(repeating: 0, count: self.keys.count * 2)
        self.values = Array(repeating: nil, count: self.keys.count)
        self.mask = self.keys.count - 1
        self.count = 0
        for (key, value) in old { self.insertIfAbsent(key, value!) }
    }
}

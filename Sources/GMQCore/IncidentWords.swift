/// The words incident matching compares (`IncidentMatch`): folded as the check folds them (case, diacritics), split
/// where letters meet digits ("Error132" → error, 132), Russian in Cyrillic and in Latin letters read alike
/// (ошибка, oshibka → osibka), and only the words that describe something (the check's content words: no grammar,
/// courtesy or calls for staff); in Latin letters an English "-ing" is dropped (with the consonant it doubled). Two
/// letter words are the same when they are equal, one starts the other and has three letters or more (err, error;
/// log, logging), or they differ in one last letter after a stem of five letters or more (ошибка, ошибку); numbers
/// only when equal.
public struct IncidentWords: Sendable, Equatable {
    struct Word: Sendable, Hashable {
        var letters: [UInt8]
        var isNumber: Bool
        /// The word as the text folded it (first seen), for showing; not compared.
        var surface: String

        static func == (a: Word, b: Word) -> Bool { a.letters == b.letters && a.isNumber == b.isNumber }
        func hash(into hasher: inout Hasher) {
            hasher.combine(self.letters)
            hasher.combine(self.isNumber)
        }
    }

    let words: [Word]

    public init(_ text: String, check: SubstantiveCheck) {
        let normalized = ScalarFolding.survey(text).tableFoldable ? text : ScalarFolding.normalizeSlowly(text)
        var words: [Word] = []
        var seen = Set<Word>()
        var current = String.UnicodeScalarView()
        var currentIsNumber = false
        func flush() {
            defer { current = String.UnicodeScalarView() }
            guard current.count > 1 else { return }
            let word = String(current)
            guard check.contentWords(of: word).count > 0 else { return }
            let key = Word(letters: Self.key(word, isNumber: currentIsNumber), isNumber: currentIsNumber, surface: word)
            if seen.insert(key).inserted { words.append(key) }
        }
        for scalar in normalized.unicodeScalars {
            if ScalarFolding.isInvisible(scalar) { continue }
            guard let folded = ScalarFolding.fold(scalar), let foldedScalar = Unicode.Scalar(folded) else {
                flush()
                continue
            }
            let isDigit = ScalarFolding.isDigit(folded)
            if !current.isEmpty && isDigit != currentIsNumber { flush() }
            currentIsNumber = isDigit
            current.append(foldedScalar)
        }
        flush()
        self.words = words
    }

    public var count: Int { self.words.count }

    /// The words as the text folded them, in order.
    public var surfaces: [String] { self.words.map(\.surface) }

    /// How many of these words `other` holds, each of its words standing for one of these at most ("log" is not
    /// both "login" and "logon").
    public func found(in other: IncidentWords) -> Int {
        var used = [Bool](repeating: false, count: other.words.count)
        var found = 0
        for word in self.words {
            // An exact match first, so that a stem does not take the word another one needs.
            let exact = other.words.indices.first { !used[$0] && other.words[$0] == word }
            guard let match = exact ?? other.words.indices.first(where: { !used[$0] && Self.same(word, other.words[$0]) })
            else { continue }
            used[match] = true
            found += 1
        }
        return found
    }

    /// A word's key: a number as it is, an all-Cyrillic or all-Latin word as its skeleton (the letters Russian
    /// written either way shares), any other word as folded.
    private static func key(_ word: String, isNumber: Bool) -> [UInt8] {
        if isNumber { return Array(word.utf8) }
        let scalars = word.unicodeScalars
        if scalars.allSatisfy({ ScalarFolding.isCyrillic($0.value) }),
            let letters = Transliteration.skeletonLetters(ofCyrillic: word)
        {
            return letters
        }
        if scalars.allSatisfy({ ScalarFolding.isLatinLetter($0.value) }), scalars.count <= Transliteration.longestWord {
            var letters = InlineArray<24, UInt8>(repeating: 0)
            for (index, scalar) in scalars.enumerated() { letters[index] = UInt8(scalar.value) }
            var units = InlineArray<24, UInt8>(repeating: 0)
            let count = Transliteration.skeleton(ofLatin: letters, length: scalars.count, into: &units)
            // An English "-ing" off, and the consonant it doubled ("logging" → log, which "login" starts with).
            var key = (0..<count).map { units[$0] }
            if key.count >= 6, key.suffix(3).elementsEqual("ing".utf8) {
                key.removeLast(3)
                if key[key.count - 1] == key[key.count - 2] { key.removeLast() }
            }
            return key
        }
        return Array(word.utf8)
    }

    static func same(_ a: Word, _ b: Word) -> Bool {
        guard !a.isNumber && !b.isNumber else { return a == b }
        let shorter = min(a.letters.count, b.letters.count)
        var shared = 0
        while shared < shorter && a.letters[shared] == b.letters[shared] { shared += 1 }
        if shared == a.letters.count && shared == b.letters.count { return true }
        return (shared == shorter && shared >= 3) || (shared >= 5 && shared >= shorter - 1)
    }
}

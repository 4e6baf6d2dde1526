/// Recognises keyboard mash: keys pressed in a row along a keyboard line, one key held, or a few keys hammered.
enum Keyboard {
    /// Rows whose four-key runs occur in no common word ("asdf", "zxcv").
    private static let safeRows = ["asdfghjkl", "zxcvbnm"]
    /// Rows whose four-key runs do occur in words ("erty" in "property", "прол" in "пролетел"): five keys needed.
    private static let wordyRows = ["qwertyuiop", "йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю"]
    private static let latinVowels = Set("aeiouy".unicodeScalars)
    private static let cyrillicVowels = Set("аеёиоуыэюя".unicodeScalars)

    static func isMash(_ word: String) -> Bool {
        let scalars = Array(word.unicodeScalars)
        guard scalars.allSatisfy({ $0.properties.isAlphabetic }) else { return false }
        let distinct = Set(scalars)
        if scalars.count >= 4 && distinct.count == 1 { return true }
        if scalars.count >= 6 && distinct.count <= 3 { return true }
        if scalars.count >= 5 {
            let latin = scalars.allSatisfy { $0.isASCII }
            let cyrillic = scalars.allSatisfy { (0x0400...0x04FF).contains($0.value) }
            if latin && distinct.isDisjoint(with: self.latinVowels) { return true }
            if cyrillic && distinct.isDisjoint(with: self.cyrillicVowels) { return true }
        }
        return self.containsRun(word, rows: self.safeRows, length: 4)
            || self.containsRun(word, rows: self.wordyRows, length: 5)
    }

    private static func containsRun(_ word: String, rows: [String], length: Int) -> Bool {
        let scalars = Array(word.unicodeScalars)
        guard scalars.count >= length else { return false }
        for row in rows {
            let keys = Array(row.unicodeScalars)
            for direction in [keys, keys.reversed()] {
                for start in 0...(direction.count - length) {
                    let run = direction[start..<(start + length)]
                    for offset in 0...(scalars.count - length) where scalars[offset..<(offset + length)].elementsEqual(run) {
                        return true
                    }
                }
            }
        }
        return false
    }
}

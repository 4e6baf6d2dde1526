import Foundation

/// Decides whether a request describes a problem a GM can act on, and if not, why and what to tell the player.
/// Pure and synchronous: the same text, category and locale always give the same verdict.
///
/// It judges content, not length or politeness. The text is normalised (NFKC, case and diacritics folded,
/// invisible characters dropped, elongations matched) and split into words, each classed by the per-language
/// word lists of `Resources/Lexicon` (Russian also when written in Latin letters, `Transliteration`). Greetings,
/// calls for staff, pleas, contact requests, promises of details, thanks, "I have a problem" and grammar never
/// count, at any length. A topic word (quest, item, account) names where a problem is, not what it is: it counts
/// only beside something that says what is wrong. What says that: a fault (stuck, lost, cannot, stolen), a word
/// no list claims (a name, a place, a deed), a number or code. A request needs two such signals, or one and a
/// topic ("Mount vanished", "Error 132 at login"), and must not be mostly keyboard mash or filler.
public struct SubstantiveCheck: Sendable {
    /// Two signals, or one beside a topic, say what happened to what ("Stuck in Undercity sewers" has three); the
    /// corpora in `Tests/GMQCoreTests/Corpus` and `../shared/corpus` hold no real problem told in fewer.
    public static let minimumContentWords = 2
    /// Words from which a text is long: it needs one signal more.
    static let longText = 20

    private let lexicon: Lexicon
    public let rules: CategoryRules

    public init(rules: CategoryRules = .standard) {
        self.lexicon = .standard
        self.rules = rules
    }

    /// The verdict on a request filed in `category` (nil: no category rules) by a client in `locale`, from where
    /// `context` says the character stood (it counts as the `place` a category's form may ask for).
    /// `readingContentWords`: an acceptance carries the text's content words (`Acceptance.words`), read in the same
    /// pass, as a submission needs them; the scan then reads to the text's end.
    public func evaluate(
        _ text: String, category: String? = nil, locale: String = "", context: GameContext? = nil,
        readingContentWords: Bool = false
    ) -> Verdict {
        let rule = category.flatMap { self.rules.byCategory[$0] } ?? CategoryRules.Rule()
        // The scan may stop early once the verdict is settled and the elements it reads itself are found.
        let lexical = (rule.requires + rule.suggests).filter { $0 == .namedPlayer || $0 == .reference }
        let analysis = self.analyze(text, needing: lexical, collectingContentWords: readingContentWords)
        let language = Hints.language(locale: locale, textIsCyrillic: analysis.cyrillic)
        func reject(_ reason: RejectionReason, hint: String? = nil) -> Verdict {
            // A text that names a topic or promises details is told what is missing about it.
            let hint = hint ?? (reason == .noDescription
                ? Hints.missing(
                    subject: analysis.subject, several: analysis.severalSubjects, promised: analysis.promises > 0,
                    in: language)
                : Hints.text(for: reason, in: language))
            return .rejected(Rejection(reason: reason, hint: hint, contentWords: analysis.contentWords))
        }
        if let reason = analysis.rejectionReason { return reject(reason) }
        guard !rule.requires.isEmpty || !rule.suggests.isEmpty else {
            return .accepted(Acceptance(contentWords: analysis.contentWords, words: analysis.words))
        }

        // The category's form: what it requires rejects, what it suggests is asked for in the hint.
        let words = FormElements.Words(text)
        func has(_ element: CategoryRules.Element) -> Bool {
            analysis.has(element)
                || FormElements.has(element, in: words, context: context, faults: analysis.faults, numbers: analysis.numbers)
        }
        let formLanguage = FormElements.Language.of(locale: locale, textIsCyrillic: analysis.cyrillic)
        let lexiconHints = formLanguage == .english || formLanguage == .russian
        let required = rule.requires.filter { !has($0) }
        if !required.isEmpty {
            // English and Russian keep their fuller sentence for a missing name.
            if required == [.namedPlayer] && lexiconHints { return reject(.missingPlayer) }
            let reason: RejectionReason = required.contains(.namedPlayer) ? .missingPlayer : .missingDetail
            return reject(reason, hint: FormElements.hint(missing: required, required: true, in: formLanguage))
        }
        let suggested = rule.suggests.filter { !has($0) }
        guard !suggested.isEmpty else {
            return .accepted(Acceptance(contentWords: analysis.contentWords, words: analysis.words))
        }
        let single: String? = switch suggested {
        case [.reference]: "add_reference"
        case [.namedPlayer]: "name_player"
        default: nil
        }
        let hint = single.flatMap { lexiconHints ? Hints.text(forAdvice: $0, in: language) : nil }
            ?? FormElements.hint(missing: suggested, required: false, in: formLanguage)
        return .accepted(Acceptance(
            contentWords: analysis.contentWords, words: analysis.words, advice: single ?? "add_details", hint: hint))
    }

    /// What a player's reply means: a bare acknowledgement ("thanks, it worked") or something to act on.
    public func replyIntent(_ text: String) -> ReplyIntent {
        let analysis = self.analyze(text)
        if analysis.closures > 0 && analysis.letterContent + analysis.faults < 3 { return .acknowledgement }
        return analysis.rejectionReason == nil ? .substance : .acknowledgement
    }

    /// How alike two requests are, 0 to 1: the Jaccard index of their content words. Two requests of one player
    /// in one category at 0.5 or more describe the same problem.
    public func similarity(_ a: String, _ b: String) -> Double {
        self.similarity(self.contentWords(of: a), b)
    }

    /// The similarity of a text whose content words are known (`contentWords(of:)`) to another text: comparing one
    /// new request with several open ones reads it once.
    public func similarity(_ words: ContentWords, _ other: String) -> Double {
        self.similarity(words, self.contentWords(of: other))
    }

    /// The words of a text that describe something, as compared by `similarity`.
    public struct ContentWords: Sendable, Equatable {
        /// Distinct word hashes, ascending: comparisons merge two sorted lists instead of building sets (the
        /// duplicate check runs inside the writer's transaction, where set operations showed at 7% under load).
        fileprivate let hashes: [UInt64]

        /// A compact, stable form to store beside the text (sorted 64-bit word hashes), so that comparing a new
        /// request with a stored one reads the stored one's words instead of its text.
        public var fingerprint: Data {
            var data = Data(capacity: self.hashes.count * 8)
            for hash in self.hashes { withUnsafeBytes(of: hash.littleEndian) { data.append(contentsOf: $0) } }
            return data
        }

        public init?(fingerprint: Data) {
            guard fingerprint.count % 8 == 0 else { return nil }
            var hashes: [UInt64] = []
            hashes.reserveCapacity(fingerprint.count / 8)
            fingerprint.withUnsafeBytes { raw in
                for offset in stride(from: 0, to: raw.count, by: 8) {
                    hashes.append(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
                }
            }
            // Stored fingerprints are sorted and distinct; one that is not is normalised rather than trusted (a
            // sorted one passes through the sort cheaply).
            self.init(hashes: hashes)
        }

        /// From word hashes in any order, repeats included: an array and a sort cost less than a set per check.
        fileprivate init(hashes: [UInt64]) {
            var sorted = hashes
            sorted.sort()
            var distinct = 0
            for hash in sorted where distinct == 0 || sorted[distinct - 1] != hash {
                sorted[distinct] = hash
                distinct += 1
            }
            sorted.removeLast(sorted.count - distinct)
            self.hashes = sorted
        }

        /// How many distinct words.
        public var count: Int { self.hashes.count }
    }

    /// Jaccard similarity of two sets of content words, 0...1.
    public func similarity(_ words: ContentWords, _ other: ContentWords) -> Double {
        guard !words.hashes.isEmpty || !other.hashes.isEmpty else { return 0 }
        let common = self.common(words, other)
        return Double(common) / Double(words.hashes.count + other.hashes.count - common)
    }

    /// `similarity(_:_:)` to a stored fingerprint (`ContentWords.fingerprint`), read where its bytes lie; nil when
    /// they are no sorted, distinct list of hashes (`ContentWords(fingerprint:)` then normalises them). The
    /// duplicate check compares a new request with up to ten stored ones inside SQLite's writer transaction, and
    /// decoding each into an array of its own was 2.2% of gmqd's CPU under load (perf, 256 connections).
    public func similarity(_ words: ContentWords, toFingerprint fingerprint: Data) -> Double? {
        guard fingerprint.count % 8 == 0 else { return nil }
        return fingerprint.withUnsafeBytes { raw -> Double? in
            let count = raw.count / 8
            func hash(_ index: Int) -> UInt64 {
                UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self))
            }
            for index in stride(from: 1, to: count, by: 1) where hash(index - 1) >= hash(index) { return nil }
            guard !words.hashes.isEmpty || count > 0 else { return 0 }
            let common = Self.common(words.hashes, count, hash)
            return Double(common) / Double(words.hashes.count + count - common)
        }
    }

    /// How many content words two sets share.
    public func common(_ words: ContentWords, _ other: ContentWords) -> Int {
        Self.common(words.hashes, other.hashes.count) { other.hashes[$0] }
    }

    /// How many hashes sorted `a` shares with a sorted list of `count` hashes read by `b`: one merge of the two.
    private static func common(_ a: [UInt64], _ count: Int, _ b: (Int) -> UInt64) -> Int {
        var i = 0
        var j = 0
        var common = 0
        while i < a.count && j < count {
            let next = b(j)
            if a[i] == next {
                common += 1
                i += 1
                j += 1
            } else if a[i] < next {
                i += 1
            } else {
                j += 1
            }
        }
        return common
    }

    public func contentWords(of text: String) -> ContentWords {
        ContentWords(hashes: self.contentWordHashes(text))
    }

    /// The similarity at or above which a new request repeats an open one.
    public static let duplicateSimilarity = 0.5

    // MARK: Analysis

    /// What the check counted in a text.
    struct Analysis {
        var tokens = 0
        /// Distinct words with letters that no word list claims (names, places, deeds), and reference words.
        var letterContent = 0
        /// Distinct words that say what is wrong (stuck, lost, cannot).
        var faults = 0
        /// Distinct words that name where a problem is (quest, item, account).
        var topics = 0
        var numbers = 0
        var mash = 0
        var filler = 0
        var singleLetters = 0
        var callsForContact = 0
        /// Words that address staff or ask for contact (not greetings or pleas).
        var contactRequests = 0
        var vague = 0
        var promises = 0
        var closures = 0
        var distinctTokens = 0
        var namedPlayer = false
        var reference = false
        var cyrillic = false
        var visible = false
        /// What the topic words name: the one subject, or `.none` for none or several.
        var subject = Subject.none
        /// Topic words of two subjects or more ("quest, item, character").
        var severalSubjects = false
        /// Latin words read as Russian in Latin letters, and Latin grammar words: which reading the text wants.
        var transliterated = 0
        var latinFunction = 0
        /// The text's content words (`contentWords(of:)`), read in the same pass when asked for.
        var words: ContentWords?

        /// What says what is wrong: faults, unclaimed words, a number or code.
        var signals: Int { self.letterContent + self.faults + min(self.numbers, 1) }

        var contentWords: Int { self.letterContent + self.faults + self.topics + self.numbers }

        /// Whether the check's own reading found `element` (a name, a reference); the others are `FormElements`'.
        func has(_ element: CategoryRules.Element) -> Bool {
            switch element {
            case .namedPlayer: self.namedPlayer
            case .reference: self.reference
            case .steps, .outcome, .expected, .place: false
            }
        }

        /// Whether the text says what happened to what: two signals, or one beside a topic; a text that promises
        /// details needs two whatever its topic ("found an exploit in a dungeon, I'll explain"). A long text (20
        /// words or more) needs three, and a fault or a number among them or one signal in six words: courtesy
        /// leaves stray words no list claims ("reaching out for some guidance"), thinly spread, while a long real
        /// request says what broke or names many things (every long request of the corpora does).
        var describes: Bool {
            // "Contact me and I will explain": a promise of details with a call for contact must carry the
            // details itself, a fault, a number or a name among three signals ("I saw a hacker in the arena").
            if self.promises > 0 && self.contactRequests > 0 {
                return self.signals >= 3 && (self.faults > 0 || self.numbers > 0 || self.namedPlayer)
            }
            guard self.tokens >= SubstantiveCheck.longText else {
                return self.signals >= SubstantiveCheck.minimumContentWords
                    || (self.signals >= 1 && self.topics >= 1 && self.promises == 0)
            }
            // Long: three signals, and either a fault or a number among them, or one signal in six words.
            let strong = self.faults > 0 || self.numbers > 0
            return self.signals >= 3 && (strong || self.signals * 6 >= self.tokens)
        }

        /// Nil when the text describes something.
        var rejectionReason: RejectionReason? {
            if self.tokens == 0 { return self.visible ? .gibberish : .tooShort }
            let noise = self.mash + self.filler
            if self.describes && noise * 2 < self.tokens { return nil }
            let spelledOut = self.singleLetters >= 3 ? self.singleLetters : 0
            if noise + spelledOut > 0 && (noise + spelledOut) * 2 >= self.tokens - self.callsForContact {
                return .gibberish
            }
            if self.tokens >= 4 && self.distinctTokens * 3 <= self.tokens { return .repetition }
            if self.tokens <= 2 && self.callsForContact == 0 && self.topics == 0 { return .tooShort }
            if self.vague > 0 || self.topics > 0 || self.promises > 0 { return .noDescription }
            if self.callsForContact > 0 { return .contactOnly }
            return self.tokens <= 2 ? .tooShort : .noDescription
        }
    }

    /// Capacity of the scratch tables for distinct words; a text with more distinct words than this has plenty.
    private static let scratchCapacity = 64

    /// Described words (signals and topics) after which the rest of a text cannot change an acceptance: more
    /// words can add noise, but a text that already describes something with six words is not undone by padding
    /// after them.
    static let settledContentWords = 6

    /// Counts what `text` holds. Scanning stops once the verdict is settled and every element in `needing` was
    /// found, which keeps long texts cheap. A Latin-letter text whose unclaimed words read as Russian more than
    /// its grammar reads as a Latin-script language is counted again as Russian in Latin letters.
    ///
    /// `collectingContentWords`: the same pass also reads the text's content words (`contentWords(of:)`), which
    /// the scan then continues for after the verdict settled. A submission needs both: on `gmq-load`'s requests as
    /// bug reports one pass took 25–31 µs against 32–41 µs for the check and a second pass (`gmq-bench-check`).
    func analyze(_ text: String, needing: [CategoryRules.Element] = [], collectingContentWords: Bool = false)
        -> Analysis
    {
        let (foldable, visible) = ScalarFolding.survey(text)
        let normalized = foldable ? text : ScalarFolding.normalizeSlowly(text)
        let analysis = self.analyze(
            normalized: normalized, visible: visible, needing: needing, transliterated: false,
            collecting: collectingContentWords)
        // Two Russian readings outweighing the Latin grammar, or in a short text with no Latin grammar one.
        let russian = analysis.transliterated > analysis.latinFunction
            && (analysis.transliterated >= 2 || (analysis.latinFunction == 0 && analysis.tokens <= 3))
        guard !analysis.cyrillic, analysis.transliterated > 0, russian else { return analysis }
        var reread = self.analyze(
            normalized: normalized, visible: visible, needing: needing, transliterated: true, collecting: false)
        reread.words = analysis.words
        return reread
    }

    private func analyze(
        normalized: String, visible: Bool, needing: [CategoryRules.Element], transliterated: Bool, collecting: Bool
    ) -> Analysis {
        var analysis = Analysis()
        analysis.visible = visible
        var words: [UInt64] = []
        if collecting { words.reserveCapacity(Self.scratchCapacity) }
        /// Once the verdict is settled, a scan that collects content words reads on for them alone.
        var settled = false
        var subjects: UInt16 = 0  // a bit per subject: no set to allocate per check
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: Self.scratchCapacity * 2) { scratch in
            let content = UnsafeMutableBufferPointer(rebasing: scratch[0..<Self.scratchCapacity])
            let all = UnsafeMutableBufferPointer(rebasing: scratch[Self.scratchCapacity...])
            var distinctContent = 0
            var distinctAll = 0
            var overflowed = false
            var afterPlayerWord = false
            var afterReferenceWord = false
            /// Adds a described word once; false when it was counted already.
            func described(_ key: UInt64) -> Bool {
                guard !content[0..<distinctContent].contains(key), distinctContent < Self.scratchCapacity else {
                    return false
                }
                content[distinctContent] = key
                distinctContent += 1
                return true
            }
            func collect(_ token: borrowing Token, _ entry: WordEntry?) {
                if Self.isContentWord(token, entry) { words.append(token.collapsedHash.value) }
            }
            Tokenizer.forEachToken(in: normalized, lexicon: self.lexicon) { token in
                if settled {
                    collect(token, self.lexicon.classify(token))
                    return true
                }
                if analysis.letterContent + analysis.faults + analysis.topics >= Self.settledContentWords
                    && analysis.describes && (analysis.mash + analysis.filler) * 2 < analysis.tokens
                    && needing.allSatisfy({ analysis.has($0) })
                {
                    guard collecting else { return false }
                    settled = true
                    collect(token, self.lexicon.classify(token))
                    return true
                }
                analysis.tokens += 1
                if token.allCyrillic { analysis.cyrillic = true }
                let key = token.collapsedHash.value
                if !overflowed && !all[0..<distinctAll].contains(key) {
                    if distinctAll < Self.scratchCapacity {
                        all[distinctAll] = key
                        distinctAll += 1
                    } else {
                        overflowed = true
                    }
                }
                if token.isNumber {
                    if collecting { collect(token, self.lexicon.classify(token)) }
                    if token.length >= 2 { analysis.numbers += 1 }
                    if token.length >= 4 || afterReferenceWord { analysis.reference = true }
                    return true
                }
                // A quoted message is the player's evidence ('character not found'): its words count as they are.
                var entry = token.quoted ? nil : self.lexicon.classify(token)
                if collecting { collect(token, token.quoted ? self.lexicon.classify(token) : entry) }
                // Reading a word as Russian costs a skeleton and a few look-ups: skipped once the Latin grammar
                // words are too many for the text to be read as Russian.
                if entry == nil, !token.quoted, token.allLatin, token.length > 1,
                    transliterated || analysis.latinFunction <= analysis.transliterated + 2
                {
                    if let russian = self.lexicon.classifyTransliterated(token) {
                        analysis.transliterated += 1
                        if transliterated { entry = russian }
                    }
                } else if entry?.wordClass == .function, token.allLatin {
                    analysis.latinFunction += 1
                }
                if token.length == 1 {
                    // "в", "a", "y" are words; other lone letters are a word spelled out ("h e l p").
                    if entry == nil { analysis.singleLetters += 1 }
                    return true
                }
                switch entry?.wordClass {
                case .player?:
                    afterPlayerWord = true
                    return true
                case .reference?:
                    afterReferenceWord = true
                    if described(key) { analysis.letterContent += 1 }
                    return true
                case .fault?:
                    if described(key) { analysis.faults += 1 }
                case .topic?:
                    if described(key) {
                        analysis.topics += 1
                        subjects |= 1 << UInt16(entry!.subject.rawValue)
                    }
                case .filler?:
                    analysis.filler += 1
                case .closure?:
                    analysis.closures += 1
                case .vague?:
                    analysis.vague += 1
                case .promise?:
                    analysis.promises += 1
                case .function?:
                    break
                case let contactLike? where contactLike.callsForContact:
                    analysis.callsForContact += 1
                    if contactLike == .contact || contactLike == .staff { analysis.contactRequests += 1 }
                case nil:
                    if Self.isMash(token) {
                        analysis.mash += 1
                    } else {
                        if afterPlayerWord || (token.looksLikeName && !token.startsSentence) || token.digits > 0 {
                            analysis.namedPlayer = true
                        }
                        if token.digits >= 4 { analysis.reference = true }  // "ORD12345", "0x0000132"
                        afterPlayerWord = false
                        if described(key) { analysis.letterContent += 1 }
                    }
                case .some:
                    break
                }
                return true
            }
            analysis.distinctTokens = overflowed ? Int.max / 4 : distinctAll
        }
        if collecting { analysis.words = ContentWords(hashes: words) }
        subjects &= ~(1 << UInt16(Subject.none.rawValue))
        analysis.subject = subjects.nonzeroBitCount == 1
            ? Subject(rawValue: UInt8(subjects.trailingZeroBitCount)) ?? .none : .none
        analysis.severalSubjects = subjects.nonzeroBitCount > 1
        return analysis
    }

    /// Keyboard mash: one key held, a few keys hammered, a word with no vowel, or keys in a row along a keyboard.
    static func isMash(_ token: Token) -> Bool {
        guard token.digits == 0 else { return false }
        if token.length >= 4 && token.distinct == 1 { return true }
        if token.length >= 6 && token.distinct <= 3 { return true }
        if token.length >= 5 && (token.allLatin || token.allCyrillic) && !token.hasVowel { return true }
        return token.safeKeyRun >= 4 || token.wordyKeyRun >= 5
    }

    /// The hashes of `text`'s content words, repeats included.
    private func contentWordHashes(_ text: String) -> [UInt64] {
        let normalized = ScalarFolding.survey(text).tableFoldable ? text : ScalarFolding.normalizeSlowly(text)
        var words: [UInt64] = []
        Tokenizer.forEachToken(in: normalized, lexicon: self.lexicon) { token in
            if Self.isContentWord(token, self.lexicon.classify(token)) { words.append(token.collapsedHash.value) }
            return true
        }
        return words
    }

    /// The words that tell one problem from another: unclaimed ones, references, faults and topics, not mash;
    /// `entry` is the lexicon's reading of `token` as it stands.
    private static func isContentWord(_ token: borrowing Token, _ entry: WordEntry?) -> Bool {
        guard token.length > 1 else { return false }
        return switch entry?.wordClass {
        case nil, .reference?, .fault?, .topic?: !Self.isMash(token)
        default: false
        }
    }
}

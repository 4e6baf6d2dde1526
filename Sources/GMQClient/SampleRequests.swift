import Synchronization

/// Varied, substantive requests for load and crash tests: request `n` describes something, and no two of one
/// player's requests are alike enough to be merged as repeats: each carries six made-up names unique to `n`, so two
/// requests share at most the seven words of thing, event and place (Jaccard ≤ 7/19, below the 0.5 that merges).
public enum SampleRequests {
    public static func text(_ n: Int) -> String {
        let syllables = ["ka", "lor", "min", "tes", "vu", "rad", "bel", "nor", "qui", "zen"]
        // Every digit of k spelled as a syllable: distinct numbers give distinct names.
        func name(_ k: Int) -> String { String(k).map { syllables[Int(String($0))!] }.joined() }
        let things = ["mount", "hearthstone", "guild bank tab", "quest item", "battle pet", "mail", "auction bid"]
        let places = ["Ironforge", "Orgrimmar", "Westfall", "Tanaris", "Dalaran", "Stormwind", "Booty Bay", "Silithus"]
        let events = ["vanished after", "was duplicated during", "reset at", "was lost in", "froze during"]
        return "My \(things[n % things.count]) from \(name(n)) \(events[n % events.count]) the \(name(n * 7 + 1)) event "
            + "with \(name(n * 13 + 5)) and \(name(n * 17 + 3)) near \(places[n % places.count]), seen by "
            + "\(name(n * 19 + 7)) and \(name(n * 23 + 11))"
    }

    /// The next request number, shared by concurrent submitters (the benchmarks').
    public final class Counter: Sendable {
        private let value = Mutex(0)

        public init() {}

        public func take(below limit: Int) -> Int? {
            self.value.withLock { value in
                guard value < limit else { return nil }
                defer { value += 1 }
                return value
            }
        }
    }
}

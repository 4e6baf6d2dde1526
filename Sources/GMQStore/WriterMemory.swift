import Foundation
import GMQCore
import Synchronization

/// What SQLite's writer remembers of what it wrote, so that it need not read it back: the global chain's head and
/// the fingerprints of tickets it stored. Both are facts that never change once committed (an event's links, a
/// ticket's fingerprint), so memory can stand in for a read, provided it follows the transactions: what a
/// transaction adds is pending until its COMMIT, dropped by its ROLLBACK, and a savepoint rolled back takes back
/// what was added since it began (`mark`, `restore`). The group committer drives it; only the writer thread uses it.
///
/// Why: in a DWARF profile of `gmq-bench-store` (256 submitters), reading the chain's head for every event was 5%
/// of the writer's samples, and the duplicate check's reads of its ten candidates' rows (for their fingerprints)
/// 13%.
final class WriterMemory: Sendable {
    /// Fingerprints kept at most: two generations of half as many, the older dropped when the newer is full.
    /// About 200 bytes each (a 136-byte fingerprint and its slot).
    static let fingerprintCapacity = 65_536

    /// Where a savepoint began, to go back to.
    struct Mark {
        fileprivate var head: EventChain.Link?
        fileprivate var fingerprints: Int
    }

    private struct State {
        /// The head as of the last commit (or as read), nil until known.
        var head: EventChain.Link?
        /// The head after the current transaction's appends, nil before its first.
        var pendingHead: EventChain.Link?
        var recent: [Int64: Data] = [:]
        var older: [Int64: Data] = [:]
        /// Fingerprints stored by the current transaction, in order.
        var pending: [(id: Int64, fingerprint: Data)] = []
    }

    private let state = Mutex(State())

    /// The chain's head as the current transaction sees it; nil when not known (read it, then `knowHead`).
    var head: EventChain.Link? { self.state.withLock { $0.pendingHead ?? $0.head } }

    /// The head read from the database, before this transaction appended anything.
    func knowHead(_ head: EventChain.Link) {
        self.state.withLock { $0.head = head }
    }

    /// The current transaction appended an event with these links.
    func appended(_ link: EventChain.Link) {
        self.state.withLock { $0.pendingHead = link }
    }

    /// Forgets the head (another connection wrote events): the next append reads it again.
    func forgetHead() {
        self.state.withLock {
            $0.head = nil
            $0.pendingHead = nil
        }
    }

    /// The fingerprint stored with ticket `id`, if remembered.
    func fingerprint(of id: Int64) -> Data? {
        self.state.withLock { state in
            state.pending.last { $0.id == id }?.fingerprint ?? state.recent[id] ?? state.older[id]
        }
    }

    /// The current transaction stored ticket `id` with `fingerprint`.
    func stored(_ fingerprint: Data, of id: Int64) {
        self.state.withLock { $0.pending.append((id, fingerprint)) }
    }

    /// Committed fingerprints remembered now.
    var rememberedFingerprints: Int { self.state.withLock { $0.recent.count + $0.older.count } }

    func mark() -> Mark {
        self.state.withLock { Mark(head: $0.pendingHead, fingerprints: $0.pending.count) }
    }

    /// The savepoint begun at `mark` was rolled back.
    func restore(_ mark: Mark) {
        self.state.withLock {
            $0.pendingHead = mark.head
            $0.pending.removeSubrange(mark.fingerprints...)
        }
    }

    /// The current transaction committed: what it added is now fact.
    func committed() {
        self.state.withLock { state in
            if let head = state.pendingHead { state.head = head }
            state.pendingHead = nil
            for (id, fingerprint) in state.pending {
                if state.recent.count >= Self.fingerprintCapacity / 2 {
                    state.older = state.recent
                    state.recent = [:]
                }
                state.recent[id] = fingerprint
            }
            state.pending = []
        }
    }

    /// The current transaction was rolled back (or its COMMIT failed): what it added never happened.
    func rolledBack() {
        self.state.withLock {
            $0.pendingHead = nil
            $0.pending = []
        }
    }
}

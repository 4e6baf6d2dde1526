import Foundation
import GMQCore
import GRDB
import Synchronization

/// What SQLite's writer remembers of what it wrote, so that it need not read it back: the global chain's head and
/// the fingerprints of tickets it stored; and the counters its new tickets move, written once per transaction.
/// The head and the fingerprints are facts that never change once committed (an event's links, a ticket's
/// fingerprint), so memory can stand in for a read, provided it follows the transactions: what a transaction adds
/// is pending until its COMMIT, dropped by its ROLLBACK, and a savepoint rolled back takes back what was added since
/// it began (`mark`, `restore`). The group committer drives it; only the writer thread uses it.
///
/// Why: in a DWARF profile of `gmq-bench-store` (256 submitters), reading the chain's head for every event was 5%
/// of the writer's samples, and the duplicate check's reads of its ten candidates' rows (for their fingerprints)
/// 13%. The counters of open tickets per category and per player were kept by triggers on every INSERT, which
/// also made each INSERT keep a statement journal; without them `gmq-bench-store` ran 12–35% faster.
final class WriterMemory: Sendable {
    /// Where a savepoint began, to go back to.
    struct Mark {
        fileprivate var head: EventChain.Link?
        fileprivate var fingerprints: Int
        fileprivate var inserted: Int
    }

    private struct State {
        /// The head as of the last commit (or as read), nil until known.
        var head: EventChain.Link?
        /// The head after the current transaction's appends, nil before its first.
        var pendingHead: EventChain.Link?
        var remembered = FingerprintRing()
        /// Fingerprints stored by the current transaction, in order.
        var pending: [(id: Int64, fingerprint: Data)] = []
        /// Tickets the current transaction inserted: their player, and their category if they wait in its queue.
        var inserted: [(player: Int64, queue: String?)] = []
    }

    private let state = Mutex(State())

    /// The chain's head as the current transaction sees it; nil when not known (read it, then `knowHead`).
    var head: EventChain.Link? { self.state.withLock { $0.pendingHead ?? $0.head } }

    /// The head as read from the database inside the current transaction (which may hold events of its own): known
    /// beyond it only once it commits.
    func knowHead(_ head: EventChain.Link) {
        self.state.withLock { $0.pendingHead = head }
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
            state.pending.last { $0.id == id }?.fingerprint ?? state.remembered.fingerprint(of: id)
        }
    }

    /// The current transaction stored ticket `id` with `fingerprint`.
    func stored(_ fingerprint: Data, of id: Int64) {
        self.state.withLock { $0.pending.append((id, fingerprint)) }
    }

    /// Committed fingerprints remembered now.
    var rememberedFingerprints: Int { self.state.withLock { $0.remembered.count } }

    func mark() -> Mark {
        self.state.withLock { Mark(head: $0.pendingHead, fingerprints: $0.pending.count, inserted: $0.inserted.count) }
    }

    /// The savepoint begun at `mark` was rolled back.
    func restore(_ mark: Mark) {
        self.state.withLock {
            $0.pendingHead = mark.head
            $0.pending.removeSubrange(mark.fingerprints...)
            $0.inserted.removeSubrange(mark.inserted...)
        }
    }

    /// The current transaction committed: what it added is now fact.
    func committed() {
        self.state.withLock { state in
            if let head = state.pendingHead { state.head = head }
            state.pendingHead = nil
            for (id, fingerprint) in state.pending { state.remembered.insert(fingerprint, of: id) }
            state.pending = []
            state.inserted = []
        }
    }

    /// The current transaction was rolled back (or its COMMIT failed): what it added never happened.
    func rolledBack() {
        self.state.withLock {
            $0.pendingHead = nil
            $0.pending = []
            $0.inserted = []
        }
    }

    // MARK: Counters

    /// The current transaction inserted an open ticket of `player`, waiting in `queue`'s queue unless nil (linked to
    /// an incident, say): what the triggers before v22 counted.
    func inserted(player: Int64, queue: String?) {
        self.state.withLock { $0.inserted.append((player, queue)) }
    }

    /// What the current transaction adds to `category`'s queue depth and to `player`'s open tickets, not yet
    /// written: a read of either counter inside the transaction adds these.
    func pending(queue category: String) -> Int {
        self.state.withLock { $0.inserted.count { $0.queue == category } }
    }

    func pending(player: Int64) -> Int {
        self.state.withLock { $0.inserted.count { $0.player == player } }
    }

    /// Writes the current transaction's counter changes, one statement per category and per player, at its end.
    func writeCounters(_ db: Database) throws {
        let inserted = self.state.withLock { state in
            defer { state.inserted = [] }
            return state.inserted
        }
        guard !inserted.isEmpty else { return }
        var queues: [String: Int] = [:]
        var players: [Int64: Int] = [:]
        for ticket in inserted {
            players[ticket.player, default: 0] += 1
            if let queue = ticket.queue { queues[queue, default: 0] += 1 }
        }
        let depth = try db.cachedStatement(sql: "UPDATE queue_depth SET open = open + ? WHERE category = ?")
        for (category, count) in queues { try depth.execute(arguments: [count, category]) }
        let open = try db.cachedStatement(sql: """
            INSERT INTO open_tickets_by_player (player_id, open) VALUES (?, ?)
                ON CONFLICT (player_id) DO UPDATE SET open = open + excluded.open
            """)
        for (player, count) in players { try open.execute(arguments: [player, count]) }
    }
}

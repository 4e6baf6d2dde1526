import Crypto
import Foundation

/// Tamper evidence for the append-only history (issue "GM console" §7). Every event is linked twice:
/// - to the previous event of its ticket: `hash = SHA-256(previous hash of the ticket ‖ the event's fields)`;
/// - into one global chain of all events in the order they were written:
///   `chain_hash = SHA-256(previous chain_hash ‖ chain_seq ‖ hash)`.
/// Editing any stored field, deleting or inserting an event breaks a link that `verify` names. Definition v1:
/// fields are encoded as big-endian integers and u32-length-prefixed UTF-8, in the order of `fieldBytes`.
public enum EventChain {
    /// The links stored with one event.
    public struct Link: Sendable, Equatable {
        public var chainSeq: Int64
        public var previousHash: Data
        public var hash: Data
        public var chainHash: Data

        public init(chainSeq: Int64, previousHash: Data, hash: Data, chainHash: Data) {
            self.chainSeq = chainSeq
            self.previousHash = previousHash
            self.hash = hash
            self.chainHash = chainHash
        }

        /// The chain's head as a store keeps it: the last position and its chain hash.
        public static func head(chainSeq: Int64, chainHash: Data) -> Link {
            Link(chainSeq: chainSeq, previousHash: Data(), hash: Data(), chainHash: chainHash)
        }

        /// Before the first event: sequence 0, hashes of zeros.
        public static let genesis = Link(
            chainSeq: 0, previousHash: Self.zero, hash: Self.zero, chainHash: Self.zero)
        static let zero = Data(repeating: 0, count: 32)
    }

    /// The links of `event`, given the hash of its ticket's previous event (nil for the first) and the chain head.
    public static func link(_ event: TicketEvent, previousInTicket: Data?, head: Link) -> Link {
        let previous = previousInTicket ?? Link.zero
        var hasher = SHA256()
        hasher.update(data: previous)
        self.withFieldBytes(event) { hasher.update(bufferPointer: $0) }
        let hash = Data(hasher.finalize())
        let chainSeq = head.chainSeq + 1
        var chain = SHA256()
        chain.update(data: head.chainHash)
        withUnsafeBytes(of: chainSeq.bigEndian) { chain.update(bufferPointer: $0) }
        chain.update(data: hash)
        return Link(chainSeq: chainSeq, previousHash: previous, hash: hash, chainHash: Data(chain.finalize()))
    }

    public static func fieldBytes(_ event: TicketEvent) -> Data { self.withFieldBytes(event) { Data($0) } }

    /// `event`'s fields encoded (definition v1) into one buffer of their exact size, lent to `body`. SQLite's writer
    /// links every event it appends; appending each field to a `Data` was half of `link`'s 2.8% of gmqd's CPU under
    /// load (perf, 256 connections, closed loop).
    static func withFieldBytes<T>(_ event: TicketEvent, _ body: (UnsafeRawBufferPointer) -> T) -> T {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(
            4 * 8 + 4 * 4 + event.kind.rawValue.utf8.count + event.actorName.utf8.count
                + event.actorRole.rawValue.utf8.count + event.text.utf8.count)
        func integer(_ value: Int64) { withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) } }
        func string(_ value: String) {
            withUnsafeBytes(of: UInt32(value.utf8.count).bigEndian) { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: value.utf8)
        }
        integer(event.ticketID)
        integer(event.seq)
        string(event.kind.rawValue)
        integer(event.actorID)
        string(event.actorName)
        string(event.actorRole.rawValue)
        integer(event.at)
        string(event.text)
        return bytes.withUnsafeBytes(body)
    }

    /// Checks stored events link by link, fed in two passes by any store: every event ordered by ticket and
    /// sequence (`checkTicketOrder`), then every event in chain order (`checkChainOrder`), then `finish`. Streaming,
    /// so that a store can verify millions of events from a cursor.
    public struct Verifier: Sendable {
        private var count = 0
        private var currentTicket: Int64 = -1
        private var expectedSeq: Int64 = 1
        private var previous: Data?
        private var head = Link.genesis
        private var chained = 0

        public init() {}

        private func broken(_ event: TicketEvent, _ reason: String, head: Data = Data()) -> Verification {
            Verification(
                events: self.count, head: head,
                broken: BrokenLink(ticketID: event.ticketID, seq: event.seq, chainSeq: event.chainSeq, reason: reason))
        }

        /// Per ticket: sequence numbers 1, 2, … without gaps, each linked to the one before. A failed verification
        /// names the first broken link.
        public mutating func checkTicketOrder(_ event: TicketEvent) -> Verification? {
            self.count += 1
            if event.ticketID != self.currentTicket {
                self.currentTicket = event.ticketID
                self.expectedSeq = 1
                self.previous = nil
            }
            if event.seq != self.expectedSeq {
                return self.broken(
                    event, "event \(self.expectedSeq) of ticket \(event.ticketID) is missing (next stored is \(event.seq))")
            }
            let recomputed = EventChain.link(event, previousInTicket: self.previous, head: .genesis)
            if event.previousHash != recomputed.previousHash {
                return self.broken(
                    event, "its link to the ticket's previous event does not match: an event before it was changed or removed")
            }
            if event.hash != recomputed.hash {
                return self.broken(event, "its stored fields do not match its hash: the event was edited")
            }
            self.previous = event.hash
            self.expectedSeq += 1
            return nil
        }

        /// Events checked in their tickets and not yet in the global chain because an engine links them after
        /// their commit (PostgreSQL's chainer): counted as chained, so `finish()` does not report them outside it.
        public mutating func awaitingLink(_ count: Int) {
            self.chained += count
        }

        /// Globally: chain_seq 1, 2, … in order, each chain hash over the one before.
        public mutating func checkChainOrder(_ event: TicketEvent) -> Verification? {
            self.chained += 1
            guard let chainSeq = event.chainSeq, let hash = event.hash else {
                return self.broken(
                    event, "the event is outside the chain (no chain position): it was inserted directly",
                    head: self.head.chainHash)
            }
            if chainSeq != self.head.chainSeq + 1 {
                return self.broken(
                    event, "chain position \(self.head.chainSeq + 1) is missing (next stored is \(chainSeq)): an event was removed",
                    head: self.head.chainHash)
            }
            var expected = self.head
            expected.chainSeq = chainSeq - 1
            let link = EventChain.link(event, previousInTicket: event.previousHash, head: expected)
            if link.hash != hash || event.chainHash != link.chainHash {
                return self.broken(
                    event, "its global chain hash does not match: the event or one before it was changed",
                    head: self.head.chainHash)
            }
            self.head = link
            return nil
        }

        /// After both passes.
        public func finish() -> Verification {
            let outside = self.count - self.chained
            if outside != 0 {
                return Verification(
                    events: self.count, head: self.head.chainHash,
                    broken: BrokenLink(
                        ticketID: 0, seq: 0, chainSeq: nil,
                        reason: outside == 1
                            ? "1 event is outside the global chain" : "\(outside) events are outside the global chain"))
            }
            return Verification(events: self.count, head: self.head.chainHash, broken: nil)
        }
    }

    /// The result of checking every stored event.
    public struct Verification: Sendable, Equatable {
        public var events: Int
        /// The global chain's last hash: write it down to detect later truncation of the log.
        public var head: Data
        /// The first link that does not hold, or nil when the whole chain is intact.
        public var broken: BrokenLink?
    }

    public struct BrokenLink: Sendable, Equatable {
        public var ticketID: Int64
        public var seq: Int64
        public var chainSeq: Int64?
        public var reason: String
    }
}

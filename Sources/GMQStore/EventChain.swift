import Crypto
import Foundation
import GMQCore

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

        /// Before the first event: sequence 0, hashes of zeros.
        public static let genesis = Link(
            chainSeq: 0, previousHash: Self.zero, hash: Self.zero, chainHash: Self.zero)
        static let zero = Data(repeating: 0, count: 32)
    }

    /// The links of `event`, given the hash of its ticket's previous event (nil for the first) and the chain head.
    public static func link(_ event: EventRecord, previousInTicket: Data?, head: Link) -> Link {
        let previous = previousInTicket ?? Link.zero
        var hasher = SHA256()
        hasher.update(data: previous)
        hasher.update(data: self.fieldBytes(event))
        let hash = Data(hasher.finalize())
        let chainSeq = head.chainSeq + 1
        var chain = SHA256()
        chain.update(data: head.chainHash)
        chain.update(data: withUnsafeBytes(of: chainSeq.bigEndian) { Data($0) })
        chain.update(data: hash)
        return Link(chainSeq: chainSeq, previousHash: previous, hash: hash, chainHash: Data(chain.finalize()))
    }

    static func fieldBytes(_ event: EventRecord) -> Data {
        var data = Data()
        func integer(_ value: Int64) { withUnsafeBytes(of: value.bigEndian) { data.append(contentsOf: $0) } }
        func string(_ value: String) {
            withUnsafeBytes(of: UInt32(value.utf8.count).bigEndian) { data.append(contentsOf: $0) }
            data.append(contentsOf: value.utf8)
        }
        integer(event.ticketID)
        integer(event.seq)
        string(event.kind.rawValue)
        integer(event.actorID)
        string(event.actorName)
        string(event.actorRole.rawValue)
        integer(event.at)
        string(event.text)
        return data
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

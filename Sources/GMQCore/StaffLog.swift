import Crypto
import Foundation

/// What staff did outside tickets: accounts, roles, keys, macros, categories (issue 11 §3). Stored by raw value.
public enum StaffLogAction: String, Sendable, CaseIterable {
    case staffAdded = "staff_added"
    case staffDisabled = "staff_disabled"
    case staffEnabled = "staff_enabled"
    case keyRotated = "key_rotated"
    case staffChanged = "staff_changed"
    case macroSaved = "macro_saved"
    case macroRemoved = "macro_removed"
    case categoryAdded = "category_added"
    case playerBanned = "player_banned"
    case playerUnbanned = "player_unbanned"
    case incidentOpened = "incident_opened"
    case incidentClosed = "incident_closed"
    case incidentAnswered = "incident_answered"
    case incidentLinked = "incident_linked"
    case articleSaved = "article_saved"
    case articleRemoved = "article_removed"
}

/// One entry of the staff action log: append-only and hash-chained like ticket events, in one chain of its own.
public struct StaffLogEntry: Sendable, Equatable {
    /// 1, 2, … in the order entries were written.
    public var seq: Int64
    public var at: Int64
    /// Who did it: a staff account's name, or `operator:<user>` for `gmqd` run on the server's host.
    public var actor: String
    public var action: StaffLogAction
    /// What it was done to: an account's name, a macro's name, a category id.
    public var target: String
    public var detail: String
    public var previousHash: Data
    public var hash: Data

    public init(
        seq: Int64, at: Int64, actor: String, action: StaffLogAction, target: String, detail: String,
        previousHash: Data = Data(), hash: Data = Data()
    ) {
        self.seq = seq
        self.at = at
        self.actor = actor
        self.action = action
        self.target = target
        self.detail = detail
        self.previousHash = previousHash
        self.hash = hash
    }
}

/// Which log entries to show: by actor (case-insensitive), from a time, before a sequence number (the next
/// page), newest first.
public struct StaffLogFilter: Sendable, Equatable {
    public var actor: String?
    public var since: Int64?
    public var before: Int64?
    public var limit: Int

    public init(actor: String? = nil, since: Int64? = nil, before: Int64? = nil, limit: Int = 100) {
        self.actor = actor
        self.since = since
        self.before = before
        self.limit = limit
    }
}

/// The staff log's links: `hash = SHA-256(previous hash ‖ fields)`, the first entry's previous hash 32 zeros;
/// fields as in `EventChain` (big-endian integers, u32-length-prefixed UTF-8) in the order of `fieldBytes`.
/// Editing, removing or inserting an entry breaks a link that the verifier names.
public enum StaffLog {
    public static let genesis = Data(repeating: 0, count: 32)

    /// The actor of what `gmqd` does on the server's host (a shell there is the operator's authority):
    /// `operator:<login name>`.
    public static var localOperator: String {
        "operator:" + (ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "unknown")
    }

    /// `entry` with its links, written after the entry whose hash is `previous` (nil for the first).
    public static func linked(_ entry: StaffLogEntry, after previous: Data?) -> StaffLogEntry {
        var linked = entry
        linked.previousHash = previous ?? self.genesis
        var hasher = SHA256()
        hasher.update(data: linked.previousHash)
        hasher.update(data: self.fieldBytes(entry))
        linked.hash = Data(hasher.finalize())
        return linked
    }

    public static func fieldBytes(_ entry: StaffLogEntry) -> Data {
        var data = Data()
        func integer(_ value: Int64) { withUnsafeBytes(of: value.bigEndian) { data.append(contentsOf: $0) } }
        func string(_ value: String) {
            withUnsafeBytes(of: UInt32(value.utf8.count).bigEndian) { data.append(contentsOf: $0) }
            data.append(contentsOf: value.utf8)
        }
        integer(entry.seq)
        integer(entry.at)
        string(entry.actor)
        string(entry.action.rawValue)
        string(entry.target)
        string(entry.detail)
        return data
    }

    /// Checks stored entries in sequence order, streaming.
    public struct Verifier: Sendable {
        private var count = 0
        private var previous: Data?

        public init() {}

        /// Nil while the log holds; else the first broken link.
        public mutating func check(_ entry: StaffLogEntry) -> Verification? {
            self.count += 1
            if entry.seq != Int64(self.count) {
                return self.broken(entry, "staff log entry \(self.count) is missing (next stored is \(entry.seq)): an entry was removed")
            }
            let expected = StaffLog.linked(entry, after: self.previous)
            if entry.previousHash != expected.previousHash {
                return self.broken(entry, "its link to the previous staff log entry does not match: an entry before it was changed or removed")
            }
            if entry.hash != expected.hash {
                return self.broken(entry, "its stored fields do not match its hash: the staff log entry was edited")
            }
            self.previous = entry.hash
            return nil
        }

        public func finish() -> Verification {
            Verification(entries: self.count, head: self.previous ?? StaffLog.genesis, broken: nil)
        }

        private func broken(_ entry: StaffLogEntry, _ reason: String) -> Verification {
            Verification(entries: self.count, head: Data(), broken: (seq: entry.seq, reason: reason))
        }
    }

    public struct Verification: Sendable, Equatable {
        public var entries: Int
        /// The last entry's hash (32 zeros for an empty log; empty when a link is broken).
        public var head: Data
        public var broken: (seq: Int64, reason: String)?

        public init(entries: Int, head: Data, broken: (seq: Int64, reason: String)?) {
            self.entries = entries
            self.head = head
            self.broken = broken
        }

        public static func == (lhs: Self, rhs: Self) -> Bool {
            lhs.entries == rhs.entries && lhs.head == rhs.head && lhs.broken?.seq == rhs.broken?.seq
                && lhs.broken?.reason == rhs.broken?.reason
        }
    }
}

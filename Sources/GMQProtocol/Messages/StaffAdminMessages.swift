import NIOCore

/// An account's standing on the wire (PROTOCOL.md §5.18).
public enum StaffState: UInt8, Sendable, CaseIterable {
    case active = 1
    case disabled = 2
    case expired = 3
}

/// What STAFF_CHANGE does (PROTOCOL.md §5.18).
public enum StaffChangeAction: UInt8, Sendable, CaseIterable {
    case add = 1
    case disable = 2
    case enable = 3
    case rotateKey = 4
    case set = 5
}

/// STAFF_CHANGE's `expiry`: leave it, no expiry, or `expires_at`.
public enum StaffExpiryChoice: UInt8, Sendable, CaseIterable {
    case unchanged = 0
    case never = 1
    case at = 2
}

/// One staff account as STAFF_ACCOUNTS and STAFF_CHANGED carry it; never its key.
public struct StaffAccountEntry: WireValue {
    public var id: UInt64
    public var name: String
    public var role: SessionRole
    /// Empty: every category.
    public var categories: [String]
    public var state: StaffState
    public var createdAt: Int64
    /// 0: the key never expires.
    public var expiresAt: Int64

    public init(
        id: UInt64, name: String, role: SessionRole, categories: [String], state: StaffState, createdAt: Int64,
        expiresAt: Int64
    ) {
        self.id = id
        self.name = name
        self.role = role
        self.categories = categories
        self.state = state
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.id, endianness: .big)
        buffer.writeWireString(self.name)
        buffer.writeInteger(self.role.rawValue)
        buffer.writeWireList(self.categories) { category, buffer in buffer.writeWireString(category) }
        buffer.writeInteger(self.state.rawValue)
        buffer.writeInteger(self.createdAt, endianness: .big)
        buffer.writeInteger(self.expiresAt, endianness: .big)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        let name = ProtocolLimits.maximumNameBytes
        return Self(
            id: try buffer.readWire(UInt64.self, field: "id"),
            name: try buffer.readWireString(field: "name", maximumBytes: name),
            role: try buffer.readWireEnum(SessionRole.self, field: "role"),
            categories: try buffer.readWireList(field: "categories") { buffer throws(WireDecodingError) in
                try buffer.readWireString(field: "categories", maximumBytes: name)
            },
            state: try buffer.readWireEnum(StaffState.self, field: "state"),
            createdAt: try buffer.readWire(Int64.self, field: "created_at"),
            expiresAt: try buffer.readWire(Int64.self, field: "expires_at"))
    }
}

/// STAFF_LIST: every staff account, by name; admins (PROTOCOL.md §5.18). Answered by STAFF_ACCOUNTS.
public struct StaffList: WireMessage {
    public static let messageType = MessageType.staffList
    public init() {}
    public func encode(into buffer: inout ByteBuffer) {}
    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self { Self() }
}

/// STAFF_ACCOUNTS: the accounts STAFF_LIST asked for.
public struct StaffAccounts: WireMessage {
    public static let messageType = MessageType.staffAccounts
    public var accounts: [StaffAccountEntry]

    public init(accounts: [StaffAccountEntry]) { self.accounts = accounts }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireList(self.accounts) { account, buffer in account.encode(into: &buffer) }
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(accounts: try buffer.readWireList(field: "accounts") { buffer throws(WireDecodingError) in
            try StaffAccountEntry.decode(from: &buffer)
        })
    }
}

/// STAFF_CHANGE: add an account, disable, enable, rotate its key or set its role, categories and expiry; admins
/// (PROTOCOL.md §5.18). Answered by STAFF_CHANGED.
public struct StaffChangeRequest: WireMessage {
    public static let messageType = MessageType.staffChange
    public var action: StaffChangeAction
    public var name: String
    /// nil (0 on the wire): unchanged; `add` needs one.
    public var role: SessionRole?
    /// Whether `categories` replaces the account's (an empty list: every category).
    public var setCategories: Bool
    public var categories: [String]
    public var expiry: StaffExpiryChoice
    /// The key's expiry when `expiry` is `at`; otherwise 0.
    public var expiresAt: Int64

    public init(
        action: StaffChangeAction, name: String, role: SessionRole? = nil, setCategories: Bool = false,
        categories: [String] = [], expiry: StaffExpiryChoice = .unchanged, expiresAt: Int64 = 0
    ) {
        self.action = action
        self.name = name
        self.role = role
        self.setCategories = setCategories
        self.categories = categories
        self.expiry = expiry
        self.expiresAt = expiresAt
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.action.rawValue)
        buffer.writeWireString(self.name)
        buffer.writeInteger(self.role?.rawValue ?? 0)
        buffer.writeWireBool(self.setCategories)
        buffer.writeWireList(self.categories) { category, buffer in buffer.writeWireString(category) }
        buffer.writeInteger(self.expiry.rawValue)
        buffer.writeInteger(self.expiresAt, endianness: .big)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        let maximum = ProtocolLimits.maximumNameBytes
        let action = try buffer.readWireEnum(StaffChangeAction.self, field: "action")
        let name = try buffer.readWireString(field: "name", maximumBytes: maximum)
        let rawRole = try buffer.readWire(UInt8.self, field: "role")
        // 0 leaves the role; a staff session's roles only (player is not one).
        guard rawRole == 0 || (rawRole >= SessionRole.gm.rawValue && SessionRole(rawValue: rawRole) != nil) else {
            throw .invalidValue(field: "role", value: UInt64(rawRole))
        }
        return Self(
            action: action, name: name, role: rawRole == 0 ? nil : SessionRole(rawValue: rawRole),
            setCategories: try buffer.readWireBool(field: "set_categories"),
            categories: try buffer.readWireList(field: "categories") { buffer throws(WireDecodingError) in
                try buffer.readWireString(field: "categories", maximumBytes: maximum)
            },
            expiry: try buffer.readWireEnum(StaffExpiryChoice.self, field: "expiry"),
            expiresAt: try buffer.readWire(Int64.self, field: "expires_at"))
    }
}

/// STAFF_CHANGED: the account after the change, its new key (add, rotate_key: shown this once; else empty), and
/// how many claimed tickets went back to the queue.
public struct StaffChanged: WireMessage {
    public static let messageType = MessageType.staffChanged
    public var account: StaffAccountEntry
    public var key: String
    public var released: UInt32

    public init(account: StaffAccountEntry, key: String = "", released: UInt32 = 0) {
        self.account = account
        self.key = key
        self.released = released
    }

    public func encode(into buffer: inout ByteBuffer) {
        self.account.encode(into: &buffer)
        buffer.writeWireString(self.key)
        buffer.writeInteger(self.released, endianness: .big)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            account: try StaffAccountEntry.decode(from: &buffer),
            key: try buffer.readWireString(field: "key", maximumBytes: ProtocolLimits.maximumCredentialBytes),
            released: try buffer.readWire(UInt32.self, field: "released"))
    }
}

/// STAFF_LOG: the staff action log, newest first; moderators and admins (PROTOCOL.md §5.18). Answered by
/// STAFF_LOG_PAGE.
public struct StaffLogRequest: WireMessage {
    public static let messageType = MessageType.staffLog
    /// Empty: any actor (case-insensitive otherwise).
    public var actor: String
    /// 0: from the start.
    public var since: Int64
    /// Only entries before this sequence number (0: from the newest): STAFF_LOG_PAGE's `next_before`.
    public var before: UInt64
    /// 0: the default page of 100.
    public var limit: UInt16

    public init(actor: String = "", since: Int64 = 0, before: UInt64 = 0, limit: UInt16 = 0) {
        self.actor = actor
        self.since = since
        self.before = before
        self.limit = limit
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(self.actor)
        buffer.writeInteger(self.since, endianness: .big)
        buffer.writeInteger(self.before, endianness: .big)
        buffer.writeInteger(self.limit, endianness: .big)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            actor: try buffer.readWireString(field: "actor", maximumBytes: ProtocolLimits.maximumNameBytes + 16),
            since: try buffer.readWire(Int64.self, field: "since"),
            before: try buffer.readWire(UInt64.self, field: "before"),
            limit: try buffer.readWire(UInt16.self, field: "limit"))
    }
}

/// STAFF_LOG_PAGE: entries newest first, and where the next page starts (0: no more).
public struct StaffLogPage: WireMessage {
    public static let messageType = MessageType.staffLogPage

    public struct Entry: Sendable, Equatable {
        public var seq: UInt64
        public var at: Int64
        public var actor: String
        /// A §7 staff action name: `staff_added`, `macro_saved`, …
        public var action: String
        public var target: String
        public var detail: String

        public init(seq: UInt64, at: Int64, actor: String, action: String, target: String, detail: String) {
            self.seq = seq
            self.at = at
            self.actor = actor
            self.action = action
            self.target = target
            self.detail = detail
        }
    }

    public var entries: [Entry]
    public var nextBefore: UInt64

    public init(entries: [Entry], nextBefore: UInt64) {
        self.entries = entries
        self.nextBefore = nextBefore
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireList(self.entries) { entry, buffer in
            buffer.writeInteger(entry.seq, endianness: .big)
            buffer.writeInteger(entry.at, endianness: .big)
            buffer.writeWireString(entry.actor)
            buffer.writeWireString(entry.action)
            buffer.writeWireString(entry.target)
            buffer.writeWireString(entry.detail)
        }
        buffer.writeInteger(self.nextBefore, endianness: .big)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        let name = ProtocolLimits.maximumNameBytes
        return Self(
            entries: try buffer.readWireList(field: "entries") { buffer throws(WireDecodingError) in
                Entry(
                    seq: try buffer.readWire(UInt64.self, field: "seq"),
                    at: try buffer.readWire(Int64.self, field: "at"),
                    actor: try buffer.readWireString(field: "actor", maximumBytes: name + 16),
                    action: try buffer.readWireString(field: "action", maximumBytes: name),
                    target: try buffer.readWireString(field: "target", maximumBytes: name),
                    detail: try buffer.readWireString(field: "detail", maximumBytes: ProtocolLimits.maximumDetailBytes))
            },
            nextBefore: try buffer.readWire(UInt64.self, field: "next_before"))
    }
}

/// STAFF_LOG_VERIFY: check the staff log's hash chain (PROTOCOL.md §5.18). Answered by STAFF_LOG_VERIFIED.
public struct StaffLogVerify: WireMessage {
    public static let messageType = MessageType.staffLogVerify
    public init() {}
    public func encode(into buffer: inout ByteBuffer) {}
    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self { Self() }
}

/// STAFF_LOG_VERIFIED: how many entries were checked, the last hash, and the first broken link if any.
public struct StaffLogVerified: WireMessage {
    public static let messageType = MessageType.staffLogVerified
    public var entries: UInt64
    /// The last entry's hash, 32 bytes (32 zeros for an empty log; empty when a link is broken).
    public var head: [UInt8]
    public var intact: Bool
    /// The first broken entry; 0 when intact.
    public var seq: UInt64
    public var reason: String

    public init(entries: UInt64, head: [UInt8], intact: Bool, seq: UInt64 = 0, reason: String = "") {
        self.entries = entries
        self.head = head
        self.intact = intact
        self.seq = seq
        self.reason = reason
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.entries, endianness: .big)
        buffer.writeInteger(UInt8(self.head.count))
        buffer.writeBytes(self.head)
        buffer.writeWireBool(self.intact)
        buffer.writeInteger(self.seq, endianness: .big)
        buffer.writeWireString(self.reason)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        let entries = try buffer.readWire(UInt64.self, field: "entries")
        let count = try buffer.readWire(UInt8.self, field: "head")
        guard count == 0 || count == 32 else { throw .invalidValue(field: "head", value: UInt64(count)) }
        guard let head = buffer.readBytes(length: Int(count)) else { throw .truncated(field: "head") }
        return Self(
            entries: entries, head: head, intact: try buffer.readWireBool(field: "intact"),
            seq: try buffer.readWire(UInt64.self, field: "seq"),
            reason: try buffer.readWireString(field: "reason", maximumBytes: ProtocolLimits.maximumTextBytes))
    }
}

import Foundation
import GMQCore
import GMQProtocol

import Logging
import Synchronization

/// Why a staff session may not go on (issue 11 §2): the account was disabled, its key expired or was replaced.
/// The ERROR's text is written here once, for HELLO, for a request and for the push before a session is closed.
enum StaffRevocation: Error, Equatable {
    case disabled(name: String)
    case expired(name: String, at: Int64)
    case keyReplaced(name: String)
    case removed

    /// The account's standing for a session opened with the key hashing to `keyHash`: nil while it may go on.
    static func check(_ account: StaffAccount?, keyHash: String, now: Int64) -> StaffRevocation? {
        guard let account else { return .removed }
        switch account.standing(at: now) {
        case .disabled: return .disabled(name: account.name)
        case .expired(let at): return .expired(name: account.name, at: at)
        case .active: return account.keyHash == keyHash ? nil : .keyReplaced(name: account.name)
        }
    }

    var error: ErrorMessage {
        switch self {
        case .disabled(let name):
            ErrorMessage(.credentialRevoked, "the staff account \(name) is disabled; ask an admin to enable it")
        case .expired(let name, let at):
            ErrorMessage(
                .credentialExpired,
                "the key of \(name) expired at \(Date(milliseconds: at).formatted(.iso8601)); ask an admin for a "
                    + "new expiry or key (staff set \(name) --expires, staff rotate-key \(name))")
        case .keyReplaced(let name):
            ErrorMessage(
                .credentialRevoked, "the key of \(name) was replaced; connect with the new key an admin gave you")
        case .removed:
            ErrorMessage(.credentialRevoked, "this staff account no longer exists; ask an admin for an account")
        }
    }
}

/// The staff sessions open on this node, so that a revoked key's sessions can be closed at once.
final class StaffSessions: Sendable {
    struct Entry: Sendable {
        var staffID: Int64
        var keyHash: String
        /// Writes the ERROR push and closes the connection.
        var revoke: @Sendable (ErrorMessage) -> Void
        /// Writes a push to the session (REMINDER).
        var push: @Sendable (Message) -> Void = { _ in }
        /// The session's protocol version.
        var version: UInt16 = 2
    }

    /// The staff connected to this node with a session of protocol version 2 or later: those a REMINDER reaches.
    var reachableStaffIDs: Set<Int64> {
        self.entries.withLock { Set($0.open.values.filter { $0.version >= 2 }.map(\.staffID)) }
    }

    /// Writes `push` to every session of `staffID` on this node.
    func push(_ push: Message, to staffID: Int64) {
        for entry in self.entries.withLock({ Array($0.open.values) }) where entry.staffID == staffID { entry.push(push) }
    }

    private let entries = Mutex<(next: UInt64, open: [UInt64: Entry])>((0, [:]))

    func register(_ entry: Entry) -> UInt64 {
        self.entries.withLock { entries in
            entries.next += 1
            entries.open[entries.next] = entry
            return entries.next
        }
    }

    func unregister(_ token: UInt64) { _ = self.entries.withLock { $0.open.removeValue(forKey: token) } }

    var open: [UInt64: Entry] { self.entries.withLock { $0.open } }
}

/// Keeps the ban and incident caches fresh, and staff sessions and claims in line with the accounts, every `interval` and right after an admin's change
/// on this node: a session whose account was disabled, whose key expired or was replaced (by any node, or by
/// `gmqd staff` on the host) is told why and closed; claims of an account that lost access go back to the queue.
/// After an account changed elsewhere, connected players' pending notifications are pushed again, since the
/// release may have been written by a process that has no sessions (the outbox writes each one once).
final class StaffGuard: Sendable {
    let interval: Duration
    let context: ServerContext
    /// Each account's standing and key as last seen; nil before the first pass.
    private let seen = Mutex<[Int64: String]?>(nil)

    init(interval: Duration, context: ServerContext) {
        self.interval = interval
        self.context = context
    }

    func run() async throws {
        while !Task.isCancelled {
            do {
                try await self.sweep()
            } catch {
                self.context.logger.error("staff account check failed", metadata: ["error": "\(error)"])
            }
            try await Task.sleep(for: self.interval)
        }
    }

    /// One pass; `madeHere` is true when this node made the change (its releases are already published).
    func sweep(madeHere: Bool = false) async throws {
        let now = self.context.now()
        let bans = self.context.bans.generation
        self.context.bans.replace(with: try await self.context.store.bans(activeAt: now.milliseconds), readAfter: bans)
        let incidents = self.context.incidents.generation
        self.context.incidents.replace(
            with: try await self.context.store.incidents(includingClosed: false), readAfter: incidents)
        let articles = self.context.articles.generation
        self.context.articles.replace(with: try await self.context.store.articles(), readAfter: articles)
        let accounts = try await self.context.store.staffAccounts()
        let byID = Dictionary(accounts.compactMap { account in account.id.map { ($0, account) } }) { first, _ in first }
        for (token, session) in self.context.staffSessions.open {
            guard let revocation = StaffRevocation.check(byID[session.staffID], keyHash: session.keyHash, now: now.milliseconds)
            else { continue }
            self.context.staffSessions.unregister(token)
            session.revoke(revocation.error)
            self.context.logger.notice(
                "staff session closed", metadata: ["staff.id": "\(session.staffID)", "reason": "\(revocation)"])
        }
        let current = byID.mapValues { "\($0.keyHash)|\($0.standing(at: now.milliseconds) == .active)" }
        let previous = self.seen.withLock { seen in
            defer { seen = current }
            return seen
        }
        guard previous != current else { return }
        let withoutAccess = Set(byID.values.filter { $0.standing(at: now.milliseconds) != .active }.compactMap(\.id))
        if !withoutAccess.isEmpty {
            for (ticketID, holder) in try await self.context.store.claims() where withoutAccess.contains(holder.id) {
                let action: StaffLogAction? = byID[holder.id]?.disabledAt != nil ? .staffDisabled : nil
                do {
                    let change = try await self.context.store.expireLease(
                        ticketID, holder: holder,
                        reason: StaffAdministration.releaseReason(holder: holder.name, because: action), at: now)
                    self.context.published(change)
                } catch StoreError.refused {
                    // Released or taken over meanwhile (another node's guard got there first).
                }
            }
        }
        if previous != nil, !madeHere { try await self.context.resendPending() }
    }
}

import Foundation
import GMQCore

import Logging
import Synchronization

/// When each staff member last did something and whether they are connected: what claim leases are judged by.
/// PINGs do not count as activity; requests do.
final class StaffPresence: Sendable {
    private struct Entry {
        var sessions = 0
        var lastActivity: Date
    }

    let started: Date
    private let entries = Mutex<[Int64: Entry]>([:])

    init(started: Date) { self.started = started }

    func connected(_ staffID: Int64, at now: Date) {
        self.entries.withLock { entries in
            entries[staffID, default: Entry(lastActivity: now)].sessions += 1
            entries[staffID]!.lastActivity = now
        }
    }

    func active(_ staffID: Int64, at now: Date) {
        self.entries.withLock { $0[staffID, default: Entry(lastActivity: now)].lastActivity = now }
    }

    func disconnected(_ staffID: Int64, at now: Date) {
        self.entries.withLock { entries in
            entries[staffID]?.sessions -= 1
            entries[staffID]?.lastActivity = now
        }
    }

    func state(of staffID: Int64) -> (lastActivity: Date?, connected: Bool) {
        self.entries.withLock { entries in
            (entries[staffID]?.lastActivity, (entries[staffID]?.sessions ?? 0) > 0)
        }
    }
}

/// Returns claimed tickets to the queue when their holder's lease ran out, every `interval`.
struct LeaseKeeper: Sendable {
    let lease: ClaimLease
    let interval: Duration
    let context: ServerContext

    func run() async throws {
        while !Task.isCancelled {
            try await Task.sleep(for: self.interval)
            do {
                try await self.sweep()
            } catch {
                self.context.logger.error("claim lease sweep failed", metadata: ["error": "\(error)"])
            }
        }
    }

    /// One pass: every claim whose holder has been away longer than the lease goes back to the queue.
    func sweep() async throws {
        let now = self.context.now()
        for (ticketID, holder) in try await self.context.store.claims() {
            let state = self.context.presence.state(of: holder.id)
            guard self.lease.hasExpired(lastActivity: state.lastActivity, serverStart: self.context.presence.started, now: now)
            else { continue }
            do {
                let change = try await self.context.store.expireLease(
                    ticketID, holder: holder, reason: self.lease.reason(holder: holder.name, connected: state.connected),
                    at: now)
                self.context.published(change)
                self.context.logger.notice(
                    "claim lease expired", metadata: ["ticket.id": "\(ticketID)", "staff.name": "\(holder.name)"])
            } catch StoreError.refused {
                // The holder acted on it or someone took it over meanwhile: nothing to do.
            }
        }
    }
}

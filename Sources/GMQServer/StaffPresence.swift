import Foundation
import GMQCore
import GMQProtocol

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

    /// Every staff member seen by this node since it started, as the store shares presence between nodes.
    var snapshot: [Int64: StaffPresenceEntry] {
        self.entries.withLock { entries in
            entries.mapValues { StaffPresenceEntry(lastActivity: $0.lastActivity, connected: $0.sessions > 0) }
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
    /// Runs `sweep` every `interval` until cancelled; a failed pass is logged and the next one runs.
    static func repeating(
        every interval: Duration, context: ServerContext, _ what: String, _ sweep: () async throws -> Void
    ) async throws {
        while !Task.isCancelled {
            try await Task.sleep(for: interval)
            do {
                try await sweep()
            } catch {
                context.logger.error("\(what) failed", metadata: ["error": "\(error)"])
            }
        }
    }

    let lease: ClaimLease
    let interval: Duration
    let context: ServerContext

    func run() async throws {
        try await Self.repeating(every: self.interval, context: self.context, "claim lease sweep") { try await self.sweep() }
    }

    /// One pass: every claim whose holder has been away longer than the lease goes back to the queue. Presence
    /// is every node's (`TicketStore.sharePresence`): a GM working on another node keeps their claims.
    func sweep() async throws {
        let now = self.context.now()
        let presence = try await self.context.store.sharePresence(
            node: self.context.node, local: self.context.presence.snapshot, at: now)
        for (ticketID, holder) in try await self.context.store.claims() {
            let state = presence[holder.id].map { (lastActivity: Optional($0.lastActivity), connected: $0.connected) }
                ?? (lastActivity: nil, connected: false)
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

/// Reminds and closes tickets that wait on a silent player (`StalePolicy`, per category in the SLA file), in the
/// holder's name, each step notified as any other. A category without a policy is left alone.
struct StaleKeeper: Sendable {
    let interval: Duration
    let context: ServerContext

    func run() async throws {
        try await LeaseKeeper.repeating(every: self.interval, context: self.context, "stale ticket sweep") {
            try await self.sweep()
        }
    }

    func sweep() async throws {
        let store = self.context.store
        let levels = store.serviceLevels
        guard levels.fallback.stale != nil || levels.categories.values.contains(where: { $0.stale != nil }) else { return }
        let now = self.context.now()
        for ticket in try await store.queue(categories: nil, states: [.waitingPlayer], holder: nil, limit: 1_000) {
            guard let policy = levels.target(for: ticket.category).stale, let holder = ticket.assignee else { continue }
            let last = try await store.history(of: ticket.id).last
            let command: TicketLifecycle.Command
            let text: String
            switch policy.action(for: ticket, last: last, now: now.milliseconds) {
            case .none: continue
            case .remind(let reminder): (command, text) = (.ask, reminder)
            case .close(let closing): (command, text) = (.close(.noResponse), closing)
            }
            do {
                let change = try await store.apply(command, to: ticket.id, as: Access(actor: holder), text: text, at: now)
                self.context.published(change)
                self.context.logger.notice(
                    "stale ticket \(command == .ask ? "reminded" : "closed")", metadata: ["ticket.id": "\(ticket.id)"])
            } catch StoreError.refused {
                // The player answered or the GM acted meanwhile: nothing to do.
            }
        }
    }
}

/// Wakes snoozed tickets whose time came (in the holder's name, like an expired lease: the holder's console is told
/// by QUEUE_CHANGED woke) and delivers due reminders to the GMs connected to this node, each once across nodes (the
/// store marks it delivered, and only the node that did pushes it); a GM connected nowhere, or only with version 1
/// sessions, gets theirs at the first sweep after they sign in with version 2.
struct SnoozeKeeper: Sendable {
    let interval: Duration
    let context: ServerContext

    func run() async throws {
        try await LeaseKeeper.repeating(every: self.interval, context: self.context, "snooze and reminder sweep") {
            try await self.sweep()
        }
    }

    func sweep() async throws {
        let store = self.context.store
        let now = self.context.now()
        for ticket in try await store.queue(categories: nil, states: [.snoozed], holder: nil, limit: 1_000) {
            guard let until = ticket.snoozedUntil, until <= now.milliseconds, let holder = ticket.assignee else { continue }
            do {
                let change = try await store.apply(
                    .wake, to: ticket.id, as: Access(actor: holder), text: SnoozeText.timeCame, at: now)
                self.context.published(change)
                self.context.logger.notice("snoozed ticket woke", metadata: ["ticket.id": "\(ticket.id)"])
            } catch StoreError.refused {
                // Its holder (or the player, or another node) took it back meanwhile.
            }
        }
        // A reminder waits for a session that can show it: version 1 has no REMINDER.
        let staff = self.context.staffSessions.reachableStaffIDs
        for reminder in try await store.dueReminders(for: Array(staff), at: now.milliseconds) {
            guard try await store.markDelivered(reminder: reminder.id, at: now.milliseconds) else { continue }
            self.context.staffSessions.push(
                .reminder(Reminder(
                    reminderID: UInt64(reminder.id), ticketID: UInt64(reminder.ticketID), at: reminder.due,
                    text: reminder.text)),
                to: reminder.staffID)
        }
    }
}

/// Delivers what other nodes committed (a shared store's change feed) to this node's sessions: a player's
/// notification to their live sessions, a ticket's change to watching consoles. Rows are read again by id; after
/// the feed may have missed something (`.resync`), every connected player's unacknowledged notifications are
/// pushed again (each session writes a notification once).
struct ChangeRelay: Sendable {
    let context: ServerContext

    func run() async {
        for await change in self.context.store.changes() {
            do {
                try await self.relay(change)
            } catch {
                self.context.logger.warning("could not relay a change from another node", metadata: ["error": "\(error)"])
            }
        }
    }

    private func relay(_ change: StoreChange) async throws {
        let hub = self.context.hub
        switch change {
        case .notification(let id, let player):
            guard hub.isSubscribed(player: player), let notification = try await self.context.store.notification(id),
                notification.ackedAt == nil
            else { return }
            hub.publish(notification)
        case .ticket(let id, let seq):
            guard hub.isWatched else { return }
            let ticket = try await self.context.store.ticket(id)
            guard let event = try await self.context.store.history(
                of: id, after: seq - 1, limit: 1, view: .staff
            ).events.first else { return }
            hub.publish(QueueChanged(
                kind: WireMapping.kind(event.kind), actorName: event.actorName, ticket: self.context.summary(ticket)))
        case .resync:
            try await self.context.resendPending()
        }
    }
}

import Foundation
import GMQCore
import GMQProtocol

import NIOCore
import Synchronization

/// Routes committed notifications to the sessions of the player they are for, on this node, and queue changes to
/// the staff sessions watching the queue (WATCH).
/// A player with no session here gets them from the outbox at their next WELCOME; nothing is lost either way.
final class NotificationHub: Sendable {
    private struct Subscribers {
        var next: UInt64 = 0
        var byPlayer: [Int64: [UInt64: Outbox]] = [:]
        /// Watching staff sessions and the categories they work (nil: all).
        var watchers: [UInt64: (categories: Set<String>?, outbox: Outbox)] = [:]
    }

    private let subscribers = Mutex(Subscribers())

    /// Registers a session; the returned token unregisters it.
    func subscribe(player: Int64, outbox: Outbox) -> UInt64 {
        self.subscribers.withLock { subscribers in
            subscribers.next += 1
            subscribers.byPlayer[player, default: [:]][subscribers.next] = outbox
            return subscribers.next
        }
    }

    func unsubscribe(player: Int64, token: UInt64) {
        self.subscribers.withLock { subscribers in
            subscribers.byPlayer[player]?[token] = nil
            if subscribers.byPlayer[player]?.isEmpty == true { subscribers.byPlayer[player] = nil }
        }
    }

    /// The players with a live session on this node.
    var subscribedPlayers: [Int64] { self.subscribers.withLock { Array($0.byPlayer.keys) } }

    func isSubscribed(player: Int64) -> Bool { self.subscribers.withLock { $0.byPlayer[player] != nil } }

    /// Pushes a committed notification to every live session of its player.
    func publish(_ notification: PlayerNotification) {
        let outboxes = self.subscribers.withLock { Array(($0.byPlayer[notification.playerID] ?? [:]).values) }
        guard !outboxes.isEmpty else { return }
        let push = WireMapping.push(notification)
        for outbox in outboxes { outbox.send(.notification(push), once: push.notificationID) }
    }

    /// Registers a staff session for QUEUE_CHANGED pushes of `categories` (nil: all); the token unregisters it.
    func watch(categories: [String]?, outbox: Outbox) -> UInt64 {
        self.subscribers.withLock { subscribers in
            subscribers.next += 1
            subscribers.watchers[subscribers.next] = (categories.map(Set.init), outbox)
            return subscribers.next
        }
    }

    func unwatch(token: UInt64) {
        _ = self.subscribers.withLock { $0.watchers.removeValue(forKey: token) }
    }

    /// Whether any staff session watches the queue: without one, changes need not be described at all.
    var isWatched: Bool { self.subscribers.withLock { !$0.watchers.isEmpty } }

    /// Tells watching staff that a ticket of their categories changed.
    func publish(_ change: QueueChanged) {
        let outboxes = self.subscribers.withLock { subscribers in
            subscribers.watchers.values.filter { $0.categories?.contains(change.ticket.category) ?? true }.map(\.outbox)
        }
        for outbox in outboxes { outbox.send(.queueChanged(change)) }
    }
}

/// One connection's pushes: held until WELCOME is written, then written straight to the channel, in order.
///
/// Written to the channel rather than drained by a task per connection: with 10,000 idle players that task and its
/// stream cost about 3 KB each (heaptrack). A notification reaches a fresh session twice at most (from the store at
/// WELCOME and live) and is written once. A connection that is not reading (its channel not writable) skips live
/// pushes instead of buffering them: they stay unacknowledged in the store and come again at the player's next
/// WELCOME, so nothing piles up in memory and nothing is lost.
final class Outbox: Sendable {
    private enum State {
        case holding([(Message, UInt64?)])
        case open
        case closed
    }

    private struct Inner {
        var state = State.holding([])
        var sent = Set<UInt64>()
        /// The session's protocol version: a version 1 client is sent nothing of what version 2 added.
        var version: UInt16 = 2
    }

    /// Set at HELLO.
    func speaks(_ version: UInt16) { self.inner.withLock { $0.version = version } }

    private let inner = Mutex(Inner())
    private let channel: any Channel
    private let metrics: ServerMetrics
    private let now: @Sendable () -> Date

    init(channel: any Channel, metrics: ServerMetrics, now: @escaping @Sendable () -> Date) {
        self.channel = channel
        self.metrics = metrics
        self.now = now
    }

    /// Sends `push` now if the session is open, or after WELCOME if it is not yet. A push with a `once` id is
    /// written at most once per session.
    func send(_ push: Message, once id: UInt64? = nil) {
        self.inner.withLock { inner in
            guard let push = inner.version < 2 ? WireDowngrade.forVersion1(push) : push else { return }
            switch inner.state {
            case .holding(var held):
                inner.state = .open  // releases `held`'s buffer so that appending does not copy it
                held.append((push, id))
                inner.state = .holding(held)
            case .open:
                self.write(push, id, &inner)
            case .closed:
                break
            }
        }
    }

    /// Called once WELCOME is written: writes what was held, then every later push as it comes.
    ///
    /// The held notifications leave in id order (the order they were committed for this player): a live one can
    /// arrive between the session's subscription and its read of the outbox, ahead of older ones the read finds
    /// (on a cluster, another node's change feed is late by its own delay).
    func open() {
        self.inner.withLock { inner in
            guard case .holding(var held) = inner.state else { return }
            inner.state = .open
            let slots = held.indices.filter { held[$0].1 != nil }
            let ordered = slots.map { held[$0] }.sorted { $0.1! < $1.1! }
            for (slot, item) in zip(slots, ordered) { held[slot] = item }
            for (push, id) in held { self.write(push, id, &inner) }
        }
    }

    /// Writes `error` as the session's last push (request id 0), then closes the connection: the server ends a
    /// session it may not continue (PROTOCOL.md §6, `credential_revoked`).
    func end(with error: ErrorMessage) {
        self.inner.withLock { inner in
            inner.state = .closed
            let channel = self.channel
            channel.writeAndFlush(Envelope(requestID: 0, message: .error(error))).whenComplete { _ in
                channel.close(promise: nil)
            }
        }
    }

    /// The session ended: nothing more is written.
    func close() {
        self.inner.withLock { $0.state = .closed }
    }

    /// Writes under the lock so that pushes leave in the order they were sent. `writeAndFlush` off the event loop
    /// only enqueues a task there, so no callback comes back into this lock.
    private func write(_ push: Message, _ id: UInt64?, _ inner: inout Inner) {
        guard self.channel.isWritable else { return }
        if let id, !inner.sent.insert(id).inserted { return }
        self.channel.writeAndFlush(Envelope(requestID: 0, message: push), promise: nil)
        if case .notification(let notification) = push {
            self.metrics.notificationDelivered(createdAt: notification.at, now: self.now())
        }
    }
}

import GMQProtocol
import GMQStore
import Synchronization

/// Routes committed notifications to the sessions of the player they are for, on this node.
/// A player with no session here gets them from the outbox at their next WELCOME; nothing is lost either way.
final class NotificationHub: Sendable {
    typealias Outbox = AsyncStream<NotificationPush>.Continuation

    private struct Subscribers {
        var next: UInt64 = 0
        var byPlayer: [Int64: [UInt64: Outbox]] = [:]
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

    /// Pushes a committed notification to every live session of its player.
    func publish(_ notification: NotificationRecord) {
        let outboxes = self.subscribers.withLock { Array(($0.byPlayer[notification.playerID] ?? [:]).values) }
        guard !outboxes.isEmpty else { return }
        let push = WireMapping.push(notification)
        for outbox in outboxes { outbox.yield(push) }
    }
}

import GMQProtocol
import GMQStore
import NIOCore
import Synchronization

/// Routes committed notifications to the sessions of the player they are for, on this node.
/// A player with no session here gets them from the outbox at their next WELCOME; nothing is lost either way.
final class NotificationHub: Sendable {
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
        for outbox in outboxes { outbox.send(push) }
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
        case holding([NotificationPush])
        case open
        case closed
    }

    private struct Inner {
        var state = State.holding([])
        var sent = Set<UInt64>()
    }

    private let inner = Mutex(Inner())
    private let channel: any Channel

    init(channel: any Channel) {
        self.channel = channel
    }

    /// Sends `push` now if the session is open, or after WELCOME if it is not yet.
    func send(_ push: NotificationPush) {
        self.inner.withLock { inner in
            switch inner.state {
            case .holding(var held):
                inner.state = .open  // releases `held`'s buffer so that appending does not copy it
                held.append(push)
                inner.state = .holding(held)
            case .open:
                self.write(push, &inner)
            case .closed:
                break
            }
        }
    }

    /// Called once WELCOME is written: writes what was held, then every later push as it comes.
    func open() {
        self.inner.withLock { inner in
            guard case .holding(let held) = inner.state else { return }
            inner.state = .open
            for push in held { self.write(push, &inner) }
        }
    }

    /// The session ended: nothing more is written.
    func close() {
        self.inner.withLock { $0.state = .closed }
    }

    /// Writes under the lock so that pushes leave in the order they were sent. `writeAndFlush` off the event loop
    /// only enqueues a task there, so no callback comes back into this lock.
    private func write(_ push: NotificationPush, _ inner: inout Inner) {
        guard self.channel.isWritable, inner.sent.insert(push.notificationID).inserted else { return }
        self.channel.writeAndFlush(Envelope(requestID: 0, message: .notification(push)), promise: nil)
    }
}

/// What a store reports about its group transactions, for the operator's metrics (issue 11 §5). Stores call it;
/// the server turns it into metrics. A value of closures, so that the engines need no metrics library.
public struct StoreMonitor: Sendable {
    /// One group transaction ended: its writes, how long it took in all, how long its COMMIT took (on SQLite the
    /// log's write and fsync; on PostgreSQL the round trip that waits for the server's WAL flush), and whether it
    /// failed.
    public var transaction: @Sendable (_ writes: Int, _ duration: Duration, _ commit: Duration, _ failed: Bool) -> Void

    public init(
        transaction: @escaping @Sendable (_ writes: Int, _ duration: Duration, _ commit: Duration, _ failed: Bool) -> Void
    ) {
        self.transaction = transaction
    }

    /// Reports nowhere.
    public static let none = StoreMonitor { _, _, _, _ in }
}

/// What an operator watches in the store, read now and then (issue 11 §5).
public struct StoreStatistics: Sendable, Equatable {
    /// A category's queue: tickets waiting for a GM (state open), and when the oldest of them was filed (ms).
    public struct Queue: Sendable, Equatable {
        public var category: String
        public var open: Int
        public var oldestOpenAt: Int64?

        public init(category: String, open: Int, oldestOpenAt: Int64?) {
            self.category = category
            self.open = open
            self.oldestOpenAt = oldestOpenAt
        }
    }

    /// Every category, empty queues included, by id.
    public var queues: [Queue]
    /// Notifications players have not acknowledged yet.
    public var pendingNotifications: Int

    public init(queues: [Queue], pendingNotifications: Int) {
        self.queues = queues
        self.pendingNotifications = pendingNotifications
    }
}

import CoreMetrics
import Foundation
import GMQCore
import GMQProtocol
import Synchronization

/// The operator's metrics (issue 11 §5), through swift-metrics and whatever factory `gmqd` bootstrapped
/// (Prometheus on `--metrics-port`). Every name and label set is written here once; `README.md` and
/// `Tools/grafana/gmqueue.json` use them. Metrics per request are cached, so that a request costs a dictionary
/// look-up under a lock, not a registration.
public final class ServerMetrics: Sendable {
    /// Metric names, as Prometheus shows them.
    public enum Name {
        public static let connections = "gmq_connections"
        public static let requests = "gmq_requests_total"
        public static let requestDuration = "gmq_request_duration_seconds"
        public static let submissions = "gmq_submissions_total"
        public static let queueDepth = "gmq_queue_depth"
        public static let oldestOpenAge = "gmq_queue_oldest_open_age_seconds"
        public static let claimDelay = "gmq_claim_delay_seconds"
        public static let firstResponseDelay = "gmq_first_response_delay_seconds"
        public static let notificationsPending = "gmq_notifications_pending"
        public static let notificationDelay = "gmq_notification_delivery_delay_seconds"
        public static let batchSize = "gmq_commit_batch_size"
        public static let transactionDuration = "gmq_commit_duration_seconds"
        public static let commitDuration = "gmq_fsync_duration_seconds"
        public static let storeErrors = "gmq_store_errors_total"

        public static let all = [
            connections, requests, requestDuration, submissions, queueDepth, oldestOpenAge, claimDelay,
            firstResponseDelay, notificationsPending, notificationDelay, batchSize, transactionDuration, commitDuration,
            storeErrors,
        ]
    }

    /// Histogram buckets that differ from a factory's defaults: waits for a GM run to hours, batches to 128.
    public static let durationBuckets: [String: [Duration]] = {
        let minutes: [Duration] = [1, 5, 15, 30, 60, 120, 300, 600, 900, 1_800, 3_600, 7_200, 14_400, 43_200, 86_400]
            .map { .seconds($0) }
        let milliseconds: [Duration] = [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1_024]
            .map { .microseconds(Int64($0 * 1_000)) }
        return [
            Name.claimDelay: minutes, Name.firstResponseDelay: minutes, Name.notificationDelay: [
                .milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .seconds(1), .seconds(10),
                .seconds(60), .seconds(600), .seconds(3_600), .seconds(86_400),
            ],
            Name.requestDuration: milliseconds, Name.transactionDuration: milliseconds, Name.commitDuration: milliseconds,
        ]
    }()
    public static let valueBuckets: [String: [Double]] = [Name.batchSize: [1, 2, 4, 8, 16, 32, 64, 128, 256]]

    private let factory: any MetricsFactory
    private let playerConnections: Meter
    private let staffConnections: Meter
    private let notificationsPending: Gauge
    private let notificationDelay: CoreMetrics.Timer
    private let batchSize: Recorder
    private let transactionDuration: CoreMetrics.Timer
    private let commitDuration: CoreMetrics.Timer
    private let failedBatches: Counter
    private let cache = Mutex(Cache())

    private struct Cache {
        var requests: [RequestKey: Counter] = [:]
        var durations: [UInt16: CoreMetrics.Timer] = [:]
        var submissions: [String: Counter] = [:]
        var storeErrors: [String: Counter] = [:]
        var byCategory: [String: (depth: Gauge, oldest: Gauge, claim: CoreMetrics.Timer, response: CoreMetrics.Timer)] = [:]
    }

    private struct RequestKey: Hashable {
        var type: UInt16
        var result: String
    }

    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
        self.playerConnections = Meter(label: Name.connections, dimensions: [("port", "player")], factory: factory)
        self.staffConnections = Meter(label: Name.connections, dimensions: [("port", "staff")], factory: factory)
        self.notificationsPending = Gauge(label: Name.notificationsPending, factory: factory)
        self.notificationDelay = CoreMetrics.Timer(label: Name.notificationDelay, factory: factory)
        self.batchSize = Recorder(label: Name.batchSize, factory: factory)
        self.transactionDuration = CoreMetrics.Timer(label: Name.transactionDuration, factory: factory)
        self.commitDuration = CoreMetrics.Timer(label: Name.commitDuration, factory: factory)
        self.failedBatches = Counter(label: Name.storeErrors, dimensions: [("operation", "batch")], factory: factory)
    }

    /// What a store reports, into these metrics.
    public var storeMonitor: StoreMonitor {
        StoreMonitor { writes, duration, commit, failed in
            self.batchSize.record(writes)
            self.transactionDuration.recordNanoseconds(Self.nanoseconds(duration))
            if failed {
                self.failedBatches.increment()
            } else {
                self.commitDuration.recordNanoseconds(Self.nanoseconds(commit))
            }
        }
    }

    // MARK: Connections and requests

    func connectionOpened(_ port: SessionState.Port) {
        (port == .player ? self.playerConnections : self.staffConnections).increment()
    }

    func connectionClosed(_ port: SessionState.Port) {
        (port == .player ? self.playerConnections : self.staffConnections).decrement()
    }

    /// A request of frame type `type` was answered with `response` after `duration`: counted by type and result
    /// (`ok`, `rejected`, or the ERROR's code name), and a SUBMIT also by outcome and reason.
    func answered(type: UInt16, response: Message, duration: Duration) {
        let result: String = switch response {
        case .error(let error): error.code.name
        case .rejected: "rejected"
        default: "ok"
        }
        let submission: String? = switch response {
        case .accepted(let accepted): accepted.merged ? "merged|none" : "accepted|none"
        case .rejected(let rejected): "rejected|" + rejected.reason
        default: nil
        }
        let (counter, timer, submitted) = self.cache.withLock { cache in
            let key = RequestKey(type: type, result: result)
            let counter = cache.requests[key] ?? {
                let counter = Counter(
                    label: Name.requests, dimensions: [("type", Self.typeName(type)), ("result", result)],
                    factory: self.factory)
                cache.requests[key] = counter
                return counter
            }()
            let timer = cache.durations[type] ?? {
                let timer = CoreMetrics.Timer(
                    label: Name.requestDuration, dimensions: [("type", Self.typeName(type))], factory: self.factory)
                cache.durations[type] = timer
                return timer
            }()
            let submitted = submission.map { key in
                cache.submissions[key] ?? {
                    let parts = key.split(separator: "|").map(String.init)
                    let counter = Counter(
                        label: Name.submissions, dimensions: [("outcome", parts[0]), ("reason", parts[1])],
                        factory: self.factory)
                    cache.submissions[key] = counter
                    return counter
                }()
            }
            return (counter, timer, submitted)
        }
        counter.increment()
        timer.recordNanoseconds(Self.nanoseconds(duration))
        submitted?.increment()
    }

    /// A request of `type` failed in the store (anything but a refusal the domain decided).
    func storeFailed(type: UInt16) {
        let name = Self.typeName(type)
        let counter = self.cache.withLock { cache in
            cache.storeErrors[name] ?? {
                let counter = Counter(label: Name.storeErrors, dimensions: [("operation", name)], factory: self.factory)
                cache.storeErrors[name] = counter
                return counter
            }()
        }
        counter.increment()
    }

    // MARK: Tickets

    /// After a step: a claim of a ticket no GM has responded to yet records how long it waited since it was filed;
    /// the step that gave a ticket its first response records that delay.
    func stepped(_ change: TicketChange) {
        let ticket = change.ticket
        let metrics = self.categoryMetrics(ticket.category)
        if change.event.kind == .claimed, ticket.firstResponseAt == nil {
            metrics.claim.recordMilliseconds(change.event.at - ticket.createdAt)
        }
        if let first = ticket.firstResponseAt, first == change.event.at,
            ServiceTimes.responses.contains(change.event.kind)
        {
            metrics.response.recordMilliseconds(first - ticket.createdAt)
        }
    }

    /// A notification written to a player's connection, `delay` after it was created.
    func notificationDelivered(createdAt: Int64, now: Date) {
        self.notificationDelay.recordMilliseconds(max(0, now.milliseconds - createdAt))
    }

    /// The store's figures, read now and then: queue depth and the oldest open ticket's age per category, and the
    /// notifications waiting for their player.
    func update(_ statistics: StoreStatistics, now: Date) {
        for queue in statistics.queues {
            let metrics = self.categoryMetrics(queue.category)
            metrics.depth.record(queue.open)
            metrics.oldest.record(queue.oldestOpenAt.map { Double(max(0, now.milliseconds - $0)) / 1000 } ?? 0)
        }
        self.notificationsPending.record(statistics.pendingNotifications)
    }

    private func categoryMetrics(_ category: String)
        -> (depth: Gauge, oldest: Gauge, claim: CoreMetrics.Timer, response: CoreMetrics.Timer)
    {
        self.cache.withLock { cache in
            if let metrics = cache.byCategory[category] { return metrics }
            let dimensions = [("category", category)]
            let metrics = (
                depth: Gauge(label: Name.queueDepth, dimensions: dimensions, factory: self.factory),
                oldest: Gauge(label: Name.oldestOpenAge, dimensions: dimensions, factory: self.factory),
                claim: CoreMetrics.Timer(label: Name.claimDelay, dimensions: dimensions, factory: self.factory),
                response: CoreMetrics.Timer(label: Name.firstResponseDelay, dimensions: dimensions, factory: self.factory)
            )
            cache.byCategory[category] = metrics
            return metrics
        }
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// The spec's name of a message type (`SUBMIT`), or its number for a type the server does not know.
    static func typeName(_ type: UInt16) -> String {
        MessageType(rawValue: type)?.specName ?? String(format: "0x%04x", type)
    }
}

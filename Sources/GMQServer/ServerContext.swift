import Foundation
import GMQCore
import GMQProtocol

import Logging
import Synchronization

/// What every session shares: storage, credentials, the text check, the hub and the wall clock. A class: each
/// session holds a reference, not a copy of these thirty fields (an idle player's memory, issue 14 §4).
final class ServerContext: Sendable {
    let store: any TicketStore
    /// This node's name among the nodes of a shared store.
    let node: String
    let signer: PlayerTokenSigner
    let check: SubstantiveCheck
    let hub: NotificationHub
    let presence: StaffPresence
    /// Open staff sessions, closed when their account loses access.
    let staffSessions: StaffSessions
    /// Per-player rate limits and cooldowns on the player port.
    let abuse: AbuseLimiter
    /// Help bans in force.
    let bans: BanCache
    /// Open incidents, which new requests are matched against.
    let incidents: IncidentCache
    /// The knowledge base, which previews are matched against.
    let articles: ArticleCache
    /// Attachment limits, and the memory uploads in progress may hold on this node.
    let attachmentLimits: AttachmentLimits
    let uploads: UploadBudget
    let waits: WaitEstimator
    /// Re-filing checks after submissions, read together.
    let refiling = RefilingChecks()
    /// The operator's metrics.
    let metrics: ServerMetrics
    /// Most tickets a player may have open at once.
    let openTicketLimit: Int
    /// Wall-clock time for stored timestamps and token expiry; tests pass a fixed one.
    let now: @Sendable () -> Date
    let logger: Logger

    init(
        store: any TicketStore, node: String, signer: PlayerTokenSigner, check: SubstantiveCheck,
        hub: NotificationHub, presence: StaffPresence, staffSessions: StaffSessions, abuse: AbuseLimiter,
        bans: BanCache, incidents: IncidentCache, articles: ArticleCache, attachmentLimits: AttachmentLimits,
        uploads: UploadBudget, waits: WaitEstimator, metrics: ServerMetrics, openTicketLimit: Int,
        now: @escaping @Sendable () -> Date, logger: Logger
    ) {
        self.store = store
        self.node = node
        self.signer = signer
        self.check = check
        self.hub = hub
        self.presence = presence
        self.staffSessions = staffSessions
        self.abuse = abuse
        self.bans = bans
        self.incidents = incidents
        self.articles = articles
        self.attachmentLimits = attachmentLimits
        self.uploads = uploads
        self.waits = waits
        self.metrics = metrics
        self.openTicketLimit = openTicketLimit
        self.now = now
        self.logger = logger
    }

    /// Pushes every connected player's unacknowledged notifications again (each session writes one once): after
    /// the change feed may have missed something, or another process wrote to the store.
    func resendPending() async throws {
        let players = self.hub.subscribedPlayers
        for start in stride(from: 0, to: players.count, by: 1_000) {
            let chunk = Array(players[start..<min(start + 1_000, players.count)])
            for notification in try await self.store.pendingNotifications(forPlayers: chunk) {
                self.hub.publish(notification)
            }
        }
    }

    /// After an account changed on this node: its sessions that may not go on are told why and closed.
    func enforce(_ account: StaffAccount) {
        for (token, session) in self.staffSessions.open where session.staffID == account.id {
            guard let revocation = StaffRevocation.check(account, keyHash: session.keyHash, now: self.now().milliseconds)
            else { continue }
            self.staffSessions.unregister(token)
            session.revoke(revocation.error)
        }
    }

    /// After a commit: the player's notification to their live sessions, the change to watching staff.
    func published(_ change: TicketChange) {
        if let notification = change.notification { self.hub.publish(notification) }
        // A first response changes the category's wait estimate: read it again at the next request.
        if change.ticket.firstResponseAt == change.event.at { self.waits.forget(category: change.ticket.category) }
        guard self.hub.isWatched else { return }
        self.hub.publish(QueueChanged(
            kind: WireMapping.kind(change.event.kind), actorName: change.event.actorName,
            ticket: self.summary(change.ticket)))
    }

    /// A ticket as the wire shows it: with its service state as of now, and for an open one its place in the queue
    /// and estimated wait when given.
    func summary(_ ticket: Ticket, position: Int = 0) -> TicketSummary {
        let clock = ServiceClock(target: self.store.serviceLevels.target(for: ticket.category))
        let overdue = ticket.state == .closed
            ? ticket.overdue : clock.isOverdue(ticket.serviceTimes, now: self.now().milliseconds)
        let waiting = ticket.state == .open && ticket.firstResponseAt == nil
        return WireMapping.summary(
            ticket, overdue: overdue, position: position,
            estimatedWait: waiting ? self.waits.cached(category: ticket.category) : 0)
    }
}

/// A new request's estimated wait: the median time to first response of the latest 50 answered tickets of its
/// category, refreshed at most every 30 s so that submissions do not query for it.
final class WaitEstimator: Sendable {
    private let store: any TicketStore
    private let now: @Sendable () -> Date
    private let entries = Mutex<[String: (at: ContinuousClock.Instant, seconds: UInt32)]>([:])
    static let refresh = Duration.seconds(30)

    init(store: any TicketStore, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.now = now
    }

    /// The estimate, refreshed from the store when stale; 0 when no ticket of the category was answered yet. The
    /// recent first responses' median is working time when the category's target counts working hours: a request
    /// filed after hours waits until they open again.
    func estimate(category: String) async -> UInt32 {
        let now = ContinuousClock.now
        if let entry = self.entries.withLock({ $0[category] }), now - entry.at < Self.refresh {
            return self.inWorkingTime(entry.seconds, category: category)
        }
        let delays = (try? await self.store.recentFirstResponseDelays(in: category)) ?? []
        // 0 on the wire means "no estimate" (PROTOCOL.md §5.4), so a known estimate is at least 1 s.
        let seconds = delays.isEmpty ? 0 : max(1, UInt32(clamping: delays.sorted()[delays.count / 2]))
        self.entries.withLock { $0[category] = (now, seconds) }
        return self.inWorkingTime(seconds, category: category)
    }

    private func inWorkingTime(_ seconds: UInt32, category: String) -> UInt32 {
        let working = self.store.serviceLevels.target(for: category).working
        guard seconds > 0, case .hours = working else { return seconds }
        let start = self.now().milliseconds
        let due = working.adding(Int64(seconds) * 1_000, to: start)
        return max(1, UInt32(clamping: (due - start) / 1_000))
    }

    /// Drops the category's estimate, to be read again.
    func forget(category: String) { self.entries.withLock { _ = $0.removeValue(forKey: category) } }

    /// The last estimate without querying; 0 when there is none yet.
    func cached(category: String) -> UInt32 {
        self.inWorkingTime(self.entries.withLock { $0[category]?.seconds ?? 0 }, category: category)
    }
}

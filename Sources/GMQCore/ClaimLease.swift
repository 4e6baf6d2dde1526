import Foundation

/// How long a GM keeps a claimed ticket without doing anything (issue "GM console" §4). A GM who disconnected or
/// went idle longer than `duration` loses the claim: the ticket goes back to the queue with a `lease_expired` event.
/// Waiting on the player is not idling: only `claimed` tickets are subject to the lease.
public struct ClaimLease: Sendable, Equatable {
    public var duration: TimeInterval

    public init(duration: TimeInterval) { self.duration = duration }

    /// Whether a holder whose last request was at `lastActivity` has lost their claims at `now`. A holder not seen
    /// since the server started counts from `serverStart`, so a restart never frees claims at once.
    public func hasExpired(lastActivity: Date?, serverStart: Date, now: Date) -> Bool {
        now.timeIntervalSince(max(lastActivity ?? serverStart, serverStart)) > self.duration
    }

    /// Why the claim ended, for the event and the player's notification.
    public func reason(holder: String, connected: Bool) -> String {
        let minutes = Int((self.duration / 60).rounded(.up))
        return connected
            ? "\(holder) was idle for more than \(minutes) min; the request is back in the queue"
            : "\(holder) left more than \(minutes) min ago; the request is back in the queue"
    }
}

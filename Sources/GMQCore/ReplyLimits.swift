import Foundation

/// How much one player may add to one ticket (PROTOCOL.md §4): a hostile player once pipelined 10,000 replies of
/// 4 KB into one ticket, and a transcript that long is one no moderator reads. Past the limits a reply is refused
/// with a clear reason; a repeated submission that would merge into the ticket is folded instead (nothing added).
public struct ReplyLimits: Sendable, Equatable {
    /// Player replies (and merged submissions) one ticket holds at most: 100, far above the 2–10 of a real
    /// exchange with a GM, and 400 KB of text at most.
    public var perTicket: Int
    /// Replies at most within `window` on one ticket: 10 in 10 minutes, time enough to answer every question a GM
    /// asks and too little to bury a transcript.
    public var perWindow: Int
    public var window: TimeInterval

    public init(perTicket: Int = 100, perWindow: Int = 10, window: TimeInterval = 600) {
        self.perTicket = perTicket
        self.perWindow = perWindow
        self.window = window
    }

    public static let standard = ReplyLimits()

    /// Why a reply is refused; each case carries what the player needs to know.
    public enum Refusal: Error, Sendable, Equatable {
        /// The ticket holds `limit` replies of the player.
        case ticketFull(limit: Int)
        /// `limit` replies within `window` seconds; the next is accepted after `retryAfter` seconds.
        case tooFast(limit: Int, window: TimeInterval, retryAfter: TimeInterval)
    }

    /// Refuses a new reply when the ticket holds `replies` of the player already at the limit, or when the latest
    /// `perWindow` of them (`recent`, newest first) all fall within the window before `now`.
    public func check(replies: Int, recent: [Date], now: Date) throws(Refusal) {
        if replies >= self.perTicket { throw .ticketFull(limit: self.perTicket) }
        guard recent.count >= self.perWindow, let oldest = recent.prefix(self.perWindow).last else { return }
        let age = now.timeIntervalSince(oldest)
        if age < self.window {
            throw .tooFast(limit: self.perWindow, window: self.window, retryAfter: (self.window - age).rounded(.up))
        }
    }
}

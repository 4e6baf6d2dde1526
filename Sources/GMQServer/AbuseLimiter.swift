import Foundation
import GMQCore

import Synchronization

/// Each player's standing against `AbuseLimits` on this node, by player id (a player reconnecting or opening
/// several connections is the same player). Players who have nothing left to remember are forgotten, so memory
/// stays with the players who are sending.
final class AbuseLimiter: Sendable {
    let limits: AbuseLimits
    private let states = Mutex<(players: [Int64: PlayerAbuseState], operations: Int)>(([:], 0))
    /// Past this many players remembered, idle ones are dropped (checked every `sweepEvery` operations).
    static let forgetAbove = 10_000
    static let sweepEvery = 4_096

    init(limits: AbuseLimits) { self.limits = limits }

    private func withState<T>(_ player: Int64, at now: Date, _ body: (inout PlayerAbuseState) -> T) -> T {
        let seconds = now.timeIntervalSince1970
        return self.states.withLock { states in
            states.operations += 1
            if states.operations % Self.sweepEvery == 0, states.players.count > Self.forgetAbove {
                states.players = states.players.filter { !$0.value.isIdle(at: seconds) }
            }
            return body(&states.players[player, default: PlayerAbuseState(limits: self.limits, now: seconds)])
        }
    }

    func submit(_ player: Int64, at now: Date) -> PlayerAbuseState.Decision {
        self.withState(player, at: now) { $0.submit(at: now.timeIntervalSince1970) }
    }

    func reply(_ player: Int64, at now: Date) -> PlayerAbuseState.Decision {
        self.withState(player, at: now) { $0.reply(at: now.timeIntervalSince1970) }
    }

    func rejected(_ player: Int64, at now: Date) {
        self.withState(player, at: now) { $0.rejected(at: now.timeIntervalSince1970, limits: self.limits) }
    }
}

/// The help bans in force, read from the store by `StaffGuard` every second (so a ban made on another node counts
/// within a second) and changed at once by a ban made here: a submission checks memory, not the database.
final class BanCache: Sendable {
    private let bans = Mutex<[Int64: HelpBan]>([:])

    func replace(with bans: [HelpBan]) {
        let byPlayer = Dictionary(bans.map { ($0.playerID, $0) }) { first, _ in first }
        self.bans.withLock { $0 = byPlayer }
    }

    func set(_ ban: HelpBan) { self.bans.withLock { $0[ban.playerID] = ban } }
    func remove(_ player: Int64) { _ = self.bans.withLock { $0.removeValue(forKey: player) } }

    func ban(of player: Int64, at now: Int64) -> HelpBan? {
        self.bans.withLock { bans in bans[player].flatMap { $0.until > now ? $0 : nil } }
    }
}

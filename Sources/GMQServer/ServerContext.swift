import Foundation
import GMQCore
import GMQStore
import Logging

/// What every session shares: storage, credentials, the text check, the hub and the wall clock.
struct ServerContext: Sendable {
    let store: TicketStore
    let signer: PlayerTokenSigner
    let check: SubstantiveCheck
    let hub: NotificationHub
    /// Most tickets a player may have open at once.
    let openTicketLimit: Int
    /// Wall-clock time for stored timestamps and token expiry; tests pass a fixed one.
    let now: @Sendable () -> Date
    let logger: Logger
}


/// Why the store refused an operation. Nothing was written when one of these is thrown.
public enum StoreError: Error, Sendable, Equatable {
    case ticketNotFound(Int64)
    /// The lifecycle refused the command on this ticket.
    case refused(TicketLifecycle.Refusal, ticketID: Int64)
    case unknownCategory(String, known: [String])
    /// CLAIM next found no open ticket; `categories` nil means all of them.
    case queueEmpty(categories: [String]?)
    case staffNameTaken(String)
    case notificationNotFound(Int64)
    /// The writer is behind: more writes wait than the store accepts. Nothing was written; retry after the delay.
    case busy(retryAfterMilliseconds: Int)
    /// The ticket was rated since it was last closed.
    case alreadyRated(Int64)
    /// A transfer to the category the ticket is already in.
    case sameCategory(String)
    case macroNotFound(String)
    case macroNameInvalid(String)
    case categoryExists(String)
    case categoryIDInvalid(String)
    /// The player's reply would pass the ticket's reply limits.
    case replyLimit(ReplyLimits.Refusal, ticketID: Int64)
    /// UNBAN of a player who has no active help ban.
    case notBanned(Int64)
    case incidentNotFound(Int64)
    /// The incident was closed already.
    case incidentClosed(Int64)
    case articleNotFound(Int64)
    /// The ticket holds the most attachments a ticket takes.
    case attachmentLimit(ticketID: Int64, limit: Int)
    case attachmentNotFound(ticketID: Int64, number: Int)
    /// A link to an internal ticket from one that is itself internal.
    case notAPlayersTicket(Int64)
    /// A link to a ticket that is a player's, not an internal one.
    case notInternal(Int64)
}

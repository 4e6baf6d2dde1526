import Foundation

/// A reminder a GM set on a ticket they hold (`gmq remind`): for them alone, delivered once to their console when
/// it is due (or at their first sign-in after), whichever node they are connected to.
public struct StaffReminder: Sendable, Equatable {
    public var id: Int64
    public var ticketID: Int64
    /// The GM it is for: the one who set it.
    public var staffID: Int64
    public var staffName: String
    /// When it is due (ms).
    public var due: Int64
    public var text: String
    public var createdAt: Int64
    public var deliveredAt: Int64?

    public init(
        id: Int64, ticketID: Int64, staffID: Int64, staffName: String, due: Int64, text: String, createdAt: Int64,
        deliveredAt: Int64? = nil
    ) {
        self.id = id
        self.ticketID = ticketID
        self.staffID = staffID
        self.staffName = staffName
        self.due = due
        self.text = text
        self.createdAt = createdAt
        self.deliveredAt = deliveredAt
    }

    /// Whether `actor` may set a reminder on `ticket` due at `due`: only its holder (or an admin, on a held
    /// ticket), for a time still to come. Throws the `StoreError` that says why not.
    public static func check(_ ticket: Ticket, by actor: Actor, due: Int64, now: Int64) throws(StoreError) {
        do {
            try ticket.lifecycle.requireHolderOrAdmin(actor)
        } catch {
            throw .refused(error, ticketID: ticket.id)
        }
        guard due > now else { throw .refused(.notInFuture, ticketID: ticket.id) }
    }
}

/// The texts of the snooze steps' events, written once.
public enum SnoozeText {
    /// A `snoozed` event: until when (UTC), then why.
    public static func snoozed(until: Int64, _ why: String) -> String {
        let when = Date(milliseconds: until).formatted(.iso8601)
        return why.isEmpty ? "until \(when)" : "until \(when): \(why)"
    }

    /// A `woke` event written by the server when the snooze's time came.
    public static let timeCame = "the snooze ended"

    /// A `woke` event of its holder's (or an admin's) own step.
    public static func wokenBy(_ name: String) -> String { "taken back by \(name)" }
}

/// What one signed-in person may see and change: the one permission check every path that reads or changes a
/// ticket goes through (claim, claim-next, the ticket steps, transfer, show, history, queue, a player's tickets).
///
/// Roles decide which steps someone may take (`TicketLifecycle`, `StaffAction`); this decides *which tickets*:
/// a player only their own, a GM only those of the categories their account works, moderators and admins all.
/// A player asking about a ticket that is not theirs gets the same answer as for one that does not exist, so that
/// sequential ids do not reveal how many tickets the desk holds.
public struct Access: Sendable, Equatable {
    public let actor: Actor
    /// The categories a GM's account works, sorted; nil when every category is theirs (moderators, admins, a GM
    /// created without a list). Unused for players, who see their own tickets in every category.
    public let categories: [String]?

    /// `categories` counts only for GMs: a moderator or admin sees everything whatever their account says.
    public init(actor: Actor, categories: [String]? = nil) {
        self.actor = actor
        if actor.role == .gm, let categories { self.categories = Array(Set(categories)).sorted() } else { self.categories = nil }
    }

    /// Why a ticket or category is out of reach. Staff learn which category and which are theirs; a player learns
    /// nothing that tells a missing ticket from another player's.
    public enum Denial: Error, Sendable, Equatable {
        /// A player's request named a ticket that is not theirs or does not exist.
        case noSuchTicket(Int64)
        /// The ticket (or requested queue) is in a category this GM does not work.
        case outsideCategories(ticketID: Int64?, category: String, yours: [String])
    }

    /// A ticket as far as access is concerned: its id, queue and owner.
    public struct Target: Sendable, Equatable {
        public var id: Int64
        public var category: String
        public var owner: Int64

        public init(id: Int64, category: String, owner: Int64) {
            self.id = id
            self.category = category
            self.owner = owner
        }
    }

    /// Whether `category`'s tickets are within reach (players: none through a queue).
    public func works(_ category: String) -> Bool {
        guard self.actor.role.isStaff else { return false }
        return self.categories?.contains(category) ?? true
    }

    /// Whether the actor may see `ticket` at all.
    public func mayRead(_ ticket: Target) -> Bool {
        self.actor.role == .player ? ticket.owner == self.actor.id : self.works(ticket.category)
    }

    /// Refuses a ticket the actor may not see. Changing a ticket needs the same reach; which steps a role may take
    /// is the lifecycle's to decide.
    /// `ticket` (looked up by `id`, nil when there is none) as this actor may reach it: a missing ticket is
    /// `Denial.noSuchTicket` for a player, exactly as another player's is, and `StoreError.ticketNotFound` for
    /// staff; an existing one must pass `check`. Every store calls this, so the rule is written once.
    public func reach(_ ticket: Ticket?, id: Int64) throws -> Ticket {
        guard let ticket else {
            if self.actor.role == .player { throw Denial.noSuchTicket(id) }
            throw StoreError.ticketNotFound(id)
        }
        try self.check(ticket.target)
        return ticket
    }

    public func check(_ ticket: Target) throws(Denial) {
        guard !self.mayRead(ticket) else { return }
        if self.actor.role == .player { throw .noSuchTicket(ticket.id) }
        throw .outsideCategories(ticketID: ticket.id, category: ticket.category, yours: self.categories ?? [])
    }

    /// A transfer moves a ticket out of one queue into another: the GM must work both.
    public func checkTransfer(_ ticket: Target, to destination: String) throws(Denial) {
        try self.check(ticket)
        guard self.works(destination) else {
            throw .outsideCategories(ticketID: nil, category: destination, yours: self.categories ?? [])
        }
    }

    /// The categories a queue request covers: the one asked for (which must be within reach) or, for none, all the
    /// actor works (nil: every category).
    public func queueScope(requested category: String) throws(Denial) -> [String]? {
        guard !category.isEmpty else { return self.categories }
        guard self.works(category) else {
            throw .outsideCategories(ticketID: nil, category: category, yours: self.categories ?? [])
        }
        return [category]
    }
}

/// Who opens a session (HELLO `client_kind`, PROTOCOL.md §5.1).
public enum ClientKind: UInt8, Sendable, CaseIterable {
    case player = 1
    case staff = 2
}

/// The role a session was granted (WELCOME `role`, PROTOCOL.md §5.2).
public enum SessionRole: UInt8, Sendable, CaseIterable {
    case player = 1
    case gm = 2
    case moderator = 3
    case admin = 4
    /// A game server's account (protocol version 2: a version 1 session never has it).
    case game = 5
}

/// A ticket's lifecycle state on the wire (PROTOCOL.md §5.4).
public enum TicketStatus: UInt8, Sendable, CaseIterable {
    case open = 1
    case claimed = 2
    case waitingPlayer = 3
    case closed = 4
    /// Set aside by its holder until a time (protocol version 2; a version 1 client is told `claimed`).
    case snoozed = 5
}

/// What a history entry or notification records (PROTOCOL.md §5.4).
public enum HistoryKind: UInt8, Sendable, CaseIterable {
    case submitted = 1
    case claimed = 2
    case unclaimed = 3
    case asked = 4
    case replied = 5
    case answered = 6
    case noted = 7
    case closed = 8
    case reopened = 9
    case transferred = 10
    case escalated = 11
    case rated = 12
    case leaseExpired = 13
    /// A file was attached (protocol version 2: never sent to a version 1 session).
    case attached = 14
    /// Handed to another GM (protocol version 2; a version 1 client is told `claimed` by the new holder).
    case assigned = 15
    /// Set aside by its holder until a time (protocol version 2, staff only).
    case snoozed = 16
    /// Back from a snooze in its holder's hands (protocol version 2, staff only).
    case woke = 17
}

/// Where ESCALATE sends a ticket (PROTOCOL.md §5.10).
public enum EscalationTarget: UInt8, Sendable, CaseIterable {
    /// Back to the queue with a higher priority, for senior GMs.
    case seniorGMs = 1
    /// Closed as `escalated_to_dev`: it goes on the developers' bug list.
    case developers = 2
}

/// Which part of REPORT a row is (PROTOCOL.md §5.17).
public enum ReportGroup: UInt8, Sendable, CaseIterable {
    case total = 1
    case category = 2
    case gm = 3
}

/// Which tickets QUEUE lists (PROTOCOL.md §5.9).
public enum QueueFilter: UInt8, Sendable, CaseIterable {
    /// Open, claimed and waiting on the player: everything not closed.
    case active = 0
    case open = 1
    case claimed = 2
    case waitingPlayer = 3
    case closed = 4
    /// Claimed by or waiting on the requesting GM: what they hold.
    case mine = 5
    /// Set aside until a time (protocol version 2).
    case snoozed = 6
}

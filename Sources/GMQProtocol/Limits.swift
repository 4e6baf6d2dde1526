/// Limits of protocol v1. Each is part of the wire contract: see `Protocol/PROTOCOL.md` §4 "Limits".
public enum ProtocolLimits {
    /// The protocol versions this implementation speaks (PROTOCOL.md §3).
    public static let supportedVersions: [UInt16] = [1, 2]
    /// The version this implementation sends in HELLO and WELCOME.
    public static let currentVersion: UInt16 = 2
    /// Largest accepted value of a frame's length field: type + request id + payload (PROTOCOL.md §4).
    public static let maximumFrameLength: UInt32 = 1_048_576
    /// Smallest valid length field: a u16 type and a u32 request id with an empty payload.
    public static let minimumFrameLength: UInt32 = 6
    /// Bytes of UTF-8 in any free text a person writes: a request, a reply, an answer, a note (PROTOCOL.md §4).
    public static let maximumTextBytes = 4000
    /// Bytes of UTF-8 in a short name: category, realm, character, zone, build, resolution, actor (PROTOCOL.md §4).
    public static let maximumNameBytes = 64
    /// A file name of ATTACH (§5.24).
    public static let maximumFileNameBytes = 200
    /// Bytes of one ATTACH_CHUNK's or ATTACHMENT_DATA's `data` (§5.24): well within a frame.
    public static let maximumChunkBytes = 262_144
    /// An incident's title (§5.21).
    public static let maximumIncidentTitleBytes = 200
    /// Bytes of a HELLO credential: a player token or a staff key (PROTOCOL.md §4).
    public static let maximumCredentialBytes = 512
    /// Bytes of the text preview carried in a ticket summary (PROTOCOL.md §5.4).
    public static let maximumPreviewBytes = 160
    /// Bytes of a staff log entry's detail (PROTOCOL.md §5.18): room for a whole macro text and what changed.
    public static let maximumDetailBytes = 4096
    /// Entries in any list: tickets in TICKET_LIST, events in TICKET (PROTOCOL.md §4).
    public static let maximumListCount = 1000
    /// Entries of a HISTORY page when the request's limit is 0 (PROTOCOL.md §5.8).
    public static let defaultHistoryPage = 100
}

import NIOCore

/// A message of protocol v1: a payload layout bound to one message type (PROTOCOL.md §5).
/// `decode(from:)` reads exactly what `encode(into:)` writes; both are checked against `Protocol/vectors/`.
public protocol WireMessage: Sendable, Equatable {
    static var messageType: MessageType { get }
    func encode(into buffer: inout ByteBuffer)
    static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self
}

/// A value embedded in several messages (game context, ticket summary, history entry).
public protocol WireValue: Sendable, Equatable {
    func encode(into buffer: inout ByteBuffer)
    static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self
}

/// The message types of protocol v1 (PROTOCOL.md §5). Values never change meaning; new types get new values.
public enum MessageType: UInt16, Sendable, CaseIterable {
    case hello = 0x0001
    case welcome = 0x0002
    case error = 0x0003
    case ok = 0x0004
    case ping = 0x0005
    case pong = 0x0006
    case serverClosing = 0x0007
    case submit = 0x0010
    case accepted = 0x0011
    case rejected = 0x0012
    case myTickets = 0x0013
    case ticketList = 0x0014
    case getTicket = 0x0015
    case ticket = 0x0016
    case playerReply = 0x0017
    case ticketUpdated = 0x0018
    case rate = 0x0019
    case queue = 0x0020
    case claim = 0x0021
    case unclaim = 0x0022
    case ask = 0x0023
    case answer = 0x0024
    case note = 0x0025
    case close = 0x0026
    case transfer = 0x0027
    case escalate = 0x0028
    case watch = 0x0029
    case playerTickets = 0x002A
    case history = 0x002B
    case historyPage = 0x002C
    case notification = 0x0030
    case notificationAck = 0x0031
    case queueChanged = 0x0032
    case macroSave = 0x0040
    case macroRemove = 0x0041
    case macroList = 0x0042
    case macros = 0x0043
    case audit = 0x0050
    case auditList = 0x0051
    case auditVerify = 0x0052
    case auditVerified = 0x0053
    case report = 0x0054
    case reportResult = 0x0055
    case staffList = 0x0060
    case staffAccounts = 0x0061
    case staffChange = 0x0062
    case staffChanged = 0x0063
    case staffLog = 0x0064
    case staffLogPage = 0x0065
    case staffLogVerify = 0x0066
    case staffLogVerified = 0x0067
    case ban = 0x0070
    case unban = 0x0071
    case bans = 0x0072
    case banList = 0x0073
    case incidentOpen = 0x0080
    case incident = 0x0081
    case incidentList = 0x0082
    case incidents = 0x0083
    case incidentClose = 0x0084
    case incidentAnswer = 0x0085
    case incidentAnswered = 0x0086
    case incidentTickets = 0x0087
    case incidentGet = 0x0088
    case clusters = 0x0089
    case clusterList = 0x008A
    case incidentLink = 0x008B
    case incidentLinked = 0x008C
    case preview = 0x0090
    case previewResult = 0x0091
    case kbSave = 0x0092
    case kbRemove = 0x0093
    case kbList = 0x0094
    case kbArticles = 0x0095
    case selfHelp = 0x0096
    case selfHelpResult = 0x0097
    case attach = 0x00A0
    case attachReady = 0x00A1
    case attachChunk = 0x00A2
    case attachEnd = 0x00A3
    case attachment = 0x00A4
    case attachmentList = 0x00A5
    case attachments = 0x00A6
    case attachmentGet = 0x00A7
    case attachmentData = 0x00A8
    case search = 0x00B0
    case searchResult = 0x00B1
    case assign = 0x00B2
    case priority = 0x00B3
    case snooze = 0x00B4
    case remind = 0x00B5
    case reminder = 0x00B6
    case internalOpen = 0x00B7
    case internalLink = 0x00B8
    case reportFigures = 0x00B9
    case reportFiguresResult = 0x00BA
}

extension MessageType {
    /// Who sends a message of this type (PROTOCOL.md §5's direction column).
    public enum Sender: Sendable, Equatable {
        /// A response or push: only the server sends it.
        case server
        /// HELLO and PING: any client, on either port, before and after HELLO.
        case anyClient
        /// A request served on the player port only.
        case player
        /// A request served on the staff port only.
        case staff
        /// A request served on both ports (GET_TICKET, HISTORY).
        case playerOrStaff
    }

    public var sender: Sender {
        switch self {
        case .hello, .ping: .anyClient
        case .submit, .myTickets, .playerReply, .rate, .notificationAck, .preview: .player
        case .getTicket, .history, .attach, .attachChunk, .attachEnd, .attachmentList, .attachmentGet: .playerOrStaff
        case .queue, .claim, .unclaim, .ask, .answer, .note, .close, .transfer, .escalate, .watch, .playerTickets,
             .macroSave, .macroRemove, .macroList, .audit, .auditVerify, .report, .staffList, .staffChange, .staffLog,
             .staffLogVerify, .ban, .unban, .bans, .incidentOpen, .incidentList, .incidentClose, .incidentAnswer,
             .incidentTickets, .incidentGet, .clusters, .incidentLink, .kbSave, .kbRemove, .kbList, .selfHelp, .search, .assign, .priority,
             .snooze, .remind, .internalOpen, .internalLink, .reportFigures:
            .staff
        case .welcome, .error, .ok, .pong, .serverClosing, .accepted, .rejected, .ticketList, .ticket, .ticketUpdated, .historyPage,
             .notification, .queueChanged, .macros, .auditList, .auditVerified, .reportResult, .staffAccounts,
             .staffChanged, .staffLogPage, .staffLogVerified, .banList, .incident, .incidents, .incidentAnswered,
             .clusterList, .incidentLinked, .previewResult, .kbArticles, .selfHelpResult, .attachReady, .attachment,
             .attachments, .attachmentData, .searchResult, .reminder,
             .reportFiguresResult:
            .server
        }
    }

    /// The name PROTOCOL.md gives the type: `notificationAck` → `NOTIFICATION_ACK`.
    public var specName: String {
        var name = ""
        for character in "\(self)" {
            if character.isUppercase { name += "_" }
            name += character.uppercased()
        }
        return name
    }
}

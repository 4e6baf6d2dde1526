import NIOCore

/// Any message of protocol v1. Encoding and decoding dispatch on the frame's message type.
public enum Message: Sendable, Equatable {
    case hello(Hello)
    case welcome(Welcome)
    case error(ErrorMessage)
    case ok(Ok)
    case ping(Ping)
    case pong(Pong)
    case submit(Submit)
    case accepted(Accepted)
    case rejected(Rejected)
    case myTickets(MyTickets)
    case ticketList(TicketList)
    case getTicket(GetTicket)
    case ticket(TicketDetail)
    case playerReply(PlayerReply)
    case ticketUpdated(TicketUpdated)
    case queue(QueueRequest)
    case claim(Claim)
    case unclaim(Unclaim)
    case ask(Ask)
    case answer(Answer)
    case note(Note)
    case close(Close)
    case notification(NotificationPush)
    case notificationAck(NotificationAck)
    case rate(Rate)
    case transfer(Transfer)
    case escalate(Escalate)
    case watch(Watch)
    case playerTickets(PlayerTickets)
    case history(History)
    case historyPage(HistoryPageMessage)
    case queueChanged(QueueChanged)
    case macroSave(MacroSave)
    case macroRemove(MacroRemove)
    case macroList(MacroList)
    case macros(Macros)
    case audit(Audit)
    case auditList(AuditList)
    case auditVerify(AuditVerify)
    case auditVerified(AuditVerified)
    case report(ReportRequest)
    case reportResult(ReportResult)
    case staffList(StaffList)
    case staffAccounts(StaffAccounts)
    case staffChange(StaffChangeRequest)
    case staffChanged(StaffChanged)
    case staffLog(StaffLogRequest)
    case staffLogPage(StaffLogPage)
    case staffLogVerify(StaffLogVerify)
    case staffLogVerified(StaffLogVerified)
    case serverClosing(ServerClosing)
    case ban(BanRequest)
    case unban(UnbanRequest)
    case bans(BansRequest)
    case banList(BanList)
    case incidentOpen(IncidentOpen)
    case incident(IncidentInfo)
    case incidentList(IncidentList)
    case incidents(Incidents)
    case incidentClose(IncidentClose)
    case incidentAnswer(IncidentAnswerRequest)
    case incidentAnswered(IncidentAnswered)
    case incidentTickets(IncidentTickets)
    case incidentGet(IncidentGet)
    case clusters(ClustersRequest)
    case clusterList(ClusterList)
    case incidentLink(IncidentLinkRequest)
    case incidentLinked(IncidentLinked)
    case preview(Preview)
    case previewResult(PreviewResult)
    case kbSave(KBSave)
    case kbRemove(KBRemove)
    case kbList(KBList)
    case kbArticles(KBArticles)
    case selfHelp(SelfHelpRequest)
    case selfHelpResult(SelfHelpResult)
    case attach(AttachRequest)
    case attachReady(AttachReady)
    case attachChunk(AttachChunk)
    case attachEnd(AttachEnd)
    case attachment(AttachmentInfo)
    case attachmentList(AttachmentList)
    case attachments(Attachments)
    case attachmentGet(AttachmentGet)
    case attachmentData(AttachmentData)
    case search(SearchRequest)
    case searchResult(SearchResult)
    case assign(Assign)
    case priority(PriorityRequest)
    case snooze(Snooze)
    case remind(Remind)
    case reminder(Reminder)
    case internalOpen(InternalOpen)
    case internalLink(InternalLinkRequest)
    case reportFigures(ReportFigures)
    case reportFiguresResult(ReportFiguresResult)

    /// The message inside, as its concrete wire type.
    public var payload: any WireMessage {
        switch self {
        case .hello(let m): m
        case .welcome(let m): m
        case .error(let m): m
        case .ok(let m): m
        case .ping(let m): m
        case .pong(let m): m
        case .submit(let m): m
        case .accepted(let m): m
        case .rejected(let m): m
        case .myTickets(let m): m
        case .ticketList(let m): m
        case .getTicket(let m): m
        case .ticket(let m): m
        case .playerReply(let m): m
        case .ticketUpdated(let m): m
        case .queue(let m): m
        case .claim(let m): m
        case .unclaim(let m): m
        case .ask(let m): m
        case .answer(let m): m
        case .note(let m): m
        case .close(let m): m
        case .notification(let m): m
        case .notificationAck(let m): m
        case .rate(let m): m
        case .transfer(let m): m
        case .escalate(let m): m
        case .watch(let m): m
        case .playerTickets(let m): m
        case .history(let m): m
        case .historyPage(let m): m
        case .queueChanged(let m): m
        case .macroSave(let m): m
        case .macroRemove(let m): m
        case .macroList(let m): m
        case .macros(let m): m
        case .audit(let m): m
        case .auditList(let m): m
        case .auditVerify(let m): m
        case .auditVerified(let m): m
        case .report(let m): m
        case .reportResult(let m): m
        case .staffList(let m): m
        case .staffAccounts(let m): m
        case .staffChange(let m): m
        case .staffChanged(let m): m
        case .staffLog(let m): m
        case .staffLogPage(let m): m
        case .staffLogVerify(let m): m
        case .staffLogVerified(let m): m
        case .serverClosing(let m): m
        case .ban(let m): m
        case .unban(let m): m
        case .bans(let m): m
        case .banList(let m): m
        case .incidentOpen(let m): m
        case .incident(let m): m
        case .incidentList(let m): m
        case .incidents(let m): m
        case .incidentClose(let m): m
        case .incidentAnswer(let m): m
        case .incidentAnswered(let m): m
        case .incidentTickets(let m): m
        case .incidentGet(let m): m
        case .clusters(let m): m
        case .clusterList(let m): m
        case .incidentLink(let m): m
        case .incidentLinked(let m): m
        case .preview(let m): m
        case .previewResult(let m): m
        case .kbSave(let m): m
        case .kbRemove(let m): m
        case .kbList(let m): m
        case .kbArticles(let m): m
        case .selfHelp(let m): m
        case .selfHelpResult(let m): m
        case .attach(let m): m
        case .attachReady(let m): m
        case .attachChunk(let m): m
        case .attachEnd(let m): m
        case .attachment(let m): m
        case .attachmentList(let m): m
        case .attachments(let m): m
        case .attachmentGet(let m): m
        case .attachmentData(let m): m
        case .search(let m): m
        case .searchResult(let m): m
        case .assign(let m): m
        case .priority(let m): m
        case .snooze(let m): m
        case .remind(let m): m
        case .reminder(let m): m
        case .internalOpen(let m): m
        case .internalLink(let m): m
        case .reportFigures(let m): m
        case .reportFiguresResult(let m): m
        }
    }

    public var type: MessageType { Swift.type(of: self.payload).messageType }

    /// Reads the payload of a frame of type `rawType`. The whole payload must be consumed.
    public static func decode(type rawType: UInt16, payload: inout ByteBuffer) throws(WireDecodingError) -> Message {
        guard let type = MessageType(rawValue: rawType) else { throw .unknownMessageType(rawType) }
        let message: Message
        switch type {
        case .hello: message = .hello(try .decode(from: &payload))
        case .welcome: message = .welcome(try .decode(from: &payload))
        case .error: message = .error(try .decode(from: &payload))
        case .ok: message = .ok(try .decode(from: &payload))
        case .ping: message = .ping(try .decode(from: &payload))
        case .pong: message = .pong(try .decode(from: &payload))
        case .submit: message = .submit(try .decode(from: &payload))
        case .accepted: message = .accepted(try .decode(from: &payload))
        case .rejected: message = .rejected(try .decode(from: &payload))
        case .myTickets: message = .myTickets(try .decode(from: &payload))
        case .ticketList: message = .ticketList(try .decode(from: &payload))
        case .getTicket: message = .getTicket(try .decode(from: &payload))
        case .ticket: message = .ticket(try .decode(from: &payload))
        case .playerReply: message = .playerReply(try .decode(from: &payload))
        case .ticketUpdated: message = .ticketUpdated(try .decode(from: &payload))
        case .queue: message = .queue(try .decode(from: &payload))
        case .claim: message = .claim(try .decode(from: &payload))
        case .unclaim: message = .unclaim(try .decode(from: &payload))
        case .ask: message = .ask(try .decode(from: &payload))
        case .answer: message = .answer(try .decode(from: &payload))
        case .note: message = .note(try .decode(from: &payload))
        case .close: message = .close(try .decode(from: &payload))
        case .notification: message = .notification(try .decode(from: &payload))
        case .notificationAck: message = .notificationAck(try .decode(from: &payload))
        case .rate: message = .rate(try .decode(from: &payload))
        case .transfer: message = .transfer(try .decode(from: &payload))
        case .escalate: message = .escalate(try .decode(from: &payload))
        case .watch: message = .watch(try .decode(from: &payload))
        case .playerTickets: message = .playerTickets(try .decode(from: &payload))
        case .history: message = .history(try .decode(from: &payload))
        case .historyPage: message = .historyPage(try .decode(from: &payload))
        case .queueChanged: message = .queueChanged(try .decode(from: &payload))
        case .macroSave: message = .macroSave(try .decode(from: &payload))
        case .macroRemove: message = .macroRemove(try .decode(from: &payload))
        case .macroList: message = .macroList(try .decode(from: &payload))
        case .macros: message = .macros(try .decode(from: &payload))
        case .audit: message = .audit(try .decode(from: &payload))
        case .auditList: message = .auditList(try .decode(from: &payload))
        case .auditVerify: message = .auditVerify(try .decode(from: &payload))
        case .auditVerified: message = .auditVerified(try .decode(from: &payload))
        case .report: message = .report(try .decode(from: &payload))
        case .reportResult: message = .reportResult(try .decode(from: &payload))
        case .staffList: message = .staffList(try .decode(from: &payload))
        case .staffAccounts: message = .staffAccounts(try .decode(from: &payload))
        case .staffChange: message = .staffChange(try .decode(from: &payload))
        case .staffChanged: message = .staffChanged(try .decode(from: &payload))
        case .staffLog: message = .staffLog(try .decode(from: &payload))
        case .staffLogPage: message = .staffLogPage(try .decode(from: &payload))
        case .staffLogVerify: message = .staffLogVerify(try .decode(from: &payload))
        case .staffLogVerified: message = .staffLogVerified(try .decode(from: &payload))
        case .serverClosing: message = .serverClosing(try .decode(from: &payload))
        case .ban: message = .ban(try .decode(from: &payload))
        case .unban: message = .unban(try .decode(from: &payload))
        case .bans: message = .bans(try .decode(from: &payload))
        case .banList: message = .banList(try .decode(from: &payload))
        case .incidentOpen: message = .incidentOpen(try .decode(from: &payload))
        case .incident: message = .incident(try .decode(from: &payload))
        case .incidentList: message = .incidentList(try .decode(from: &payload))
        case .incidents: message = .incidents(try .decode(from: &payload))
        case .incidentClose: message = .incidentClose(try .decode(from: &payload))
        case .incidentAnswer: message = .incidentAnswer(try .decode(from: &payload))
        case .incidentAnswered: message = .incidentAnswered(try .decode(from: &payload))
        case .incidentTickets: message = .incidentTickets(try .decode(from: &payload))
        case .incidentGet: message = .incidentGet(try .decode(from: &payload))
        case .clusters: message = .clusters(try .decode(from: &payload))
        case .clusterList: message = .clusterList(try .decode(from: &payload))
        case .incidentLink: message = .incidentLink(try .decode(from: &payload))
        case .incidentLinked: message = .incidentLinked(try .decode(from: &payload))
        case .preview: message = .preview(try .decode(from: &payload))
        case .previewResult: message = .previewResult(try .decode(from: &payload))
        case .kbSave: message = .kbSave(try .decode(from: &payload))
        case .kbRemove: message = .kbRemove(try .decode(from: &payload))
        case .kbList: message = .kbList(try .decode(from: &payload))
        case .kbArticles: message = .kbArticles(try .decode(from: &payload))
        case .selfHelp: message = .selfHelp(try .decode(from: &payload))
        case .selfHelpResult: message = .selfHelpResult(try .decode(from: &payload))
        case .attach: message = .attach(try .decode(from: &payload))
        case .attachReady: message = .attachReady(try .decode(from: &payload))
        case .attachChunk: message = .attachChunk(try .decode(from: &payload))
        case .attachEnd: message = .attachEnd(try .decode(from: &payload))
        case .attachment: message = .attachment(try .decode(from: &payload))
        case .attachmentList: message = .attachmentList(try .decode(from: &payload))
        case .attachments: message = .attachments(try .decode(from: &payload))
        case .attachmentGet: message = .attachmentGet(try .decode(from: &payload))
        case .attachmentData: message = .attachmentData(try .decode(from: &payload))
        case .search: message = .search(try .decode(from: &payload))
        case .searchResult: message = .searchResult(try .decode(from: &payload))
        case .assign: message = .assign(try .decode(from: &payload))
        case .priority: message = .priority(try .decode(from: &payload))
        case .snooze: message = .snooze(try .decode(from: &payload))
        case .remind: message = .remind(try .decode(from: &payload))
        case .reminder: message = .reminder(try .decode(from: &payload))
        case .internalOpen: message = .internalOpen(try .decode(from: &payload))
        case .internalLink: message = .internalLink(try .decode(from: &payload))
        case .reportFigures: message = .reportFigures(try .decode(from: &payload))
        case .reportFiguresResult: message = .reportFiguresResult(try .decode(from: &payload))
        }
        guard payload.readableBytes == 0 else { throw .trailingBytes(count: payload.readableBytes) }
        return message
    }
}

import Foundation
import GMQCore
import PostgresNIO

// Attachments (PROTOCOL.md §5.24): kept in the database, once per content, each with its `attached` event.
extension PostgresTicketStore {
    static let attachmentColumns = """
        a.ticket_id, a.number, a.name, a.content_type, a.size, a.sha256, a.uploaded_by, a.uploader_role, \
        a.uploader_id, a.at, a.event_seq
        """

    public func attach(_ file: AttachmentFile, to id: Int64, as access: Access, limit: Int, at now: Date) async throws
        -> (attachment: Attachment, change: TicketChange)
    {
        await self.ready()
        return try await self.writer.write { tx in
            // The ticket's lock orders its attachments: two uploads to one ticket get numbers one after the other.
            let (ticket, last) = try await self.lockTicket(id, as: access, tx)
            let count = try await tx.query("SELECT count(*) FROM attachments WHERE ticket_id = \(id)")
                .first { try $0.decode(Int64.self) } ?? 0
            guard count < limit else { throw StoreError.attachmentLimit(ticketID: id, limit: limit) }
            let number = Int(count) + 1
            let change = try await self.step(
                .attach, on: ticket, last: last, by: access.actor, text: Attachment.eventText(number: number, file: file),
                at: now, tx)
            try await tx.query("""
                INSERT INTO blobs (sha256, bytes) VALUES (\(file.sha256), \(file.bytes)) ON CONFLICT (sha256) DO NOTHING
                """)
            let actor = access.actor
            try await tx.query("""
                INSERT INTO attachments (ticket_id, number, name, content_type, size, sha256, event_seq, uploaded_by,
                    uploader_role, uploader_id, at)
                VALUES (\(id), \(number), \(file.name), \(file.type.rawValue), \(file.bytes.count), \(file.sha256),
                    \(change.event.seq), \(actor.name), \(actor.role.rawValue), \(actor.id), \(now.milliseconds))
                """)
            let attachment = Attachment(
                ticketID: id, number: number, name: file.name, type: file.type, size: file.bytes.count,
                sha256: file.sha256, uploadedBy: actor.name, uploaderRole: actor.role, uploaderID: actor.id,
                at: now.milliseconds)
            return (attachment, change)
        }
    }

    public func attachments(of ticketID: Int64) async throws -> [Attachment] {
        await self.ready()
        return try await self.query("""
            SELECT \(unescaped: Self.attachmentColumns) FROM attachments a WHERE a.ticket_id = \(ticketID) ORDER BY a.number
            """
        ).all { try Self.attachment($0).attachment }
    }

    public func attachmentBytes(_ sha256: Data, offset: Int, length: Int) async throws -> (size: Int, bytes: Data)? {
        await self.ready()
        return try await self.query("""
            SELECT octet_length(bytes), substring(bytes FROM \(Int32(clamping: offset + 1)) FOR \(Int32(clamping: length))) FROM blobs WHERE sha256 = \(sha256)
            """
        ).first { row in
            let (size, bytes) = try row.decode((Int32, Data).self)
            return (Int(size), bytes)
        }
    }

    /// An attachment from `attachmentColumns`, and the sequence number of its event.
    static func attachment(_ row: PostgresRow) throws -> (attachment: Attachment, eventSeq: Int64) {
        let r = row.makeRandomAccess()
        let attachment = Attachment(
            ticketID: try r["ticket_id"].decode(Int64.self), number: Int(try r["number"].decode(Int32.self)),
            name: try r["name"].decode(String.self),
            type: AttachmentType(rawValue: try r["content_type"].decode(String.self)) ?? .text,
            size: Int(try r["size"].decode(Int32.self)), sha256: try r["sha256"].decode(Data.self),
            uploadedBy: try r["uploaded_by"].decode(String.self),
            uploaderRole: Role(rawValue: try r["uploader_role"].decode(String.self)) ?? .player,
            uploaderID: try r["uploader_id"].decode(Int64.self), at: try r["at"].decode(Int64.self))
        return (attachment, try r["event_seq"].decode(Int64.self))
    }
}

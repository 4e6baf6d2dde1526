import Foundation
import GMQCore
import GRDB

// Attachments (PROTOCOL.md §5.24): kept in the database, once per content, each with its `attached` event.
extension SQLiteTicketStore {
    public func attach(_ file: AttachmentFile, to id: Int64, as access: Access, limit: Int, at now: Date) async throws
        -> (attachment: Attachment, change: TicketChange)
    {
        try await self.committer.write { db in
            let ticket = try Self.ticket(id, as: access, in: db)
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM attachments WHERE ticket_id = ?", arguments: [id]) ?? 0
            guard count < limit else { throw StoreError.attachmentLimit(ticketID: id, limit: limit) }
            let number = count + 1
            let change = try self.apply(
                .attach, to: ticket, by: access.actor, text: Attachment.eventText(number: number, file: file), at: now,
                in: db)
            try db.execute(sql: "INSERT OR IGNORE INTO blobs (sha256, bytes) VALUES (?, ?)", arguments: [file.sha256, file.bytes])
            let attachment = Attachment(
                ticketID: id, number: number, name: file.name, type: file.type, size: file.bytes.count, sha256: file.sha256,
                uploadedBy: access.actor.name, uploaderRole: access.actor.role, uploaderID: access.actor.id,
                at: now.milliseconds)
            try db.execute(
                sql: """
                    INSERT INTO attachments (ticket_id, number, name, content_type, size, sha256, event_seq, uploaded_by,
                        uploader_role, uploader_id, at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    id, number, file.name, file.type.rawValue, file.bytes.count, file.sha256, change.event.seq,
                    access.actor.name, access.actor.role.rawValue, access.actor.id, now.milliseconds,
                ])
            return (attachment, change)
        }
    }

    public func attachments(of ticketID: Int64) async throws -> [Attachment] {
        try await self.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM attachments WHERE ticket_id = ? ORDER BY number", arguments: [ticketID])
                .map(Self.attachment)
        }
    }

    public func attachmentBytes(_ sha256: Data, offset: Int, length: Int) async throws -> (size: Int, bytes: Data)? {
        try await self.writer.read { db in
            try Row.fetchOne(
                db, sql: "SELECT length(bytes), substr(bytes, ?, ?) FROM blobs WHERE sha256 = ?",
                arguments: [offset + 1, length, sha256]
            ).map { ($0[0], $0[1] ?? Data()) }
        }
    }

    static func attachment(_ row: Row) -> Attachment {
        Attachment(
            ticketID: row["ticket_id"], number: row["number"], name: row["name"],
            type: AttachmentType(rawValue: row["content_type"]) ?? .text, size: row["size"], sha256: row["sha256"],
            uploadedBy: row["uploaded_by"], uploaderRole: Role(rawValue: row["uploader_role"]) ?? .player,
            uploaderID: row["uploader_id"], at: row["at"])
    }
}

import NIOCore

/// ATTACH: a player (their own ticket) or a game server's account announces a file to attach (PROTOCOL.md §5.24).
/// Answered by ATTACH_READY; the bytes follow in ATTACH_CHUNKs, in order, and ATTACH_END stores the file.
public struct AttachRequest: WireMessage {
    public static let messageType = MessageType.attach
    public var ticketID: UInt64
    public var name: String
    public var size: UInt32

    public init(ticketID: UInt64, name: String, size: UInt32) {
        self.ticketID = ticketID
        self.name = name
        self.size = size
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.ticketID, endianness: .big)
        buffer.writeWireString(self.name)
        buffer.writeInteger(self.size, endianness: .big)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            ticketID: try buffer.readWire(UInt64.self, field: "ticket_id"),
            name: try buffer.readWireString(field: "name", maximumBytes: ProtocolLimits.maximumFileNameBytes),
            size: try buffer.readWire(UInt32.self, field: "size"))
    }
}

/// ATTACH_READY: the upload's id, and the largest chunk and file the server takes.
public struct AttachReady: WireMessage {
    public static let messageType = MessageType.attachReady
    public var uploadID: UInt64
    public var chunkBytes: UInt32
    public var maximumBytes: UInt32

    public init(uploadID: UInt64, chunkBytes: UInt32, maximumBytes: UInt32) {
        self.uploadID = uploadID
        self.chunkBytes = chunkBytes
        self.maximumBytes = maximumBytes
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.uploadID, endianness: .big)
        buffer.writeInteger(self.chunkBytes, endianness: .big)
        buffer.writeInteger(self.maximumBytes, endianness: .big)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            uploadID: try buffer.readWire(UInt64.self, field: "upload_id"),
            chunkBytes: try buffer.readWire(UInt32.self, field: "chunk_bytes"),
            maximumBytes: try buffer.readWire(UInt32.self, field: "maximum_bytes"))
    }
}

/// ATTACH_CHUNK: the bytes at `offset` of an upload, which must follow those sent before. Answered by OK.
public struct AttachChunk: WireMessage {
    public static let messageType = MessageType.attachChunk
    public var uploadID: UInt64
    public var offset: UInt32
    public var data: [UInt8]

    public init(uploadID: UInt64, offset: UInt32, data: [UInt8]) {
        self.uploadID = uploadID
        self.offset = offset
        self.data = data
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.uploadID, endianness: .big)
        buffer.writeInteger(self.offset, endianness: .big)
        buffer.writeWireBlob(self.data)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            uploadID: try buffer.readWire(UInt64.self, field: "upload_id"),
            offset: try buffer.readWire(UInt32.self, field: "offset"),
            data: try buffer.readWireBlob(field: "data", maximumBytes: ProtocolLimits.maximumChunkBytes))
    }
}

/// ATTACH_END: every byte was sent; store the file. `sha256` (0 or 32 bytes) is the client's own digest of it,
/// checked when given. Answered by ATTACHMENT.
public struct AttachEnd: WireMessage {
    public static let messageType = MessageType.attachEnd
    public var uploadID: UInt64
    public var sha256: [UInt8]

    public init(uploadID: UInt64, sha256: [UInt8] = []) {
        self.uploadID = uploadID
        self.sha256 = sha256
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.uploadID, endianness: .big)
        buffer.writeWireDigest(self.sha256)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            uploadID: try buffer.readWire(UInt64.self, field: "upload_id"),
            sha256: try buffer.readWireDigest(field: "sha256"))
    }
}

/// One attachment as the wire carries it (PROTOCOL.md §5.24).
public struct AttachmentEntry: WireValue {
    public var number: UInt16
    public var name: String
    public var contentType: String
    public var size: UInt32
    public var sha256: [UInt8]
    public var uploadedBy: String
    public var uploaderRole: SessionRole
    public var at: Int64

    public init(
        number: UInt16, name: String, contentType: String, size: UInt32, sha256: [UInt8], uploadedBy: String,
        uploaderRole: SessionRole, at: Int64
    ) {
        self.number = number
        self.name = name
        self.contentType = contentType
        self.size = size
        self.sha256 = sha256
        self.uploadedBy = uploadedBy
        self.uploaderRole = uploaderRole
        self.at = at
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.number, endianness: .big)
        buffer.writeWireString(self.name)
        buffer.writeWireString(self.contentType)
        buffer.writeInteger(self.size, endianness: .big)
        buffer.writeWireDigest(self.sha256)
        buffer.writeWireString(self.uploadedBy)
        buffer.writeInteger(self.uploaderRole.rawValue)
        buffer.writeInteger(self.at, endianness: .big)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        let name = ProtocolLimits.maximumNameBytes
        return Self(
            number: try buffer.readWire(UInt16.self, field: "number"),
            name: try buffer.readWireString(field: "name", maximumBytes: ProtocolLimits.maximumFileNameBytes),
            contentType: try buffer.readWireString(field: "content_type", maximumBytes: name),
            size: try buffer.readWire(UInt32.self, field: "size"),
            sha256: try buffer.readWireDigest(field: "sha256"),
            uploadedBy: try buffer.readWireString(field: "uploaded_by", maximumBytes: name + 16),
            uploaderRole: try buffer.readWireEnum(SessionRole.self, field: "uploader_role"),
            at: try buffer.readWire(Int64.self, field: "at"))
    }
}

/// ATTACHMENT: the file as stored, the answer to ATTACH_END.
public struct AttachmentInfo: WireMessage {
    public static let messageType = MessageType.attachment
    public var ticketID: UInt64
    public var attachment: AttachmentEntry

    public init(ticketID: UInt64, attachment: AttachmentEntry) {
        self.ticketID = ticketID
        self.attachment = attachment
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.ticketID, endianness: .big)
        self.attachment.encode(into: &buffer)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(ticketID: try buffer.readWire(UInt64.self, field: "ticket_id"), attachment: try .decode(from: &buffer))
    }
}

/// ATTACHMENT_LIST: a ticket's attachments (a player: the ones they attached). Answered by ATTACHMENTS.
public struct AttachmentList: WireMessage {
    public static let messageType = MessageType.attachmentList
    public var ticketID: UInt64

    public init(ticketID: UInt64) { self.ticketID = ticketID }
    public func encode(into buffer: inout ByteBuffer) { buffer.writeInteger(self.ticketID, endianness: .big) }
    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(ticketID: try buffer.readWire(UInt64.self, field: "ticket_id"))
    }
}

/// ATTACHMENTS: a ticket's attachments, in order.
public struct Attachments: WireMessage {
    public static let messageType = MessageType.attachments
    public var ticketID: UInt64
    public var attachments: [AttachmentEntry]

    public init(ticketID: UInt64, attachments: [AttachmentEntry]) {
        self.ticketID = ticketID
        self.attachments = attachments
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.ticketID, endianness: .big)
        buffer.writeWireList(self.attachments) { attachment, buffer in attachment.encode(into: &buffer) }
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            ticketID: try buffer.readWire(UInt64.self, field: "ticket_id"),
            attachments: try buffer.readWireList(field: "attachments") { buffer throws(WireDecodingError) in
                try AttachmentEntry.decode(from: &buffer)
            })
    }
}

/// ATTACHMENT_GET: bytes of an attachment, from `offset`, at most `length` (0: as many as a chunk holds).
/// Answered by ATTACHMENT_DATA.
public struct AttachmentGet: WireMessage {
    public static let messageType = MessageType.attachmentGet
    public var ticketID: UInt64
    public var number: UInt16
    public var offset: UInt32
    public var length: UInt32

    public init(ticketID: UInt64, number: UInt16, offset: UInt32 = 0, length: UInt32 = 0) {
        self.ticketID = ticketID
        self.number = number
        self.offset = offset
        self.length = length
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.ticketID, endianness: .big)
        buffer.writeInteger(self.number, endianness: .big)
        buffer.writeInteger(self.offset, endianness: .big)
        buffer.writeInteger(self.length, endianness: .big)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            ticketID: try buffer.readWire(UInt64.self, field: "ticket_id"),
            number: try buffer.readWire(UInt16.self, field: "number"),
            offset: try buffer.readWire(UInt32.self, field: "offset"),
            length: try buffer.readWire(UInt32.self, field: "length"))
    }
}

/// ATTACHMENT_DATA: a part of an attachment's bytes and the file's whole size.
public struct AttachmentData: WireMessage {
    public static let messageType = MessageType.attachmentData
    public var ticketID: UInt64
    public var number: UInt16
    public var size: UInt32
    public var offset: UInt32
    public var data: [UInt8]

    public init(ticketID: UInt64, number: UInt16, size: UInt32, offset: UInt32, data: [UInt8]) {
        self.ticketID = ticketID
        self.number = number
        self.size = size
        self.offset = offset
        self.data = data
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.ticketID, endianness: .big)
        buffer.writeInteger(self.number, endianness: .big)
        buffer.writeInteger(self.size, endianness: .big)
        buffer.writeInteger(self.offset, endianness: .big)
        buffer.writeWireBlob(self.data)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            ticketID: try buffer.readWire(UInt64.self, field: "ticket_id"),
            number: try buffer.readWire(UInt16.self, field: "number"),
            size: try buffer.readWire(UInt32.self, field: "size"),
            offset: try buffer.readWire(UInt32.self, field: "offset"),
            data: try buffer.readWireBlob(field: "data", maximumBytes: ProtocolLimits.maximumChunkBytes))
    }
}

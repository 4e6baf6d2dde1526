import Crypto
import Foundation

/// What an attachment may be, decided from its bytes (never from its name): a PNG or JPEG screenshot, or a plain
/// UTF-8 text such as a log or a chat log.
public enum AttachmentType: String, Sendable, CaseIterable, Codable {
    case png = "image/png"
    case jpeg = "image/jpeg"
    case text = "text/plain"

    /// The type the bytes are, or nil when they are none of the three: PNG's eight-byte signature, JPEG's start of
    /// image marker (FF D8 FF), or valid UTF-8 without NUL or control characters other than tab, line feed,
    /// carriage return and form feed.
    public static func sniff(_ bytes: Data) -> AttachmentType? {
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        guard !bytes.isEmpty, String(validating: bytes, as: UTF8.self) != nil else { return nil }
        let allowed: Set<UInt8> = [0x09, 0x0A, 0x0C, 0x0D]
        return bytes.contains { ($0 < 0x20 && !allowed.contains($0)) || $0 == 0x7F } ? nil : .text
    }
}

/// A file kept with a ticket as evidence: a player's screenshot or log, or what a game server attached (the chat
/// between reporter and reported). Its bytes are stored once per content (SHA-256), and its `attached` event in
/// the hash chain names that hash, so `audit verify` covers the bytes.
public struct Attachment: Sendable, Equatable {
    public var ticketID: Int64
    /// 1, 2, … within the ticket.
    public var number: Int
    public var name: String
    public var type: AttachmentType
    public var size: Int
    public var sha256: Data
    public var uploadedBy: String
    public var uploaderRole: Role
    public var uploaderID: Int64
    public var at: Int64

    public init(
        ticketID: Int64, number: Int, name: String, type: AttachmentType, size: Int, sha256: Data, uploadedBy: String,
        uploaderRole: Role, uploaderID: Int64, at: Int64
    ) {
        self.ticketID = ticketID
        self.number = number
        self.name = name
        self.type = type
        self.size = size
        self.sha256 = sha256
        self.uploadedBy = uploadedBy
        self.uploaderRole = uploaderRole
        self.uploaderID = uploaderID
        self.at = at
    }

    /// What the `attached` event records: the number, name, type, size and the content's SHA-256 in hex.
    public static func eventText(number: Int, file: AttachmentFile) -> String {
        "Attachment \(number): \(file.name) (\(file.type.rawValue), \(file.bytes.count) bytes, SHA-256 \(file.sha256.hex))"
    }

    /// Whether `player` may see it: a player sees the files they attached themselves, never a game server's.
    public func isVisible(to actor: Actor) -> Bool {
        actor.role != .player || (self.uploaderRole == .player && self.uploaderID == actor.id)
    }
}

/// The limits of attachments (PROTOCOL.md §5.24).
public struct AttachmentLimits: Sendable, Equatable {
    /// The largest file.
    public var maximumBytes: Int
    /// Files per ticket.
    public var perTicket: Int
    /// The largest chunk of an upload or a download.
    public var chunkBytes: Int
    /// An upload with no chunk for this long is discarded.
    public var idleTimeout: TimeInterval
    /// Uploads in progress at once, per connection.
    public var uploadsPerSession: Int

    public init(
        maximumBytes: Int = 2 * 1_048_576, perTicket: Int = 8, chunkBytes: Int = 262_144, idleTimeout: TimeInterval = 60,
        uploadsPerSession: Int = 2
    ) {
        self.maximumBytes = maximumBytes
        self.perTicket = perTicket
        self.chunkBytes = chunkBytes
        self.idleTimeout = idleTimeout
        self.uploadsPerSession = uploadsPerSession
    }

    public static let standard = AttachmentLimits()
    /// The longest file name.
    public static let maximumNameBytes = 200
}

/// A whole uploaded file, checked: what the store keeps.
public struct AttachmentFile: Sendable, Equatable {
    public var name: String
    public var type: AttachmentType
    public var bytes: Data
    public var sha256: Data

    public init(name: String, type: AttachmentType, bytes: Data, sha256: Data) {
        self.name = name
        self.type = type
        self.bytes = bytes
        self.sha256 = sha256
    }
}

/// Why an upload was refused; its description says what to do. The upload is discarded with it (nothing of it is
/// stored), except `tooMany`, which is found by the store.
public enum AttachmentProblem: Error, Sendable, Equatable, CustomStringConvertible {
    case tooLarge(size: Int, limit: Int)
    case empty
    case nameInvalid
    case outOfOrder(offset: Int, expected: Int)
    case chunkTooLarge(size: Int, limit: Int)
    case beyondDeclaredSize(declared: Int)
    case incomplete(received: Int, declared: Int)
    case unsupportedType
    case digestMismatch
    case tooMany(limit: Int)
    case tooManyUploads(limit: Int)
    case unknownUpload(UInt64)

    public var description: String {
        switch self {
        case .tooLarge(let size, let limit):
            "a file of \(size) bytes is over the limit of \(limit) bytes; attach a smaller screenshot or cut the log"
        case .empty: "the file is empty; attach a screenshot or a log with something in it"
        case .nameInvalid:
            "a file name is 1 to \(AttachmentLimits.maximumNameBytes) bytes of printable text without / or \\; send the "
                + "file's own name"
        case .outOfOrder(let offset, let expected):
            "a chunk at offset \(offset) came where offset \(expected) was expected; the upload is discarded: send the "
                + "chunks in order, from ATTACH again"
        case .chunkTooLarge(let size, let limit):
            "a chunk of \(size) bytes is over the \(limit) a chunk may hold; the upload is discarded: send smaller chunks"
        case .beyondDeclaredSize(let declared):
            "the chunks hold more than the \(declared) bytes announced; the upload is discarded: announce the file's "
                + "real size"
        case .incomplete(let received, let declared):
            "only \(received) of the \(declared) bytes announced arrived; send the rest before ATTACH_END"
        case .unsupportedType:
            "the file is neither a PNG or JPEG image nor plain UTF-8 text; attach a screenshot (PNG or JPEG) or a text "
                + "log. Nothing was stored"
        case .digestMismatch:
            "the bytes received do not have the SHA-256 the client computed; the upload is discarded: send it again"
        case .tooMany(let limit): "this ticket already holds \(limit) attachments, the most a ticket takes"
        case .tooManyUploads(let limit):
            "\(limit) uploads are in progress on this connection already; finish one before starting another"
        case .unknownUpload(let id):
            "there is no upload \(id) on this connection (it was finished, refused, or discarded after a minute "
                + "without chunks); start again with ATTACH"
        }
    }
}

/// One upload in progress: the announced file and the bytes so far, taken in order. Pure: the session keeps it
/// in memory until ATTACH_END, and nothing of it is stored before then.
public struct AttachmentUpload: Sendable, Equatable {
    public let ticketID: Int64
    public let name: String
    public let declaredSize: Int
    public private(set) var bytes = Data()
    public private(set) var lastActivity: Date

    public init(ticketID: Int64, name: String, size: Int, limits: AttachmentLimits, at now: Date) throws(AttachmentProblem) {
        guard size > 0 else { throw .empty }
        guard size <= limits.maximumBytes else { throw .tooLarge(size: size, limit: limits.maximumBytes) }
        guard !name.isEmpty, name.utf8.count <= AttachmentLimits.maximumNameBytes,
            !name.contains("/"), !name.contains("\\"), !name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
        else { throw .nameInvalid }
        self.ticketID = ticketID
        self.name = name
        self.declaredSize = size
        self.bytes.reserveCapacity(size)
        self.lastActivity = now
    }

    /// Takes the chunk at `offset`, which must follow the bytes so far.
    public mutating func append(_ chunk: Data, at offset: Int, limits: AttachmentLimits, now: Date) throws(AttachmentProblem) {
        guard offset == self.bytes.count else { throw .outOfOrder(offset: offset, expected: self.bytes.count) }
        guard chunk.count <= limits.chunkBytes else { throw .chunkTooLarge(size: chunk.count, limit: limits.chunkBytes) }
        guard self.bytes.count + chunk.count <= self.declaredSize else { throw .beyondDeclaredSize(declared: self.declaredSize) }
        self.bytes.append(chunk)
        self.lastActivity = now
    }

    public func isExpired(at now: Date, limits: AttachmentLimits) -> Bool {
        now.timeIntervalSince(self.lastActivity) > limits.idleTimeout
    }

    /// The whole file, once every byte arrived, its type sniffed and, when the client sent one, its SHA-256
    /// matched.
    public func finish(expectedSHA256: Data?) throws(AttachmentProblem) -> AttachmentFile {
        guard self.bytes.count == self.declaredSize else {
            throw .incomplete(received: self.bytes.count, declared: self.declaredSize)
        }
        guard let type = AttachmentType.sniff(self.bytes) else { throw .unsupportedType }
        let digest = Data(SHA256.hash(data: self.bytes))
        if let expectedSHA256, !expectedSHA256.isEmpty, expectedSHA256 != digest { throw .digestMismatch }
        return AttachmentFile(name: self.name, type: type, bytes: self.bytes, sha256: digest)
    }
}

extension Data {
    /// Lower-case hexadecimal.
    public var hex: String { self.map { String(format: "%02x", $0) }.joined() }
}

extension EventChain.Verifier {
    /// Checks a stored attachment against the chain: its bytes still have the recorded SHA-256, and its `attached`
    /// event (whose text the chain covers) names that hash. Nil when it holds.
    public static func checkAttachment(
        _ attachment: Attachment, bytes: Data?, eventSeq: Int64, eventText: String?
    ) -> EventChain.BrokenLink? {
        func broken(_ reason: String) -> EventChain.BrokenLink {
            EventChain.BrokenLink(ticketID: attachment.ticketID, seq: eventSeq, chainSeq: nil, reason: reason)
        }
        guard let bytes else { return broken("attachment \(attachment.number)'s bytes are missing") }
        guard Data(SHA256.hash(data: bytes)) == attachment.sha256, bytes.count == attachment.size else {
            return broken("attachment \(attachment.number)'s bytes were changed: they no longer have their SHA-256")
        }
        guard let eventText, eventText.contains(attachment.sha256.hex) else {
            return broken("attachment \(attachment.number) is not the file its event in the chain names")
        }
        return nil
    }
}

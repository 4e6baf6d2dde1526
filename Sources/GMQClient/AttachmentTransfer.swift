import Crypto
import Foundation
import GMQProtocol

/// Uploads and downloads of attachments over a session (PROTOCOL.md §5.24), for the tools.
public enum AttachmentTransfer {
    /// ATTACH, the bytes in chunks in order, then ATTACH_END with the file's SHA-256: the attachment as stored.
    public static func upload(_ data: Data, name: String, to ticketID: UInt64, on connection: GMQConnection) async throws
        -> AttachmentInfo
    {
        func expect<T>(_ request: MessageType, _ message: Message, _ extract: (Message) -> T?) throws -> T {
            guard let value = extract(message) else {
                throw GMQClientError.unexpectedResponse(request: request, response: message.type)
            }
            return value
        }
        let ready = try expect(.attach, try await connection.call(.attach(AttachRequest(
            ticketID: ticketID, name: name, size: UInt32(clamping: data.count))))) {
            if case .attachReady(let ready) = $0 { ready } else { nil }
        }
        let chunk = max(1, Int(ready.chunkBytes))
        var offset = 0
        while offset < data.count {
            let end = min(data.count, offset + chunk)
            let bytes = Array(data[data.startIndex + offset..<data.startIndex + end])
            _ = try expect(.attachChunk, try await connection.call(.attachChunk(AttachChunk(
                uploadID: ready.uploadID, offset: UInt32(offset), data: bytes)))) {
                if case .ok = $0 { () } else { nil }
            }
            offset = end
        }
        return try expect(.attachEnd, try await connection.call(.attachEnd(AttachEnd(
            uploadID: ready.uploadID, sha256: Array(SHA256.hash(data: data)))))) {
            if case .attachment(let info) = $0 { info } else { nil }
        }
    }

    /// Every byte of attachment `number`, fetched a chunk at a time, checked against its SHA-256.
    public static func download(number: UInt16, of ticketID: UInt64, expecting sha256: [UInt8], on connection: GMQConnection)
        async throws -> Data
    {
        var data = Data()
        while true {
            let message = try await connection.call(.attachmentGet(AttachmentGet(
                ticketID: ticketID, number: number, offset: UInt32(data.count))))
            guard case .attachmentData(let part) = message else {
                throw GMQClientError.unexpectedResponse(request: .attachmentGet, response: message.type)
            }
            data.append(contentsOf: part.data)
            if part.data.isEmpty || data.count >= Int(part.size) { break }
        }
        guard Array(SHA256.hash(data: data)) == sha256 else {
            throw GMQClientError.undecodableResponse(
                "the bytes received do not have attachment \(number)'s SHA-256; fetch it again")
        }
        return data
    }
}

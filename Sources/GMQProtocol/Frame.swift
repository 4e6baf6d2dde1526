import NIOCore

/// One frame of the byte stream (PROTOCOL.md §1), its payload not yet interpreted.
///
/// ```
/// +----------------+----------------+------------------+-------------------+
/// | length: u32 BE | type: u16 BE   | request_id: u32  | payload           |
/// | (of the rest)  |                | BE (0 = push)    | (length - 6 bytes)|
/// +----------------+----------------+------------------+-------------------+
/// ```
public struct Frame: Sendable, Equatable {
    public var type: UInt16
    public var requestID: UInt32
    public var payload: ByteBuffer

    public init(type: UInt16, requestID: UInt32, payload: ByteBuffer) {
        self.type = type
        self.requestID = requestID
        self.payload = payload
    }

    /// Decodes the payload as the message its type names.
    public func message() throws(WireDecodingError) -> Message {
        var payload = self.payload
        return try Message.decode(type: self.type, payload: &payload)
    }
}

/// A message and the request id it travels under: what the encoder writes.
public struct Envelope: Sendable, Equatable {
    /// The request id of the request being answered, or 0 for a server push.
    public var requestID: UInt32
    public var message: Message

    public init(requestID: UInt32, message: Message) {
        self.requestID = requestID
        self.message = message
    }

    /// Writes the whole frame: length, type, request id, payload.
    public func encode(into buffer: inout ByteBuffer) {
        let start = buffer.writerIndex
        buffer.writeInteger(UInt32(0), endianness: .big)
        buffer.writeInteger(self.message.type.rawValue, endianness: .big)
        buffer.writeInteger(self.requestID, endianness: .big)
        self.message.payload.encode(into: &buffer)
        let length = buffer.writerIndex - start - 4
        precondition(length <= Int(ProtocolLimits.maximumFrameLength), "an encoded frame exceeds the spec's limit")
        buffer.setInteger(UInt32(length), at: start, endianness: .big)
    }
}

/// Splits the byte stream into frames. A length outside the spec's bounds is rejected as soon as
/// its four bytes arrive, before any of the body is buffered.
public struct FrameDecoder: NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = Frame

    public init() {}

    public mutating func decode(buffer: inout ByteBuffer) throws -> Frame? {
        guard let length = buffer.getInteger(at: buffer.readerIndex, endianness: .big, as: UInt32.self) else {
            return nil
        }
        guard length >= ProtocolLimits.minimumFrameLength else { throw FrameError.lengthTooSmall(length) }
        guard length <= ProtocolLimits.maximumFrameLength else { throw FrameError.lengthTooLarge(length) }
        guard buffer.readableBytes >= 4 + Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: 4)
        // Both reads succeed: the length check above covers them.
        let type = buffer.readInteger(endianness: .big, as: UInt16.self)!
        let requestID = buffer.readInteger(endianness: .big, as: UInt32.self)!
        let payload = buffer.readSlice(length: Int(length) - 6)!
        return Frame(type: type, requestID: requestID, payload: payload)
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> Frame? {
        // A frame cut off by the peer's close is dropped: it was never a request.
        try self.decode(buffer: &buffer)
    }
}

/// Writes envelopes as frames.
public struct EnvelopeEncoder: MessageToByteEncoder {
    public typealias OutboundIn = Envelope
    public init() {}
    public func encode(data: Envelope, out: inout ByteBuffer) throws {
        data.encode(into: &out)
    }
}

import GMQProtocol
import NIOCore
import NIOTestUtils
import Testing

@Suite struct FrameDecoderTests {
    @Test func framesSurviveAnySplitOfTheStream() throws {
        let pairs = Vectors.all.map { vector -> (ByteBuffer, [Frame]) in
            var payload = ByteBuffer()
            vector.envelope.message.payload.encode(into: &payload)
            let frame = Frame(
                type: vector.envelope.message.type.rawValue, requestID: vector.envelope.requestID, payload: payload)
            return (ByteBuffer(bytes: Vectors.bytes(of: vector.envelope)), [frame])
        }
        // Feeds each input whole, byte by byte and in random pieces, and expects exactly the same frames.
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: pairs) { FrameDecoder() }
    }

    @Test func lengthAboveTheLimitIsRefusedBeforeTheBodyArrives() {
        var decoder = FrameDecoder()
        var buffer = ByteBuffer(bytes: [0x00, 0x10, 0x00, 0x01])  // 1,048,577: one above the limit
        #expect(throws: FrameError.lengthTooLarge(ProtocolLimits.maximumFrameLength + 1)) {
            try decoder.decode(buffer: &buffer)
        }
    }

    @Test func lengthAtTheLimitIsAwaited() throws {
        var decoder = FrameDecoder()
        var buffer = ByteBuffer(bytes: [0x00, 0x10, 0x00, 0x00, 0x00, 0x13])
        #expect(try decoder.decode(buffer: &buffer) == nil)
        #expect(buffer.readableBytes == 6, "a short read consumes nothing")
    }

    /// Every proper prefix of every vector's payload is a truncated message: it must be refused, never crash.
    @Test(arguments: Vectors.all.map(\.name))
    func everyTruncationOfAPayloadIsRefused(name: String) throws {
        let envelope = try #require(Vectors.all.first { $0.name == name }?.envelope)
        var payload = ByteBuffer()
        envelope.message.payload.encode(into: &payload)
        for length in 0..<payload.readableBytes {
            var truncated = payload.getSlice(at: 0, length: length)!
            #expect(throws: WireDecodingError.self, "\(name) cut to \(length) bytes") {
                try Message.decode(type: envelope.message.type.rawValue, payload: &truncated)
            }
        }
    }

    @Test func textOverItsLimitIsRefusedNamingTheField() {
        var payload = ByteBuffer()
        Note(ticketID: 1, text: String(repeating: "a", count: ProtocolLimits.maximumTextBytes + 1)).encode(into: &payload)
        #expect(throws: WireDecodingError.tooLong(field: "text", maximum: ProtocolLimits.maximumTextBytes)) {
            try Message.decode(type: MessageType.note.rawValue, payload: &payload)
        }
    }

    @Test func unknownErrorCodesStillDecode() throws {
        var payload = ByteBuffer()
        ErrorMessage(ErrorCode(rawValue: 999), "from the future").encode(into: &payload)
        let message = try Message.decode(type: MessageType.error.rawValue, payload: &payload)
        guard case .error(let error) = message else { Issue.record("not an error"); return }
        #expect(error.code.rawValue == 999 && error.code.name == "code_999")
    }

    @Test func previewCutsAtACharacterBoundary() {
        let text = String(repeating: "я", count: 100)  // 2 bytes each
        let preview = TicketSummary.preview(of: text)
        #expect(preview.utf8.count == ProtocolLimits.maximumPreviewBytes)
        #expect(preview.allSatisfy { $0 == "я" })
        let emoji = String(repeating: "a", count: 159) + "🙂"
        #expect(TicketSummary.preview(of: emoji) == String(repeating: "a", count: 159))
    }
}

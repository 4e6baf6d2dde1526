import Foundation
import GMQProtocol
import NIOCore
import Testing

/// Checks the Swift codec against `Protocol/vectors/`, the bytes other implementations are written against.
/// `GMQ_WRITE_VECTORS=1 swift test --filter GoldenVectorTests` rewrites the files after a deliberate change.
@Suite struct GoldenVectorTests {
    static let writing = ProcessInfo.processInfo.environment["GMQ_WRITE_VECTORS"] == "1"

    @Test(arguments: Vectors.all.map(\.name))
    func encodingMatchesTheVectorAndDecodingRestoresTheMessage(name: String) throws {
        let envelope = try #require(Vectors.all.first { $0.name == name }?.envelope)
        let url = Vectors.directory.appendingPathComponent("\(name).hex")
        if Self.writing {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Vectors.file(name: name, envelope: envelope).write(to: url, atomically: true, encoding: .utf8)
        }
        let golden = try #require(Vectors.parse(try String(contentsOf: url, encoding: .utf8)), "unreadable \(url.path)")
        #expect(Vectors.bytes(of: envelope) == golden, "encoding differs from \(name).hex")

        var decoder = FrameDecoder()
        var buffer = ByteBuffer(bytes: golden)
        let frame = try #require(try decoder.decode(buffer: &buffer))
        #expect(buffer.readableBytes == 0)
        #expect(frame.requestID == envelope.requestID)
        #expect(frame.type == envelope.message.type.rawValue)
        #expect(try frame.message() == envelope.message)
    }

    @Test func everyMessageTypeHasAVector() {
        let covered = Set(Vectors.all.map(\.envelope.message.type))
        #expect(covered == Set(MessageType.allCases))
    }

    @Test(arguments: Vectors.invalid.map(\.name))
    func invalidVectorIsRefusedWithItsCode(name: String) throws {
        let vector = try #require(Vectors.invalid.first { $0.name == name })
        let url = Vectors.directory.appendingPathComponent("invalid/\(name).hex")
        if Self.writing {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            let text = (["# \(name): \(vector.why)", "# expect: \(vector.expect.name) (\(vector.expect.rawValue))"]
                + Vectors.hex(vector.bytes)).joined(separator: "\n") + "\n"
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let bytes = try #require(Vectors.parse(try String(contentsOf: url, encoding: .utf8)))
        #expect(bytes == vector.bytes)
        #expect(CodecProbe.errorCode(for: bytes) == vector.expect)
    }
}

/// Runs bytes through the frame decoder and message decoding as the server does, and names the error code the
/// server would answer with, or nil when the bytes are a valid message.
enum CodecProbe {
    static func errorCode(for bytes: [UInt8]) -> ErrorCode? {
        var decoder = FrameDecoder()
        var buffer = ByteBuffer(bytes: bytes)
        do {
            guard let frame = try decoder.decode(buffer: &buffer) else { return nil }
            _ = try frame.message()
            return nil
        } catch FrameError.lengthTooLarge {
            return .frameTooLarge
        } catch is FrameError {
            return .malformedFrame
        } catch WireDecodingError.unknownMessageType {
            return .unknownMessageType
        } catch {
            return .malformedPayload
        }
    }
}

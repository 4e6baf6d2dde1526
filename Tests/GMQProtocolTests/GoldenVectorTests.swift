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

/// The vectors' descriptions use the spec's own names: a studio reads a vector beside PROTOCOL.md, so every field
/// a description names is a field of that message's section (or of the shared values it embeds), and every enum
/// value it names is the spec's word for it.
@Suite struct VectorDescriptionTests {
    static let spec: String = {
        let url = Vectors.directory.deletingLastPathComponent().appendingPathComponent("PROTOCOL.md")
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }()

    /// The text of every `###` section of §5, by heading.
    static let sections: [(heading: String, body: String)] = {
        var result: [(String, String)] = []
        var heading = ""
        var body = ""
        for line in Self.spec.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("#") {
                if !heading.isEmpty { result.append((heading, body)) }
                heading = String(line)
                body = ""
            } else {
                body += line + "\n"
            }
        }
        result.append((heading, body))
        return result
    }()

    /// Field names a section defines: a table's first column (`since, until` names two) and `name: type` forms.
    static func fieldNames(in body: String) -> Set<String> {
        var names = Set<String>()
        for line in body.split(separator: "\n") where line.hasPrefix("| ") {
            let cell = line.dropFirst(2).prefix { $0 != "|" }
            for name in cell.split(separator: ",") { names.insert(name.trimmingCharacters(in: .whitespaces)) }
        }
        let types = "u8|u16|u32|u64|i16|i32|i64|f32|str|bool|time|enum|list|TicketSummary|GameContext|HistoryEntry|StaffAccount|Incident|Article|Attachment|blob|digest"
        let pattern = try! Regex("([a-z][a-z0-9_]*): (?:\(types))")
        for match in body.matches(of: pattern) {
            if let name = match.output[1].substring { names.insert(String(name)) }
        }
        return names
    }

    /// What a message's description may name: its own section, plus the shared values of §5.4 and §5.5's context.
    static func allowedNames(for type: MessageType) -> Set<String> {
        var names = Set<String>()
        for section in Self.sections where section.heading.contains("\(type.specName) (0x")
            || section.heading.contains("Shared values") || section.heading.contains("SUBMIT (0x")
            || (type.sender == .staff && section.heading.contains("Staff actions"))
        {
            names.formUnion(Self.fieldNames(in: section.body))
            // A message that carries an Incident names its fields, defined with INCIDENT (§5.21).
            if section.body.contains(": Incident`") {
                for incident in Self.sections where incident.heading.contains("INCIDENT (0x0081)") {
                    names.formUnion(Self.fieldNames(in: incident.body))
                }
            }
        }
        return names
    }

    @Test(arguments: Vectors.all.map(\.name))
    func descriptionNamesOnlySpecFields(name: String) throws {
        let envelope = try #require(Vectors.all.first { $0.name == name }?.envelope)
        let allowed = Self.allowedNames(for: envelope.message.type).union(["request_id"])
        #expect(!Self.spec.isEmpty)
        let text = Vectors.file(name: name, envelope: envelope)
        for line in text.split(separator: "\n").dropFirst() where line.hasPrefix("#") {
            let field = line.dropFirst().trimmingCharacters(in: .whitespaces)
            guard !field.hasPrefix("["), let colon = field.firstIndex(of: ":") else { continue }
            let label = String(field[..<colon])
            #expect(allowed.contains(label), "\(name): '\(label)' is not a field of \(envelope.message.type.specName) in PROTOCOL.md")
            // An enum value is written `spec_name (byte)`: the spec's word must appear in §5.
            let value = field[field.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if let word = value.wholeMatch(of: /([a-z_]+) \(\d+\)/)?.output.1 {
                #expect(Self.spec.contains(String(word)), "\(name): value '\(word)' of '\(label)' is not a word of PROTOCOL.md")
            }
        }
    }

    @Test func headingsOfSectionFiveAreInOrder() {
        let numbers = Self.sections.compactMap { section -> Int? in
            guard let match = try? Regex("^### 5\\.([0-9]+) ").firstMatch(in: section.heading),
                  let number = match.output[1].substring else { return nil }
            return Int(number)
        }
        #expect(numbers == Array(1...numbers.count), "§5's subsections are numbered \(numbers)")
    }

    @Test func everyTypeOfTheMessageTableIsNamedAsTheSpecNamesIt() throws {
        // `| 0x0031 | NOTIFICATION_ACK | C→S (player) | OK |`
        var seen: [MessageType] = []
        for line in Self.spec.split(separator: "\n") {
            guard let match = line.wholeMatch(of: /\| 0x([0-9A-F]{4}) \| ([A-Z_]+) \| ([^|]+) \|.*/) else { continue }
            let type = try #require(MessageType(rawValue: UInt16(match.output.1, radix: 16)!), "\(line)")
            #expect(type.specName == String(match.output.2))
            let direction = String(match.output.3)
            let sender: MessageType.Sender =
                if direction.hasPrefix("S→C") { .server }
                else if direction.contains("any time") { .anyClient }
                else if direction.contains("player") && direction.contains("staff") { .playerOrStaff }
                else if direction.contains("player") { .player }
                else if direction == "C→S" { .anyClient }
                else { .staff }
            #expect(type.sender == sender, "\(type.specName): the table says \(direction)")
            seen.append(type)
        }
        #expect(Set(seen) == Set(MessageType.allCases))
    }

    @Test func theErrorTableListsEveryCodeByItsName() {
        var codes: [UInt16: String] = [:]
        for line in Self.spec.split(separator: "\n") {
            if let match = line.wholeMatch(of: /\| (\d+) \| ([a-z_]+) \|.*/) { codes[UInt16(match.output.1)!] = String(match.output.2) }
        }
        #expect(!codes.isEmpty)
        for (code, name) in codes { #expect(ErrorCode(rawValue: code).name == name) }
        #expect(Set(codes.keys) == Set(1...26))
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

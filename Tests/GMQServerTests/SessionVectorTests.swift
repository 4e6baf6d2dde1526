import Foundation
import GMQCore
import GMQProtocol
import GMQServer
import GMQTestSupport
import NIOCore
import Testing

/// `Protocol/vectors/session/`: what the server answers to one frame in a given session state, replayed against a
/// live server. They pin down the rules the codec vectors cannot show: which error wins (PROTOCOL.md §6.1),
/// request id 0, response types sent by a client, unknown categories, REPORT's open bounds, and that an ERROR does
/// not repeat what the request carried. The files are the authority: the test reads the port, session, expected
/// answer and bytes from each file. `GMQ_WRITE_VECTORS=1 swift test --filter SessionVectorTests` rewrites them.
@Suite struct SessionVectorTests {
    enum Session: String {
        /// The frame is the connection's first.
        case none
        /// A HELLO with a valid credential opens the session first (staff: an admin's key).
        case open
    }

    enum Then: String {
        case open
        case closed
    }

    struct Vector {
        var name: String
        var why: String
        var port: Port
        var session: Session
        var bytes: [UInt8]
        /// An error code's name, or a message type's spec name for a success.
        var expect: String
        var answerID: UInt32
        var then: Then
        /// Text of the request that the answer must not repeat (§5.3).
        var withheld: String? = nil

        enum Port: String {
            case player
            case staff
        }
    }

    static func frame(_ id: UInt32, _ message: Message) -> [UInt8] {
        var buffer = ByteBuffer()
        Envelope(requestID: id, message: message).encode(into: &buffer)
        return Array(buffer.readableBytesView)
    }

    static let vectors: [Vector] = [
        Vector(
            name: "request-id-zero", why: "a PING on request id 0 in an open session", port: .player, session: .open,
            bytes: frame(0, .ping(Ping(nonce: 1))), expect: "malformed_frame", answerID: 0, then: .closed),
        Vector(
            name: "request-id-zero-before-hello", why: "MY_TICKETS on request id 0 as the first frame", port: .player,
            session: .none, bytes: frame(0, .myTickets(MyTickets())), expect: "malformed_frame", answerID: 0,
            then: .closed),
        Vector(
            name: "pong-from-a-client", why: "a client sends PONG, a response type, before HELLO", port: .player,
            session: .none, bytes: frame(3, .pong(Pong(nonce: 9))), expect: "not_a_request", answerID: 3, then: .open),
        Vector(
            name: "notification-from-a-client", why: "a client sends NOTIFICATION, a push type, in an open session",
            port: .player, session: .open,
            bytes: frame(3, .notification(NotificationPush(
                notificationID: 1, ticketID: 1, kind: .answered, actorName: "Mirna", at: 0, text: "hi"))),
            expect: "not_a_request", answerID: 3, then: .open),
        Vector(
            name: "broken-response-type", why: "a PONG whose payload is 3 bytes: the payload is read before the direction",
            port: .player, session: .none, bytes: [0, 0, 0, 9, 0x00, 0x06, 0, 0, 0, 3, 1, 2, 3],
            expect: "malformed_payload", answerID: 3, then: .open),
        Vector(
            name: "staff-request-before-hello", why: "a well-formed QUEUE as the first frame", port: .player,
            session: .none, bytes: frame(4, .queue(QueueRequest())), expect: "handshake_required", answerID: 4,
            then: .open),
        Vector(
            name: "broken-staff-request-before-hello", why: "a QUEUE cut inside its filter, as the first frame",
            port: .player, session: .none, bytes: [0, 0, 0, 8, 0x00, 0x20, 0, 0, 0, 4, 0, 0],
            expect: "malformed_payload", answerID: 4, then: .open),
        Vector(
            name: "unknown-type-before-hello", why: "type 0x7777 as the first frame", port: .player, session: .none,
            bytes: [0, 0, 0, 6, 0x77, 0x77, 0, 0, 0, 5], expect: "unknown_message_type", answerID: 5, then: .open),
        Vector(
            name: "ping-before-hello", why: "PING is answered in every state", port: .player, session: .none,
            bytes: frame(6, .ping(Ping(nonce: 7))), expect: "PONG", answerID: 6, then: .open),
        Vector(
            name: "staff-request-on-the-player-port", why: "QUEUE in an open player session", port: .player,
            session: .open, bytes: frame(7, .queue(QueueRequest())), expect: "wrong_port", answerID: 7, then: .open),
        Vector(
            name: "player-request-on-the-staff-port", why: "SUBMIT in an open staff session", port: .staff,
            session: .open,
            bytes: frame(8, .submit(Submit(category: "bug", text: "The mailbox in Goldshire eats my letters", context: GameContext()))),
            expect: "wrong_port", answerID: 8, then: .open),
        Vector(
            name: "port-before-characters", why: "a NOTE holding U+0007 in an open player session: the port rule wins",
            port: .player, session: .open, bytes: frame(9, .note(Note(ticketID: 1, text: "ring \u{7}"))),
            expect: "wrong_port", answerID: 9, then: .open),
        Vector(
            name: "queue-unknown-category", why: "QUEUE naming a category that does not exist", port: .staff,
            session: .open, bytes: frame(10, .queue(QueueRequest(category: "no_such_queue"))),
            expect: "unknown_category", answerID: 10, then: .open, withheld: "no_such_queue"),
        Vector(
            name: "claim-next-unknown-category", why: "CLAIM next naming a category that does not exist", port: .staff,
            session: .open, bytes: frame(11, .claim(Claim.next(category: "no_such_queue"))),
            expect: "unknown_category", answerID: 11, then: .open, withheld: "no_such_queue"),
        Vector(
            name: "report-all-time", why: "REPORT with since 0 and until 0: both ends open", port: .staff,
            session: .open, bytes: frame(12, .report(ReportRequest(since: 0, until: 0, category: "", gm: ""))),
            expect: "REPORT_RESULT", answerID: 12, then: .open),
        Vector(
            name: "report-empty-period", why: "REPORT with until before since", port: .staff, session: .open,
            bytes: frame(13, .report(ReportRequest(since: 2_000, until: 1_000, category: "", gm: ""))),
            expect: "invalid_argument", answerID: 13, then: .open),
        Vector(
            name: "macro-save-bad-name", why: "MACRO_SAVE with a name outside a-z 0-9 - _", port: .staff,
            session: .open, bytes: frame(14, .macroSave(MacroSave(name: "Evil<Name>", text: "Hello {player}"))),
            expect: "invalid_argument", answerID: 14, then: .open, withheld: "Evil<Name>"),
        Vector(
            name: "macro-remove-missing", why: "MACRO_REMOVE of a name no macro has", port: .staff, session: .open,
            bytes: frame(15, .macroRemove(MacroRemove(name: "nosuchmacro"))), expect: "not_found", answerID: 15,
            then: .open, withheld: "nosuchmacro"),
    ]

    static var directory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Protocol/vectors/session")
    }

    static func file(_ vector: Vector) -> String {
        var lines = [
            "# \(vector.name): \(vector.why)",
            "# port: \(vector.port.rawValue)",
            "# session: \(vector.session.rawValue)",
            "# expect: \(vector.expect) on request id \(vector.answerID)",
            "# then: \(vector.then.rawValue)",
        ]
        if let withheld = vector.withheld { lines.append("# withheld: \(withheld)") }
        var hex: [String] = []
        for start in stride(from: 0, to: vector.bytes.count, by: 16) {
            hex.append(vector.bytes[start..<min(start + 16, vector.bytes.count)].map { String(format: "%02x", $0) }
                .joined(separator: " "))
        }
        return (lines + hex).joined(separator: "\n") + "\n"
    }

    /// Reads a file back into a vector: what the replay uses.
    static func parse(_ text: String, name: String) throws -> Vector {
        var fields: [String: String] = [:]
        var hex = ""
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# "), let colon = line.firstIndex(of: ":") {
                let key = String(line.dropFirst(2)[..<colon])
                fields[key] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            } else if !line.hasPrefix("#") {
                hex += line.filter { !$0.isWhitespace }
            }
        }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(try #require(UInt8(hex[index..<next], radix: 16)))
            index = next
        }
        let expect = try #require(fields["expect"]).split(separator: " ")
        return Vector(
            name: name, why: fields[name] ?? "",
            port: try #require(Vector.Port(rawValue: fields["port"] ?? "")),
            session: try #require(Session(rawValue: fields["session"] ?? "")), bytes: bytes,
            expect: String(expect[0]), answerID: try #require(UInt32(expect.last ?? "")),
            then: try #require(Then(rawValue: fields["then"] ?? "")), withheld: fields["withheld"])
    }

    @Test(arguments: Self.vectors.map(\.name))
    func theServerAnswersAsTheVectorSays(name: String) async throws {
        let definition = try #require(Self.vectors.first { $0.name == name })
        let url = Self.directory.appendingPathComponent("\(name).hex")
        if ProcessInfo.processInfo.environment["GMQ_WRITE_VECTORS"] == "1" {
            try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
            try Self.file(definition).write(to: url, atomically: true, encoding: .utf8)
        }
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text == Self.file(definition), "\(name).hex differs from its definition")
        let vector = try Self.parse(text, name: name)

        try await withTestServer { server in
            let port = vector.port == .player ? server.ports.player : server.ports.staff
            let raw = try await RawConnection.connect(port: port)
            var frames = raw.received.makeAsyncIterator()
            if vector.session == .open {
                let credential = vector.port == .player
                    ? server.token(player: 42, name: "Thrall")
                    : try await server.staffKey("Mirna", role: .admin)
                try await raw.write(Envelope(requestID: 1, message: .hello(Hello(
                    clientKind: vector.port == .player ? .player : .staff, credential: credential))))
                guard case .welcome = try #require(await frames.next()).message() else {
                    Issue.record("no WELCOME"); return
                }
            }
            try await raw.write(vector.bytes)
            let answer = try #require(await frames.next(), "\(name): no answer")
            #expect(answer.requestID == vector.answerID)
            let message = try answer.message()
            if case .error(let error) = message {
                #expect(error.code.name == vector.expect, "\(name): \(error.code.name): \(error.message)")
                if let withheld = vector.withheld {
                    #expect(!error.message.contains(withheld), "\(name): the ERROR repeats the request: \(error.message)")
                }
                #expect(!error.message.isEmpty)
            } else {
                #expect(message.type.specName == vector.expect, "\(name): answered \(message.type.specName)")
            }
            switch vector.then {
            case .open:
                try await raw.write(Envelope(requestID: 99, message: .ping(Ping(nonce: 99))))
                let pong = try #require(await frames.next(), "\(name): the connection closed")
                #expect(pong.requestID == 99 && (try? pong.message()) == .pong(Pong(nonce: 99)))
            case .closed:
                #expect(await frames.next() == nil, "\(name): the connection stays open")
            }
            await raw.close()
        }
    }
}

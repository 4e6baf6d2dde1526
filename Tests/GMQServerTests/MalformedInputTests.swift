import GMQClient
import GMQCore
import GMQServer
import GMQProtocol
import GMQTestSupport
import Testing

@Suite struct MalformedInputTests {
    @Test func aMalformedPayloadGetsAnErrorAndTheSessionGoesOn() async throws {
        try await withTestServer { server in
            let raw = try await RawConnection.connect(port: server.ports.player)
            var frames = raw.received.makeAsyncIterator()
            // GET_TICKET with 7 of its 8 id bytes, before HELLO.
            try await raw.write([0, 0, 0, 13, 0x00, 0x15, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0])
            let error = try #require(await frames.next())
            #expect(error.requestID == 5)
            guard case .error(let message) = try error.message() else { Issue.record("not an ERROR"); return }
            #expect(message.code == .malformedPayload && message.message.contains("ticket_id"))

            // An unknown message type: ERROR, connection still usable.
            try await raw.write([0, 0, 0, 6, 0x77, 0x77, 0, 0, 0, 6])
            guard case .error(let unknown) = try #require(await frames.next()).message() else { Issue.record("not an ERROR"); return }
            #expect(unknown.code == .unknownMessageType)

            try await raw.write(Envelope(requestID: 7, message: .hello(Hello(
                clientKind: .player, credential: server.token(player: 1, name: "Thrall")))))
            guard case .welcome = try #require(await frames.next()).message() else { Issue.record("no WELCOME"); return }
            await raw.close()
        }
    }

    @Test func anOversizedLengthGetsAnErrorAndACloseWhileOthersAreServed() async throws {
        try await withTestServer { server in
            let bystander = try await server.player(2, "Jaina")
            let raw = try await RawConnection.connect(port: server.ports.player)
            try await raw.write([0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x10])
            var frames = raw.received.makeAsyncIterator()
            let frame = try #require(await frames.next())
            #expect(frame.requestID == 0)
            guard case .error(let error) = try frame.message() else { Issue.record("not an ERROR"); return }
            #expect(error.code == .frameTooLarge)
            #expect(await frames.next() == nil, "the server closes the connection")

            let id = try await bystander.submitAccepted("Stuck in the Thousand Needles lift shaft").ticketID
            #expect(try await bystander.detail(id).summary.playerName == "Jaina")
            await bystander.close()
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        try await withTestServer { server in
            let raw = try await RawConnection.connect(port: server.ports.player)
            try await raw.write(Envelope(requestID: 1, message: .hello(Hello(
                clientKind: .player, credential: server.token(player: 3, name: "Uther")))))
            for id in UInt32(2)...UInt32(101) {
                try await raw.write(Envelope(requestID: id, message: .myTickets(MyTickets())))
            }
            var ids: [UInt32] = []
            for await frame in raw.received {
                ids.append(frame.requestID)
                if ids.count == 101 { break }
            }
            #expect(ids == Array(1...101))
            await raw.close()
        }
    }
}

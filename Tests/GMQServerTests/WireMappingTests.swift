import GMQCore
import GMQProtocol
@testable import GMQStore
import NIOCore
import Testing

@testable import GMQServer

@Suite struct WireMappingTests {
    @Test func aHistoryTooLongForOneFrameKeepsTheRequestAndTheLatestEvents() {
        let text = String(repeating: "x", count: ProtocolLimits.maximumTextBytes)
        let events = (1...2000).map {
            TicketEvent(ticketID: 1, seq: Int64($0), kind: $0 == 1 ? .submitted : .noted, actorID: 1, actorName: "Mirna",
                actorRole: .gm, at: 0, text: text)
        }
        let kept = WireMapping.fitting(events)
        #expect(kept.first?.seq == 1)
        #expect(kept.last?.seq == 2000)
        #expect(kept.count > 200 && kept.count < ProtocolLimits.maximumListCount)
        #expect(zip(kept.dropFirst(), kept.dropFirst(2)).allSatisfy { $0.seq + 1 == $1.seq }, "the latest, without gaps")

        let ticket = Ticket(
            id: 1, category: "bug", state: .open, playerID: 1, playerName: "Thrall", text: text, realm: "", characterID: 0,
            characterName: "", mapID: 0, zone: "", x: 0, y: 0, z: 0, clientBuild: "", assigneeID: nil, assigneeName: nil,
            assigneeRole: nil, resolution: nil, createdAt: 0, updatedAt: 0, closedAt: nil, reopenCount: 0, priority: 0,
            dueAt: 0, pausedMilliseconds: 0, overdue: false)
        var buffer = ByteBuffer()
        Envelope(requestID: 1, message: .ticket(WireMapping.detail(
            ticket, summary: WireMapping.summary(ticket, overdue: false, position: 0, estimatedWait: 0), history: events))).encode(into: &buffer)
        #expect(buffer.readableBytes <= Int(ProtocolLimits.maximumFrameLength) + 4)
    }
}

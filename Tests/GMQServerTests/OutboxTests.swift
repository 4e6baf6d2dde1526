import Foundation
import GMQProtocol
import NIOCore
import NIOEmbedded
import Prometheus
import Testing

@testable import GMQServer

/// One connection's pushes: held until WELCOME, then in the order the player's notifications were committed, each
/// once.
@Suite struct OutboxTests {
    static func notification(_ id: UInt64) -> Message {
        .notification(NotificationPush(notificationID: id, ticketID: 1, kind: .asked, actorName: "Mirna", at: 0, text: "\(id)"))
    }

    static func written(_ channel: EmbeddedChannel) throws -> [Message] {
        var messages: [Message] = []
        while let envelope = try channel.readOutbound(as: Envelope.self) { messages.append(envelope.message) }
        return messages
    }

    @Test func aLivePushAheadOfTheOutboxReadLeavesInIdOrderAndOnce() throws {
        let channel = EmbeddedChannel()
        let outbox = Outbox(
            channel: channel, metrics: ServerMetrics(factory: PrometheusMetricsFactory(registry: .init())), now: Date.init)
        // Subscribed, then a live push for the newest notification arrives before the session reads its outbox…
        outbox.send(Self.notification(5), once: 5)
        // …which holds 3, 4 and 5; a queue change is not a notification and keeps its place.
        let change = Message.ok(Ok())
        outbox.send(change)
        for id: UInt64 in [3, 4, 5] { outbox.send(Self.notification(id), once: id) }
        #expect(try Self.written(channel).isEmpty, "nothing before WELCOME")
        outbox.open()
        #expect(try Self.written(channel) == [Self.notification(3), change, Self.notification(4), Self.notification(5)])
        outbox.send(Self.notification(4), once: 4)
        outbox.send(Self.notification(6), once: 6)
        #expect(try Self.written(channel) == [Self.notification(6)], "a notification already written is not again")
    }
}

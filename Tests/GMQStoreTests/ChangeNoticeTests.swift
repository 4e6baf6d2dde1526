import GMQCore
@testable import GMQPostgres
import Testing

/// The change notices nodes send each other on PostgreSQL: ids only, read back exactly, never a node's own.
@Suite struct ChangeNoticeTests {
    @Test func aNoticeIsReadBackInOrderByEveryOtherNode() {
        let payloads = ChangeNotice.payloads(
            node: "realm-a:1", notifications: [(7, player: 42), (8, player: 43)], tickets: [(100, seq: 1), (101, seq: 3)])
        #expect(payloads == ["realm-a:1;n7@42;n8@43;t100/1;t101/3"])
        #expect(ChangeNotice.parse(payloads[0], skippingNode: "realm-b:1") == [
            .notification(7, player: 42), .notification(8, player: 43), .ticket(100, seq: 1), .ticket(101, seq: 3),
        ])
        #expect(ChangeNotice.parse(payloads[0], skippingNode: "realm-a:1").isEmpty, "a node's own notice")
        #expect(ChangeNotice.parse(payloads[0], skippingNode: "realm-a:10").count == 4, "a node whose name is longer")
        #expect(ChangeNotice.parse(payloads[0], skippingNode: "realm-a").count == 4, "a node whose name is shorter")
    }

    @Test func anItemThatCannotBeReadIsSkipped() {
        let payload = "b;n1@2;t3;t4/5;nz@1;;x9/9;t-1/2;n99999999999999999999@1;n5@6@7;t8/9;"
        #expect(ChangeNotice.parse(payload, skippingNode: "a") == [
            .notification(1, player: 2), .ticket(4, seq: 5), .ticket(-1, seq: 2), .ticket(8, seq: 9),
        ])
        #expect(ChangeNotice.parse("b", skippingNode: "a").isEmpty)
        #expect(ChangeNotice.parse("", skippingNode: "a").isEmpty)
    }

    @Test func manyChangesSpreadOverNoticesUnderTheLimitAndAllArrive() {
        let tickets = (Int64(1)...2_000).map { (id: $0 * 1_000_003, seq: $0 % 7 + 1) }
        let payloads = ChangeNotice.payloads(node: "n1", notifications: [], tickets: tickets)
        #expect(payloads.count > 1)
        #expect(payloads.allSatisfy { $0.utf8.count <= ChangeNotice.maximumPayload })
        let read = payloads.flatMap { ChangeNotice.parse($0, skippingNode: "n2") }
        #expect(read == tickets.map { .ticket($0.id, seq: $0.seq) })
    }
}

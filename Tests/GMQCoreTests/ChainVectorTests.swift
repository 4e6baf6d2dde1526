import Foundation
import GMQCore
import Testing

/// `Protocol/vectors/chain.txt`: worked events with the bytes PROTOCOL.md §5.16 hashes and the hashes that result,
/// so that an independent verifier can check its own implementation of the formula against the server's.
/// `GMQ_WRITE_VECTORS=1 swift test --filter ChainVectorTests` rewrites the file after a deliberate change.
@Suite struct ChainVectorTests {
    static let events = [
        TicketEvent(
            ticketID: 7, seq: 1, kind: .submitted, actorID: 42, actorName: "Thrall", actorRole: .player,
            at: 1_795_543_466_251, text: "Stuck under the Ironforge bridge, can't move"),
        TicketEvent(
            ticketID: 8, seq: 1, kind: .submitted, actorID: 43, actorName: "Jaina", actorRole: .player,
            at: 1_795_543_470_000, text: "Квестовый предмет пропал после сброса"),
        TicketEvent(
            ticketID: 7, seq: 2, kind: .claimed, actorID: 3, actorName: "Mirna", actorRole: .gm,
            at: 1_795_543_480_000, text: ""),
        TicketEvent(
            ticketID: 7, seq: 3, kind: .leaseExpired, actorID: 3, actorName: "Mirna", actorRole: .gm,
            at: 1_795_544_380_000, text: "claim lease of 15 min expired"),
    ]

    static var url: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Protocol/vectors/chain.txt")
    }

    static func hex(_ data: Data) -> String { data.map { String(format: "%02x", $0) }.joined() }

    /// The file: each event's fields, the bytes after `prev`, `prev`, `hash`, `chain_seq` and `chain_hash`, in the
    /// order the events were written.
    static func text() -> String {
        var lines = [
            "# PROTOCOL.md §5.16: events in the order they were written, each with the bytes its hash covers.",
            "# hash = SHA-256(prev ‖ fields); chain_hash = SHA-256(previous chain_hash ‖ chain_seq u64 ‖ hash).",
            "# Before the first event the chain hash is 32 zero bytes; a ticket's first event has prev = 32 zero bytes.",
        ]
        for event in Self.linked() {
            lines += [
                "",
                "ticket_id: \(event.ticketID)", "seq: \(event.seq)", "kind: \(event.kind.rawValue)",
                "actor_id: \(event.actorID)", "actor_name: \(event.actorName)", "actor_role: \(event.actorRole.rawValue)",
                "at: \(event.at)", "text: \(event.text)",
                "fields: \(Self.hex(EventChain.fieldBytes(event)))",
                "prev: \(Self.hex(event.previousHash!))", "hash: \(Self.hex(event.hash!))",
                "chain_seq: \(event.chainSeq!)", "chain_hash: \(Self.hex(event.chainHash!))",
            ]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func theFileHoldsWhatTheServerComputes() throws {
        if ProcessInfo.processInfo.environment["GMQ_WRITE_VECTORS"] == "1" {
            try Self.text().write(to: Self.url, atomically: true, encoding: .utf8)
        }
        let stored = try String(contentsOf: Self.url, encoding: .utf8)
        #expect(stored == Self.text())
        // The first event's fields, spelled out from the formula by hand: the file is not only self-consistent.
        let first = Self.events[0]
        var expected = Data()
        func u64(_ value: Int64) { withUnsafeBytes(of: value.bigEndian) { expected.append(contentsOf: $0) } }
        func str32(_ value: String) {
            withUnsafeBytes(of: UInt32(value.utf8.count).bigEndian) { expected.append(contentsOf: $0) }
            expected.append(contentsOf: Array(value.utf8))
        }
        u64(7); u64(1); str32("submitted"); u64(42); str32("Thrall"); str32("player"); u64(1_795_543_466_251)
        str32("Stuck under the Ironforge bridge, can't move")
        #expect(EventChain.fieldBytes(first) == expected)
        #expect(stored.contains("fields: \(Self.hex(expected))"))
    }

    /// The events as a store keeps them: each with its links, in write order.
    static func linked() -> [TicketEvent] {
        var head = EventChain.Link.genesis
        var last: [Int64: Data] = [:]
        var stored: [TicketEvent] = []
        for var event in Self.events {
            let link = EventChain.link(event, previousInTicket: last[event.ticketID], head: head)
            event.chainSeq = link.chainSeq
            event.previousHash = link.previousHash
            event.hash = link.hash
            event.chainHash = link.chainHash
            stored.append(event)
            last[event.ticketID] = link.hash
            head = link
        }
        return stored
    }

    @Test func aVerifierAcceptsTheFileAndRejectsAnEdit() {
        let stored = Self.linked()
        func verify(_ events: [TicketEvent]) -> EventChain.Verification {
            var verifier = EventChain.Verifier()
            for event in events.sorted(by: { ($0.ticketID, $0.seq) < ($1.ticketID, $1.seq) }) {
                if let broken = verifier.checkTicketOrder(event) { return broken }
            }
            for event in events.sorted(by: { $0.chainSeq! < $1.chainSeq! }) {
                if let broken = verifier.checkChainOrder(event) { return broken }
            }
            return verifier.finish()
        }
        let intact = verify(stored)
        #expect(intact.broken == nil && intact.events == 4 && intact.head == stored.last?.chainHash)
        var edited = stored
        edited[1].text = "Квестовый предмет нашёлся"
        #expect(verify(edited).broken?.ticketID == 8)
    }

    /// PostgreSQL links events into the global chain after their commit: the last one, not yet linked, is checked
    /// in its ticket and counted as awaiting its link; not counted, it is reported outside the chain.
    @Test func anEventAwaitingItsLinkIsCheckedInItsTicketOnly() {
        let stored = Self.linked()
        func verify(awaiting: Int, edit: Bool = false) -> EventChain.Verification {
            var verifier = EventChain.Verifier()
            var events = stored
            if edit { events[events.count - 1].text = "edited" }
            for event in events.sorted(by: { ($0.ticketID, $0.seq) < ($1.ticketID, $1.seq) }) {
                if let broken = verifier.checkTicketOrder(event) { return broken }
            }
            for event in events.dropLast() {
                if let broken = verifier.checkChainOrder(event) { return broken }
            }
            verifier.awaitingLink(awaiting)
            return verifier.finish()
        }
        let awaited = verify(awaiting: 1)
        #expect(awaited.broken == nil && awaited.events == 4 && awaited.head == stored[2].chainHash)
        #expect(verify(awaiting: 0).broken?.reason == "1 event is outside the global chain")
        let edited = verify(awaiting: 1, edit: true).broken?.reason
        #expect(edited == "its stored fields do not match its hash: the event was edited")
    }
}

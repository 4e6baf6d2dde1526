import Crypto
import Foundation
import GMQCore
import Testing

/// Attachments' pure parts (issue 12 §6): what a file is, an upload in order, who may attach, who sees what.
@Suite struct AttachmentTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    let limits = AttachmentLimits(maximumBytes: 100, perTicket: 8, chunkBytes: 10, idleTimeout: 60)

    @Test func theTypeIsSniffedFromTheBytes() {
        #expect(AttachmentType.sniff(Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0])) == .png)
        #expect(AttachmentType.sniff(Data([0xFF, 0xD8, 0xFF, 0xE0, 0])) == .jpeg)
        #expect(AttachmentType.sniff(Data("[Trade] Gankmaster: …\r\n\tindented\n".utf8)) == .text)
        #expect(AttachmentType.sniff(Data("Лог чата: ошибка 132\n".utf8)) == .text)
        #expect(AttachmentType.sniff(Data([0x7F, 0x45, 0x4C, 0x46])) == nil, "an executable")
        #expect(AttachmentType.sniff(Data("text\u{1B}[31mred".utf8)) == nil, "terminal escapes")
        #expect(AttachmentType.sniff(Data([0x41, 0x00, 0x42])) == nil, "NUL")
        #expect(AttachmentType.sniff(Data([0xC3, 0x28])) == nil, "not UTF-8")
        #expect(AttachmentType.sniff(Data([0x50, 0x4E, 0x47])) == .text, "a name is not a signature: 'PNG' is text")
        #expect(AttachmentType.sniff(Data()) == nil)
    }

    @Test func anUploadTakesChunksInOrderAndChecksTheWhole() throws {
        var upload = try AttachmentUpload(ticketID: 1, name: "log.txt", size: 15, limits: self.limits, at: Self.t0)
        try upload.append(Data("0123456789".utf8), at: 0, limits: self.limits, now: Self.t0)
        #expect(throws: AttachmentProblem.outOfOrder(offset: 0, expected: 10)) {
            try upload.append(Data("x".utf8), at: 0, limits: self.limits, now: Self.t0)
        }
        #expect(throws: AttachmentProblem.incomplete(received: 10, declared: 15)) { try upload.finish(expectedSHA256: nil) }
        #expect(throws: AttachmentProblem.beyondDeclaredSize(declared: 15)) {
            try upload.append(Data("abcdefg".utf8), at: 10, limits: self.limits, now: Self.t0)
        }
        #expect(throws: AttachmentProblem.chunkTooLarge(size: 11, limit: 10)) {
            try upload.append(Data("abcdefghijk".utf8), at: 10, limits: self.limits, now: Self.t0)
        }
        try upload.append(Data("abcde".utf8), at: 10, limits: self.limits, now: Self.t0 + 30)
        let whole = Data("0123456789abcde".utf8)
        #expect(throws: AttachmentProblem.digestMismatch) { try upload.finish(expectedSHA256: Data(repeating: 0, count: 32)) }
        let file = try upload.finish(expectedSHA256: Data(SHA256.hash(data: whole)))
        #expect(file.type == .text && file.bytes == whole && file.sha256 == Data(SHA256.hash(data: whole)))
        #expect(!upload.isExpired(at: Self.t0 + 89, limits: self.limits) && upload.isExpired(at: Self.t0 + 91, limits: self.limits))
        #expect(Attachment.eventText(number: 3, file: file).hasSuffix("(text/plain, 15 bytes, SHA-256 \(file.sha256.hex))"))
    }

    @Test func anUploadIsRefusedBeforeAByteWhenItCannotFit() {
        #expect(throws: AttachmentProblem.tooLarge(size: 101, limit: 100)) {
            try AttachmentUpload(ticketID: 1, name: "big.png", size: 101, limits: self.limits, at: Self.t0)
        }
        #expect(throws: AttachmentProblem.empty) { try AttachmentUpload(ticketID: 1, name: "a", size: 0, limits: self.limits, at: Self.t0) }
        for name in ["", "../etc/passwd", "a\\b", "tab\there", String(repeating: "x", count: 201)] {
            #expect(throws: AttachmentProblem.nameInvalid) {
                try AttachmentUpload(ticketID: 1, name: name, size: 1, limits: self.limits, at: Self.t0)
            }
        }
        #expect(AttachmentProblem.unsupportedType.description.contains("PNG or JPEG"))
    }

    @Test func playersAttachToTheirOpenTicketsAndGameServersToAny() throws {
        var closed = TicketLifecycle(state: .closed, assignee: nil, owner: 42, closedAt: Self.t0)
        #expect(throws: TicketLifecycle.Refusal.closed) {
            try closed.apply(.attach, by: Actor(id: 42, name: "Thrall", role: .player), at: Self.t0)
        }
        #expect(try closed.apply(.attach, by: Actor(id: 9, name: "realm-1", role: .game), at: Self.t0).event == .attached)
        var lifecycle = TicketLifecycle(state: .open, assignee: nil, owner: 42)
        #expect(throws: TicketLifecycle.Refusal.notOwner) {
            try lifecycle.apply(.attach, by: Actor(id: 43, name: "Jaina", role: .player), at: Self.t0)
        }
        #expect(throws: TicketLifecycle.Refusal.roleNotAllowed(allowed: [.player, .game])) {
            try lifecycle.apply(.attach, by: Actor(id: 1, name: "Mirna", role: .gm), at: Self.t0)
        }
        let step = try lifecycle.apply(.attach, by: Actor(id: 42, name: "Thrall", role: .player), at: Self.t0)
        #expect(step.event == .attached && step.to == .open && !EventKind.attached.notifiesPlayer)
    }

    @Test func aPlayerSeesTheirOwnFilesAndAVersionOneClientNone() {
        func event(_ role: Role) -> TicketEvent {
            TicketEvent(ticketID: 1, seq: 1, kind: .attached, actorID: 1, actorName: "x", actorRole: role, at: 0, text: "")
        }
        #expect(HistoryView.staff.shows(event(.game)) && HistoryView.staff.shows(event(.player)))
        #expect(HistoryView.player.shows(event(.player)) && !HistoryView.player.shows(event(.game)))
        #expect(!HistoryView.of(.player, version: 1).shows(event(.player)))
        #expect(!HistoryView.of(.gm, version: 1).shows(event(.game)) && HistoryView.of(.gm, version: 2).shows(event(.game)))
        #expect(HistoryView.player.sqlCondition
            == "AND kind NOT IN ('noted', 'snoozed', 'woke') AND (kind <> 'attached' OR actor_role = 'player')")
        #expect(HistoryView.of(.gm, version: 1).sqlCondition
            == "AND kind <> 'attached' AND kind NOT IN ('assigned', 'snoozed', 'woke')")
    }
}

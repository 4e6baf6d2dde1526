import Foundation

/// Tickets' fingerprints by ticket id, remembered by a store so that the duplicate check need not read them back:
/// a ticket's fingerprint never changes once stored, so a remembered one is always right. Fixed slots in one byte
/// array, reused oldest first, so its memory is bounded however many it is given.
public struct FingerprintRing: Sendable {
    /// Fingerprints kept at most, each in a slot of `slotBytes`: 2 MB in all (65,536 of them, each a `Data` in a
    /// dictionary, added about 24 MB to gmqd's memory after 25 s of closed loop). Enough for the duplicate
    /// candidates of the players who submitted lately; an older ticket's fingerprint is read from its row.
    public static let standardCapacity = 8_192
    /// A longer fingerprint is not kept: its ticket is read when needed.
    public static let slotBytes = 256

    private var ids: [Int64]
    private var lengths: [Int]
    private var bytes: [UInt8]
    private var slots: [Int64: Int] = [:]
    private var next = 0

    public init() {
        self.ids = Array(repeating: 0, count: Self.standardCapacity)
        self.lengths = Array(repeating: 0, count: Self.standardCapacity)
        self.bytes = Array(repeating: 0, count: Self.standardCapacity * Self.slotBytes)
    }

    /// How many fingerprints are remembered now.
    public var count: Int { self.slots.count }

    /// Remembers `fingerprint` as ticket `id`'s, replacing the oldest when full.
    public mutating func insert(_ fingerprint: Data, of id: Int64) {
        guard fingerprint.count <= Self.slotBytes else { return }
        let slot = self.slots[id] ?? self.next
        if slot == self.next {
            self.next = (self.next + 1) % self.ids.count
            if self.ids[slot] != 0 { self.slots[self.ids[slot]] = nil }
        }
        self.ids[slot] = id
        self.lengths[slot] = fingerprint.count
        let start = slot * Self.slotBytes
        self.bytes.withUnsafeMutableBytes {
            _ = fingerprint.copyBytes(to: UnsafeMutableRawBufferPointer(rebasing: $0[start...]))
        }
        self.slots[id] = slot
    }

    /// Ticket `id`'s fingerprint, if remembered.
    public func fingerprint(of id: Int64) -> Data? {
        guard let slot = self.slots[id] else { return nil }
        // From the buffer's address: Data's init from an ArraySlice goes through generic Sequence code, 3% of a
        // node's CPU with ten candidates per submission (perf).
        let (start, count) = (slot * Self.slotBytes, self.lengths[slot])
        return self.bytes.withUnsafeBytes { Data(bytes: $0.baseAddress! + start, count: count) }
    }
}

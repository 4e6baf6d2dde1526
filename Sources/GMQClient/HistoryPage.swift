import GMQProtocol

/// A stretch of a ticket's history as the tools show it: which entries, where they stand among all of them, and
/// how to see the rest. Fetched with HISTORY (PROTOCOL.md §5.8) so that a long transcript is paged, never cut.
public struct HistoryPage: Sendable, Equatable {
    public var entries: [HistoryEntry]
    /// Entries the requester may see in the whole history.
    public var total: Int
    /// 1-based place of the first entry among them.
    public var first: Int
    /// 1-based page number and page size; nil for the whole history.
    public var page: (number: Int, size: Int)?
    /// What to type for the next page, e.g. `--page 3`.
    public var nextPageHint: String

    public static func == (a: Self, b: Self) -> Bool {
        a.entries == b.entries && a.total == b.total && a.first == b.first && a.page?.number == b.page?.number
            && a.page?.size == b.page?.size
    }

    public var isComplete: Bool { self.entries.count == self.total }

    /// "History: all 12 events:" or "History: events 51–100 of 347 (page 2 of 7):".
    public var heading: String {
        if self.isComplete { return "History: all \(self.total) event\(self.total == 1 ? "" : "s"):" }
        guard !self.entries.isEmpty else { return "History: \(self.total) events; this page is past the last one:" }
        let last = self.first + self.entries.count - 1
        let pages = self.page.map { " (page \($0.number) of \(max(1, (self.total + $0.size - 1) / $0.size)))" } ?? ""
        return "History: events \(self.first)–\(last) of \(self.total)\(pages):"
    }

    /// What was not shown and how to see it; nil when everything was.
    public var footer: String? {
        guard !self.isComplete else { return nil }
        let after = self.total - (self.first - 1) - self.entries.count
        let before = self.first - 1
        var parts: [String] = []
        if before > 0 { parts.append("\(before) earlier") }
        if after > 0 { parts.append("\(after) later") }
        let next = after > 0 ? "\(self.nextPageHint) for the next, " : ""
        return "  … \(parts.joined(separator: " and ")) event(s) not shown: \(next)--all for every one"
    }
}

extension GMQConnection {
    /// One page (1-based, `size` entries) of ticket `id`'s history, or with `page` nil all of it, page by page.
    /// Staff entries are numbered 1, 2, … so a page starts after `(page - 1) × size`; a player's skip internal
    /// notes and are counted as they come.
    public func history(of id: UInt64, page: Int?, size: Int = 50, nextPageHint: (Int) -> String) async throws
        -> HistoryPage
    {
        var entries: [HistoryEntry] = []
        var total = 0
        var after: UInt32 = 0
        var skipped = 0
        let wanted = page.map { ($0 - 1) * size } ?? 0
        repeat {
            let limit = page == nil ? 0 : UInt16(clamping: min(wanted - skipped + size, ProtocolLimits.maximumListCount))
            let response = try await self.call(.history(History(ticketID: id, afterSequence: after, limit: limit)))
            guard case .historyPage(let received) = response else {
                throw GMQClientError.unexpectedResponse(request: .history, response: response.type)
            }
            total = Int(received.total)
            if page != nil, skipped < wanted {
                // Pages of a player's history (sequence numbers with gaps) are found by counting.
                let skip = min(wanted - skipped, received.entries.count)
                skipped += skip
                entries += received.entries.dropFirst(skip)
            } else {
                entries += received.entries
            }
            after = received.nextAfter
            if page != nil, entries.count >= size { break }
        } while after != 0
        if page != nil { entries = Array(entries.prefix(size)) }
        return HistoryPage(
            entries: entries, total: total, first: (page == nil ? 0 : wanted) + 1, page: page.map { ($0, size) },
            nextPageHint: nextPageHint((page ?? 0) + 1))
    }

}

import Foundation
import GMQCore
import GRDB

// Search (PROTOCOL.md §5.25): FTS5 over every event's text, ranked by bm25.
//
// Ranking every match of a common word costs as much as there are matches (1 in 8 of a million tickets: 125,000
// bm25 scores, a join and a sort). The newest matches are ranked instead, in windows walked back in time (2,000,
// then 20,000, then the rest): a window's hits come before older ones, best first within it. A word that matches
// fewer events than the first window is ranked over all of them. A search for one player's or character's tickets
// starts from their tickets instead (an index), whatever the words match elsewhere.
extension SQLiteTicketStore {
    static let searchWindows = [2_000, 20_000, Int(Int32.max)]

    public func search(_ query: SearchQuery, view: HistoryView) async throws -> [SearchHit] {
        let match = query.fts5Query
        guard !match.isEmpty else { return [] }
        // Events wait for the index in batches (`searchBatch`): what waits is indexed first, so that the search
        // sees every committed event.
        try await self.committer.write { db in try Self.indexNewEvents(db) }
        return try await self.writer.read { db in
            var conditions: [String] = []
            var arguments: [(any DatabaseValueConvertible)?] = []
            if let categories = query.categories {
                conditions.append("t.category IN (\(categories.map { _ in "?" }.joined(separator: ", ")))")
                arguments += categories
            }
            if let player = query.playerID { conditions.append("t.player_id = ?"); arguments.append(player) }
            if let name = query.playerName { conditions.append("t.player_name = ? COLLATE NOCASE"); arguments.append(name) }
            if let character = query.characterName {
                conditions.append("t.character_name = ? COLLATE NOCASE")
                arguments.append(character)
            }
            if let gm = query.gm {
                conditions.append("""
                    EXISTS (SELECT 1 FROM events g WHERE g.ticket_id = t.id AND g.actor_name = ? COLLATE NOCASE
                        AND g.actor_role IN ('gm', 'admin'))
                    """)
                arguments.append(gm)
            }
            if let state = query.state { conditions.append("t.state = ?"); arguments.append(state.rawValue) }
            if let since = query.since { conditions.append("t.created_at >= ?"); arguments.append(since) }
            let filter = (conditions.isEmpty ? "" : "AND " + conditions.joined(separator: " AND ")) + " "
                + view.sqlCondition(on: "e")
            let parameters = arguments.map { $0?.databaseValue ?? .null }

            // The matching events, best first: (chain_seq, ticket id).
            var found: [(chain: Int64, ticket: Int64)] = []
            func tickets() -> Int { Set(found.map(\.ticket)).count }
            if query.playerID != nil || query.playerName != nil || query.characterName != nil {
                // Few tickets: their events read from the tickets' indexes and matched here, newest first (an FTS5
                // lookup per event would merge a prefix term's every word again each time).
                found = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT e.chain_seq, t.id, e.text FROM tickets t JOIN events e ON e.ticket_id = t.id
                        WHERE 1 \(filter) ORDER BY e.chain_seq DESC LIMIT 20000
                        """,
                    arguments: StatementArguments(parameters)
                ).filter { query.matches($0[2]) }.map { ($0[0], $0[1]) }
            } else {
                var before = Int64.max
                windows: for window in Self.searchWindows {
                    let matches = try Row.fetchAll(
                        db, sql: "SELECT rowid, rank FROM search WHERE search MATCH ? AND rowid < ? ORDER BY rowid DESC LIMIT ?",
                        arguments: [match, before, window]
                    ).map { (chain: $0[0] as Int64, score: $0[1] as Double) }
                    guard let last = matches.last else { break }
                    before = last.chain
                    // The window's best first, filtered a chunk at a time until the page is full.
                    let ordered = matches.sorted { $0.score < $1.score }
                    for start in stride(from: 0, to: ordered.count, by: 200) {
                        let chunk = ordered[start..<min(start + 200, ordered.count)]
                        let passing = Dictionary(uniqueKeysWithValues: try Row.fetchAll(
                            db,
                            sql: """
                                SELECT e.chain_seq, t.id FROM events e JOIN tickets t ON t.id = e.ticket_id
                                WHERE e.chain_seq IN (\(chunk.map { String($0.chain) }.joined(separator: ","))) \(filter)
                                """,
                            arguments: StatementArguments(parameters)
                        ).map { ($0[0] as Int64, $0[1] as Int64) })
                        found += chunk.compactMap { match in passing[match.chain].map { (match.chain, $0) } }
                        if tickets() >= query.limit { break windows }
                    }
                    if matches.count < window { break }
                }
            }
            // The page: each ticket's best event, read whole, with a snippet of it.
            var seen = Set<Int64>()
            let page = found.filter { seen.insert($0.ticket).inserted }.prefix(query.limit)
            return try page.compactMap { chain, _ -> SearchHit? in
                guard let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT t.*, e.seq AS hit_seq, e.kind AS hit_kind, e.actor_name AS hit_actor, e.text AS hit_text
                        FROM events e JOIN tickets t ON t.id = e.ticket_id WHERE e.chain_seq = ?
                        """,
                    arguments: [chain])
                else { return nil }
                // FTS5's snippet() would evaluate the query again per hit (a prefix term merges every word it starts).
                let (snippet, highlights) = SearchHit.snippet(of: row["hit_text"], for: query)
                return SearchHit(
                    ticket: try Ticket(row: row), seq: row["hit_seq"],
                    kind: EventKind(rawValue: row["hit_kind"]) ?? .submitted, actorName: row["hit_actor"],
                    snippet: snippet, highlights: highlights)
            }
        }
    }
}

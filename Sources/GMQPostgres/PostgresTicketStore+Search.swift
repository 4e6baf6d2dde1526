import Foundation
import GMQCore
import PostgresNIO

// Search (PROTOCOL.md §5.25): the GIN index on to_tsvector('simple', text), ranked by ts_rank.
extension PostgresTicketStore {
    static let qualifiedTicketColumns = Columns.ticket.split(separator: ",")
        .map { "t." + $0.trimmingCharacters(in: .whitespacesAndNewlines) }.joined(separator: ", ")

    public func search(_ query: SearchQuery, view: HistoryView) async throws -> [SearchHit] {
        let tsQuery = query.tsQuery
        guard !tsQuery.isEmpty else { return [] }
        await self.ready()
        let scope = query.categories
        let state = query.state?.rawValue
        let rows = try await self.query("""
            SELECT \(unescaped: Self.qualifiedTicketColumns), e.seq AS hit_seq, e.kind AS hit_kind, e.actor_name AS hit_actor,
                e.text AS hit_text
            FROM events e JOIN tickets t ON t.id = e.ticket_id, to_tsquery('simple', \(tsQuery)) q
            WHERE to_tsvector('simple', e.text) @@ q \(unescaped: view.sqlCondition(on: "e"))
                AND (\(scope)::TEXT[] IS NULL OR t.category = ANY(\(scope)))
                AND (\(query.playerID)::BIGINT IS NULL OR t.player_id = \(query.playerID))
                AND (\(query.playerName)::TEXT IS NULL OR lower(t.player_name) = lower(\(query.playerName)))
                AND (\(query.characterName)::TEXT IS NULL OR lower(t.character_name) = lower(\(query.characterName)))
                AND (\(query.gm)::TEXT IS NULL OR EXISTS (
                    SELECT 1 FROM events g WHERE g.ticket_id = t.id AND lower(g.actor_name) = lower(\(query.gm))
                        AND g.actor_role IN ('gm', 'admin')))
                AND (\(state)::TEXT IS NULL OR t.state = \(state))
                AND (\(query.since)::BIGINT IS NULL OR t.created_at >= \(query.since))
            ORDER BY ts_rank(to_tsvector('simple', e.text), q) DESC, t.id DESC LIMIT \(query.limit * 4)
            """)
        let hits = try rows.map { row -> SearchHit in
            let r = row.makeRandomAccess()
            let (snippet, highlights) = SearchHit.snippet(of: try r["hit_text"].decode(String.self), for: query)
            let kind = try r["hit_kind"].decode(String.self)
            return SearchHit(
                ticket: try Ticket(row), seq: try r["hit_seq"].decode(Int64.self),
                kind: EventKind(rawValue: kind) ?? .submitted, actorName: try r["hit_actor"].decode(String.self),
                snippet: snippet, highlights: highlights)
        }
        return SearchQuery.bestPerTicket(hits, limit: query.limit)
    }
}

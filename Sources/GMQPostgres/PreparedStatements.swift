import GMQCore
import PostgresNIO

// Statements a node runs for every batch or every burst, prepared once per connection. Sent as text, PostgreSQL
// parsed and planned each of them on every call: with pg_stat_statements, 3 nodes at 1,600 submissions/s spent
// 1,306 ms planning the submissions' read (0.38 ms a call, against 2,194 ms running it) and 1,094 ms planning the
// re-filing read (0.30 ms a call, against 100 ms running it) in 23 s, of PostgreSQL's 19.6 s of CPU. Prepared, they
// are planned once per connection only with generic plans, which `Transaction.genericPlans` asks for.

/// A batch's read for its submissions (`PostgresTicketStore.submit(_:_:)`): per submission in order, whether its
/// category exists, its player's open count, a new ticket id, and its duplicate candidates' ids, newest first.
struct SubmissionRead: PostgresPreparedStatement {
    static let sql = """
        WITH u AS MATERIALIZED (
            SELECT p, c, i, nextval('tickets_id_seq') AS next_id,
                coalesce((SELECT o.open FROM open_tickets_by_player o WHERE o.player_id = u.p), 0) AS open
            FROM unnest($1::BIGINT[], $2::TEXT[]) WITH ORDINALITY AS u(p, c, i))
        SELECT u.i, k.id IS NOT NULL, u.open, u.next_id, ARRAY(
            SELECT id FROM tickets WHERE player_id = u.p AND state <> 'closed' AND category = u.c
            ORDER BY id DESC LIMIT \(SubmitPolicy.duplicateCandidates))
        FROM u LEFT JOIN categories k ON k.id = u.c
        ORDER BY u.i
        """
    typealias Row = (Int64, Bool, Int64, Int64, [Int64])

    var players: [Int64]
    var categories: [String]

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(self.players)
        bindings.append(self.categories)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}

/// The re-filing check's read: each player's tickets closed since a time, newest first, up to a limit each.
struct ClosedTicketsRead: PostgresPreparedStatement {
    static let sql = """
        SELECT t.* FROM unnest($1::BIGINT[]) AS p(id) CROSS JOIN LATERAL (
            SELECT \(Columns.ticket) FROM tickets
            WHERE player_id = p.id AND state = 'closed' AND closed_at >= $2 ORDER BY closed_at DESC LIMIT $3
        ) t
        """
    typealias Row = Ticket

    var players: [Int64]
    var since: Int64
    var limit: Int64

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 3)
        bindings.append(self.players)
        bindings.append(self.since)
        bindings.append(self.limit)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Ticket { try Ticket(row) }
}

import Foundation
import GMQCore
import GRDB

/// The schema, as append-only migrations. Migrations use SQL only, never app types, so that they read the same
/// forever.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: tickets, events, notifications, staff, categories") { db in
            try db.execute(sql: """
                CREATE TABLE categories (
                    id TEXT PRIMARY KEY NOT NULL,
                    title TEXT NOT NULL
                );
                CREATE TABLE tickets (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    category TEXT NOT NULL REFERENCES categories(id),
                    state TEXT NOT NULL CHECK (state IN ('open', 'claimed', 'waiting_player', 'closed')),
                    player_id INTEGER NOT NULL,
                    player_name TEXT NOT NULL,
                    text TEXT NOT NULL,
                    realm TEXT NOT NULL,
                    character_id INTEGER NOT NULL,
                    character_name TEXT NOT NULL,
                    map_id INTEGER NOT NULL,
                    zone TEXT NOT NULL,
                    x REAL NOT NULL, y REAL NOT NULL, z REAL NOT NULL,
                    client_build TEXT NOT NULL,
                    assignee_id INTEGER,
                    assignee_name TEXT,
                    assignee_role TEXT,
                    resolution TEXT,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    closed_at INTEGER,
                    CHECK ((state IN ('claimed', 'waiting_player')) = (assignee_id IS NOT NULL))
                );
                CREATE INDEX tickets_queue ON tickets(category, state, id);
                CREATE INDEX tickets_player ON tickets(player_id, id);
                CREATE TABLE events (
                    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
                    seq INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    actor_id INTEGER NOT NULL,
                    actor_name TEXT NOT NULL,
                    actor_role TEXT NOT NULL,
                    at INTEGER NOT NULL,
                    text TEXT NOT NULL,
                    PRIMARY KEY (ticket_id, seq)
                ) WITHOUT ROWID;
                CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events
                BEGIN SELECT RAISE(ABORT, 'events are append-only: history cannot be edited'); END;
                CREATE TRIGGER events_are_append_only_delete BEFORE DELETE ON events
                BEGIN SELECT RAISE(ABORT, 'events are append-only: history cannot be deleted'); END;
                CREATE TABLE notifications (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    player_id INTEGER NOT NULL,
                    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
                    kind TEXT NOT NULL,
                    actor_name TEXT NOT NULL,
                    text TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    acked_at INTEGER
                );
                CREATE INDEX notifications_pending ON notifications(player_id, id) WHERE acked_at IS NULL;
                CREATE TABLE staff (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    role TEXT NOT NULL CHECK (role IN ('gm', 'moderator', 'admin')),
                    key_hash TEXT NOT NULL UNIQUE,
                    categories TEXT NOT NULL DEFAULT '',
                    created_at INTEGER NOT NULL
                );
                """)
            // The default categories of issue 2; later migrations never rewrite them.
            for (id, title) in [
                ("stuck_character", "Stuck character"), ("bug", "Bug"), ("player_report", "Player report"),
                ("account", "Account"), ("payment", "Payment"), ("other", "Other"),
            ] {
                try db.execute(sql: "INSERT INTO categories (id, title) VALUES (?, ?)", arguments: [id, title])
            }
        }
        migrator.registerMigration("v2: reopen count") { db in
            try db.execute(sql: "ALTER TABLE tickets ADD COLUMN reopen_count INTEGER NOT NULL DEFAULT 0")
            try db.execute(sql: "CREATE INDEX tickets_player_open ON tickets(player_id, state)")
        }
        migrator.registerMigration("v3: queue depth kept by triggers") { db in
            // A new ticket's queue position is the number of open tickets of its category: kept here so that a
            // submission reads one row instead of counting the queue inside the writer's transaction.
            try db.execute(sql: """
                CREATE TABLE queue_depth (
                    category TEXT PRIMARY KEY NOT NULL REFERENCES categories(id),
                    open INTEGER NOT NULL
                );
                INSERT INTO queue_depth (category, open)
                    SELECT id, (SELECT COUNT(*) FROM tickets WHERE tickets.category = categories.id AND state = 'open')
                    FROM categories;
                CREATE TRIGGER queue_depth_category AFTER INSERT ON categories
                BEGIN INSERT INTO queue_depth (category, open) VALUES (NEW.id, 0); END;
                CREATE TRIGGER queue_depth_insert AFTER INSERT ON tickets WHEN NEW.state = 'open'
                BEGIN UPDATE queue_depth SET open = open + 1 WHERE category = NEW.category; END;
                CREATE TRIGGER queue_depth_update AFTER UPDATE OF state, category ON tickets
                BEGIN
                    UPDATE queue_depth SET open = open - 1 WHERE category = OLD.category AND OLD.state = 'open';
                    UPDATE queue_depth SET open = open + 1 WHERE category = NEW.category AND NEW.state = 'open';
                END;
                """)
        }
        migrator.registerMigration("v4: content-word fingerprints") { db in
            // What a request describes, in a compact form, so that a new request is compared with open ones
            // without reading their texts again. Older rows have none and are compared by text.
            try db.execute(sql: "ALTER TABLE tickets ADD COLUMN content_words BLOB")
        }
        migrator.registerMigration("v5: service levels, ratings, macros, hash-chained events") { db in
            try db.execute(sql: """
                ALTER TABLE tickets ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE tickets ADD COLUMN due_at INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE tickets ADD COLUMN first_response_at INTEGER;
                ALTER TABLE tickets ADD COLUMN paused_ms INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE tickets ADD COLUMN paused_since INTEGER;
                ALTER TABLE tickets ADD COLUMN overdue INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE tickets ADD COLUMN closed_by TEXT;
                ALTER TABLE tickets ADD COLUMN rating INTEGER CHECK (rating BETWEEN 1 AND 5);
                UPDATE tickets SET due_at = created_at;
                CREATE INDEX tickets_urgency ON tickets(category, state, priority DESC, due_at, id);
                CREATE INDEX tickets_closed ON tickets(closed_at) WHERE state = 'closed';
                CREATE INDEX tickets_first_response ON tickets(category, first_response_at)
                    WHERE first_response_at IS NOT NULL;
                CREATE TABLE macros (
                    name TEXT PRIMARY KEY NOT NULL,
                    text TEXT NOT NULL,
                    author TEXT NOT NULL,
                    created_at INTEGER NOT NULL
                );
                ALTER TABLE events ADD COLUMN chain_seq INTEGER;
                ALTER TABLE events ADD COLUMN prev_hash BLOB;
                ALTER TABLE events ADD COLUMN hash BLOB;
                ALTER TABLE events ADD COLUMN chain_hash BLOB;
                """)
            // Events written before the chain existed are chained now, in the order they were written. The
            // append-only trigger is lifted for exactly this and put back; the link is EventChain's v1 definition,
            // which never changes.
            try db.execute(sql: "DROP TRIGGER events_are_append_only_update")
            var head = EventChain.Link.genesis
            var ticketHeads: [Int64: Data] = [:]
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM events ORDER BY at, ticket_id, seq")
            for row in rows {
                // Built from the columns of this version, not through the record mapping, which may change later.
                guard let kind = EventKind(rawValue: row["kind"]), let role = Role(rawValue: row["actor_role"]) else {
                    throw DatabaseError(message: "event \(row["ticket_id"] ?? 0)/\(row["seq"] ?? 0) has an unknown kind or role")
                }
                let event = TicketEvent(
                    ticketID: row["ticket_id"], seq: row["seq"], kind: kind, actorID: row["actor_id"],
                    actorName: row["actor_name"], actorRole: role, at: row["at"], text: row["text"])
                let link = EventChain.link(event, previousInTicket: ticketHeads[event.ticketID], head: head)
                try db.execute(
                    sql: "UPDATE events SET chain_seq = ?, prev_hash = ?, hash = ?, chain_hash = ? WHERE ticket_id = ? AND seq = ?",
                    arguments: [link.chainSeq, link.previousHash, link.hash, link.chainHash, event.ticketID, event.seq])
                ticketHeads[event.ticketID] = link.hash
                head = link
            }
            try db.execute(sql: """
                CREATE UNIQUE INDEX events_chain ON events(chain_seq);
                CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events
                BEGIN SELECT RAISE(ABORT, 'events are append-only: history cannot be edited'); END;
                """)
        }
        migrator.registerMigration("v6: indexes for the writer's checks") { db in
            // tickets_urgency (category, state, priority, due_at, id) serves every lookup tickets_queue served.
            // A submission's duplicate check and open-ticket count read the player's open tickets only: a partial
            // index holds just those, keyed so that the check seeks its category's newest; with `state` in it the
            // count reads the index alone. Closed tickets leave it.
            try db.execute(sql: """
                DROP INDEX tickets_queue;
                DROP INDEX tickets_player_open;
                CREATE INDEX tickets_open_by_player ON tickets(player_id, category, id, state) WHERE state != 'closed';
                """)
        }
        migrator.registerMigration("v7: open tickets per player kept by triggers") { db in
            // The open-ticket limit is checked on every submission inside the writer's transaction: one row read
            // instead of counting the player's open tickets, as queue_depth does for categories.
            try db.execute(sql: """
                CREATE TABLE open_tickets_by_player (
                    player_id INTEGER PRIMARY KEY NOT NULL,
                    open INTEGER NOT NULL
                );
                INSERT INTO open_tickets_by_player (player_id, open)
                    SELECT player_id, COUNT(*) FROM tickets WHERE state != 'closed' GROUP BY player_id;
                CREATE TRIGGER open_by_player_insert AFTER INSERT ON tickets WHEN NEW.state != 'closed'
                BEGIN
                    INSERT INTO open_tickets_by_player (player_id, open) VALUES (NEW.player_id, 1)
                        ON CONFLICT (player_id) DO UPDATE SET open = open + 1;
                END;
                CREATE TRIGGER open_by_player_update AFTER UPDATE OF state ON tickets
                    WHEN (OLD.state = 'closed') != (NEW.state = 'closed')
                BEGIN
                    INSERT INTO open_tickets_by_player (player_id, open)
                        VALUES (NEW.player_id, CASE WHEN NEW.state = 'closed' THEN 0 ELSE 1 END)
                        ON CONFLICT (player_id) DO UPDATE
                        SET open = open + CASE WHEN NEW.state = 'closed' THEN -1 ELSE 1 END;
                END;
                """)
        }
        migrator.registerMigration("v8: the duplicate check reads the index alone") { db in
            // The check compares a new request with the player's newest open tickets of its category by their
            // fingerprints: in the index, it reads no table row (10 table seeks per submission were 16% of the
            // writer's time in `gmq-bench-store`).
            try db.execute(sql: """
                DROP INDEX tickets_open_by_player;
                CREATE INDEX tickets_open_by_player ON tickets(player_id, category, id, state, content_words)
                    WHERE state != 'closed';
                """)
        }
        migrator.registerMigration("v9: staff lifecycle and the staff action log") { db in
            // Issue 11 §2–3: an account can be disabled and its key can expire; what staff do outside tickets is
            // an append-only, hash-chained log of its own (StaffLog), guarded like events.
            try db.execute(sql: """
                ALTER TABLE staff ADD COLUMN disabled_at INTEGER;
                ALTER TABLE staff ADD COLUMN expires_at INTEGER;
                CREATE TABLE staff_log (
                    seq INTEGER PRIMARY KEY NOT NULL,
                    at INTEGER NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    target TEXT NOT NULL,
                    detail TEXT NOT NULL,
                    prev_hash BLOB NOT NULL,
                    hash BLOB NOT NULL
                );
                CREATE INDEX staff_log_actor ON staff_log(actor COLLATE NOCASE, seq);
                CREATE TRIGGER staff_log_is_append_only_update BEFORE UPDATE ON staff_log
                BEGIN SELECT RAISE(ABORT, 'the staff log is append-only: entries cannot be edited'); END;
                CREATE TRIGGER staff_log_is_append_only_delete BEFORE DELETE ON staff_log
                BEGIN SELECT RAISE(ABORT, 'the staff log is append-only: entries cannot be deleted'); END;
                """)
        }
        migrator.registerMigration("v10: help bans") { db in
            // Issue 11 §4: one row per banned player (a new ban replaces the old); lifting it deletes the row, and
            // both are in the staff log, which keeps the history.
            try db.execute(sql: """
                CREATE TABLE help_bans (
                    player_id INTEGER PRIMARY KEY NOT NULL,
                    until INTEGER NOT NULL,
                    reason TEXT NOT NULL,
                    banned_by TEXT NOT NULL,
                    at INTEGER NOT NULL
                );
                """)
        }
        migrator.registerMigration("v11: incidents") { db in
            // Issue 12: known issues. A linked ticket stays open but out of its category's queue, so the queue's
            // depth counts only open tickets without an incident.
            try db.execute(sql: """
                CREATE TABLE incidents (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    title TEXT NOT NULL,
                    category TEXT NOT NULL REFERENCES categories(id),
                    match_text TEXT NOT NULL,
                    build TEXT NOT NULL,
                    zone TEXT NOT NULL,
                    message TEXT NOT NULL,
                    opened_by TEXT NOT NULL,
                    opened_at INTEGER NOT NULL,
                    closed_by TEXT,
                    closed_at INTEGER
                );
                ALTER TABLE tickets ADD COLUMN incident_id INTEGER REFERENCES incidents(id);
                CREATE INDEX tickets_incident ON tickets(incident_id, id) WHERE incident_id IS NOT NULL;
                DROP TRIGGER queue_depth_insert;
                DROP TRIGGER queue_depth_update;
                CREATE TRIGGER queue_depth_insert AFTER INSERT ON tickets
                    WHEN NEW.state = 'open' AND NEW.incident_id IS NULL
                BEGIN UPDATE queue_depth SET open = open + 1 WHERE category = NEW.category; END;
                CREATE TRIGGER queue_depth_update AFTER UPDATE OF state, category, incident_id ON tickets
                BEGIN
                    UPDATE queue_depth SET open = open - 1
                        WHERE category = OLD.category AND OLD.state = 'open' AND OLD.incident_id IS NULL;
                    UPDATE queue_depth SET open = open + 1
                        WHERE category = NEW.category AND NEW.state = 'open' AND NEW.incident_id IS NULL;
                END;
                """)
        }
        migrator.registerMigration("v12: self-help articles and previews") { db in
            // Issue 12 §4. Previews are read by player and time for the self-help figures (a player's next preview,
            // `tickets_player` for what they filed after).
            try db.execute(sql: """
                CREATE TABLE kb_articles (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    title TEXT NOT NULL,
                    body TEXT NOT NULL,
                    keywords TEXT NOT NULL,
                    category TEXT NOT NULL,
                    locale TEXT NOT NULL,
                    updated_by TEXT NOT NULL,
                    updated_at INTEGER NOT NULL
                );
                CREATE TABLE previews (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    player_id INTEGER NOT NULL,
                    category TEXT NOT NULL,
                    at INTEGER NOT NULL,
                    reason TEXT NOT NULL,
                    articles INTEGER NOT NULL,
                    incident_id INTEGER
                );
                CREATE INDEX previews_at ON previews(at);
                CREATE INDEX previews_player ON previews(player_id, id);
                """)
        }
        migrator.registerMigration("v13: attachments and the game role") { db in
            // Issue 12 §6. Files live in the database, stored once per content (SHA-256): one file to back up
            // (VACUUM INTO), written in the transaction of their `attached` event, so nothing is half-stored. Like
            // events they are append-only. SQLite cannot change a CHECK: the staff table is rebuilt for `game`.
            try db.execute(sql: """
                CREATE TABLE blobs (
                    id INTEGER PRIMARY KEY,
                    sha256 BLOB NOT NULL UNIQUE,
                    bytes BLOB NOT NULL
                );
                CREATE TABLE attachments (
                    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
                    number INTEGER NOT NULL,
                    name TEXT NOT NULL,
                    content_type TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    sha256 BLOB NOT NULL REFERENCES blobs(sha256),
                    event_seq INTEGER NOT NULL,
                    uploaded_by TEXT NOT NULL,
                    uploader_role TEXT NOT NULL,
                    uploader_id INTEGER NOT NULL,
                    at INTEGER NOT NULL,
                    PRIMARY KEY (ticket_id, number)
                );
                CREATE TRIGGER attachments_are_append_only_update BEFORE UPDATE ON attachments
                BEGIN SELECT RAISE(ABORT, 'attachments are append-only: evidence cannot be edited'); END;
                CREATE TRIGGER attachments_are_append_only_delete BEFORE DELETE ON attachments
                BEGIN SELECT RAISE(ABORT, 'attachments are append-only: evidence cannot be deleted'); END;
                CREATE TRIGGER blobs_are_append_only_update BEFORE UPDATE ON blobs
                BEGIN SELECT RAISE(ABORT, 'attachments are append-only: evidence cannot be edited'); END;
                CREATE TRIGGER blobs_are_append_only_delete BEFORE DELETE ON blobs
                BEGIN SELECT RAISE(ABORT, 'attachments are append-only: evidence cannot be deleted'); END;
                CREATE TABLE staff_v13 (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    role TEXT NOT NULL CHECK (role IN ('gm', 'moderator', 'admin', 'game')),
                    key_hash TEXT NOT NULL UNIQUE,
                    categories TEXT NOT NULL DEFAULT '',
                    created_at INTEGER NOT NULL,
                    disabled_at INTEGER,
                    expires_at INTEGER
                );
                INSERT INTO staff_v13 (id, name, role, key_hash, categories, created_at, disabled_at, expires_at)
                    SELECT id, name, role, key_hash, categories, created_at, disabled_at, expires_at FROM staff;
                DROP TABLE staff;
                ALTER TABLE staff_v13 RENAME TO staff;
                """)
        }
        migrator.registerMigration("v14: full-text search of events") { db in
            // Issue 13 §1. An FTS5 index over every event's text, its content read from events by chain_seq (the
            // events' unique global number), so the text is stored once. Events are append-only: the writer adds
            // each batch's new ones before its commit (`SQLiteTicketStore.indexNewEvents`).
            try db.execute(sql: """
                CREATE VIRTUAL TABLE search USING fts5(
                    text, content = 'events', content_rowid = 'chain_seq', tokenize = 'unicode61 remove_diacritics 2');
                INSERT INTO search (rowid, text) SELECT chain_seq, text FROM events;
                CREATE TABLE search_state (indexed INTEGER NOT NULL);
                INSERT INTO search_state (indexed) SELECT coalesce(max(chain_seq), 0) FROM events;
                """)
        }
        migrator.registerMigration("v15: snoozed tickets and reminders") { db in
            // Issue 13 §4. A snoozed ticket is held (its holder kept), so both CHECKs on `state` take the new value.
            // SQLite cannot alter a CHECK; its documented procedure for loosening one edits the table's SQL in the
            // schema and bumps the schema version (sqlite.org/lang_altertable.html §7): every stored row already
            // satisfies the wider constraint, so nothing on disk changes.
            let version = try Int.fetchOne(db, sql: "PRAGMA schema_version") ?? 0
            try db.execute(sql: "PRAGMA writable_schema = ON")
            try db.execute(
                sql: "UPDATE sqlite_schema SET sql = replace(replace(sql, ?, ?), ?, ?) WHERE type = 'table' AND name = 'tickets'",
                arguments: [
                    "'waiting_player', 'closed')", "'waiting_player', 'snoozed', 'closed')",
                    "IN ('claimed', 'waiting_player'))", "IN ('claimed', 'waiting_player', 'snoozed'))",
                ])
            try db.execute(sql: "PRAGMA schema_version = \(version + 1)")
            try db.execute(sql: "PRAGMA writable_schema = OFF")
            // Reminders are read by the GM they are for, when due and not yet delivered.
            try db.execute(sql: """
                ALTER TABLE tickets ADD COLUMN snoozed_until INTEGER;
                CREATE TABLE reminders (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
                    staff_id INTEGER NOT NULL,
                    staff_name TEXT NOT NULL,
                    due INTEGER NOT NULL,
                    text TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    delivered_at INTEGER
                );
                CREATE INDEX reminders_due ON reminders(staff_id, due) WHERE delivered_at IS NULL;
                """)
        }
        migrator.registerMigration("v16: internal tickets") { db in
            // Issue 13 §3: an internal ticket's player id is 0; the player it is about, if any, is kept here.
            try db.execute(sql: "ALTER TABLE tickets ADD COLUMN about_player_id INTEGER")
        }
        migrator.registerMigration("v17: a player's closed tickets") { db in
            // The re-filing check reads a player's tickets closed in the last week after every accepted request:
            // through `tickets_player` it read their newest 100 tickets whatever their state (issue 17's benchmark,
            // where players hold thousands of open tickets). Only a close writes this index.
            try db.execute(sql: """
                CREATE INDEX tickets_player_closed ON tickets(player_id, closed_at) WHERE state = 'closed'
                """)
        }
        migrator.registerMigration("v18: the open-ticket index without fingerprints") { db in
            // v8 put each open ticket's fingerprint (136 bytes) in this index so that the duplicate check read no
            // table row. Every new ticket writes an entry at its player's place, so the index's pages are dirtied
            // all over at every batch, and with fingerprints (about 160 bytes an entry instead of 20) they are many
            // times as many. `raw_insert` (Tools/bench, gmqd's schema, batches of 1,024): 60,000 rows, 6,427 rows/s
            // with them, 13,912 without, CPU per row 117 µs → 62 µs; 200,000 rows, 4,700 → 7,016 rows/s. The check
            // now reads its ten candidates' rows by id.
            try db.execute(sql: """
                DROP INDEX tickets_open_by_player;
                CREATE INDEX tickets_open_by_player ON tickets(player_id, category, id) WHERE state != 'closed';
                """)
        }
        migrator.registerMigration("v19: the search index merged in bounded steps") { db in
            // FTS5 merged segments by itself after a write, now and then for tens of milliseconds inside one
            // batch; each batch now merges a bounded amount (`SQLiteTicketStore.searchMergePages`).
            try db.execute(sql: "INSERT INTO search (search, rank) VALUES ('automerge', 0)")
        }
        migrator.registerMigration("v20: tickets without AUTOINCREMENT and IN lists") { db in
            // Issue 14 §2: what each ticket's INSERT costs besides its row. `raw_insert` (Tools/bench, gmqd's rows
            // and schema, 60,000 rows in batches of 1,024), alternated: 12,666 and 12,517 rows/s as before; the
            // CHECKs' IN lists as ORs 16,847 and 17,714 (SQLite builds a temporary b-tree for each IN list at every
            // execution of the statement); and without AUTOINCREMENT as well 19,716 and 21,275 (it reads and
            // rewrites sqlite_sequence at every INSERT). No ticket is ever deleted, so the largest id plus one,
            // which SQLite takes without AUTOINCREMENT, is the id AUTOINCREMENT would give. SQLite alters neither
            // in place: the table is rebuilt (sqlite.org/lang_altertable.html §7, foreign keys off during
            // migrations), and its indexes and triggers are created again as they were.
            let dependents = try String.fetchAll(db, sql: """
                SELECT sql FROM sqlite_schema WHERE tbl_name = 'tickets' AND type IN ('index', 'trigger')
                    AND sql IS NOT NULL ORDER BY rowid
                """)
            let columns = """
                id, category, state, player_id, player_name, text, realm, character_id, character_name, map_id, zone,
                x, y, z, client_build, assignee_id, assignee_name, assignee_role, resolution, created_at, updated_at,
                closed_at, reopen_count, content_words, priority, due_at, first_response_at, paused_ms, paused_since,
                overdue, closed_by, rating, incident_id, snoozed_until, about_player_id
                """
            try db.execute(sql: """
                CREATE TABLE tickets_v20 (
                    id INTEGER PRIMARY KEY,
                    category TEXT NOT NULL REFERENCES categories(id),
                    state TEXT NOT NULL CHECK (state = 'open' OR state = 'claimed' OR state = 'waiting_player'
                        OR state = 'snoozed' OR state = 'closed'),
                    player_id INTEGER NOT NULL,
                    player_name TEXT NOT NULL,
                    text TEXT NOT NULL,
                    realm TEXT NOT NULL,
                    character_id INTEGER NOT NULL,
                    character_name TEXT NOT NULL,
                    map_id INTEGER NOT NULL,
                    zone TEXT NOT NULL,
                    x REAL NOT NULL, y REAL NOT NULL, z REAL NOT NULL,
                    client_build TEXT NOT NULL,
                    assignee_id INTEGER,
                    assignee_name TEXT,
                    assignee_role TEXT,
                    resolution TEXT,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    closed_at INTEGER,
                    reopen_count INTEGER NOT NULL DEFAULT 0,
                    content_words BLOB,
                    priority INTEGER NOT NULL DEFAULT 0,
                    due_at INTEGER NOT NULL DEFAULT 0,
                    first_response_at INTEGER,
                    paused_ms INTEGER NOT NULL DEFAULT 0,
                    paused_since INTEGER,
                    overdue INTEGER NOT NULL DEFAULT 0,
                    closed_by TEXT,
                    rating INTEGER CHECK (rating BETWEEN 1 AND 5),
                    incident_id INTEGER REFERENCES incidents(id),
                    snoozed_until INTEGER,
                    about_player_id INTEGER,
                    CHECK ((state = 'claimed' OR state = 'waiting_player' OR state = 'snoozed') = (assignee_id IS NOT NULL))
                );
                INSERT INTO tickets_v20 (\(columns)) SELECT \(columns) FROM tickets;
                DROP TABLE tickets;
                ALTER TABLE tickets_v20 RENAME TO tickets;
                DELETE FROM sqlite_sequence WHERE name = 'tickets';
                """)
            for sql in dependents { try db.execute(sql: sql) }
        }
        migrator.registerMigration("v21: the duplicate check's candidates from the index alone") { db in
            // The writer now remembers the fingerprints it stored (`WriterMemory`), so the check needs only its
            // candidates' ids; but the index left out `state`, which the query names (the partial index is chosen
            // only for a query that says `state != 'closed'`), so SQLite read each candidate's row for it: 10 table
            // seeks per submission, 62% of the check's samples. With `state` in the index it is covering.
            try db.execute(sql: """
                DROP INDEX tickets_open_by_player;
                CREATE INDEX tickets_open_by_player ON tickets(player_id, category, id, state) WHERE state != 'closed';
                """)
        }
        migrator.registerMigration("v22: new tickets counted by the writer") { db in
            // A new ticket's counters (its queue's depth, its player's open tickets) are written by the writer once
            // per transaction (`WriterMemory.writeCounters`) instead of by two triggers per INSERT, which also made
            // every INSERT keep a statement journal. gmq-bench-store without the two triggers, alternated: 9,223,
            // 9,378 and 11,443 submissions/s against 6,824, 8,405 and 9,273 with them. The triggers on UPDATE stay.
            // A ticket inserted and closed in one transaction is closed before the writer counts it: closing it
            // must then subtract from a player who has no row yet, instead of clamping at 0 as before.
            try db.execute(sql: """
                DROP TRIGGER queue_depth_insert;
                DROP TRIGGER open_by_player_insert;
                DROP TRIGGER open_by_player_update;
                CREATE TRIGGER open_by_player_update AFTER UPDATE OF state ON tickets
                    WHEN (OLD.state = 'closed') != (NEW.state = 'closed')
                BEGIN
                    INSERT INTO open_tickets_by_player (player_id, open)
                        VALUES (NEW.player_id, CASE WHEN NEW.state = 'closed' THEN -1 ELSE 1 END)
                        ON CONFLICT (player_id) DO UPDATE
                        SET open = open + CASE WHEN NEW.state = 'closed' THEN -1 ELSE 1 END;
                END;
                """)
        }
        return migrator
    }
}

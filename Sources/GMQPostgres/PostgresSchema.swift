import Logging
import PostgresNIO

/// The PostgreSQL schema, as numbered, append-only migrations of plain SQL. Each runs in its own transaction
/// under an advisory lock, so that nodes starting together migrate once.
enum PostgresSchema {
    static let migrations: [(version: Int, name: String, sql: [String])] = [
        (1, "tickets, events, chain head, notifications, staff, categories, macros, presence, secrets", [
            """
            CREATE TABLE categories (
                id TEXT PRIMARY KEY,
                title TEXT NOT NULL,
                position BIGSERIAL NOT NULL
            )
            """,
            """
            INSERT INTO categories (id, title) VALUES
                ('stuck_character', 'Stuck character'), ('bug', 'Bug'), ('player_report', 'Player report'),
                ('account', 'Account'), ('payment', 'Payment'), ('other', 'Other')
            """,
            // last_seq and last_hash are the ticket's newest event: a step reads them with the row it locks, so
            // appending to a ticket's history needs no second query, and two steps in one batch see each other.
            """
            CREATE TABLE tickets (
                id BIGSERIAL PRIMARY KEY,
                category TEXT NOT NULL REFERENCES categories(id),
                state TEXT NOT NULL CHECK (state IN ('open', 'claimed', 'waiting_player', 'closed')),
                player_id BIGINT NOT NULL,
                player_name TEXT NOT NULL,
                text TEXT NOT NULL,
                realm TEXT NOT NULL,
                character_id BIGINT NOT NULL,
                character_name TEXT NOT NULL,
                map_id BIGINT NOT NULL,
                zone TEXT NOT NULL,
                x DOUBLE PRECISION NOT NULL, y DOUBLE PRECISION NOT NULL, z DOUBLE PRECISION NOT NULL,
                client_build TEXT NOT NULL,
                assignee_id BIGINT,
                assignee_name TEXT,
                assignee_role TEXT,
                resolution TEXT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                closed_at BIGINT,
                reopen_count INT NOT NULL DEFAULT 0,
                priority INT NOT NULL DEFAULT 0,
                due_at BIGINT NOT NULL,
                first_response_at BIGINT,
                paused_ms BIGINT NOT NULL DEFAULT 0,
                paused_since BIGINT,
                overdue BOOLEAN NOT NULL DEFAULT false,
                closed_by TEXT,
                rating INT CHECK (rating BETWEEN 1 AND 5),
                content_words BYTEA,
                last_seq BIGINT NOT NULL DEFAULT 0,
                last_hash BYTEA,
                CHECK ((state IN ('claimed', 'waiting_player')) = (assignee_id IS NOT NULL))
            )
            """,
            // The queue's order (QUEUE, claim-next); a player's open tickets (duplicate check, open limit); a
            // player's list; audit by close time; the wait estimate.
            "CREATE INDEX tickets_urgency ON tickets (category, state, priority DESC, due_at, id)",
            "CREATE INDEX tickets_open_by_player ON tickets (player_id, category, id) WHERE state <> 'closed'",
            "CREATE INDEX tickets_player ON tickets (player_id, id)",
            "CREATE INDEX tickets_closed ON tickets (closed_at) WHERE state = 'closed'",
            "CREATE INDEX tickets_first_response ON tickets (category, first_response_at) WHERE first_response_at IS NOT NULL",
            """
            CREATE TABLE events (
                ticket_id BIGINT NOT NULL REFERENCES tickets(id),
                seq BIGINT NOT NULL,
                kind TEXT NOT NULL,
                actor_id BIGINT NOT NULL,
                actor_name TEXT NOT NULL,
                actor_role TEXT NOT NULL,
                at BIGINT NOT NULL,
                text TEXT NOT NULL,
                chain_seq BIGINT NOT NULL UNIQUE,
                prev_hash BYTEA NOT NULL,
                hash BYTEA NOT NULL,
                chain_hash BYTEA NOT NULL,
                PRIMARY KEY (ticket_id, seq)
            )
            """,
            """
            CREATE FUNCTION events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'events are append-only: history cannot be %',
                    CASE TG_OP WHEN 'UPDATE' THEN 'edited' ELSE 'deleted' END;
            END $$
            """,
            """
            CREATE TRIGGER events_are_append_only BEFORE UPDATE OR DELETE ON events
                FOR EACH ROW EXECUTE FUNCTION events_are_append_only()
            """,
            """
            CREATE TRIGGER events_are_not_truncated BEFORE TRUNCATE ON events
                FOR EACH STATEMENT EXECUTE FUNCTION events_are_append_only()
            """,
            // The global chain's head: one row, locked by every transaction that appends events, just before it
            // inserts them and commits. That lock fixes the chain's order across nodes.
            """
            CREATE TABLE chain_head (
                id INT PRIMARY KEY CHECK (id = 1),
                seq BIGINT NOT NULL,
                hash BYTEA NOT NULL
            )
            """,
            "INSERT INTO chain_head (id, seq, hash) VALUES (1, 0, decode(repeat('00', 32), 'hex'))",
            """
            CREATE TABLE notifications (
                id BIGSERIAL PRIMARY KEY,
                player_id BIGINT NOT NULL,
                ticket_id BIGINT NOT NULL REFERENCES tickets(id),
                kind TEXT NOT NULL,
                actor_name TEXT NOT NULL,
                text TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                acked_at BIGINT
            )
            """,
            "CREATE INDEX notifications_pending ON notifications (player_id, id) WHERE acked_at IS NULL",
            // The row a submission locks: the open limit and the duplicate check are read-then-write per player.
            "CREATE TABLE players (player_id BIGINT PRIMARY KEY)",
            """
            CREATE TABLE staff (
                id BIGSERIAL PRIMARY KEY,
                name TEXT NOT NULL,
                role TEXT NOT NULL CHECK (role IN ('gm', 'moderator', 'admin')),
                key_hash TEXT NOT NULL UNIQUE,
                categories TEXT NOT NULL DEFAULT '',
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX staff_name ON staff (lower(name))",
            """
            CREATE TABLE macros (
                name TEXT PRIMARY KEY,
                text TEXT NOT NULL,
                author TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            // Each node's staff sessions, refreshed by its lease keeper: a node never expires a claim held by a
            // GM connected to another live node.
            """
            CREATE TABLE staff_presence (
                staff_id BIGINT NOT NULL,
                node TEXT NOT NULL,
                last_activity BIGINT NOT NULL,
                connected BOOLEAN NOT NULL,
                heartbeat_at BIGINT NOT NULL,
                PRIMARY KEY (staff_id, node)
            )
            """,
            // Secrets every node shares (the player-token key), created by the first node.
            "CREATE TABLE secrets (name TEXT PRIMARY KEY, value BYTEA NOT NULL)",
        ]),
        // A new ticket's place is the open tickets of its category: counting them cost in proportion to the
        // queue (2 ms of PostgreSQL's CPU per submission at 2,500 open, `Tools/bench/cluster`). Counters instead,
        // one row per category and writer loop (shard), so that no two writers ever wait on the same row; the
        // depth is their sum.
        (2, "queue depth in per-writer shards", [
            """
            CREATE TABLE queue_depth (
                category TEXT NOT NULL,
                shard TEXT NOT NULL,
                open BIGINT NOT NULL,
                PRIMARY KEY (category, shard)
            )
            """,
            """
            INSERT INTO queue_depth (category, shard, open)
                SELECT category, 'initial', count(*) FROM tickets WHERE state = 'open' GROUP BY category
            """,
        ]),
        // A submission now takes a transaction-scoped advisory lock on its player instead of this row.
        (3, "player rows replaced by advisory locks", ["DROP TABLE players"]),
        // Issue 11 §2–3: disabled accounts and key expiry; the staff action log, append-only like events. Its
        // order is fixed by a transaction-scoped advisory lock (StaffLog.lockKey) taken before the last entry is
        // read, so entries written by several nodes form one chain.
        (4, "staff lifecycle and the staff action log", [
            "ALTER TABLE staff ADD COLUMN disabled_at BIGINT, ADD COLUMN expires_at BIGINT",
            """
            CREATE TABLE staff_log (
                seq BIGINT PRIMARY KEY,
                at BIGINT NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                target TEXT NOT NULL,
                detail TEXT NOT NULL,
                prev_hash BYTEA NOT NULL,
                hash BYTEA NOT NULL
            )
            """,
            "CREATE INDEX staff_log_actor ON staff_log (lower(actor), seq)",
            """
            CREATE FUNCTION staff_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'the staff log is append-only: entries cannot be %',
                    CASE TG_OP WHEN 'UPDATE' THEN 'edited' ELSE 'deleted' END;
            END $$
            """,
            """
            CREATE TRIGGER staff_log_is_append_only BEFORE UPDATE OR DELETE ON staff_log
                FOR EACH ROW EXECUTE FUNCTION staff_log_is_append_only()
            """,
            """
            CREATE TRIGGER staff_log_is_not_truncated BEFORE TRUNCATE ON staff_log
                FOR EACH STATEMENT EXECUTE FUNCTION staff_log_is_append_only()
            """,
        ]),
        // Issue 11 §4: one row per banned player; the staff log keeps the history.
        (5, "help bans", [
            """
            CREATE TABLE help_bans (
                player_id BIGINT PRIMARY KEY,
                until BIGINT NOT NULL,
                reason TEXT NOT NULL,
                banned_by TEXT NOT NULL,
                at BIGINT NOT NULL
            )
            """,
        ]),
        // Issue 12: known issues. A linked ticket stays open but out of its category's queue (and its depth).
        (6, "incidents", [
            """
            CREATE TABLE incidents (
                id BIGSERIAL PRIMARY KEY,
                title TEXT NOT NULL,
                category TEXT NOT NULL REFERENCES categories(id),
                match_text TEXT NOT NULL,
                build TEXT NOT NULL,
                zone TEXT NOT NULL,
                message TEXT NOT NULL,
                opened_by TEXT NOT NULL,
                opened_at BIGINT NOT NULL,
                closed_by TEXT,
                closed_at BIGINT
            )
            """,
            "ALTER TABLE tickets ADD COLUMN incident_id BIGINT REFERENCES incidents(id)",
            "CREATE INDEX tickets_incident ON tickets (incident_id, id) WHERE incident_id IS NOT NULL",
        ]),
        (7, "self-help articles and previews", [
            """
            CREATE TABLE kb_articles (
                id BIGSERIAL PRIMARY KEY,
                title TEXT NOT NULL,
                body TEXT NOT NULL,
                keywords TEXT[] NOT NULL,
                category TEXT NOT NULL,
                locale TEXT NOT NULL,
                updated_by TEXT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE previews (
                id BIGSERIAL PRIMARY KEY,
                player_id BIGINT NOT NULL,
                category TEXT NOT NULL,
                at BIGINT NOT NULL,
                reason TEXT NOT NULL,
                articles INT NOT NULL,
                incident_id BIGINT
            )
            """,
            "CREATE INDEX previews_at ON previews (at)",
            "CREATE INDEX previews_player ON previews (player_id, id)",
        ]),
        (8, "attachments and the game role", [
            // Files live in the database, stored once per content (SHA-256): every node reads them (nodes share no
            // file system), pg_dump backs them up, and they are written in the transaction of their event.
            "CREATE TABLE blobs (sha256 BYTEA PRIMARY KEY, bytes BYTEA NOT NULL)",
            """
            CREATE TABLE attachments (
                ticket_id BIGINT NOT NULL REFERENCES tickets(id),
                number INT NOT NULL,
                name TEXT NOT NULL,
                content_type TEXT NOT NULL,
                size INT NOT NULL,
                sha256 BYTEA NOT NULL REFERENCES blobs(sha256),
                event_seq BIGINT NOT NULL,
                uploaded_by TEXT NOT NULL,
                uploader_role TEXT NOT NULL,
                uploader_id BIGINT NOT NULL,
                at BIGINT NOT NULL,
                PRIMARY KEY (ticket_id, number)
            )
            """,
            """
            CREATE FUNCTION attachments_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'attachments are append-only: evidence cannot be %',
                    CASE TG_OP WHEN 'UPDATE' THEN 'edited' ELSE 'deleted' END;
            END $$
            """,
            """
            CREATE TRIGGER attachments_are_append_only BEFORE UPDATE OR DELETE ON attachments
                FOR EACH ROW EXECUTE FUNCTION attachments_are_append_only()
            """,
            """
            CREATE TRIGGER blobs_are_append_only BEFORE UPDATE OR DELETE ON blobs
                FOR EACH ROW EXECUTE FUNCTION attachments_are_append_only()
            """,
            "ALTER TABLE staff DROP CONSTRAINT staff_role_check",
            "ALTER TABLE staff ADD CONSTRAINT staff_role_check CHECK (role IN ('gm', 'moderator', 'admin', 'game'))",
        ]),
        (9, "full-text search of events", [
            // Issue 13 §1: the same words as SQLite's FTS5 (the `simple` configuration: lower case, no stemming).
            "CREATE INDEX events_search ON events USING GIN (to_tsvector('simple', text))",
        ]),
        // Issue 13 §4: a snoozed ticket is held (its holder kept); reminders are read by the GM they are for, when
        // due and not yet delivered.
        (10, "snoozed tickets and reminders", [
            "ALTER TABLE tickets DROP CONSTRAINT tickets_state_check, DROP CONSTRAINT tickets_check",
            """
            ALTER TABLE tickets
                ADD CONSTRAINT tickets_state_check
                    CHECK (state IN ('open', 'claimed', 'waiting_player', 'snoozed', 'closed')),
                ADD CONSTRAINT tickets_check
                    CHECK ((state IN ('claimed', 'waiting_player', 'snoozed')) = (assignee_id IS NOT NULL)),
                ADD COLUMN snoozed_until BIGINT
            """,
            """
            CREATE TABLE reminders (
                id BIGSERIAL PRIMARY KEY,
                ticket_id BIGINT NOT NULL REFERENCES tickets(id),
                staff_id BIGINT NOT NULL,
                staff_name TEXT NOT NULL,
                due BIGINT NOT NULL,
                text TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                delivered_at BIGINT
            )
            """,
            "CREATE INDEX reminders_due ON reminders (staff_id, due) WHERE delivered_at IS NULL",
        ]),
        // Issue 13 §3: an internal ticket's player id is 0; the player it is about, if any, is kept here.
        (11, "internal tickets", ["ALTER TABLE tickets ADD COLUMN about_player_id BIGINT"]),
        // The re-filing check's read of a player's recently closed tickets (SQLite v17 says why).
        (12, "a player's closed tickets", [
            "CREATE INDEX tickets_player_closed ON tickets (player_id, closed_at) WHERE state = 'closed'",
        ]),
        // A batch's end in one round trip (issue 17): the chain head's lock is held from this call to COMMIT, so
        // every round trip under it was a wait for every other writer of every node. Under the lock, in order:
        // the queues' committed depth for the batch's new tickets (read by a statement of its own, after the lock
        // was granted, so it sees every batch committed before), this writer's depth shard, the events linked into
        // the global chain (`EventChain.link`'s chain step: SHA-256 of the previous chain hash, the big-endian
        // position and the event's hash; the per-ticket hashes come computed), the head, and the change notices.
        (13, "a batch's end in one call", [
            """
            CREATE FUNCTION gmq_finish_batch(
                p_shard TEXT, p_placed TEXT[], p_depth_categories TEXT[], p_depth_deltas BIGINT[],
                p_channel TEXT, p_payloads TEXT[],
                e_ticket BIGINT[], e_seq BIGINT[], e_kind TEXT[], e_actor BIGINT[], e_actor_name TEXT[],
                e_role TEXT[], e_at BIGINT[], e_text TEXT[], e_prev BYTEA[], e_hash BYTEA[]
            ) RETURNS TABLE (placed_category TEXT, committed_depth BIGINT) LANGUAGE plpgsql AS $$
            DECLARE
                n INT := coalesce(array_length(e_ticket, 1), 0);
                head_seq BIGINT;
                head_hash BYTEA;
                chain_seqs BIGINT[] := '{}';
                chain_hashes BYTEA[] := '{}';
            BEGIN
                IF n > 0 THEN
                    SELECT h.seq, h.hash INTO head_seq, head_hash FROM chain_head h WHERE h.id = 1 FOR UPDATE;
                END IF;
                RETURN QUERY SELECT d.category, sum(d.open)::BIGINT FROM queue_depth d
                    WHERE d.category = ANY(p_placed) GROUP BY d.category;
                INSERT INTO queue_depth AS q (category, shard, open)
                    SELECT c, p_shard, v FROM unnest(p_depth_categories, p_depth_deltas) AS u(c, v)
                    ON CONFLICT (category, shard) DO UPDATE SET open = q.open + excluded.open;
                IF n > 0 THEN
                    FOR i IN 1..n LOOP
                        head_seq := head_seq + 1;
                        head_hash := sha256(head_hash || int8send(head_seq) || e_hash[i]);
                        chain_seqs[i] := head_seq;
                        chain_hashes[i] := head_hash;
                    END LOOP;
                    INSERT INTO events (ticket_id, seq, kind, actor_id, actor_name, actor_role, at, text, chain_seq,
                        prev_hash, hash, chain_hash)
                    SELECT * FROM unnest(e_ticket, e_seq, e_kind, e_actor, e_actor_name, e_role, e_at, e_text,
                        chain_seqs, e_prev, e_hash, chain_hashes);
                    UPDATE chain_head SET seq = head_seq, hash = head_hash WHERE id = 1;
                END IF;
                PERFORM pg_notify(p_channel, p) FROM unnest(p_payloads) AS p;
            END $$
            """,
        ]),
        // The search index takes each event as it is inserted. With GIN's pending list (fastupdate, the default)
        // inserts are cheaper until the list passes gin_pending_list_limit, and then the insert that passes it
        // merges the whole list into the index: a stall of a few hundred ms inside a batch's end, where every
        // batch of every node waits for the chain head. 3 nodes at 1,300 submissions/s, alternated pairs: closed
        // loop p99 180 and 147 ms without the list against 390 and 263 ms with it, at the same throughput.
        (14, "search index without a pending list", ["ALTER INDEX events_search SET (fastupdate = off)"]),
        // The global chain's links apart from the events (issue 17): a batch inserts its events (a wide row, the
        // search index, the ticket's foreign key) before it takes the chain head's lock, and under the lock only
        // a narrow link per event (position, ticket, seq, chain hash; one B-tree). Every batch of every node waits
        // for that lock, through COMMIT, so what it covers bounds both throughput and a cross-node answer's
        // latency. Events written before keep their inline chain columns, copied here; `verifyChain` reads the
        // links only. The links are append-only like the events.
        (15, "chain links apart from events", [
            """
            CREATE TABLE event_chain (
                chain_seq BIGINT PRIMARY KEY,
                ticket_id BIGINT NOT NULL,
                seq BIGINT NOT NULL,
                chain_hash BYTEA NOT NULL
            )
            """,
            "INSERT INTO event_chain (chain_seq, ticket_id, seq, chain_hash) SELECT chain_seq, ticket_id, seq, chain_hash FROM events",
            """
            ALTER TABLE events ALTER COLUMN chain_seq DROP NOT NULL, ALTER COLUMN chain_hash DROP NOT NULL,
                DROP CONSTRAINT events_chain_seq_key
            """,
            """
            CREATE FUNCTION event_chain_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'the event chain is append-only: a link cannot be %',
                    CASE TG_OP WHEN 'UPDATE' THEN 'edited' ELSE 'deleted' END;
            END $$
            """,
            """
            CREATE TRIGGER event_chain_is_append_only BEFORE UPDATE OR DELETE ON event_chain
                FOR EACH ROW EXECUTE FUNCTION event_chain_is_append_only()
            """,
            """
            CREATE TRIGGER event_chain_is_not_truncated BEFORE TRUNCATE ON event_chain
                FOR EACH STATEMENT EXECUTE FUNCTION event_chain_is_append_only()
            """,
            """
            CREATE FUNCTION gmq_link_batch(
                p_shard TEXT, p_placed TEXT[], p_depth_categories TEXT[], p_depth_deltas BIGINT[],
                p_channel TEXT, p_payloads TEXT[], e_ticket BIGINT[], e_seq BIGINT[], e_hash BYTEA[]
            ) RETURNS TABLE (placed_category TEXT, committed_depth BIGINT) LANGUAGE plpgsql AS $$
            DECLARE
                n INT := coalesce(array_length(e_ticket, 1), 0);
                head_seq BIGINT;
                head_hash BYTEA;
                chain_seqs BIGINT[] := '{}';
                chain_hashes BYTEA[] := '{}';
            BEGIN
                IF n > 0 THEN
                    SELECT h.seq, h.hash INTO head_seq, head_hash FROM chain_head h WHERE h.id = 1 FOR UPDATE;
                END IF;
                RETURN QUERY SELECT d.category, sum(d.open)::BIGINT FROM queue_depth d
                    WHERE d.category = ANY(p_placed) GROUP BY d.category;
                INSERT INTO queue_depth AS q (category, shard, open)
                    SELECT c, p_shard, v FROM unnest(p_depth_categories, p_depth_deltas) AS u(c, v)
                    ON CONFLICT (category, shard) DO UPDATE SET open = q.open + excluded.open;
                IF n > 0 THEN
                    FOR i IN 1..n LOOP
                        head_seq := head_seq + 1;
                        head_hash := sha256(head_hash || int8send(head_seq) || e_hash[i]);
                        chain_seqs[i] := head_seq;
                        chain_hashes[i] := head_hash;
                    END LOOP;
                    INSERT INTO event_chain (chain_seq, ticket_id, seq, chain_hash)
                    SELECT * FROM unnest(chain_seqs, e_ticket, e_seq, chain_hashes);
                    UPDATE chain_head SET seq = head_seq, hash = head_hash WHERE id = 1;
                END IF;
                PERFORM pg_notify(p_channel, p) FROM unnest(p_payloads) AS p;
            END $$
            """,
            // A node of the version before, during a rolling upgrade, still ends its batches with this call.
            """
            CREATE OR REPLACE FUNCTION gmq_finish_batch(
                p_shard TEXT, p_placed TEXT[], p_depth_categories TEXT[], p_depth_deltas BIGINT[],
                p_channel TEXT, p_payloads TEXT[],
                e_ticket BIGINT[], e_seq BIGINT[], e_kind TEXT[], e_actor BIGINT[], e_actor_name TEXT[],
                e_role TEXT[], e_at BIGINT[], e_text TEXT[], e_prev BYTEA[], e_hash BYTEA[]
            ) RETURNS TABLE (placed_category TEXT, committed_depth BIGINT) LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO events (ticket_id, seq, kind, actor_id, actor_name, actor_role, at, text, prev_hash, hash)
                SELECT * FROM unnest(e_ticket, e_seq, e_kind, e_actor, e_actor_name, e_role, e_at, e_text, e_prev, e_hash);
                RETURN QUERY SELECT * FROM gmq_link_batch(
                    p_shard, p_placed, p_depth_categories, p_depth_deltas, p_channel, p_payloads, e_ticket, e_seq, e_hash);
            END $$
            """,
        ]),
        // A player's open tickets kept by triggers, as SQLite's v7 does: the open limit is checked for every
        // submission, and counting the player's open tickets read each of them (a heap visit per row: tickets
        // inserted lately are not yet all-visible, so the partial index alone does not answer). Under
        // `Tools/bench/cluster`'s half load, with pg_stat_statements, that count made the batch read 13.6 of the
        // 15 s spent in statements (18.9 ms per batch): its load players hold hundreds of open tickets each (the
        // bench lifts the open limit), and a batch counted every one. New tickets are counted once per statement
        // (a batch inserts them in one); a state change counts only when it opens or closes. The table is locked
        // first, so no node inserts a ticket between the count and the triggers.
        (16, "open tickets per player kept by triggers", [
            "LOCK TABLE tickets IN SHARE ROW EXCLUSIVE MODE",
            "CREATE TABLE open_tickets_by_player (player_id BIGINT PRIMARY KEY, open BIGINT NOT NULL)",
            """
            INSERT INTO open_tickets_by_player (player_id, open)
                SELECT player_id, count(*) FROM tickets WHERE state <> 'closed' GROUP BY player_id
            """,
            """
            CREATE FUNCTION open_by_player_insert() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO open_tickets_by_player AS o (player_id, open)
                    SELECT player_id, count(*) FROM new_tickets WHERE state <> 'closed' GROUP BY player_id
                    ORDER BY player_id
                    ON CONFLICT (player_id) DO UPDATE SET open = o.open + excluded.open;
                RETURN NULL;
            END $$
            """,
            """
            CREATE TRIGGER open_by_player_insert AFTER INSERT ON tickets REFERENCING NEW TABLE AS new_tickets
                FOR EACH STATEMENT EXECUTE FUNCTION open_by_player_insert()
            """,
            """
            CREATE FUNCTION open_by_player_update() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO open_tickets_by_player AS o (player_id, open)
                    VALUES (NEW.player_id, CASE WHEN NEW.state = 'closed' THEN 0 ELSE 1 END)
                    ON CONFLICT (player_id) DO UPDATE
                    SET open = o.open + CASE WHEN NEW.state = 'closed' THEN -1 ELSE 1 END;
                RETURN NULL;
            END $$
            """,
            """
            CREATE TRIGGER open_by_player_update AFTER UPDATE OF state ON tickets FOR EACH ROW
                WHEN ((OLD.state = 'closed') IS DISTINCT FROM (NEW.state = 'closed'))
                EXECUTE FUNCTION open_by_player_update()
            """,
        ]),
        // With the events inserted before the chain head's lock (migration 15), a pending-list merge no longer
        // stalls every node's batches, only its own: the list comes back, kept small so that each merge is short.
        // 3 nodes, 256 connections, one session: closed loop 2,272 and 2,631 acked/s against 1,972 and 2,406
        // without the list; open loop at 1,100/s p99 87.5 and 89.7 ms against 103.2 and 81.1; the cross-node push
        // p99 45.4 and 47.6 ms against 52.4 and 39.7. With the default 4 MB list: 2,884 and 2,740 acked/s, but
        // p99 472 and 565 ms at 1,100/s (the batch that merges waits, holding its players' locks).
        (17, "search index with a small pending list", [
            "ALTER INDEX events_search SET (fastupdate = on, gin_pending_list_limit = 64)",
        ]),
        // The global chain linked after COMMIT (issue 17). Every batch that wrote events held the chain head's
        // row lock through its COMMIT, so every writer of every node waited for every other's fsync: a GM's
        // answer on one node queued behind the submission batches of all three. A batch now files its events'
        // hashes in `chain_pending` (inserted with the events, so committed with them or not at all), and a
        // chainer links whatever is filed, in (ticket, seq) order, under the head's lock, in a transaction of its
        // own (`gmq_chain_pending`; on every node, one at a time). The chain's order is still fixed in the
        // database: by the chainer's transaction, not by the writers' commits. A new ticket's place in its queue
        // was ordered by the chain head's lock too; a lock per placed category (taken in name order, at the
        // batch's end, through COMMIT; advisory key pairs (7073, hash of the name)) orders it now, and an answer,
        // which places nothing, takes none. During a rolling upgrade a node of the version before still links its
        // own batches (`gmq_link_batch`, under the same head lock, so the chain stays one), but its places and a
        // new node's are not ordered against each other until it is upgraded: two tickets may show the same place.
        (18, "chain links after commit", [
            """
            CREATE TABLE chain_pending (
                ticket_id BIGINT NOT NULL,
                seq BIGINT NOT NULL,
                hash BYTEA NOT NULL,
                PRIMARY KEY (ticket_id, seq)
            )
            """,
            """
            CREATE FUNCTION gmq_place_batch(
                p_shard TEXT, p_placed TEXT[], p_depth_categories TEXT[], p_depth_deltas BIGINT[],
                p_channel TEXT, p_payloads TEXT[], e_ticket BIGINT[], e_seq BIGINT[], e_hash BYTEA[]
            ) RETURNS TABLE (placed_category TEXT, committed_depth BIGINT) LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO chain_pending (ticket_id, seq, hash) SELECT * FROM unnest(e_ticket, e_seq, e_hash);
                PERFORM pg_advisory_xact_lock(7073, hashtext(c))
                    FROM (SELECT DISTINCT unnest(p_placed) AS c ORDER BY 1) AS placed;
                RETURN QUERY SELECT d.category, sum(d.open)::BIGINT FROM queue_depth d
                    WHERE d.category = ANY(p_placed) GROUP BY d.category;
                INSERT INTO queue_depth AS q (category, shard, open)
                    SELECT c, p_shard, v FROM unnest(p_depth_categories, p_depth_deltas) AS u(c, v)
                    ON CONFLICT (category, shard) DO UPDATE SET open = q.open + excluded.open;
                PERFORM pg_notify(p_channel, p) FROM unnest(p_payloads) AS p;
            END $$
            """,
            // Links up to p_limit filed events and returns how many, or -1 when another chainer holds the head
            // and p_wait is false.
            """
            CREATE FUNCTION gmq_chain_pending(p_limit INT, p_wait BOOLEAN) RETURNS INT LANGUAGE plpgsql AS $$
            DECLARE
                head_seq BIGINT;
                head_hash BYTEA;
                tickets BIGINT[];
                seqs BIGINT[];
                hashes BYTEA[];
                chain_seqs BIGINT[] := '{}';
                chain_hashes BYTEA[] := '{}';
                n INT;
            BEGIN
                -- Nothing filed: no lock, no write.
                PERFORM 1 FROM chain_pending LIMIT 1;
                IF NOT FOUND THEN RETURN 0; END IF;
                IF p_wait THEN
                    SELECT h.seq, h.hash INTO head_seq, head_hash FROM chain_head h WHERE h.id = 1 FOR UPDATE;
                ELSE
                    SELECT h.seq, h.hash INTO head_seq, head_hash FROM chain_head h WHERE h.id = 1
                        FOR UPDATE SKIP LOCKED;
                    IF NOT FOUND THEN RETURN -1; END IF;
                END IF;
                SELECT array_agg(p.ticket_id ORDER BY p.ticket_id, p.seq), array_agg(p.seq ORDER BY p.ticket_id, p.seq),
                        array_agg(p.hash ORDER BY p.ticket_id, p.seq)
                    INTO tickets, seqs, hashes
                    FROM (SELECT * FROM chain_pending ORDER BY ticket_id, seq LIMIT p_limit) AS p;
                n := coalesce(array_length(tickets, 1), 0);
                IF n = 0 THEN RETURN 0; END IF;
                FOR i IN 1..n LOOP
                    head_seq := head_seq + 1;
                    head_hash := sha256(head_hash || int8send(head_seq) || hashes[i]);
                    chain_seqs[i] := head_seq;
                    chain_hashes[i] := head_hash;
                END LOOP;
                INSERT INTO event_chain (chain_seq, ticket_id, seq, chain_hash)
                    SELECT * FROM unnest(chain_seqs, tickets, seqs, chain_hashes);
                DELETE FROM chain_pending p USING unnest(tickets, seqs) AS l(ticket_id, seq)
                    WHERE p.ticket_id = l.ticket_id AND p.seq = l.seq;
                UPDATE chain_head SET seq = head_seq, hash = head_hash WHERE id = 1;
                RETURN n;
            END $$
            """,
        ]),
    ]

    /// Brings the database to the newest version (or to `version`: tests of a migration); safe to call from
    /// several nodes at once.
    static func migrate(_ client: PostgresClient, through version: Int = .max, logger: Logger) async throws {
        try await client.withConnection { connection in
            // Session-level advisory lock: the second node waits, then finds everything applied.
            try await connection.query("SELECT pg_advisory_lock(7071)", logger: logger)
            do {
                try await connection.query(
                    """
                    CREATE TABLE IF NOT EXISTS gmq_migrations (
                        version INT PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
                    """, logger: logger)
                var applied = Set<Int>()
                for try await version in try await connection.query(
                    "SELECT version FROM gmq_migrations", logger: logger
                ).decode(Int.self) {
                    applied.insert(version)
                }
                for migration in Self.migrations
                where !applied.contains(migration.version) && migration.version <= version
                {
                    try await connection.query("BEGIN", logger: logger)
                    do {
                        for statement in migration.sql {
                            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                        }
                        try await connection.query(
                            "INSERT INTO gmq_migrations (version, name) VALUES (\(migration.version), \(migration.name))",
                            logger: logger)
                        try await connection.query("COMMIT", logger: logger)
                    } catch {
                        _ = try? await connection.query("ROLLBACK", logger: logger)
                        throw error
                    }
                }
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(7071)", logger: logger)
                throw error
            }
            try await connection.query("SELECT pg_advisory_unlock(7071)", logger: logger)
        }
    }
}

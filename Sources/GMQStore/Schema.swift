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
        return migrator
    }
}

/* The raw limit for issue "durable at speed": the rows a submission writes (a ticket and its first event),
 * inserted straight through the SQLite C API into gmqd's own schema, in transactions of BATCH rows, WAL mode,
 * synchronous=FULL. Usage: raw_insert DATABASE ROWS BATCH [STATE FIRST_PLAYER]. Prints raw_rows_per_second=N.
 * By default rows are open tickets of 256 players (the load generator's); with STATE (open or closed) and
 * FIRST_PLAYER every row has its own player from FIRST_PLAYER on, which is how `Tools/bench/run` fills a database
 * with 100,000 open and 1,000,000 stored tickets. Categories rotate over the six defaults. */
#define _POSIX_C_SOURCE 200809L
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static void check(int rc, sqlite3 *db, const char *what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        fprintf(stderr, "raw_insert: %s: %s\n", what, sqlite3_errmsg(db));
        exit(1);
    }
}

int main(int argc, char **argv) {
    sqlite3 *db;
    sqlite3_stmt *ticket, *event;
    struct timespec start, end;
    long rows, batch, i, first_player = 0;
    const char *state = "open";
    static const char *categories[] = {"stuck_character", "bug", "player_report", "account", "payment", "other"};
    char text[128];
    double seconds;
    if (argc != 4 && argc != 6) {
        fprintf(stderr, "usage: %s DATABASE ROWS BATCH [STATE FIRST_PLAYER]\n", argv[0]);
        return 2;
    }
    rows = atol(argv[2]);
    batch = atol(argv[3]);
    if (argc == 6) { state = argv[4]; first_player = atol(argv[5]); }
    check(sqlite3_open(argv[1], &db), db, "open");
    check(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", NULL, NULL, NULL), db, "pragmas");
    check(sqlite3_prepare_v2(db,
        "INSERT INTO tickets (category, state, player_id, player_name, text, realm, character_id, character_name, "
        "map_id, zone, x, y, z, client_build, created_at, updated_at) "
        "VALUES (?4, ?5, ?1, 'Raw', ?2, 'Realm', 1, 'Raw', 0, 'Ironforge', 1.0, 2.0, 3.0, 'raw', ?3, ?3)",
        -1, &ticket, NULL), db, "prepare ticket");
    check(sqlite3_prepare_v2(db,
        "INSERT INTO events (ticket_id, seq, kind, actor_id, actor_name, actor_role, at, text) "
        "VALUES (?1, 1, 'submitted', ?2, 'Raw', 'player', ?3, ?4)", -1, &event, NULL), db, "prepare event");
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (i = 0; i < rows; i++) {
        if (i % batch == 0) check(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), db, "begin");
        snprintf(text, sizeof text, "My mount from kalormin %ld vanished after the restart near Ironforge", i);
        long player = first_player ? first_player + i : i % 256 + 1;
        sqlite3_bind_int64(ticket, 1, player);
        sqlite3_bind_text(ticket, 2, text, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(ticket, 3, 1795543466251LL + i);
        sqlite3_bind_text(ticket, 4, categories[i % 6], -1, SQLITE_STATIC);
        sqlite3_bind_text(ticket, 5, state, -1, SQLITE_STATIC);
        check(sqlite3_step(ticket), db, "insert ticket");
        sqlite3_reset(ticket);
        sqlite3_bind_int64(event, 1, sqlite3_last_insert_rowid(db));
        sqlite3_bind_int64(event, 2, player);
        sqlite3_bind_int64(event, 3, 1795543466251LL + i);
        sqlite3_bind_text(event, 4, text, -1, SQLITE_TRANSIENT);
        check(sqlite3_step(event), db, "insert event");
        sqlite3_reset(event);
        if (i % batch == batch - 1 || i == rows - 1) check(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), db, "commit");
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    seconds = (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9;
    printf("raw_rows_per_second=%.0f\n", (double)rows / seconds);
    sqlite3_finalize(ticket);
    sqlite3_finalize(event);
    sqlite3_close(db);
    return 0;
}

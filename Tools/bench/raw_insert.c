/* The raw limit for issue "durable at speed": the rows a submission writes (a ticket and its first event),
 * inserted straight through the SQLite C API into gmqd's own schema, in transactions of BATCH rows, WAL mode,
 * synchronous=FULL. Usage: raw_insert DATABASE ROWS BATCH. Prints raw_rows_per_second=N. */
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
    long rows, batch, i;
    char text[128];
    double seconds;
    if (argc != 4) { fprintf(stderr, "usage: %s DATABASE ROWS BATCH\n", argv[0]); return 2; }
    rows = atol(argv[2]);
    batch = atol(argv[3]);
    check(sqlite3_open(argv[1], &db), db, "open");
    check(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", NULL, NULL, NULL), db, "pragmas");
    check(sqlite3_prepare_v2(db,
        "INSERT INTO tickets (category, state, player_id, player_name, text, realm, character_id, character_name, "
        "map_id, zone, x, y, z, client_build, created_at, updated_at) "
        "VALUES ('bug', 'open', ?1, 'Raw', ?2, 'Realm', 1, 'Raw', 0, 'Ironforge', 1.0, 2.0, 3.0, 'raw', ?3, ?3)",
        -1, &ticket, NULL), db, "prepare ticket");
    check(sqlite3_prepare_v2(db,
        "INSERT INTO events (ticket_id, seq, kind, actor_id, actor_name, actor_role, at, text) "
        "VALUES (?1, 1, 'submitted', ?2, 'Raw', 'player', ?3, ?4)", -1, &event, NULL), db, "prepare event");
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (i = 0; i < rows; i++) {
        if (i % batch == 0) check(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), db, "begin");
        snprintf(text, sizeof text, "My mount from kalormin %ld vanished after the restart near Ironforge", i);
        sqlite3_bind_int64(ticket, 1, i % 256 + 1);
        sqlite3_bind_text(ticket, 2, text, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(ticket, 3, 1795543466251LL + i);
        check(sqlite3_step(ticket), db, "insert ticket");
        sqlite3_reset(ticket);
        sqlite3_bind_int64(event, 1, sqlite3_last_insert_rowid(db));
        sqlite3_bind_int64(event, 2, i % 256 + 1);
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

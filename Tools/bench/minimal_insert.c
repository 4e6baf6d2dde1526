/* The honest limit for issue 14: minimal ticket rows, the least a durable submission could write. One table
 * (id, player, category, state, time, a 400-byte body) with two indexes (a player's open tickets; a category's
 * queue), inserted through the SQLite C API in transactions of BATCH rows, WAL mode, synchronous=FULL, into a
 * fresh DATABASE this program creates. No event, no hash chain, no triggers: whatever gmqd writes beyond this is
 * its own overhead, and `Tools/bench/run` prints gmqd's rate against this line.
 * Usage: minimal_insert DATABASE ROWS BATCH. Prints minimal_rows_per_second=N. */
#define _POSIX_C_SOURCE 200809L
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void check(int rc, sqlite3 *db, const char *what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        fprintf(stderr, "minimal_insert: %s: %s\n", what, sqlite3_errmsg(db));
        exit(1);
    }
}

int main(int argc, char **argv) {
    sqlite3 *db;
    sqlite3_stmt *insert;
    struct timespec start, end;
    static const char *categories[] = {"stuck_character", "bug", "player_report", "account", "payment", "other"};
    char body[401];
    long rows, batch, i;
    if (argc != 4) {
        fprintf(stderr, "usage: %s DATABASE ROWS BATCH\n", argv[0]);
        return 2;
    }
    rows = atol(argv[2]);
    batch = atol(argv[3]);
    check(sqlite3_open(argv[1], &db), db, "open");
    check(sqlite3_exec(db,
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
        "CREATE TABLE tickets (id INTEGER PRIMARY KEY, player_id INTEGER NOT NULL, category TEXT NOT NULL, "
        "state TEXT NOT NULL, created_at INTEGER NOT NULL, body TEXT NOT NULL);"
        "CREATE INDEX tickets_by_player ON tickets (player_id, state);"
        "CREATE INDEX tickets_by_queue ON tickets (category, state, created_at);",
        NULL, NULL, NULL), db, "schema");
    check(sqlite3_prepare_v2(db,
        "INSERT INTO tickets (player_id, category, state, created_at, body) VALUES (?1, ?2, 'open', ?3, ?4)",
        -1, &insert, NULL), db, "prepare");
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (i = 0; i < rows; i++) {
        if (i % batch == 0) check(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), db, "begin");
        /* 400 bytes that differ per row, as request texts do. */
        int n = snprintf(body, sizeof body, "request %ld: my mount vanished after the event near Ironforge ", i);
        for (int k = n; k < 400; k++) body[k] = (char)('a' + (k * 7 + i) % 26);
        body[400] = 0;
        sqlite3_bind_int64(insert, 1, i % 256 + 1);
        sqlite3_bind_text(insert, 2, categories[i % 6], -1, SQLITE_STATIC);
        sqlite3_bind_int64(insert, 3, 1795543466251LL + i);
        sqlite3_bind_text(insert, 4, body, 400, SQLITE_TRANSIENT);
        check(sqlite3_step(insert), db, "insert");
        sqlite3_reset(insert);
        if (i % batch == batch - 1 || i == rows - 1) check(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), db, "commit");
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    printf("minimal_rows_per_second=%.0f\n",
        (double)rows / ((double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9));
    sqlite3_finalize(insert);
    sqlite3_close(db);
    return 0;
}

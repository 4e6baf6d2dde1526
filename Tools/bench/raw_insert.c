/* The raw limit for issue "durable at speed": the rows a submission writes (a ticket and its first event),
 * inserted straight through the SQLite C API into gmqd's own schema, in transactions of BATCH rows, WAL mode,
 * synchronous=FULL. Usage: raw_insert DATABASE ROWS BATCH [STATE FIRST_PLAYER]. Prints raw_rows_per_second=N.
 * By default rows are open tickets of 256 players (the load generator's); with STATE (open or closed) and
 * FIRST_PLAYER every row has its own player from FIRST_PLAYER on, which is how `Tools/bench/run` fills a database
 * with 100,000 open and 1,000,000 stored tickets. Categories rotate over the six defaults.
 * The rows are gmqd's rows: a text as long as the load generator's (`SampleRequests`, about 190 characters), a
 * content-word fingerprint of as many words, the priority and deadline, and the event's chain position and three
 * 32-byte hashes. Only the work gmqd does around the rows is left out: the checks, the hashing, the network. */
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

/* Bytes that look random (splitmix64 of SEED), standing in for hashes that SQLite stores as they come. */
static void fill(unsigned char *bytes, size_t count, long seed) {
    unsigned long long x = (unsigned long long)seed;
    for (size_t i = 0; i < count; i++) {
        if (i % 8 == 0) {
            x += 0x9E3779B97F4A7C15ULL;
            unsigned long long z = x;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
            x = z ^ (z >> 31);
        }
        bytes[i] = (unsigned char)(x >> (8 * (i % 8)));
    }
}

int main(int argc, char **argv) {
    sqlite3 *db;
    sqlite3_stmt *ticket, *event;
    struct timespec start, end;
    long rows, batch, i, first_player = 0;
    const char *state = "open";
    static const char *categories[] = {"stuck_character", "bug", "player_report", "account", "payment", "other"};
    char text[256];
    unsigned char fingerprint[17 * 8], hashes[2][32];
    long chain_seq;
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
        "map_id, zone, x, y, z, client_build, created_at, updated_at, content_words, priority, due_at) "
        "VALUES (?4, ?5, ?1, 'Raw', ?2, 'Realm', 1, 'Raw', 0, 'Ironforge', 1.0, 2.0, 3.0, 'raw', ?3, ?3, ?6, 0, ?3 + 1800000)",
        -1, &ticket, NULL), db, "prepare ticket");
    check(sqlite3_prepare_v2(db,
        "INSERT INTO events (ticket_id, seq, kind, actor_id, actor_name, actor_role, at, text, chain_seq, prev_hash, "
        "hash, chain_hash) VALUES (?1, 1, 'submitted', ?2, 'Raw', 'player', ?3, ?4, ?5, zeroblob(32), ?6, ?7)",
        -1, &event, NULL), db, "prepare event");
    {
        sqlite3_stmt *last;
        check(sqlite3_prepare_v2(db, "SELECT COALESCE(MAX(chain_seq), 0) FROM events", -1, &last, NULL), db, "head");
        check(sqlite3_step(last), db, "head");
        chain_seq = sqlite3_column_int64(last, 0);
        sqlite3_finalize(last);
    }
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (i = 0; i < rows; i++) {
        if (i % batch == 0) check(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), db, "begin");
        snprintf(text, sizeof text, "My mount from kalormin%ld vanished after the tesvu%ld event with radbel%ld and "
            "norqui%ld near Ironforge, seen by zenka%ld and lormin%ld at the bank", i, i * 7 + 1, i * 13 + 5,
            i * 17 + 3, i * 19 + 7, i * 23 + 11);
        fill(fingerprint, sizeof fingerprint, i);
        fill(hashes[0], 32, i * 3 + 1);
        fill(hashes[1], 32, i * 3 + 2);
        long player = first_player ? first_player + i : i % 256 + 1;
        sqlite3_bind_int64(ticket, 1, player);
        sqlite3_bind_text(ticket, 2, text, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(ticket, 3, 1795543466251LL + i);
        sqlite3_bind_text(ticket, 4, categories[i % 6], -1, SQLITE_STATIC);
        sqlite3_bind_text(ticket, 5, state, -1, SQLITE_STATIC);
        sqlite3_bind_blob(ticket, 6, fingerprint, sizeof fingerprint, SQLITE_STATIC);
        check(sqlite3_step(ticket), db, "insert ticket");
        sqlite3_reset(ticket);
        sqlite3_bind_int64(event, 1, sqlite3_last_insert_rowid(db));
        sqlite3_bind_int64(event, 2, player);
        sqlite3_bind_int64(event, 3, 1795543466251LL + i);
        sqlite3_bind_text(event, 4, text, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(event, 5, ++chain_seq);
        sqlite3_bind_blob(event, 6, hashes[0], 32, SQLITE_STATIC);
        sqlite3_bind_blob(event, 7, hashes[1], 32, SQLITE_STATIC);
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

/* Checks the C codec against Protocol/vectors: every valid frame decodes and re-encodes to the same bytes, a few
 * fields are checked by value, and every invalid frame is refused with the expected kind of error.
 * Usage: test_vectors VECTOR_DIRECTORY. Prints "N passed, M failed". */
#define _POSIX_C_SOURCE 200809L
#include "gmq.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;

static void check(int ok, const char *what, const char *file) {
    if (ok) passed++;
    else { failed++; fprintf(stderr, "FAIL %s: %s\n", file, what); }
}

static int str_eq(gmq_str s, const char *c) { return s.len == strlen(c) && memcmp(s.ptr, c, s.len) == 0; }

/* Reads a vector file: hex bytes, '#' lines ignored; *expect gets the "# expect:" name if any. */
static uint8_t *read_vector(const char *path, size_t *length, char *expect, size_t expect_capacity) {
    FILE *f = fopen(path, "r");
    char line[4096];
    uint8_t *bytes = malloc(1 << 20);
    size_t n = 0;
    expect[0] = 0;
    if (!f || !bytes) { if (f) fclose(f); free(bytes); return NULL; }
    while (fgets(line, sizeof line, f)) {
        char *p = line;
        if (line[0] == '#') {
            char *e = strstr(line, "# expect: ");
            if (e) { sscanf(e + 10, "%63s", expect); (void)expect_capacity; }
            continue;
        }
        for (;;) {
            unsigned value;
            int used;
            if (sscanf(p, " %2x%n", &value, &used) != 1) break;
            bytes[n++] = (uint8_t)value;
            p += used;
        }
    }
    fclose(f);
    *length = n;
    return bytes;
}

static void valid_vector(const char *path, const char *name) {
    size_t length, consumed, written;
    char expect[64];
    uint8_t *bytes = read_vector(path, &length, expect, sizeof expect), *again;
    uint32_t request_id;
    gmq_message m;
    int result;
    if (!bytes) { check(0, "unreadable", name); return; }
    result = gmq_decode(bytes, length, &consumed, &request_id, &m);
    check(result == GMQ_OK_RESULT && consumed == length, "decodes whole", name);
    if (result != GMQ_OK_RESULT) { free(bytes); return; }
    again = malloc(length + 16);
    result = gmq_encode(&m, request_id, again, length + 16, &written);
    check(result == GMQ_OK_RESULT && written == length && memcmp(again, bytes, length) == 0, "re-encodes identically", name);
    /* Field values, from the comments of the vectors. */
    if (strcmp(name, "07-submit.hex") == 0) {
        check(m.type == GMQ_SUBMIT && str_eq(m.u.submit.category, "stuck_character"), "category", name);
        check(m.u.submit.context.x == -4981.25f && m.u.submit.context.character_id == 9001, "context", name);
    }
    if (strcmp(name, "15-ticket.hex") == 0) {
        check(m.type == GMQ_TICKET && m.u.ticket.count == 3 && m.u.ticket.history[2].kind == 4, "history", name);
        check(str_eq(m.u.ticket.summary.assignee, "Mirna") && m.u.ticket.summary.status == 3, "summary", name);
    }
    if (strcmp(name, "26-notification.hex") == 0) {
        check(request_id == 0 && m.u.notification.notification_id == 3 && str_eq(m.u.notification.actor_name, "Mirna"),
              "notification", name);
    }
    if (strcmp(name, "31-history-page.hex") == 0) {
        check(m.type == GMQ_HISTORY_PAGE && m.u.history_page.total == 347 && m.u.history_page.count == 2
                  && m.u.history_page.entries[1].sequence == 103 && m.u.history_page.next_after == 103,
              "history page", name);
    }
    if (strcmp(name, "33-error-limit-reached.hex") == 0) {
        check(m.type == GMQ_ERROR && m.u.error.code == GMQ_CODE_LIMIT_REACHED, "limit_reached", name);
    }
    if (strcmp(name, "34-error-not-a-request.hex") == 0) {
        check(m.type == GMQ_ERROR && m.u.error.code == GMQ_CODE_NOT_A_REQUEST, "not_a_request", name);
    }
    if (strcmp(name, "35-error-request-id-zero.hex") == 0) {
        /* Request id 0 from a client is a stream error: the server answers on id 0 and closes. */
        check(request_id == 0 && m.type == GMQ_ERROR && m.u.error.code == 1u, "malformed_frame on id 0", name);
    }
    if (strcmp(name, "06d-server-closing.hex") == 0) {
        check(request_id == 0 && m.type == GMQ_SERVER_CLOSING && m.u.server_closing.retry_after_seconds == 5
                  && m.u.server_closing.message.len == 147,
              "server_closing", name);
    }
    if (strcmp(name, "10b-rejected-banned.hex") == 0) {
        check(m.type == GMQ_REJECTED && gmq_str_is(m.u.rejected.reason, GMQ_REASON_BANNED), "banned", name);
    }
    if (strcmp(name, "10c-rejected-cooldown.hex") == 0) {
        check(m.type == GMQ_REJECTED && gmq_str_is(m.u.rejected.reason, GMQ_REASON_COOLDOWN)
                  && !gmq_str_is(m.u.rejected.reason, GMQ_REASON_RATE_LIMITED), "cooldown", name);
    }
    if (strcmp(name, "08-submit-russian.hex") == 0) {
        check(str_eq(m.u.submit.text, "Застрял в канализации Подгорода"), "utf-8 text", name);
    }
    gmq_message_free(&m);
    free(again);
    free(bytes);
}

static void invalid_vector(const char *path, const char *name) {
    size_t length, consumed;
    char expect[64];
    uint8_t *bytes = read_vector(path, &length, expect, sizeof expect);
    uint32_t request_id;
    gmq_message m;
    int result, ok;
    if (!bytes) { check(0, "unreadable", name); return; }
    result = gmq_decode(bytes, length, &consumed, &request_id, &m);
    if (strcmp(expect, "frame_too_large") == 0 || strcmp(expect, "malformed_frame") == 0) ok = result == GMQ_E_FRAME;
    else if (strcmp(expect, "unknown_message_type") == 0) ok = result == GMQ_E_TYPE;
    else ok = result == GMQ_E_PAYLOAD || result == GMQ_E_UTF8 || result == GMQ_E_LIMIT;
    check(ok, expect, name);
    if (result == GMQ_OK_RESULT) gmq_message_free(&m);
    free(bytes);
}

static void each(const char *directory, void (*test)(const char *, const char *)) {
    DIR *dir = opendir(directory);
    struct dirent *entry;
    char path[4096];
    if (!dir) { check(0, "cannot open directory", directory); return; }
    while ((entry = readdir(dir))) {
        size_t len = strlen(entry->d_name);
        if (len < 5 || strcmp(entry->d_name + len - 4, ".hex") != 0) continue;
        snprintf(path, sizeof path, "%s/%s", directory, entry->d_name);
        test(path, entry->d_name);
    }
    closedir(dir);
}

int main(int argc, char **argv) {
    char invalid[4096];
    if (argc != 2) { fprintf(stderr, "usage: %s VECTOR_DIRECTORY\n", argv[0]); return 2; }
    each(argv[1], valid_vector);
    snprintf(invalid, sizeof invalid, "%s/invalid", argv[1]);
    each(invalid, invalid_vector);
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 && passed > 0 ? 0 : 1;
}

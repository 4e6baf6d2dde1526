/* A game client's Help button in miniature: connect as a player, preview the draft (the verdict and any help
 * articles: "does this answer your question?"), submit it, then print notifications as they arrive and acknowledge
 * each. With GMQ_ATTACH=FILE in the environment it attaches that file (a PNG or JPEG screenshot, or a text log)
 * to the new ticket.
 * Usage: gmq_example HOST PORT TOKEN CATEGORY TEXT [SECONDS [COUNT]] */
#define _POSIX_C_SOURCE 200809L
#include "gmq.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    char error[512];
    gmq_client *client;
    gmq_message response, push;
    gmq_game_context where = {{"Argent Dawn", 11}, 1, {"Thrall", 6}, 0, {"Ironforge", 9}, -4981.25f, -881.5f, 501.75f,
                              {"example-c", 9}};
    int seconds = argc > 6 ? atoi(argv[6]) : 5, count = argc > 7 ? atoi(argv[7]) : 1000000, seen = 0, result;
    if (argc < 6) {
        fprintf(stderr, "usage: %s HOST PORT TOKEN CATEGORY TEXT [SECONDS [COUNT]]\n", argv[0]);
        return 2;
    }
    client = gmq_connect(argv[1], (uint16_t)atoi(argv[2]), 1, argv[3], "en", error, sizeof error);
    if (!client) { fprintf(stderr, "connect: %s\n", error); return 1; }
    printf("welcome %.*s, %u pending\n", gmq_client_welcome(client)->u.welcome.display_name.len,
           gmq_client_welcome(client)->u.welcome.display_name.ptr,
           (unsigned)gmq_client_welcome(client)->u.welcome.pending_notifications);
    if (gmq_preview(client, argv[4], argv[5], &where, &response) == GMQ_OK_RESULT
        && response.type == GMQ_PREVIEW_RESULT) {
        uint16_t i;
        printf("preview: %s, %u article(s)%s\n", response.u.preview_result.reason.len ? "would be refused" : "accepted",
               (unsigned)response.u.preview_result.count,
               response.u.preview_result.incident_id ? ", a known issue" : "");
        for (i = 0; i < response.u.preview_result.count; i++)
            printf("  article %.*s\n", response.u.preview_result.articles[i].title.len,
                   response.u.preview_result.articles[i].title.ptr);
        gmq_message_free(&response);
    }
    result = gmq_submit(client, argv[4], argv[5], &where, &response);
    if (result == GMQ_E_CLOSING) {
        /* Not processed: a real client reconnects after the wait (to another node when it has one) and sends again. */
        fprintf(stderr, "server closing (%s): reconnect in %u s and send the request again\n",
                gmq_client_last_error(client), gmq_client_retry_after(client));
        gmq_close(client);
        return 1;
    }
    if (result != GMQ_OK_RESULT) { fprintf(stderr, "submit failed (%d)\n", result); gmq_close(client); return 1; }
    if (response.type == GMQ_ACCEPTED) {
        const char *path = getenv("GMQ_ATTACH");
        uint64_t ticket = response.u.accepted.ticket_id;
        printf("accepted ticket=%llu position=%u\n", (unsigned long long)ticket,
               (unsigned)response.u.accepted.queue_position);
        if (path) {
            FILE *file = fopen(path, "rb");
            static uint8_t bytes[GMQ_MAX_CHUNK_BYTES * 8];
            size_t size = file ? fread(bytes, 1, sizeof bytes, file) : 0;
            gmq_message attached;
            if (file) fclose(file);
            const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path; /* the file's own name */
            if (gmq_attach(client, ticket, name, bytes, (uint32_t)size, &attached) == GMQ_OK_RESULT)
                printf("attached number=%u type=%.*s size=%u\n", (unsigned)attached.u.attachment.attachment.number,
                       attached.u.attachment.attachment.content_type.len,
                       attached.u.attachment.attachment.content_type.ptr,
                       (unsigned)attached.u.attachment.attachment.size);
            else
                printf("attach refused: %s\n", gmq_client_last_error(client));
        }
    }
    else if (response.type == GMQ_REJECTED)
        printf("rejected %.*s: %.*s%s\n", response.u.rejected.reason.len, response.u.rejected.reason.ptr,
               response.u.rejected.hint.len, response.u.rejected.hint.ptr,
               gmq_str_is(response.u.rejected.reason, GMQ_REASON_COOLDOWN)
                       || gmq_str_is(response.u.rejected.reason, GMQ_REASON_RATE_LIMITED)
                   ? " (draft kept: send it after the wait)"
                   : "");
    else
        printf("error: %s\n", gmq_client_last_error(client));
    fflush(stdout);
    while (seen < count && (result = gmq_next_notification(client, &push, seconds * 1000)) == GMQ_OK_RESULT) {
        printf("notification id=%llu ticket=%llu kind=%u actor=%.*s text=%.*s\n",
               (unsigned long long)push.u.notification.notification_id,
               (unsigned long long)push.u.notification.ticket_id, (unsigned)push.u.notification.kind,
               push.u.notification.actor_name.len, push.u.notification.actor_name.ptr, push.u.notification.text.len,
               push.u.notification.text.ptr);
        fflush(stdout);
        if (gmq_acknowledge(client, push.u.notification.notification_id) != GMQ_OK_RESULT) break;
        seen++;
    }
    gmq_close(client);
    return 0;
}

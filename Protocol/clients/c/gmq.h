/*
 * GMQueue protocol v1 client in C99, no dependencies beyond POSIX sockets.
 * Written from Protocol/PROTOCOL.md and the golden vectors alone: the form a C or C++ game client embeds.
 *
 * Strings are not NUL-terminated: a gmq_str points into the frame it was decoded from (or into the caller's
 * memory when encoding), with its byte length. Decoded lists are allocated; gmq_message_free releases them.
 */
#ifndef GMQ_H
#define GMQ_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Limits, PROTOCOL.md section 4. */
#define GMQ_PROTOCOL_VERSION 2 /* version 2 adds attachments (PROTOCOL.md 3.2, 5.24) */
#define GMQ_MAX_FRAME_LENGTH 1048576u
#define GMQ_MIN_FRAME_LENGTH 6u
#define GMQ_MAX_TEXT_BYTES 4000u
#define GMQ_MAX_NAME_BYTES 64u
#define GMQ_MAX_CREDENTIAL_BYTES 512u
#define GMQ_MAX_PREVIEW_BYTES 160u
#define GMQ_MAX_LIST_COUNT 1000u
#define GMQ_DEFAULT_HISTORY_PAGE 100u
#define GMQ_MAX_FILE_NAME_BYTES 200u
#define GMQ_MAX_CHUNK_BYTES 262144u

/* Error codes a game client acts on, PROTOCOL.md section 6. */
#define GMQ_CODE_NOT_FOUND 12u
#define GMQ_CODE_INVALID_ARGUMENT 16u
#define GMQ_CODE_BUSY 19u
#define GMQ_CODE_LIMIT_REACHED 23u
#define GMQ_CODE_NOT_A_REQUEST 24u /* a client sent a type only the server sends */
#define GMQ_CODE_TLS_REQUIRED 26u  /* a plain-text connection to a TLS port (PROTOCOL.md 1.1); connect with TLS */

/* REJECTED reasons a game client acts on, PROTOCOL.md sections 5.6 and 7 (compare with gmq_str_is). After
 * "banned" the client offers no new request until the time the hint names (replies to open requests go on); after
 * "cooldown" or "rate_limited" it keeps the player's draft to send after the wait the hint names; after
 * "open_limit" it offers the open requests instead. Every other reason: the player edits the text. */
#define GMQ_REASON_BANNED "banned"
#define GMQ_REASON_COOLDOWN "cooldown"
#define GMQ_REASON_RATE_LIMITED "rate_limited"
#define GMQ_REASON_OPEN_LIMIT "open_limit"

/* Message types, PROTOCOL.md section 5. */
typedef enum {
    GMQ_HELLO = 0x0001, GMQ_WELCOME = 0x0002, GMQ_ERROR = 0x0003, GMQ_OK = 0x0004, GMQ_PING = 0x0005,
    GMQ_PONG = 0x0006, GMQ_SERVER_CLOSING = 0x0007, GMQ_SUBMIT = 0x0010, GMQ_ACCEPTED = 0x0011, GMQ_REJECTED = 0x0012,
    GMQ_MY_TICKETS = 0x0013, GMQ_TICKET_LIST = 0x0014, GMQ_GET_TICKET = 0x0015, GMQ_TICKET = 0x0016,
    GMQ_PLAYER_REPLY = 0x0017, GMQ_TICKET_UPDATED = 0x0018, GMQ_RATE = 0x0019, GMQ_QUEUE = 0x0020, GMQ_CLAIM = 0x0021,
    GMQ_UNCLAIM = 0x0022, GMQ_ASK = 0x0023, GMQ_ANSWER = 0x0024, GMQ_NOTE = 0x0025, GMQ_CLOSE = 0x0026,
    GMQ_HISTORY = 0x002B, GMQ_HISTORY_PAGE = 0x002C, GMQ_NOTIFICATION = 0x0030, GMQ_NOTIFICATION_ACK = 0x0031,
    GMQ_PREVIEW = 0x0090, GMQ_PREVIEW_RESULT = 0x0091,
    GMQ_ATTACH = 0x00A0, GMQ_ATTACH_READY = 0x00A1, GMQ_ATTACH_CHUNK = 0x00A2, GMQ_ATTACH_END = 0x00A3,
    GMQ_ATTACHMENT = 0x00A4, GMQ_ATTACHMENT_LIST = 0x00A5, GMQ_ATTACHMENTS = 0x00A6, GMQ_ATTACHMENT_GET = 0x00A7,
    GMQ_ATTACHMENT_DATA = 0x00A8
} gmq_type;

/* Results of the codec and the client. Server refusals arrive as GMQ_ERROR messages, not as these. */
typedef enum {
    GMQ_OK_RESULT = 0,
    GMQ_E_SHORT = -1,       /* not enough bytes yet: read more */
    GMQ_E_FRAME = -2,       /* frame length outside 6..1048576: the stream cannot be trusted */
    GMQ_E_TYPE = -3,        /* unknown message type */
    GMQ_E_PAYLOAD = -4,     /* payload does not match its layout: truncated, trailing bytes, bad value */
    GMQ_E_UTF8 = -5,        /* a string is not valid UTF-8 */
    GMQ_E_LIMIT = -6,       /* a string or list exceeds its limit */
    GMQ_E_SPACE = -7,       /* the output buffer is too small */
    GMQ_E_MEMORY = -8,
    GMQ_E_IO = -9,          /* socket error or the server closed the connection */
    GMQ_E_TIMEOUT = -10,
    GMQ_E_REFUSED = -11,    /* the server answered ERROR (see gmq_client_last_error) */
    GMQ_E_CLOSING = -12     /* the server shut down (SERVER_CLOSING, PROTOCOL.md 1.2): the request was NOT processed;
                               reconnect after gmq_client_retry_after seconds and send it again */
} gmq_result;

typedef struct { const char *ptr; uint16_t len; } gmq_str;

typedef struct {
    gmq_str realm; uint64_t character_id; gmq_str character_name; uint32_t map_id; gmq_str zone;
    float x, y, z; gmq_str client_build;
} gmq_game_context;

typedef struct {
    uint64_t id; gmq_str category; uint8_t status; uint64_t player_id; gmq_str player_name; gmq_str assignee;
    int64_t created_at; int64_t updated_at; gmq_str preview;
    uint8_t priority; int64_t due_at; uint8_t overdue; uint8_t rating; uint16_t reopen_count; int64_t closed_at;
    uint32_t queue_position; uint32_t estimated_wait_seconds;
} gmq_ticket_summary;

typedef struct {
    uint32_t sequence; uint8_t kind; uint8_t actor_role; gmq_str actor_name; int64_t at; gmq_str text;
} gmq_history_entry;

/* Bytes (a blob, or a digest of 0 or 32 bytes), pointing into a frame or the caller's memory. */
typedef struct { const uint8_t *ptr; uint32_t len; } gmq_bytes;

/* An attachment (PROTOCOL.md 5.24). */
typedef struct {
    uint16_t number; gmq_str name, content_type; uint32_t size; gmq_bytes sha256; gmq_str uploaded_by;
    uint8_t uploader_role; int64_t at;
} gmq_attachment;

/* A self-help article offered by PREVIEW_RESULT (PROTOCOL.md 5.23). */
typedef struct { uint64_t id; gmq_str title; gmq_str body; } gmq_article;

typedef struct {
    uint16_t type;
    union {
        struct { uint16_t protocol_version; uint8_t client_kind; gmq_str credential, locale, client_name; } hello;
        struct { uint16_t protocol_version; uint8_t role; uint64_t principal_id; gmq_str display_name;
                 uint32_t pending_notifications; } welcome;
        struct { uint16_t code; gmq_str message; } error;
        struct { uint64_t nonce; } ping; /* also PONG */
        struct { uint16_t retry_after_seconds; gmq_str message; } server_closing;
        struct { gmq_str category, text; gmq_game_context context; } submit; /* also PREVIEW */
        struct { uint64_t ticket_id; uint32_t queue_position; uint8_t merged; gmq_str hint;
                 uint32_t estimated_wait_seconds; } accepted;
        struct { uint64_t ticket_id; uint8_t stars; gmq_str comment; } rate;
        struct { gmq_str reason, hint; } rejected;
        /* reason is empty when SUBMIT would accept the text; incident_id 0 when it matches no known issue. */
        struct { gmq_str reason, hint; uint16_t count; gmq_article *articles; uint64_t incident_id;
                 gmq_str incident_title, incident_message; } preview_result;
        struct { uint64_t ticket_id; gmq_str name; uint32_t size; } attach;
        struct { uint64_t upload_id; uint32_t chunk_bytes, maximum_bytes; } attach_ready;
        struct { uint64_t upload_id; uint32_t offset; gmq_bytes data; } attach_chunk;
        struct { uint64_t upload_id; gmq_bytes sha256; } attach_end;
        struct { uint64_t ticket_id; gmq_attachment attachment; } attachment;
        struct { uint64_t ticket_id; uint16_t count; gmq_attachment *attachments; } attachments; /* also LIST */
        struct { uint64_t ticket_id; uint16_t number; uint32_t offset, length; } attachment_get;
        struct { uint64_t ticket_id; uint16_t number; uint32_t size, offset; gmq_bytes data; } attachment_data;
        struct { uint16_t count; gmq_ticket_summary *tickets; } ticket_list;
        struct { uint64_t ticket_id; } ticket_id; /* GET_TICKET, UNCLAIM, NOTIFICATION_ACK (notification id) */
        struct { gmq_ticket_summary summary; gmq_str text; gmq_game_context context; gmq_str resolution;
                 uint16_t count; gmq_history_entry *history; } ticket;
        struct { uint64_t ticket_id; gmq_str text; } ticket_text; /* PLAYER_REPLY, ASK, ANSWER, NOTE */
        struct { gmq_ticket_summary summary; } ticket_updated;
        struct { gmq_str category; uint8_t filter; uint16_t limit; } queue;
        struct { uint64_t ticket_id; gmq_str category; } claim;
        struct { uint64_t ticket_id; gmq_str resolution, text; } close;
        struct { uint64_t notification_id, ticket_id; uint8_t kind; gmq_str actor_name; int64_t at; gmq_str text; }
            notification;
        struct { uint64_t ticket_id; uint32_t after_sequence; uint16_t limit; } history;
        struct { uint64_t ticket_id; uint32_t total; uint16_t count; gmq_history_entry *entries; uint32_t next_after; }
            history_page;
    } u;
} gmq_message;

/* A string from a NUL-terminated C string. */
gmq_str gmq_cstr(const char *s);

/* 1 when s holds exactly the bytes of the NUL-terminated c, else 0. */
int gmq_str_is(gmq_str s, const char *c);

/* Encodes one whole frame into out. Returns GMQ_OK_RESULT and sets *written, or an error. */
int gmq_encode(const gmq_message *message, uint32_t request_id, uint8_t *out, size_t capacity, size_t *written);

/* Decodes the first frame in bytes. On success sets *consumed to the frame's size and *request_id; strings in
 * message point into bytes, which must outlive it. GMQ_E_SHORT means more bytes are needed. */
int gmq_decode(const uint8_t *bytes, size_t length, size_t *consumed, uint32_t *request_id, gmq_message *message);

/* Frees the lists a decoded message holds. */
void gmq_message_free(gmq_message *message);

/* ---- Blocking client ---- */

typedef struct gmq_client gmq_client;

/* Connects, sends HELLO and waits for WELCOME. client_kind is 1 (player) or 2 (staff). On refusal returns NULL
 * and, when error is not NULL, copies the server's message (or a description) into it. */
gmq_client *gmq_connect(const char *host, uint16_t port, uint8_t client_kind, const char *credential,
                        const char *locale, char *error, size_t error_capacity);

/* Sends a request and waits for its response. Notifications arriving meanwhile are queued for
 * gmq_next_notification. The response's strings live until the next call on the client. */
int gmq_request(gmq_client *client, const gmq_message *request, gmq_message *response);

/* Submits a request; on success response is ACCEPTED or REJECTED. */
int gmq_submit(gmq_client *client, const char *category, const char *text, const gmq_game_context *context,
               gmq_message *response);

/* Shows what SUBMIT would say about a draft before the player sends it, with up to 3 help articles and the known
 * issue it would join; nothing is filed. On success response is PREVIEW_RESULT (free it with gmq_message_free). */
int gmq_preview(gmq_client *client, const char *category, const char *text, const gmq_game_context *context,
                gmq_message *response);

/* Attaches a file to one of the player's tickets: ATTACH, the bytes in chunks, ATTACH_END. The server accepts PNG,
 * JPEG and UTF-8 text up to 2 MiB (it judges the bytes, not the name). On success response is ATTACHMENT; an ERROR
 * (wrong type, too large, a full ticket) is GMQ_E_REFUSED with gmq_client_last_error, and nothing was stored. */
int gmq_attach(gmq_client *client, uint64_t ticket_id, const char *name, const uint8_t *bytes, uint32_t size,
               gmq_message *response);

/* Waits up to timeout_ms for a NOTIFICATION (0: do not wait). Returns GMQ_E_TIMEOUT when none came. */
int gmq_next_notification(gmq_client *client, gmq_message *notification, int timeout_ms);

/* Acknowledges a notification so it is not delivered again. */
int gmq_acknowledge(gmq_client *client, uint64_t notification_id);

/* The WELCOME of the session, and the text of the last ERROR the server answered. */
const gmq_message *gmq_client_welcome(const gmq_client *client);
const char *gmq_client_last_error(const gmq_client *client);

/* After GMQ_E_CLOSING: the seconds SERVER_CLOSING asked to wait before reconnecting (0: at once). */
unsigned gmq_client_retry_after(const gmq_client *client);

void gmq_close(gmq_client *client);

#ifdef __cplusplus
}
#endif
#endif

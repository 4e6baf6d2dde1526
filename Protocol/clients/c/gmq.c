/* GMQueue protocol v2: codec and blocking client. See gmq.h and Protocol/PROTOCOL.md. */
#define _POSIX_C_SOURCE 200809L
#include "gmq.h"

#include <errno.h>
#include <math.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

gmq_str gmq_cstr(const char *s) {
    gmq_str str;
    size_t len = s ? strlen(s) : 0;
    str.ptr = s ? s : "";
    str.len = (uint16_t)(len > 65535 ? 65535 : len);
    return str;
}

int gmq_str_is(gmq_str s, const char *c) {
    size_t len = c ? strlen(c) : 0;
    return s.len == len && (len == 0 || memcmp(s.ptr, c, len) == 0);
}

/* ---- Writing (PROTOCOL.md section 2) ---- */

typedef struct { uint8_t *p; size_t cap, pos; int err; } writer;

static void w_bytes(writer *w, const void *src, size_t n) {
    if (w->err) return;
    if (w->pos + n > w->cap) { w->err = GMQ_E_SPACE; return; }
    if (n) memcpy(w->p + w->pos, src, n);
    w->pos += n;
}
static void w_u8(writer *w, uint8_t v) { w_bytes(w, &v, 1); }
static void w_u16(writer *w, uint16_t v) { uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v}; w_bytes(w, b, 2); }
static void w_u32(writer *w, uint32_t v) {
    uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    w_bytes(w, b, 4);
}
static void w_u64(writer *w, uint64_t v) { w_u32(w, (uint32_t)(v >> 32)); w_u32(w, (uint32_t)v); }
static void w_f32(writer *w, float f) { uint32_t bits; memcpy(&bits, &f, 4); w_u32(w, bits); }
static void w_str(writer *w, gmq_str s) { w_u16(w, s.len); w_bytes(w, s.ptr, s.len); }
static void w_blob(writer *w, gmq_bytes b) { w_u32(w, b.len); w_bytes(w, b.ptr, b.len); }
static void w_digest(writer *w, gmq_bytes b) { w_u8(w, (uint8_t)b.len); w_bytes(w, b.ptr, b.len); }
static void w_attachment(writer *w, const gmq_attachment *a) {
    w_u16(w, a->number); w_str(w, a->name); w_str(w, a->content_type); w_u32(w, a->size); w_digest(w, a->sha256);
    w_str(w, a->uploaded_by); w_u8(w, a->uploader_role); w_u64(w, (uint64_t)a->at);
}

static void w_context(writer *w, const gmq_game_context *c) {
    w_str(w, c->realm); w_u64(w, c->character_id); w_str(w, c->character_name); w_u32(w, c->map_id);
    w_str(w, c->zone); w_f32(w, c->x); w_f32(w, c->y); w_f32(w, c->z); w_str(w, c->client_build);
}
static void w_summary(writer *w, const gmq_ticket_summary *s) {
    w_u64(w, s->id); w_str(w, s->category); w_u8(w, s->status); w_u64(w, s->player_id); w_str(w, s->player_name);
    w_str(w, s->assignee); w_u64(w, (uint64_t)s->created_at); w_u64(w, (uint64_t)s->updated_at); w_str(w, s->preview);
    w_u8(w, s->priority); w_u64(w, (uint64_t)s->due_at); w_u8(w, s->overdue); w_u8(w, s->rating);
    w_u16(w, s->reopen_count); w_u64(w, (uint64_t)s->closed_at); w_u32(w, s->queue_position);
    w_u32(w, s->estimated_wait_seconds);
}
static void w_entry(writer *w, const gmq_history_entry *e) {
    w_u32(w, e->sequence); w_u8(w, e->kind); w_u8(w, e->actor_role); w_str(w, e->actor_name);
    w_u64(w, (uint64_t)e->at); w_str(w, e->text);
}

int gmq_encode(const gmq_message *m, uint32_t request_id, uint8_t *out, size_t capacity, size_t *written) {
    writer w = {out, capacity, 0, 0};
    uint16_t i;
    w_u32(&w, 0); /* length, set below */
    w_u16(&w, m->type);
    w_u32(&w, request_id);
    switch (m->type) {
    case GMQ_HELLO:
        w_u16(&w, m->u.hello.protocol_version); w_u8(&w, m->u.hello.client_kind); w_str(&w, m->u.hello.credential);
        w_str(&w, m->u.hello.locale); w_str(&w, m->u.hello.client_name); break;
    case GMQ_WELCOME:
        w_u16(&w, m->u.welcome.protocol_version); w_u8(&w, m->u.welcome.role); w_u64(&w, m->u.welcome.principal_id);
        w_str(&w, m->u.welcome.display_name); w_u32(&w, m->u.welcome.pending_notifications); break;
    case GMQ_ERROR: w_u16(&w, m->u.error.code); w_str(&w, m->u.error.message); break;
    case GMQ_OK: case GMQ_MY_TICKETS: break;
    case GMQ_PING: case GMQ_PONG: w_u64(&w, m->u.ping.nonce); break;
    case GMQ_SERVER_CLOSING:
        w_u16(&w, m->u.server_closing.retry_after_seconds); w_str(&w, m->u.server_closing.message); break;
    case GMQ_SUBMIT: case GMQ_PREVIEW:
        w_str(&w, m->u.submit.category); w_str(&w, m->u.submit.text); w_context(&w, &m->u.submit.context); break;
    case GMQ_PREVIEW_RESULT:
        w_str(&w, m->u.preview_result.reason); w_str(&w, m->u.preview_result.hint);
        w_u16(&w, m->u.preview_result.count);
        for (i = 0; i < m->u.preview_result.count; i++) {
            w_u64(&w, m->u.preview_result.articles[i].id); w_str(&w, m->u.preview_result.articles[i].title);
            w_str(&w, m->u.preview_result.articles[i].body);
        }
        w_u64(&w, m->u.preview_result.incident_id); w_str(&w, m->u.preview_result.incident_title);
        w_str(&w, m->u.preview_result.incident_message); break;
    case GMQ_ATTACH:
        w_u64(&w, m->u.attach.ticket_id); w_str(&w, m->u.attach.name); w_u32(&w, m->u.attach.size); break;
    case GMQ_ATTACH_READY:
        w_u64(&w, m->u.attach_ready.upload_id); w_u32(&w, m->u.attach_ready.chunk_bytes);
        w_u32(&w, m->u.attach_ready.maximum_bytes); break;
    case GMQ_ATTACH_CHUNK:
        w_u64(&w, m->u.attach_chunk.upload_id); w_u32(&w, m->u.attach_chunk.offset); w_blob(&w, m->u.attach_chunk.data);
        break;
    case GMQ_ATTACH_END: w_u64(&w, m->u.attach_end.upload_id); w_digest(&w, m->u.attach_end.sha256); break;
    case GMQ_ATTACHMENT: w_u64(&w, m->u.attachment.ticket_id); w_attachment(&w, &m->u.attachment.attachment); break;
    case GMQ_ATTACHMENT_LIST: w_u64(&w, m->u.attachments.ticket_id); break;
    case GMQ_ATTACHMENTS:
        w_u64(&w, m->u.attachments.ticket_id); w_u16(&w, m->u.attachments.count);
        for (i = 0; i < m->u.attachments.count; i++) w_attachment(&w, &m->u.attachments.attachments[i]);
        break;
    case GMQ_ATTACHMENT_GET:
        w_u64(&w, m->u.attachment_get.ticket_id); w_u16(&w, m->u.attachment_get.number);
        w_u32(&w, m->u.attachment_get.offset); w_u32(&w, m->u.attachment_get.length); break;
    case GMQ_ATTACHMENT_DATA:
        w_u64(&w, m->u.attachment_data.ticket_id); w_u16(&w, m->u.attachment_data.number);
        w_u32(&w, m->u.attachment_data.size); w_u32(&w, m->u.attachment_data.offset);
        w_blob(&w, m->u.attachment_data.data); break;
    case GMQ_ACCEPTED:
        w_u64(&w, m->u.accepted.ticket_id); w_u32(&w, m->u.accepted.queue_position); w_u8(&w, m->u.accepted.merged);
        w_str(&w, m->u.accepted.hint); w_u32(&w, m->u.accepted.estimated_wait_seconds); break;
    case GMQ_RATE: w_u64(&w, m->u.rate.ticket_id); w_u8(&w, m->u.rate.stars); w_str(&w, m->u.rate.comment); break;
    case GMQ_REJECTED: w_str(&w, m->u.rejected.reason); w_str(&w, m->u.rejected.hint); break;
    case GMQ_TICKET_LIST:
        w_u16(&w, m->u.ticket_list.count);
        for (i = 0; i < m->u.ticket_list.count; i++) w_summary(&w, &m->u.ticket_list.tickets[i]);
        break;
    case GMQ_GET_TICKET: case GMQ_UNCLAIM: case GMQ_NOTIFICATION_ACK: w_u64(&w, m->u.ticket_id.ticket_id); break;
    case GMQ_TICKET:
        w_summary(&w, &m->u.ticket.summary); w_str(&w, m->u.ticket.text); w_context(&w, &m->u.ticket.context);
        w_str(&w, m->u.ticket.resolution); w_u16(&w, m->u.ticket.count);
        for (i = 0; i < m->u.ticket.count; i++) w_entry(&w, &m->u.ticket.history[i]);
        break;
    case GMQ_HISTORY:
        w_u64(&w, m->u.history.ticket_id); w_u32(&w, m->u.history.after_sequence); w_u16(&w, m->u.history.limit);
        break;
    case GMQ_HISTORY_PAGE:
        w_u64(&w, m->u.history_page.ticket_id); w_u32(&w, m->u.history_page.total);
        w_u16(&w, m->u.history_page.count);
        for (i = 0; i < m->u.history_page.count; i++) w_entry(&w, &m->u.history_page.entries[i]);
        w_u32(&w, m->u.history_page.next_after);
        break;
    case GMQ_PLAYER_REPLY: case GMQ_ASK: case GMQ_ANSWER: case GMQ_NOTE:
        w_u64(&w, m->u.ticket_text.ticket_id); w_str(&w, m->u.ticket_text.text); break;
    case GMQ_TICKET_UPDATED: w_summary(&w, &m->u.ticket_updated.summary); break;
    case GMQ_QUEUE: w_str(&w, m->u.queue.category); w_u8(&w, m->u.queue.filter); w_u16(&w, m->u.queue.limit); break;
    case GMQ_CLAIM: w_u64(&w, m->u.claim.ticket_id); w_str(&w, m->u.claim.category); break;
    case GMQ_CLOSE:
        w_u64(&w, m->u.close.ticket_id); w_str(&w, m->u.close.resolution); w_str(&w, m->u.close.text); break;
    case GMQ_NOTIFICATION:
        w_u64(&w, m->u.notification.notification_id); w_u64(&w, m->u.notification.ticket_id);
        w_u8(&w, m->u.notification.kind); w_str(&w, m->u.notification.actor_name);
        w_u64(&w, (uint64_t)m->u.notification.at); w_str(&w, m->u.notification.text); break;
    default: return GMQ_E_TYPE;
    }
    if (w.err) return w.err;
    if (w.pos - 4 > GMQ_MAX_FRAME_LENGTH) return GMQ_E_LIMIT;
    out[0] = (uint8_t)((w.pos - 4) >> 24); out[1] = (uint8_t)((w.pos - 4) >> 16);
    out[2] = (uint8_t)((w.pos - 4) >> 8); out[3] = (uint8_t)(w.pos - 4);
    *written = w.pos;
    return GMQ_OK_RESULT;
}

/* ---- Reading ---- */

typedef struct { const uint8_t *p; size_t len, pos; int err; } reader;

static const uint8_t *r_take(reader *r, size_t n) {
    const uint8_t *at;
    if (r->err) return NULL;
    if (r->pos + n > r->len) { r->err = GMQ_E_PAYLOAD; return NULL; }
    at = r->p + r->pos;
    r->pos += n;
    return at;
}
static uint8_t r_u8(reader *r) { const uint8_t *b = r_take(r, 1); return b ? b[0] : 0; }
static uint16_t r_u16(reader *r) { const uint8_t *b = r_take(r, 2); return b ? (uint16_t)(b[0] << 8 | b[1]) : 0; }
static uint32_t r_u32(reader *r) {
    const uint8_t *b = r_take(r, 4);
    return b ? ((uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3]) : 0;
}
static uint64_t r_u64(reader *r) { uint64_t hi = r_u32(r); return hi << 32 | r_u32(r); }
static float r_f32(reader *r) {
    uint32_t bits = r_u32(r);
    float f;
    memcpy(&f, &bits, 4);
    if (!r->err && !isfinite(f)) r->err = GMQ_E_PAYLOAD; /* section 2: f32 must be finite */
    return f;
}
static uint8_t r_enum(reader *r, uint8_t low, uint8_t high) {
    uint8_t v = r_u8(r);
    if (!r->err && (v < low || v > high)) r->err = GMQ_E_PAYLOAD;
    return v;
}

/* Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF. */
static int valid_utf8(const uint8_t *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        size_t extra;
        uint32_t cp;
        if (c < 0x80) { i++; continue; }
        if (c >= 0xC2 && c <= 0xDF) { extra = 1; cp = c & 0x1F; }
        else if (c >= 0xE0 && c <= 0xEF) { extra = 2; cp = c & 0x0F; }
        else if (c >= 0xF0 && c <= 0xF4) { extra = 3; cp = c & 0x07; }
        else return 0;
        if (i + extra >= n) return 0; /* the sequence runs past the end */
        {
            size_t k;
            for (k = 1; k <= extra; k++) {
                if ((s[i + k] & 0xC0) != 0x80) return 0;
                cp = cp << 6 | (s[i + k] & 0x3F);
            }
        }
        if ((extra == 2 && cp < 0x800) || (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF))) return 0;
        if (cp >= 0xD800 && cp <= 0xDFFF) return 0;
        i += extra + 1;
    }
    return 1;
}

static gmq_str r_str(reader *r, size_t max) {
    gmq_str s = {"", 0};
    uint16_t len = r_u16(r);
    const uint8_t *b;
    if (r->err) return s;
    if (len > max) { r->err = GMQ_E_LIMIT; return s; }
    b = r_take(r, len);
    if (!b) return s;
    if (!valid_utf8(b, len)) { r->err = GMQ_E_UTF8; return s; }
    s.ptr = (const char *)b;
    s.len = len;
    return s;
}

static void r_context(reader *r, gmq_game_context *c) {
    c->realm = r_str(r, GMQ_MAX_NAME_BYTES); c->character_id = r_u64(r);
    c->character_name = r_str(r, GMQ_MAX_NAME_BYTES); c->map_id = r_u32(r); c->zone = r_str(r, GMQ_MAX_NAME_BYTES);
    c->x = r_f32(r); c->y = r_f32(r); c->z = r_f32(r); c->client_build = r_str(r, GMQ_MAX_NAME_BYTES);
}
static void r_summary(reader *r, gmq_ticket_summary *s) {
    s->id = r_u64(r); s->category = r_str(r, GMQ_MAX_NAME_BYTES); s->status = r_enum(r, 1, 4);
    s->player_id = r_u64(r); s->player_name = r_str(r, GMQ_MAX_NAME_BYTES); s->assignee = r_str(r, GMQ_MAX_NAME_BYTES);
    s->created_at = (int64_t)r_u64(r); s->updated_at = (int64_t)r_u64(r);
    s->preview = r_str(r, GMQ_MAX_PREVIEW_BYTES);
    s->priority = r_u8(r); s->due_at = (int64_t)r_u64(r); s->overdue = r_enum(r, 0, 1); s->rating = r_enum(r, 0, 5);
    s->reopen_count = r_u16(r); s->closed_at = (int64_t)r_u64(r); s->queue_position = r_u32(r);
    s->estimated_wait_seconds = r_u32(r);
}
static gmq_bytes r_blob(reader *r, uint32_t max) {
    gmq_bytes b = {NULL, 0};
    uint32_t len = r_u32(r);
    if (r->err) return b;
    if (len > max) { r->err = GMQ_E_LIMIT; return b; }
    b.ptr = r_take(r, len);
    b.len = b.ptr ? len : 0;
    return b;
}
static gmq_bytes r_digest(reader *r) {
    gmq_bytes b = {NULL, 0};
    uint8_t len = r_u8(r);
    if (r->err) return b;
    if (len != 0 && len != 32) { r->err = GMQ_E_PAYLOAD; return b; }
    b.ptr = r_take(r, len);
    b.len = b.ptr ? len : 0;
    return b;
}
static void r_attachment(reader *r, gmq_attachment *a) {
    a->number = r_u16(r); a->name = r_str(r, GMQ_MAX_FILE_NAME_BYTES); a->content_type = r_str(r, GMQ_MAX_NAME_BYTES);
    a->size = r_u32(r); a->sha256 = r_digest(r); a->uploaded_by = r_str(r, GMQ_MAX_NAME_BYTES + 16);
    a->uploader_role = r_enum(r, 1, 5); a->at = (int64_t)r_u64(r);
}
static void r_entry(reader *r, gmq_history_entry *e) {
    e->sequence = r_u32(r); e->kind = r_enum(r, 1, 15); e->actor_role = r_enum(r, 1, 5);
    e->actor_name = r_str(r, GMQ_MAX_NAME_BYTES); e->at = (int64_t)r_u64(r);
    e->text = r_str(r, GMQ_MAX_TEXT_BYTES);
}
static uint16_t r_count(reader *r) {
    uint16_t n = r_u16(r);
    if (!r->err && n > GMQ_MAX_LIST_COUNT) r->err = GMQ_E_LIMIT;
    return r->err ? 0 : n;
}

void gmq_message_free(gmq_message *m) {
    if (m->type == GMQ_TICKET_LIST) { free(m->u.ticket_list.tickets); m->u.ticket_list.tickets = NULL; }
    if (m->type == GMQ_TICKET) { free(m->u.ticket.history); m->u.ticket.history = NULL; }
    if (m->type == GMQ_HISTORY_PAGE) { free(m->u.history_page.entries); m->u.history_page.entries = NULL; }
    if (m->type == GMQ_PREVIEW_RESULT) { free(m->u.preview_result.articles); m->u.preview_result.articles = NULL; }
    if (m->type == GMQ_ATTACHMENTS) { free(m->u.attachments.attachments); m->u.attachments.attachments = NULL; }
}

static int decode_payload(reader *r, gmq_message *m) {
    uint16_t i;
    switch (m->type) {
    case GMQ_HELLO:
        m->u.hello.protocol_version = r_u16(r); m->u.hello.client_kind = r_enum(r, 1, 2);
        m->u.hello.credential = r_str(r, GMQ_MAX_CREDENTIAL_BYTES); m->u.hello.locale = r_str(r, GMQ_MAX_NAME_BYTES);
        m->u.hello.client_name = r_str(r, GMQ_MAX_NAME_BYTES); break;
    case GMQ_WELCOME:
        m->u.welcome.protocol_version = r_u16(r); m->u.welcome.role = r_enum(r, 1, 5);
        m->u.welcome.principal_id = r_u64(r); m->u.welcome.display_name = r_str(r, GMQ_MAX_NAME_BYTES);
        m->u.welcome.pending_notifications = r_u32(r); break;
    case GMQ_ERROR: m->u.error.code = r_u16(r); m->u.error.message = r_str(r, GMQ_MAX_TEXT_BYTES); break;
    case GMQ_OK: case GMQ_MY_TICKETS: break;
    case GMQ_PING: case GMQ_PONG: m->u.ping.nonce = r_u64(r); break;
    case GMQ_SERVER_CLOSING:
        m->u.server_closing.retry_after_seconds = r_u16(r);
        m->u.server_closing.message = r_str(r, GMQ_MAX_TEXT_BYTES); break;
    case GMQ_SUBMIT: case GMQ_PREVIEW:
        m->u.submit.category = r_str(r, GMQ_MAX_NAME_BYTES); m->u.submit.text = r_str(r, GMQ_MAX_TEXT_BYTES);
        r_context(r, &m->u.submit.context); break;
    case GMQ_PREVIEW_RESULT:
        m->u.preview_result.reason = r_str(r, GMQ_MAX_NAME_BYTES);
        m->u.preview_result.hint = r_str(r, GMQ_MAX_TEXT_BYTES);
        m->u.preview_result.count = r_count(r);
        m->u.preview_result.articles = m->u.preview_result.count
            ? calloc(m->u.preview_result.count, sizeof(gmq_article)) : NULL;
        if (m->u.preview_result.count && !m->u.preview_result.articles) return GMQ_E_MEMORY;
        for (i = 0; i < m->u.preview_result.count && !r->err; i++) {
            m->u.preview_result.articles[i].id = r_u64(r);
            m->u.preview_result.articles[i].title = r_str(r, 200);
            m->u.preview_result.articles[i].body = r_str(r, GMQ_MAX_TEXT_BYTES);
        }
        m->u.preview_result.incident_id = r_u64(r);
        m->u.preview_result.incident_title = r_str(r, 200);
        m->u.preview_result.incident_message = r_str(r, GMQ_MAX_TEXT_BYTES); break;
    case GMQ_ATTACH:
        m->u.attach.ticket_id = r_u64(r); m->u.attach.name = r_str(r, GMQ_MAX_FILE_NAME_BYTES);
        m->u.attach.size = r_u32(r); break;
    case GMQ_ATTACH_READY:
        m->u.attach_ready.upload_id = r_u64(r); m->u.attach_ready.chunk_bytes = r_u32(r);
        m->u.attach_ready.maximum_bytes = r_u32(r); break;
    case GMQ_ATTACH_CHUNK:
        m->u.attach_chunk.upload_id = r_u64(r); m->u.attach_chunk.offset = r_u32(r);
        m->u.attach_chunk.data = r_blob(r, GMQ_MAX_CHUNK_BYTES); break;
    case GMQ_ATTACH_END: m->u.attach_end.upload_id = r_u64(r); m->u.attach_end.sha256 = r_digest(r); break;
    case GMQ_ATTACHMENT:
        m->u.attachment.ticket_id = r_u64(r); r_attachment(r, &m->u.attachment.attachment); break;
    case GMQ_ATTACHMENT_LIST: m->u.attachments.ticket_id = r_u64(r); break;
    case GMQ_ATTACHMENTS:
        m->u.attachments.ticket_id = r_u64(r);
        m->u.attachments.count = r_count(r);
        m->u.attachments.attachments = m->u.attachments.count
            ? calloc(m->u.attachments.count, sizeof(gmq_attachment)) : NULL;
        if (m->u.attachments.count && !m->u.attachments.attachments) return GMQ_E_MEMORY;
        for (i = 0; i < m->u.attachments.count && !r->err; i++) r_attachment(r, &m->u.attachments.attachments[i]);
        break;
    case GMQ_ATTACHMENT_GET:
        m->u.attachment_get.ticket_id = r_u64(r); m->u.attachment_get.number = r_u16(r);
        m->u.attachment_get.offset = r_u32(r); m->u.attachment_get.length = r_u32(r); break;
    case GMQ_ATTACHMENT_DATA:
        m->u.attachment_data.ticket_id = r_u64(r); m->u.attachment_data.number = r_u16(r);
        m->u.attachment_data.size = r_u32(r); m->u.attachment_data.offset = r_u32(r);
        m->u.attachment_data.data = r_blob(r, GMQ_MAX_CHUNK_BYTES); break;
    case GMQ_ACCEPTED:
        m->u.accepted.ticket_id = r_u64(r); m->u.accepted.queue_position = r_u32(r);
        m->u.accepted.merged = r_enum(r, 0, 1); m->u.accepted.hint = r_str(r, GMQ_MAX_TEXT_BYTES);
        m->u.accepted.estimated_wait_seconds = r_u32(r); break;
    case GMQ_RATE:
        m->u.rate.ticket_id = r_u64(r); m->u.rate.stars = r_enum(r, 1, 5);
        m->u.rate.comment = r_str(r, GMQ_MAX_TEXT_BYTES); break;
    case GMQ_REJECTED:
        m->u.rejected.reason = r_str(r, GMQ_MAX_NAME_BYTES); m->u.rejected.hint = r_str(r, GMQ_MAX_TEXT_BYTES); break;
    case GMQ_TICKET_LIST:
        m->u.ticket_list.count = r_count(r);
        m->u.ticket_list.tickets = m->u.ticket_list.count
            ? calloc(m->u.ticket_list.count, sizeof(gmq_ticket_summary)) : NULL;
        if (m->u.ticket_list.count && !m->u.ticket_list.tickets) return GMQ_E_MEMORY;
        for (i = 0; i < m->u.ticket_list.count && !r->err; i++) r_summary(r, &m->u.ticket_list.tickets[i]);
        break;
    case GMQ_GET_TICKET: case GMQ_UNCLAIM: case GMQ_NOTIFICATION_ACK: m->u.ticket_id.ticket_id = r_u64(r); break;
    case GMQ_TICKET:
        r_summary(r, &m->u.ticket.summary); m->u.ticket.text = r_str(r, GMQ_MAX_TEXT_BYTES);
        r_context(r, &m->u.ticket.context); m->u.ticket.resolution = r_str(r, GMQ_MAX_NAME_BYTES);
        m->u.ticket.count = r_count(r);
        m->u.ticket.history = m->u.ticket.count ? calloc(m->u.ticket.count, sizeof(gmq_history_entry)) : NULL;
        if (m->u.ticket.count && !m->u.ticket.history) return GMQ_E_MEMORY;
        for (i = 0; i < m->u.ticket.count && !r->err; i++) r_entry(r, &m->u.ticket.history[i]);
        break;
    case GMQ_HISTORY:
        m->u.history.ticket_id = r_u64(r); m->u.history.after_sequence = r_u32(r); m->u.history.limit = r_u16(r);
        break;
    case GMQ_HISTORY_PAGE:
        m->u.history_page.ticket_id = r_u64(r); m->u.history_page.total = r_u32(r);
        m->u.history_page.count = r_count(r);
        m->u.history_page.entries = m->u.history_page.count
            ? calloc(m->u.history_page.count, sizeof(gmq_history_entry)) : NULL;
        if (m->u.history_page.count && !m->u.history_page.entries) return GMQ_E_MEMORY;
        for (i = 0; i < m->u.history_page.count && !r->err; i++) r_entry(r, &m->u.history_page.entries[i]);
        m->u.history_page.next_after = r_u32(r);
        break;
    case GMQ_PLAYER_REPLY: case GMQ_ASK: case GMQ_ANSWER: case GMQ_NOTE:
        m->u.ticket_text.ticket_id = r_u64(r); m->u.ticket_text.text = r_str(r, GMQ_MAX_TEXT_BYTES); break;
    case GMQ_TICKET_UPDATED: r_summary(r, &m->u.ticket_updated.summary); break;
    case GMQ_QUEUE:
        m->u.queue.category = r_str(r, GMQ_MAX_NAME_BYTES); m->u.queue.filter = r_enum(r, 0, 5);
        m->u.queue.limit = r_u16(r); break;
    case GMQ_CLAIM: m->u.claim.ticket_id = r_u64(r); m->u.claim.category = r_str(r, GMQ_MAX_NAME_BYTES); break;
    case GMQ_CLOSE:
        m->u.close.ticket_id = r_u64(r); m->u.close.resolution = r_str(r, GMQ_MAX_NAME_BYTES);
        m->u.close.text = r_str(r, GMQ_MAX_TEXT_BYTES); break;
    case GMQ_NOTIFICATION:
        m->u.notification.notification_id = r_u64(r); m->u.notification.ticket_id = r_u64(r);
        m->u.notification.kind = r_enum(r, 1, 15); m->u.notification.actor_name = r_str(r, GMQ_MAX_NAME_BYTES);
        m->u.notification.at = (int64_t)r_u64(r); m->u.notification.text = r_str(r, GMQ_MAX_TEXT_BYTES); break;
    default: return GMQ_E_TYPE;
    }
    if (r->err) return r->err;
    if (r->pos != r->len) return GMQ_E_PAYLOAD; /* trailing bytes */
    return GMQ_OK_RESULT;
}

int gmq_decode(const uint8_t *bytes, size_t length, size_t *consumed, uint32_t *request_id, gmq_message *m) {
    uint32_t frame_length;
    reader r;
    int result;
    if (length < 4) return GMQ_E_SHORT;
    frame_length = (uint32_t)bytes[0] << 24 | (uint32_t)bytes[1] << 16 | (uint32_t)bytes[2] << 8 | bytes[3];
    /* The length is judged before the body is awaited (section 4). */
    if (frame_length < GMQ_MIN_FRAME_LENGTH || frame_length > GMQ_MAX_FRAME_LENGTH) return GMQ_E_FRAME;
    if (length < 4 + (size_t)frame_length) return GMQ_E_SHORT;
    *consumed = 4 + (size_t)frame_length;
    memset(m, 0, sizeof *m);
    m->type = (uint16_t)(bytes[4] << 8 | bytes[5]);
    *request_id = (uint32_t)bytes[6] << 24 | (uint32_t)bytes[7] << 16 | (uint32_t)bytes[8] << 8 | bytes[9];
    r.p = bytes + 10;
    r.len = frame_length - 6;
    r.pos = 0;
    r.err = 0;
    result = decode_payload(&r, m);
    if (result != GMQ_OK_RESULT) gmq_message_free(m);
    return result;
}

/* ---- Blocking client ---- */

typedef struct queued { struct queued *next; size_t len; uint8_t bytes[1]; } queued;

struct gmq_client {
    int fd;
    uint32_t next_id;
    uint8_t *buffer; size_t buffered, capacity;   /* bytes read, not yet framed */
    uint8_t *frame; size_t frame_capacity;          /* the frame the last response points into */
    uint8_t *push; size_t push_capacity;            /* the frame the last notification points into */
    queued *head, *tail;                            /* notifications that arrived during requests */
    uint8_t *welcome_frame; gmq_message welcome;
    char last_error[512];
    unsigned retry_after;                           /* from SERVER_CLOSING */
};

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int send_all(int fd, const uint8_t *p, size_t n) {
    while (n) {
        ssize_t sent = send(fd, p, n, 0);
        if (sent < 0) { if (errno == EINTR) continue; return GMQ_E_IO; }
        p += sent;
        n -= (size_t)sent;
    }
    return GMQ_OK_RESULT;
}

/* Reads until one whole frame is buffered (or the deadline passes; -1: no deadline). */
static int read_frame(gmq_client *c, long long deadline, size_t *frame_size) {
    for (;;) {
        if (c->buffered >= 4) {
            uint32_t len = (uint32_t)c->buffer[0] << 24 | (uint32_t)c->buffer[1] << 16 | (uint32_t)c->buffer[2] << 8
                | c->buffer[3];
            if (len < GMQ_MIN_FRAME_LENGTH || len > GMQ_MAX_FRAME_LENGTH) return GMQ_E_FRAME;
            if (c->buffered >= 4 + (size_t)len) { *frame_size = 4 + (size_t)len; return GMQ_OK_RESULT; }
            if (c->capacity < 4 + (size_t)len) {
                uint8_t *grown = realloc(c->buffer, 4 + (size_t)len);
                if (!grown) return GMQ_E_MEMORY;
                c->buffer = grown;
                c->capacity = 4 + (size_t)len;
            }
        }
        if (c->buffered == c->capacity) {
            uint8_t *grown = realloc(c->buffer, c->capacity * 2);
            if (!grown) return GMQ_E_MEMORY;
            c->buffer = grown;
            c->capacity *= 2;
        }
        {
            struct pollfd pfd;
            int wait = -1, ready;
            ssize_t got;
            if (deadline >= 0) {
                long long left = deadline - now_ms();
                if (left <= 0) return GMQ_E_TIMEOUT;
                wait = (int)left;
            }
            pfd.fd = c->fd;
            pfd.events = POLLIN;
            ready = poll(&pfd, 1, wait);
            if (ready < 0) { if (errno == EINTR) continue; return GMQ_E_IO; }
            if (ready == 0) return GMQ_E_TIMEOUT;
            got = recv(c->fd, c->buffer + c->buffered, c->capacity - c->buffered, 0);
            if (got < 0) { if (errno == EINTR) continue; return GMQ_E_IO; }
            if (got == 0) return GMQ_E_IO;
            c->buffered += (size_t)got;
        }
    }
}

/* Moves the first buffered frame into *into (grown as needed) and drops it from the buffer. */
static int take_frame(gmq_client *c, size_t size, uint8_t **into, size_t *into_capacity) {
    if (*into_capacity < size) {
        uint8_t *grown = realloc(*into, size);
        if (!grown) return GMQ_E_MEMORY;
        *into = grown;
        *into_capacity = size;
    }
    memcpy(*into, c->buffer, size);
    memmove(c->buffer, c->buffer + size, c->buffered - size);
    c->buffered -= size;
    return GMQ_OK_RESULT;
}

static void note_text(gmq_client *c, gmq_str text) {
    size_t n = text.len < sizeof c->last_error - 1 ? text.len : sizeof c->last_error - 1;
    memcpy(c->last_error, text.ptr, n);
    c->last_error[n] = 0;
}

static void note_error(gmq_client *c, const gmq_message *m) { note_text(c, m->u.error.message); }

/* A frame on request id 0 that ends the session: an ERROR (GMQ_E_IO) or SERVER_CLOSING (GMQ_E_CLOSING); 0 for a
 * push to deliver. */
static int session_end(gmq_client *c, const gmq_message *m) {
    if (m->type == GMQ_ERROR) { note_error(c, m); return GMQ_E_IO; }
    if (m->type == GMQ_SERVER_CLOSING) {
        note_text(c, m->u.server_closing.message);
        c->retry_after = m->u.server_closing.retry_after_seconds;
        return GMQ_E_CLOSING;
    }
    return 0;
}

int gmq_request(gmq_client *c, const gmq_message *request, gmq_message *response) {
    uint8_t stack[8192];
    uint8_t *out = stack;
    size_t written = 0, capacity = sizeof stack;
    uint32_t id;
    int result;
    while ((result = gmq_encode(request, c->next_id, out, capacity, &written)) == GMQ_E_SPACE) {
        uint8_t *grown = realloc(out == stack ? NULL : out, capacity * 2);
        if (!grown) { if (out != stack) free(out); return GMQ_E_MEMORY; }
        out = grown;
        capacity *= 2;
    }
    id = c->next_id;
    c->next_id = c->next_id == UINT32_MAX ? 1 : c->next_id + 1;
    if (result == GMQ_OK_RESULT) result = send_all(c->fd, out, written);
    if (out != stack) free(out);
    if (result != GMQ_OK_RESULT) return result;
    for (;;) {
        size_t size, consumed;
        uint32_t rid;
        result = read_frame(c, -1, &size);
        if (result != GMQ_OK_RESULT) return result;
        rid = (uint32_t)c->buffer[6] << 24 | (uint32_t)c->buffer[7] << 16 | (uint32_t)c->buffer[8] << 8 | c->buffer[9];
        if (rid == 0) { /* a push: queue it for gmq_next_notification; an ERROR or SERVER_CLOSING ends the session,
                           and this request had no answer, so it was not processed (PROTOCOL.md 1.2) */
            uint16_t type = (uint16_t)(c->buffer[4] << 8 | c->buffer[5]);
            if (type == GMQ_ERROR || type == GMQ_SERVER_CLOSING) {
                gmq_message m;
                result = take_frame(c, size, &c->frame, &c->frame_capacity);
                if (result == GMQ_OK_RESULT && gmq_decode(c->frame, size, &consumed, &rid, &m) == GMQ_OK_RESULT)
                    return session_end(c, &m);
                return GMQ_E_IO;
            } else {
                queued *q = malloc(sizeof *q + size);
                if (!q) return GMQ_E_MEMORY;
                q->next = NULL;
                q->len = size;
                memcpy(q->bytes, c->buffer, size);
                memmove(c->buffer, c->buffer + size, c->buffered - size);
                c->buffered -= size;
                if (c->tail) c->tail->next = q; else c->head = q;
                c->tail = q;
                continue;
            }
        }
        result = take_frame(c, size, &c->frame, &c->frame_capacity);
        if (result != GMQ_OK_RESULT) return result;
        if (rid != id) continue; /* an answer to something this client no longer waits for */
        result = gmq_decode(c->frame, size, &consumed, &rid, response);
        if (result == GMQ_OK_RESULT && response->type == GMQ_ERROR) note_error(c, response);
        return result;
    }
}

int gmq_next_notification(gmq_client *c, gmq_message *notification, int timeout_ms) {
    long long deadline = now_ms() + (timeout_ms < 0 ? 0 : timeout_ms);
    for (;;) {
        size_t size, consumed;
        uint32_t rid;
        int result;
        if (c->head) {
            queued *q = c->head;
            c->head = q->next;
            if (!c->head) c->tail = NULL;
            if (c->push_capacity < q->len) {
                uint8_t *grown = realloc(c->push, q->len);
                if (!grown) { free(q); return GMQ_E_MEMORY; }
                c->push = grown;
                c->push_capacity = q->len;
            }
            memcpy(c->push, q->bytes, q->len);
            size = q->len;
            free(q);
            result = gmq_decode(c->push, size, &consumed, &rid, notification);
            if (result != GMQ_OK_RESULT) return result;
            if (notification->type == GMQ_NOTIFICATION) return GMQ_OK_RESULT;
            continue;
        }
        result = read_frame(c, deadline, &size);
        if (result != GMQ_OK_RESULT) return result;
        result = take_frame(c, size, &c->push, &c->push_capacity);
        if (result != GMQ_OK_RESULT) return result;
        result = gmq_decode(c->push, size, &consumed, &rid, notification);
        if (result != GMQ_OK_RESULT) return result;
        if (rid == 0 && notification->type == GMQ_NOTIFICATION) return GMQ_OK_RESULT;
        if (rid == 0 && (result = session_end(c, notification)) != 0) return result;
    }
}

int gmq_acknowledge(gmq_client *c, uint64_t notification_id) {
    gmq_message ack, response;
    int result;
    memset(&ack, 0, sizeof ack);
    ack.type = GMQ_NOTIFICATION_ACK;
    ack.u.ticket_id.ticket_id = notification_id;
    result = gmq_request(c, &ack, &response);
    if (result != GMQ_OK_RESULT) return result;
    return response.type == GMQ_OK ? GMQ_OK_RESULT : GMQ_E_REFUSED;
}

static int send_draft(gmq_client *c, uint16_t type, const char *category, const char *text,
                      const gmq_game_context *context, gmq_message *response) {
    gmq_message m;
    memset(&m, 0, sizeof m);
    m.type = type;
    m.u.submit.category = gmq_cstr(category);
    m.u.submit.text = gmq_cstr(text);
    if (context) m.u.submit.context = *context;
    else {
        m.u.submit.context.realm = m.u.submit.context.character_name = m.u.submit.context.zone = gmq_cstr("");
        m.u.submit.context.client_build = gmq_cstr("");
    }
    return gmq_request(c, &m, response);
}

int gmq_submit(gmq_client *c, const char *category, const char *text, const gmq_game_context *context,
               gmq_message *response) {
    return send_draft(c, GMQ_SUBMIT, category, text, context, response);
}

int gmq_preview(gmq_client *c, const char *category, const char *text, const gmq_game_context *context,
                gmq_message *response) {
    return send_draft(c, GMQ_PREVIEW, category, text, context, response);
}

int gmq_attach(gmq_client *c, uint64_t ticket_id, const char *name, const uint8_t *bytes, uint32_t size,
               gmq_message *response) {
    gmq_message m;
    uint64_t upload;
    uint32_t offset = 0, chunk;
    int result;
    memset(&m, 0, sizeof m);
    m.type = GMQ_ATTACH;
    m.u.attach.ticket_id = ticket_id;
    m.u.attach.name = gmq_cstr(name);
    m.u.attach.size = size;
    result = gmq_request(c, &m, response);
    if (result != GMQ_OK_RESULT) return result;
    if (response->type != GMQ_ATTACH_READY) return response->type == GMQ_ERROR ? GMQ_E_REFUSED : GMQ_E_PAYLOAD;
    upload = response->u.attach_ready.upload_id;
    chunk = response->u.attach_ready.chunk_bytes ? response->u.attach_ready.chunk_bytes : GMQ_MAX_CHUNK_BYTES;
    while (offset < size) {
        uint32_t n = size - offset < chunk ? size - offset : chunk;
        memset(&m, 0, sizeof m);
        m.type = GMQ_ATTACH_CHUNK;
        m.u.attach_chunk.upload_id = upload;
        m.u.attach_chunk.offset = offset;
        m.u.attach_chunk.data.ptr = bytes + offset;
        m.u.attach_chunk.data.len = n;
        result = gmq_request(c, &m, response);
        if (result != GMQ_OK_RESULT) return result;
        if (response->type != GMQ_OK) return response->type == GMQ_ERROR ? GMQ_E_REFUSED : GMQ_E_PAYLOAD;
        offset += n;
    }
    memset(&m, 0, sizeof m);
    m.type = GMQ_ATTACH_END;
    m.u.attach_end.upload_id = upload;
    result = gmq_request(c, &m, response);
    if (result != GMQ_OK_RESULT) return result;
    return response->type == GMQ_ATTACHMENT ? GMQ_OK_RESULT : response->type == GMQ_ERROR ? GMQ_E_REFUSED : GMQ_E_PAYLOAD;
}

gmq_client *gmq_connect(const char *host, uint16_t port, uint8_t client_kind, const char *credential,
                        const char *locale, char *error, size_t error_capacity) {
    struct addrinfo hints, *addresses = NULL, *a;
    char service[8];
    gmq_client *c;
    gmq_message hello, welcome;
    int fd = -1, result;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    snprintf(service, sizeof service, "%u", (unsigned)port);
    if (getaddrinfo(host, service, &hints, &addresses) != 0) {
        if (error) snprintf(error, error_capacity, "cannot resolve %s", host);
        return NULL;
    }
    for (a = addresses; a; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
        if (fd < 0) continue;
        if (connect(fd, a->ai_addr, a->ai_addrlen) == 0) break;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(addresses);
    if (fd < 0) {
        if (error) snprintf(error, error_capacity, "cannot connect to %s:%u: %s", host, (unsigned)port, strerror(errno));
        return NULL;
    }
    c = calloc(1, sizeof *c);
    if (!c || !(c->buffer = malloc(4096))) { free(c); close(fd); return NULL; }
    c->fd = fd;
    c->capacity = 4096;
    c->next_id = 1;
    memset(&hello, 0, sizeof hello);
    hello.type = GMQ_HELLO;
    hello.u.hello.protocol_version = GMQ_PROTOCOL_VERSION;
    hello.u.hello.client_kind = client_kind;
    hello.u.hello.credential = gmq_cstr(credential);
    hello.u.hello.locale = gmq_cstr(locale);
    hello.u.hello.client_name = gmq_cstr("gmq-c/1");
    result = gmq_request(c, &hello, &welcome);
    if (result != GMQ_OK_RESULT || welcome.type != GMQ_WELCOME) {
        if (error) {
            if (result == GMQ_OK_RESULT && welcome.type == GMQ_ERROR)
                snprintf(error, error_capacity, "refused (%u): %s", (unsigned)welcome.u.error.code, c->last_error);
            else
                snprintf(error, error_capacity, "handshake failed (%d)%s%s", result, c->last_error[0] ? ": " : "",
                         c->last_error);
        }
        gmq_close(c);
        return NULL;
    }
    /* Keep WELCOME's bytes: its display name points into them. */
    c->welcome_frame = c->frame;
    c->welcome = welcome;
    c->frame = NULL;
    c->frame_capacity = 0;
    return c;
}

const gmq_message *gmq_client_welcome(const gmq_client *c) { return &c->welcome; }
const char *gmq_client_last_error(const gmq_client *c) { return c->last_error; }
unsigned gmq_client_retry_after(const gmq_client *c) { return c->retry_after; }

void gmq_close(gmq_client *c) {
    queued *q;
    if (!c) return;
    close(c->fd);
    while ((q = c->head)) { c->head = q->next; free(q); }
    free(c->buffer);
    free(c->frame);
    free(c->push);
    free(c->welcome_frame);
    free(c);
}

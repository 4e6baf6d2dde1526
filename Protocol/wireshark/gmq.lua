-- Wireshark dissector for the GMQueue protocol v1 (Protocol/PROTOCOL.md).
-- Decodes every message on TCP ports 7070 (player) and 7071 (staff); other ports with "Decode As… GMQ" or
-- `tshark -X lua_script:gmq.lua -d tcp.port==PORT,gmq`. Frames split across TCP segments are reassembled.

local gmq = Proto("gmq", "GMQueue protocol")

local types = {
    [0x0001] = "HELLO", [0x0002] = "WELCOME", [0x0003] = "ERROR", [0x0004] = "OK", [0x0005] = "PING",
    [0x0006] = "PONG", [0x0007] = "SERVER_CLOSING", [0x0010] = "SUBMIT", [0x0011] = "ACCEPTED", [0x0012] = "REJECTED",
    [0x0013] = "MY_TICKETS", [0x0014] = "TICKET_LIST", [0x0015] = "GET_TICKET", [0x0016] = "TICKET",
    [0x0017] = "PLAYER_REPLY", [0x0018] = "TICKET_UPDATED", [0x0020] = "QUEUE", [0x0021] = "CLAIM",
    [0x0022] = "UNCLAIM", [0x0023] = "ASK", [0x0024] = "ANSWER", [0x0025] = "NOTE", [0x0026] = "CLOSE",
    [0x0030] = "NOTIFICATION", [0x0031] = "NOTIFICATION_ACK", [0x0019] = "RATE", [0x0027] = "TRANSFER",
    [0x0028] = "ESCALATE", [0x0029] = "WATCH", [0x002A] = "PLAYER_TICKETS", [0x002B] = "HISTORY",
    [0x002C] = "HISTORY_PAGE", [0x0032] = "QUEUE_CHANGED",
    [0x0040] = "MACRO_SAVE", [0x0041] = "MACRO_REMOVE", [0x0042] = "MACRO_LIST", [0x0043] = "MACROS",
    [0x0050] = "AUDIT", [0x0051] = "AUDIT_LIST", [0x0052] = "AUDIT_VERIFY", [0x0053] = "AUDIT_VERIFIED",
    [0x0054] = "REPORT", [0x0055] = "REPORT_RESULT",
    [0x0060] = "STAFF_LIST", [0x0061] = "STAFF_ACCOUNTS", [0x0062] = "STAFF_CHANGE", [0x0063] = "STAFF_CHANGED",
    [0x0064] = "STAFF_LOG", [0x0065] = "STAFF_LOG_PAGE", [0x0066] = "STAFF_LOG_VERIFY", [0x0067] = "STAFF_LOG_VERIFIED",
    [0x0070] = "BAN", [0x0071] = "UNBAN", [0x0072] = "BANS", [0x0073] = "BAN_LIST",
    [0x0080] = "INCIDENT_OPEN", [0x0081] = "INCIDENT", [0x0082] = "INCIDENT_LIST", [0x0083] = "INCIDENTS",
    [0x0084] = "INCIDENT_CLOSE", [0x0085] = "INCIDENT_ANSWER", [0x0086] = "INCIDENT_ANSWERED",
    [0x0087] = "INCIDENT_TICKETS", [0x0088] = "INCIDENT_GET", [0x0089] = "CLUSTERS", [0x008A] = "CLUSTER_LIST",
    [0x008B] = "INCIDENT_LINK", [0x008C] = "INCIDENT_LINKED",
    [0x0090] = "PREVIEW", [0x0091] = "PREVIEW_RESULT", [0x0092] = "KB_SAVE", [0x0093] = "KB_REMOVE",
    [0x0094] = "KB_LIST", [0x0095] = "KB_ARTICLES", [0x0096] = "SELF_HELP", [0x0097] = "SELF_HELP_RESULT",
    [0x00A0] = "ATTACH", [0x00A1] = "ATTACH_READY", [0x00A2] = "ATTACH_CHUNK", [0x00A3] = "ATTACH_END",
    [0x00A4] = "ATTACHMENT", [0x00A5] = "ATTACHMENT_LIST", [0x00A6] = "ATTACHMENTS", [0x00A7] = "ATTACHMENT_GET",
    [0x00A8] = "ATTACHMENT_DATA", [0x00B0] = "SEARCH", [0x00B1] = "SEARCH_RESULT", [0x00B2] = "ASSIGN", [0x00B3] = "PRIORITY",
    [0x00B4] = "SNOOZE", [0x00B5] = "REMIND", [0x00B6] = "REMINDER", [0x00B7] = "INTERNAL_OPEN",
    [0x00B8] = "INTERNAL_LINK", [0x00B9] = "REPORT_FIGURES", [0x00BA] = "REPORT_FIGURES_RESULT",
}
local errors = {
    [1] = "malformed_frame", [2] = "frame_too_large", [3] = "unknown_message_type", [4] = "malformed_payload",
    [5] = "unsupported_version", [6] = "handshake_required", [7] = "already_authenticated",
    [8] = "invalid_credential", [9] = "credential_expired", [10] = "wrong_port", [11] = "forbidden",
    [12] = "not_found", [13] = "already_claimed", [14] = "not_assignee", [15] = "invalid_transition",
    [16] = "invalid_argument", [17] = "unknown_category", [18] = "queue_empty", [19] = "busy",
    [20] = "internal_error", [21] = "timeout", [22] = "connection_limit", [23] = "limit_reached", [24] = "not_a_request",
    [25] = "credential_revoked", [26] = "tls_required",
}
local kinds = { "submitted", "claimed", "unclaimed", "asked", "replied", "answered", "noted", "closed", "reopened",
    "transferred", "escalated", "rated", "lease_expired", "attached", "assigned", "snoozed", "woke" }
local roles = { "player", "gm", "moderator", "admin", "game" }
local statuses = { "open", "claimed", "waiting_player", "closed", "snoozed" }
local filters = { [0] = "active", [1] = "open", [2] = "claimed", [3] = "waiting_player", [4] = "closed", [5] = "mine", [6] = "snoozed" }
local targets = { "senior_gms", "developers" }
local groups = { "total", "category", "gm" }
local client_kinds = { "player", "staff" }
local staff_states = { "active", "disabled", "expired" }
local staff_actions = { "add", "disable", "enable", "rotate_key", "set" }
local expiries = { [0] = "unchanged", [1] = "never", [2] = "at" }

local f = {
    length = ProtoField.uint32("gmq.length", "Length", base.DEC),
    type = ProtoField.uint16("gmq.type", "Type", base.HEX, types),
    request_id = ProtoField.uint32("gmq.request_id", "Request id", base.DEC),
    version = ProtoField.uint16("gmq.version", "Protocol version", base.DEC),
    client_kind = ProtoField.uint8("gmq.client_kind", "Client kind", base.DEC, client_kinds),
    credential = ProtoField.string("gmq.credential", "Credential"),
    locale = ProtoField.string("gmq.locale", "Locale"),
    client_name = ProtoField.string("gmq.client_name", "Client name"),
    role = ProtoField.uint8("gmq.role", "Role", base.DEC, roles),
    principal_id = ProtoField.uint64("gmq.principal_id", "Principal id", base.DEC),
    display_name = ProtoField.string("gmq.display_name", "Display name"),
    pending = ProtoField.uint32("gmq.pending", "Pending notifications", base.DEC),
    error_code = ProtoField.uint16("gmq.error.code", "Error code", base.DEC, errors),
    message = ProtoField.string("gmq.message", "Message"),
    nonce = ProtoField.uint64("gmq.nonce", "Nonce", base.HEX),
    category = ProtoField.string("gmq.category", "Category"),
    text = ProtoField.string("gmq.text", "Text"),
    realm = ProtoField.string("gmq.realm", "Realm"),
    character_id = ProtoField.uint64("gmq.character_id", "Character id", base.DEC),
    character_name = ProtoField.string("gmq.character_name", "Character name"),
    map_id = ProtoField.uint32("gmq.map_id", "Map id", base.DEC),
    zone = ProtoField.string("gmq.zone", "Zone"),
    x = ProtoField.float("gmq.x", "X"), y = ProtoField.float("gmq.y", "Y"), z = ProtoField.float("gmq.z", "Z"),
    client_build = ProtoField.string("gmq.client_build", "Client build"),
    after_sequence = ProtoField.uint32("gmq.after_sequence", "After sequence", base.DEC),
    total = ProtoField.uint32("gmq.total", "Entries in all", base.DEC),
    next_after = ProtoField.uint32("gmq.next_after", "Next page after", base.DEC),
    ticket_id = ProtoField.uint64("gmq.ticket_id", "Ticket id", base.DEC),
    position = ProtoField.uint32("gmq.queue_position", "Queue position", base.DEC),
    merged = ProtoField.uint8("gmq.merged", "Merged", base.DEC),
    hint = ProtoField.string("gmq.hint", "Hint"),
    reason = ProtoField.string("gmq.reason", "Reason"),
    count = ProtoField.uint16("gmq.count", "Count", base.DEC),
    status = ProtoField.uint8("gmq.status", "Status", base.DEC, statuses),
    player_id = ProtoField.uint64("gmq.player_id", "Player id", base.DEC),
    player_name = ProtoField.string("gmq.player_name", "Player name"),
    assignee = ProtoField.string("gmq.assignee", "Assignee"),
    created_at = ProtoField.int64("gmq.created_at", "Created at (ms)", base.DEC),
    updated_at = ProtoField.int64("gmq.updated_at", "Updated at (ms)", base.DEC),
    preview = ProtoField.string("gmq.preview", "Preview"),
    resolution = ProtoField.string("gmq.resolution", "Resolution"),
    sequence = ProtoField.uint32("gmq.sequence", "Sequence", base.DEC),
    kind = ProtoField.uint8("gmq.kind", "Kind", base.DEC, kinds),
    actor_role = ProtoField.uint8("gmq.actor_role", "Actor role", base.DEC, roles),
    actor_name = ProtoField.string("gmq.actor_name", "Actor"),
    at = ProtoField.int64("gmq.at", "At (ms)", base.DEC),
    filter = ProtoField.uint8("gmq.filter", "Filter", base.DEC, filters),
    limit = ProtoField.uint16("gmq.limit", "Limit", base.DEC),
    notification_id = ProtoField.uint64("gmq.notification_id", "Notification id", base.DEC),
    priority = ProtoField.uint8("gmq.priority", "Priority", base.DEC),
    due_at = ProtoField.int64("gmq.due_at", "Due at (ms)", base.DEC),
    overdue = ProtoField.uint8("gmq.overdue", "Overdue", base.DEC),
    rating = ProtoField.uint8("gmq.rating", "Rating", base.DEC),
    reopen_count = ProtoField.uint16("gmq.reopen_count", "Reopen count", base.DEC),
    closed_at = ProtoField.int64("gmq.closed_at", "Closed at (ms)", base.DEC),
    wait = ProtoField.uint32("gmq.estimated_wait", "Estimated wait (s)", base.DEC),
    retry_after = ProtoField.uint16("gmq.retry_after", "Reconnect after (s)", base.DEC),
    stars = ProtoField.uint8("gmq.stars", "Stars", base.DEC),
    target = ProtoField.uint8("gmq.target", "Escalation target", base.DEC, targets),
    name = ProtoField.string("gmq.name", "Name"),
    author = ProtoField.string("gmq.author", "Author"),
    gm = ProtoField.string("gmq.gm", "GM"),
    since = ProtoField.int64("gmq.since", "Since (ms)", base.DEC),
    until_ = ProtoField.int64("gmq.until", "Until (ms)", base.DEC),
    reminder_id = ProtoField.uint64("gmq.reminder_id", "Reminder id", base.DEC),
    about_player_id = ProtoField.uint64("gmq.about_player_id", "About player id", base.DEC),
    internal_id = ProtoField.uint64("gmq.internal_id", "Internal ticket id", base.DEC),
    handle_seconds = ProtoField.uint64("gmq.handle_seconds", "Handle time (s)", base.DEC),
    flag = ProtoField.uint8("gmq.flag", "Flag", base.DEC),
    events = ProtoField.uint64("gmq.events", "Events", base.DEC),
    head = ProtoField.bytes("gmq.head", "Chain head"),
    chain_seq = ProtoField.uint64("gmq.chain_sequence", "Chain sequence", base.DEC),
    group = ProtoField.uint8("gmq.group", "Group", base.DEC, groups),
    figure = ProtoField.int32("gmq.figure", "Figure", base.DEC),
    tally = ProtoField.uint32("gmq.tally", "Tickets", base.DEC),
    per_mille = ProtoField.uint16("gmq.overdue_per_mille", "Overdue (per mille)", base.DEC),
    rating_avg = ProtoField.int16("gmq.rating_average", "Rating average (hundredths)", base.DEC),
    staff_id = ProtoField.uint64("gmq.staff.id", "Staff account id", base.DEC),
    staff_state = ProtoField.uint8("gmq.staff.state", "State", base.DEC, staff_states),
    staff_action = ProtoField.uint8("gmq.staff.action", "Action", base.DEC, staff_actions),
    expiry = ProtoField.uint8("gmq.staff.expiry", "Expiry", base.DEC, expiries),
    expires_at = ProtoField.int64("gmq.staff.expires_at", "Expires at (ms)", base.DEC),
    key = ProtoField.string("gmq.staff.key", "New key"),
    released = ProtoField.uint32("gmq.staff.released", "Claims released", base.DEC),
    log_seq = ProtoField.uint64("gmq.staff_log.seq", "Log sequence", base.DEC),
    before = ProtoField.uint64("gmq.staff_log.before", "Before sequence", base.DEC),
    next_before = ProtoField.uint64("gmq.staff_log.next_before", "Next page before", base.DEC),
    log_action = ProtoField.string("gmq.staff_log.action", "Action"),
    detail = ProtoField.string("gmq.staff_log.detail", "Detail"),
    entries = ProtoField.uint64("gmq.staff_log.entries", "Entries", base.DEC),
    incident_id = ProtoField.uint64("gmq.incident.id", "Incident id", base.DEC),
    title = ProtoField.string("gmq.incident.title", "Title"),
    match = ProtoField.string("gmq.incident.match", "Match"),
    build = ProtoField.string("gmq.incident.build", "Only build"),
    incident_message = ProtoField.string("gmq.incident.message", "Message to players"),
    opened_by = ProtoField.string("gmq.incident.opened_by", "Opened by"),
    closed_by = ProtoField.string("gmq.incident.closed_by", "Closed by"),
    include_closed = ProtoField.uint8("gmq.incident.include_closed", "Closed too", base.DEC),
    linked = ProtoField.uint32("gmq.incident.linked", "Linked tickets", base.DEC),
    open_tickets = ProtoField.uint32("gmq.incident.open", "Linked tickets not closed", base.DEC),
    answered = ProtoField.uint32("gmq.incident.answered", "Tickets answered", base.DEC),
    skipped = ProtoField.uint32("gmq.incident.skipped", "Tickets skipped", base.DEC),
    linked_now = ProtoField.uint32("gmq.incident.linked_now", "Tickets linked now", base.DEC),
    example = ProtoField.string("gmq.incident.example", "Example"),
    cluster_size = ProtoField.uint32("gmq.cluster.size", "Tickets in the cluster", base.DEC),
    first_at = ProtoField.int64("gmq.cluster.first_at", "First filed (ms)", base.DEC),
    last_at = ProtoField.int64("gmq.cluster.last_at", "Last filed (ms)", base.DEC),
    word = ProtoField.string("gmq.cluster.word", "Word"),
    sample = ProtoField.string("gmq.cluster.sample", "Sample"),
    article_id = ProtoField.uint64("gmq.article.id", "Article id", base.DEC),
    article_title = ProtoField.string("gmq.article.title", "Article title"),
    article_body = ProtoField.string("gmq.article.body", "Article body"),
    keyword = ProtoField.string("gmq.article.keyword", "Keyword"),
    locale_ = ProtoField.string("gmq.article.locale", "Language"),
    updated_by = ProtoField.string("gmq.article.updated_by", "Saved by"),
    updated_at = ProtoField.int64("gmq.article.updated_at", "Saved at (ms)", base.DEC),
    incident_title = ProtoField.string("gmq.preview.incident_title", "Known issue"),
    previews = ProtoField.uint32("gmq.self_help.previews", "Previews", base.DEC),
    drafts = ProtoField.uint32("gmq.self_help.drafts", "Drafts", base.DEC),
    offered = ProtoField.uint32("gmq.self_help.offered", "Drafts offered an answer", base.DEC),
    deflected = ProtoField.uint32("gmq.self_help.deflected", "Drafts ended without a request", base.DEC),
    file_name = ProtoField.string("gmq.attachment.name", "File name"),
    file_size = ProtoField.uint32("gmq.attachment.size", "File size", base.DEC),
    upload_id = ProtoField.uint64("gmq.attachment.upload_id", "Upload id", base.DEC),
    chunk_bytes = ProtoField.uint32("gmq.attachment.chunk_bytes", "Largest chunk", base.DEC),
    maximum_bytes = ProtoField.uint32("gmq.attachment.maximum_bytes", "Largest file", base.DEC),
    file_offset = ProtoField.uint32("gmq.attachment.offset", "Offset", base.DEC),
    file_length = ProtoField.uint32("gmq.attachment.length", "Length", base.DEC),
    data_length = ProtoField.uint32("gmq.attachment.data_length", "Data bytes", base.DEC),
    data = ProtoField.bytes("gmq.attachment.data", "Data"),
    sha256 = ProtoField.bytes("gmq.attachment.sha256", "SHA-256"),
    attachment_number = ProtoField.uint16("gmq.attachment.number", "Attachment", base.DEC),
    content_type = ProtoField.string("gmq.attachment.content_type", "Content type"),
    snippet = ProtoField.string("gmq.search.snippet", "Snippet"),
    highlight = ProtoField.uint16("gmq.search.highlight", "Highlight offset", base.DEC),
}
gmq.fields = f

local e_malformed = ProtoExpert.new("gmq.malformed", "Payload does not match its layout", expert.group.MALFORMED,
    expert.severity.ERROR)
local e_reserved_id = ProtoExpert.new("gmq.reserved_request_id",
    "A request on request id 0, which is reserved for the server (PROTOCOL.md section 1)", expert.group.PROTOCOL,
    expert.severity.ERROR)
gmq.experts = { e_malformed, e_reserved_id }

-- Types a client sends (PROTOCOL.md section 5, C->S); every other type is sent only by the server.
local requests = {}
for _, t in ipairs({ 0x0001, 0x0005, 0x0010, 0x0013, 0x0015, 0x0017, 0x0019, 0x0020, 0x0021, 0x0022, 0x0023, 0x0024,
    0x0025, 0x0026, 0x0027, 0x0028, 0x0029, 0x002A, 0x002B, 0x0031, 0x0040, 0x0041, 0x0042, 0x0050, 0x0052,
    0x0054, 0x0060, 0x0062, 0x0064, 0x0066, 0x0070, 0x0071, 0x0072, 0x0080, 0x0082, 0x0084, 0x0085, 0x0087,
    0x0088, 0x0089, 0x008B, 0x0090, 0x0092, 0x0093, 0x0094, 0x0096, 0x00A0, 0x00A2, 0x00A3, 0x00A5,
    0x00A7, 0x00B0, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B7, 0x00B8, 0x00B9 }) do requests[t] = true end

-- A cursor over one payload; each read adds a field to the tree. Reads past the end raise "short".
local function cursor(buffer, tree)
    local c = { offset = 0 }
    local function need(n)
        if c.offset + n > buffer:len() then error("short") end
        local range = buffer(c.offset, n)
        c.offset = c.offset + n
        return range
    end
    function c.u8(field) local r = need(1); tree:add(field, r); return r:uint() end
    function c.u16(field) local r = need(2); tree:add(field, r); return r:uint() end
    function c.u32(field) local r = need(4); tree:add(field, r); return r:uint() end
    function c.u64(field) local r = need(8); tree:add(field, r); return r:uint64() end
    function c.i64(field) local r = need(8); tree:add(field, r); return r:int64() end
    function c.f32(field) local r = need(4); tree:add(field, r); return r:float() end
    function c.i16(field) local r = need(2); tree:add(field, r); return r:int() end
    function c.i32(field) local r = need(4); tree:add(field, r); return r:int() end
    function c.bytes(field, n) local r = need(n); if n > 0 then tree:add(field, r) end end
    function c.str(field, t)
        local n = need(2):uint()
        local target = t or tree
        if n == 0 then c.offset = c.offset; target:add(field, buffer(c.offset - 2, 2), ""); return "" end
        local r = need(n)
        local s = r:string(ENC_UTF_8)
        target:add(field, r, s)
        return s
    end
    function c.subtree(label) return tree:add(gmq, buffer(c.offset, 0), label) end
    function c.with(subtree) local d = cursor(buffer(c.offset):tvb(), subtree); d.parent = c; return d end
    return c
end

local function context(c, tree)
    local t = tree:add(gmq, "Game context")
    local old = c.tree
    local function s(field) return c.str(field, t) end
    s(f.realm); c.u64(f.character_id); s(f.character_name); c.u32(f.map_id); s(f.zone)
    c.f32(f.x); c.f32(f.y); c.f32(f.z); s(f.client_build)
end

local function summary(c)
    c.u64(f.ticket_id); c.str(f.category); c.u8(f.status); c.u64(f.player_id); c.str(f.player_name)
    c.str(f.assignee); c.i64(f.created_at); c.i64(f.updated_at); local preview = c.str(f.preview)
    c.u8(f.priority); c.i64(f.due_at); c.u8(f.overdue); c.u8(f.rating); c.u16(f.reopen_count); c.i64(f.closed_at)
    c.u32(f.position); c.u32(f.wait)
    return preview
end

local function staff_account(c)
    c.u64(f.staff_id); local name = c.str(f.name); c.u8(f.role)
    local n = c.u16(f.count); for _ = 1, n do c.str(f.category) end
    c.u8(f.staff_state); c.i64(f.created_at); c.i64(f.expires_at)
    return name
end

-- An attachment (PROTOCOL.md section 5.24); `blob` is a u32 count and bytes, `digest` a u8 count (0 or 32).
local function attachment(c)
    local n = c.u16(f.attachment_number); local name = c.str(f.file_name); local t = c.str(f.content_type)
    c.u32(f.file_size); c.bytes(f.sha256, c.u8(f.flag)); c.str(f.name); c.u8(f.role); c.i64(f.at)
    return n .. ". " .. name .. " (" .. t .. ")"
end

-- A knowledge-base article (PROTOCOL.md section 5.23).
local function article(c)
    local id = c.u64(f.article_id); local title = c.str(f.article_title); c.str(f.article_body)
    for _ = 1, c.u16(f.count) do c.str(f.keyword) end
    c.str(f.category); c.str(f.locale_); c.str(f.updated_by); c.i64(f.updated_at)
    return "#" .. tostring(id) .. " " .. title
end

local function incident(c)
    local id = c.u64(f.incident_id); local title = c.str(f.title); c.str(f.category); c.str(f.match); c.str(f.build)
    c.str(f.zone); c.str(f.incident_message); c.str(f.opened_by); c.i64(f.created_at); c.str(f.closed_by)
    c.i64(f.closed_at); c.u32(f.linked); c.u32(f.open_tickets)
    return "#" .. tostring(id) .. " " .. title
end

local decoders = {
    [0x0001] = function(c) c.u16(f.version); c.u8(f.client_kind); c.str(f.credential); c.str(f.locale); c.str(f.client_name) end,
    [0x0002] = function(c) c.u16(f.version); c.u8(f.role); c.u64(f.principal_id); return c.str(f.display_name), c.u32(f.pending) end,
    [0x0003] = function(c) local code = c.u16(f.error_code); local m = c.str(f.message); return (errors[code] or code) .. ": " .. m end,
    [0x0004] = function(c) end,
    [0x0005] = function(c) c.u64(f.nonce) end,
    [0x0006] = function(c) c.u64(f.nonce) end,
    [0x0007] = function(c)
        local wait = c.u16(f.retry_after); c.str(f.message); return "reconnect after " .. wait .. " s"
    end,
    [0x0010] = function(c, tree) local cat = c.str(f.category); local t = c.str(f.text); context(c, tree); return cat .. ": " .. t end,
    [0x0011] = function(c) local id = c.u64(f.ticket_id); c.u32(f.position); c.u8(f.merged); c.str(f.hint); c.u32(f.wait); return "ticket " .. tostring(id) end,
    [0x0012] = function(c) local r = c.str(f.reason); c.str(f.hint); return r end,
    [0x0013] = function(c) end,
    [0x0014] = function(c) local n = c.u16(f.count); for _ = 1, n do summary(c) end; return n .. " ticket(s)" end,
    [0x0015] = function(c) return "ticket " .. tostring(c.u64(f.ticket_id)) end,
    [0x0016] = function(c, tree)
        summary(c); c.str(f.text); context(c, tree); c.str(f.resolution)
        local n = c.u16(f.count)
        for _ = 1, n do c.u32(f.sequence); c.u8(f.kind); c.u8(f.actor_role); c.str(f.actor_name); c.i64(f.at); c.str(f.text) end
        return n .. " event(s)"
    end,
    [0x0017] = function(c) c.u64(f.ticket_id); return c.str(f.text) end,
    [0x0018] = function(c) summary(c) end,
    [0x0020] = function(c) c.str(f.category); c.u8(f.filter); c.u16(f.limit) end,
    [0x0021] = function(c) local id = c.u64(f.ticket_id); c.str(f.category); return "ticket " .. tostring(id) end,
    [0x0022] = function(c) return "ticket " .. tostring(c.u64(f.ticket_id)) end,
    [0x0023] = function(c) c.u64(f.ticket_id); return c.str(f.text) end,
    [0x0024] = function(c) c.u64(f.ticket_id); return c.str(f.text) end,
    [0x0025] = function(c) c.u64(f.ticket_id); return c.str(f.text) end,
    [0x0026] = function(c) c.u64(f.ticket_id); local r = c.str(f.resolution); c.str(f.text); return r end,
    [0x0030] = function(c) c.u64(f.notification_id); c.u64(f.ticket_id); local k = c.u8(f.kind); c.str(f.actor_name); c.i64(f.at); c.str(f.text); return kinds[k] or k end,
    [0x0031] = function(c) return "notification " .. tostring(c.u64(f.notification_id)) end,
    [0x0019] = function(c) local id = c.u64(f.ticket_id); local n = c.u8(f.stars); c.str(f.text); return "ticket " .. tostring(id) .. ": " .. n .. " stars" end,
    [0x0027] = function(c) c.u64(f.ticket_id); local cat = c.str(f.category); c.str(f.text); return "to " .. cat end,
    [0x0028] = function(c) c.u64(f.ticket_id); local t = c.u8(f.target); c.str(f.text); return targets[t] or t end,
    [0x0029] = function(c) end,
    [0x002A] = function(c) return "player " .. tostring(c.u64(f.player_id)) end,
    [0x002B] = function(c)
        local id = c.u64(f.ticket_id); local after = c.u32(f.after_sequence); c.u16(f.limit)
        return "ticket " .. tostring(id) .. " after " .. after
    end,
    [0x002C] = function(c)
        c.u64(f.ticket_id); local total = c.u32(f.total)
        local n = c.u16(f.count)
        for _ = 1, n do c.u32(f.sequence); c.u8(f.kind); c.u8(f.actor_role); c.str(f.actor_name); c.i64(f.at); c.str(f.text) end
        local next_after = c.u32(f.next_after)
        return n .. " of " .. total .. " event(s)" .. (next_after == 0 and "" or ", more after " .. next_after)
    end,
    [0x0032] = function(c) local k = c.u8(f.kind); c.str(f.actor_name); summary(c); return kinds[k] or k end,
    [0x0040] = function(c) local n = c.str(f.name); c.str(f.text); return n end,
    [0x0041] = function(c) return c.str(f.name) end,
    [0x0042] = function(c) end,
    [0x0043] = function(c) local n = c.u16(f.count); for _ = 1, n do c.str(f.name); c.str(f.text); c.str(f.author) end; return n .. " macro(s)" end,
    [0x0050] = function(c)
        c.str(f.gm); c.str(f.category); c.str(f.resolution); c.u8(f.rating); c.u8(f.rating); c.i64(f.since)
        c.i64(f.until_); c.u8(f.flag); c.u8(f.flag); c.u16(f.limit)
    end,
    [0x0051] = function(c) local n = c.u16(f.count); for _ = 1, n do summary(c); c.str(f.resolution) end; return n .. " ticket(s)" end,
    [0x0052] = function(c) end,
    [0x0053] = function(c)
        local n = c.u64(f.events); c.bytes(f.head, c.u8(f.flag)); local ok = c.u8(f.flag); c.u64(f.ticket_id)
        c.u32(f.sequence); c.u64(f.chain_seq); c.str(f.reason); return tostring(n) .. " events, " .. (ok == 1 and "intact" or "broken")
    end,
    [0x0054] = function(c) c.i64(f.since); c.i64(f.until_); c.str(f.category); c.str(f.gm) end,
    [0x0060] = function(c) end,
    [0x0061] = function(c) local n = c.u16(f.count); for _ = 1, n do staff_account(c) end; return n .. " account(s)" end,
    [0x0062] = function(c)
        local a = c.u8(f.staff_action); local name = c.str(f.name); c.u8(f.role); c.u8(f.flag)
        local n = c.u16(f.count); for _ = 1, n do c.str(f.category) end
        c.u8(f.expiry); c.i64(f.expires_at)
        return (staff_actions[a] or a) .. " " .. name
    end,
    [0x0063] = function(c)
        local name = staff_account(c); local key = c.str(f.key); local r = c.u32(f.released)
        return name .. (key == "" and "" or ", new key") .. (r > 0 and ", " .. r .. " claim(s) released" or "")
    end,
    [0x0064] = function(c) local a = c.str(f.actor_name); c.i64(f.since); c.u64(f.before); c.u16(f.limit); return a end,
    [0x0065] = function(c)
        local n = c.u16(f.count)
        for _ = 1, n do
            c.u64(f.log_seq); c.i64(f.at); c.str(f.actor_name); c.str(f.log_action); c.str(f.name); c.str(f.detail)
        end
        c.u64(f.next_before)
        return n .. " entr" .. (n == 1 and "y" or "ies")
    end,
    [0x0066] = function(c) end,
    [0x0067] = function(c)
        local n = c.u64(f.entries); c.bytes(f.head, c.u8(f.flag)); local ok = c.u8(f.flag); c.u64(f.log_seq)
        c.str(f.reason); return tostring(n) .. " entries, " .. (ok == 1 and "intact" or "broken")
    end,
    [0x0070] = function(c) local id = c.u64(f.player_id); c.i64(f.until_); c.str(f.reason); return "player " .. tostring(id) end,
    [0x0071] = function(c) return "player " .. tostring(c.u64(f.player_id)) end,
    [0x0072] = function(c) end,
    [0x0073] = function(c)
        local n = c.u16(f.count)
        for _ = 1, n do c.u64(f.player_id); c.i64(f.until_); c.str(f.reason); c.str(f.gm); c.i64(f.at) end
        return n .. " ban(s)"
    end,
    [0x0080] = function(c)
        local title = c.str(f.title); c.str(f.category); c.str(f.match); c.str(f.build); c.str(f.zone)
        c.str(f.incident_message); return title
    end,
    [0x0081] = function(c) return incident(c) end,
    [0x0082] = function(c) c.u8(f.include_closed) end,
    [0x0083] = function(c) local n = c.u16(f.count); for _ = 1, n do incident(c) end; return n .. " incident(s)" end,
    [0x0084] = function(c) return "incident " .. tostring(c.u64(f.incident_id)) end,
    [0x0085] = function(c)
        local id = c.u64(f.incident_id); c.str(f.text); local r = c.str(f.resolution)
        return "incident " .. tostring(id) .. (r == "" and "" or ", close as " .. r)
    end,
    [0x0086] = function(c)
        local id = c.u64(f.incident_id); local a = c.u32(f.answered); local s = c.u32(f.skipped)
        return "incident " .. tostring(id) .. ": " .. a .. " answered, " .. s .. " skipped"
    end,
    [0x0087] = function(c) local id = c.u64(f.incident_id); c.u16(f.limit); return "incident " .. tostring(id) end,
    [0x0088] = function(c) return "incident " .. tostring(c.u64(f.incident_id)) end,
    [0x0089] = function(c) local cat = c.str(f.category); c.i64(f.since); c.u16(f.limit); return cat end,
    [0x008A] = function(c)
        local n = c.u16(f.count)
        for _ = 1, n do
            c.str(f.category); c.str(f.build); c.str(f.zone); c.u32(f.cluster_size); c.i64(f.first_at); c.i64(f.last_at)
            for _ = 1, c.u16(f.count) do c.str(f.word) end
            for _ = 1, c.u16(f.count) do c.str(f.sample) end
            for _ = 1, c.u16(f.count) do c.u64(f.ticket_id) end
        end
        return n .. " cluster(s)"
    end,
    [0x008B] = function(c)
        local id = c.u64(f.incident_id); local n = c.u16(f.count); for _ = 1, n do c.u64(f.ticket_id) end
        for _ = 1, c.u16(f.count) do c.str(f.example) end
        return "incident " .. tostring(id) .. ": " .. n .. " ticket(s)"
    end,
    [0x008C] = function(c)
        local label = incident(c); local n = c.u32(f.linked_now); c.u32(f.skipped)
        return label .. ": " .. n .. " linked"
    end,
    [0x0090] = function(c, tree) local cat = c.str(f.category); local t = c.str(f.text); context(c, tree); return cat .. ": " .. t end,
    [0x0091] = function(c)
        local r = c.str(f.reason); c.str(f.hint); local n = c.u16(f.count)
        for _ = 1, n do c.u64(f.article_id); c.str(f.article_title); c.str(f.article_body) end
        local id = c.u64(f.incident_id); c.str(f.incident_title); c.str(f.incident_message)
        return (r == "" and "accepted" or r) .. ", " .. n .. " article(s)" .. (id == 0 and "" or ", incident " .. tostring(id))
    end,
    [0x0092] = function(c) return article(c) end,
    [0x0093] = function(c) return "article " .. tostring(c.u64(f.article_id)) end,
    [0x0094] = function(c) local cat = c.str(f.category); local l = c.str(f.locale_); return cat .. " " .. l end,
    [0x0095] = function(c) local n = c.u16(f.count); for _ = 1, n do article(c) end; return n .. " article(s)" end,
    [0x0096] = function(c) c.i64(f.since); c.i64(f.until_); return c.str(f.category) end,
    [0x00A0] = function(c)
        local id = c.u64(f.ticket_id); local name = c.str(f.file_name); local n = c.u32(f.file_size)
        return "ticket " .. tostring(id) .. ": " .. name .. ", " .. n .. " bytes"
    end,
    [0x00A1] = function(c) local id = c.u64(f.upload_id); c.u32(f.chunk_bytes); c.u32(f.maximum_bytes); return "upload " .. tostring(id) end,
    [0x00A2] = function(c)
        local id = c.u64(f.upload_id); local at = c.u32(f.file_offset); local n = c.u32(f.data_length); c.bytes(f.data, n)
        return "upload " .. tostring(id) .. ": " .. n .. " bytes at " .. at
    end,
    [0x00A3] = function(c) local id = c.u64(f.upload_id); c.bytes(f.sha256, c.u8(f.flag)); return "upload " .. tostring(id) end,
    [0x00A4] = function(c) local id = c.u64(f.ticket_id); return "ticket " .. tostring(id) .. ": " .. attachment(c) end,
    [0x00A5] = function(c) return "ticket " .. tostring(c.u64(f.ticket_id)) end,
    [0x00A6] = function(c)
        local id = c.u64(f.ticket_id); local n = c.u16(f.count); for _ = 1, n do attachment(c) end
        return "ticket " .. tostring(id) .. ": " .. n .. " attachment(s)"
    end,
    [0x00A7] = function(c)
        local id = c.u64(f.ticket_id); local n = c.u16(f.attachment_number); c.u32(f.file_offset); c.u32(f.file_length)
        return "ticket " .. tostring(id) .. " attachment " .. n
    end,
    [0x00A8] = function(c)
        local id = c.u64(f.ticket_id); local n = c.u16(f.attachment_number); c.u32(f.file_size); c.u32(f.file_offset)
        local len = c.u32(f.data_length); c.bytes(f.data, len)
        return "ticket " .. tostring(id) .. " attachment " .. n .. ": " .. len .. " bytes"
    end,
    [0x00B7] = function(c)
        local cat = c.str(f.category); local about = c.u64(f.about_player_id); c.str(f.text)
        if tostring(about) == "0" then return cat end
        return cat .. ", about player " .. tostring(about)
    end,
    [0x00B8] = function(c)
        local id = c.u64(f.ticket_id); local internal = c.u64(f.internal_id)
        return "ticket " .. tostring(id) .. " to internal " .. tostring(internal)
    end,
    [0x00B4] = function(c)
        local id = c.u64(f.ticket_id); local untill = c.i64(f.until_); c.str(f.text)
        if tostring(untill) == "0" then return "ticket " .. tostring(id) .. ": back now" end
        return "ticket " .. tostring(id) .. " until " .. tostring(untill)
    end,
    [0x00B5] = function(c)
        local id = c.u64(f.ticket_id); c.i64(f.at); local text = c.str(f.text)
        return "ticket " .. tostring(id) .. ": " .. text
    end,
    [0x00B6] = function(c)
        c.u64(f.reminder_id); local id = c.u64(f.ticket_id); c.i64(f.at); local text = c.str(f.text)
        return "ticket " .. tostring(id) .. ": " .. text
    end,
    [0x00B3] = function(c)
        local id = c.u64(f.ticket_id); local u = c.u8(f.flag); local i = c.u8(f.flag)
        return "ticket " .. tostring(id) .. ": urgency " .. u .. " × impact " .. i
    end,
    [0x00B2] = function(c)
        local id = c.u64(f.ticket_id); local gm = c.str(f.gm); c.str(f.text)
        return "ticket " .. tostring(id) .. " to " .. gm
    end,
    [0x00B0] = function(c)
        local text = c.str(f.text); c.u64(f.player_id); c.str(f.player_name); c.str(f.character_name); c.str(f.gm)
        c.str(f.category); c.u8(f.status); c.i64(f.since); c.u16(f.limit)
        return text
    end,
    [0x00B1] = function(c)
        local n = c.u16(f.count)
        for _ = 1, n do
            summary(c); c.u32(f.sequence); c.u8(f.kind); c.str(f.actor_name); c.str(f.snippet)
            for _ = 1, c.u16(f.count) do c.u16(f.highlight) end
        end
        return n .. " hit(s)"
    end,
    [0x0097] = function(c)
        local n = c.u32(f.previews); c.u32(f.drafts); local o = c.u32(f.offered); local d = c.u32(f.deflected)
        return n .. " previews, " .. d .. " of " .. o .. " deflected"
    end,
    [0x0055] = function(c)
        local n = c.u16(f.count)
        for _ = 1, n do
            c.u8(f.group); c.str(f.name); c.u32(f.tally); c.u32(f.tally); c.i32(f.figure); c.i32(f.figure)
            c.i32(f.figure); c.i32(f.figure); c.u16(f.per_mille); c.u32(f.tally); c.i16(f.rating_avg); c.u32(f.tally)
        end
        return n .. " row(s)"
    end,
    [0x00B9] = function(c) c.i64(f.since); c.i64(f.until_); c.str(f.category); c.str(f.gm) end,
    [0x00BA] = function(c)
        local n = c.u16(f.count)
        for _ = 1, n do c.u8(f.group); c.str(f.name); c.u64(f.handle_seconds); c.u32(f.tally); c.u32(f.tally) end
        local days = c.u16(f.count)
        for _ = 1, days do c.i64(f.at); c.str(f.category); c.u32(f.tally) end
        local buckets = c.u16(f.count)
        for _ = 1, buckets do c.u32(f.tally); c.u32(f.tally) end
        local ratings = c.u16(f.count)
        for _ = 1, ratings do c.u32(f.tally) end
        return n .. " row(s), " .. days .. " day(s)"
    end,
}

-- Dissects one whole frame at buffer(offset); returns its size.
local function dissect_frame(buffer, pinfo, tree, offset, summaries)
    local length = buffer(offset, 4):uint()
    local type = buffer(offset + 4, 2):uint()
    local request_id = buffer(offset + 6, 4):uint()
    local name = types[type] or string.format("UNKNOWN(0x%04x)", type)
    local subtree = tree:add(gmq, buffer(offset, 4 + length), "GMQueue " .. name)
    subtree:add(f.length, buffer(offset, 4))
    subtree:add(f.type, buffer(offset + 4, 2))
    subtree:add(f.request_id, buffer(offset + 6, 4))
    local label = name .. (request_id == 0 and (type == 0x0003 and " (connection)" or " (push)") or " #" .. request_id)
    if request_id == 0 and requests[type] then subtree:add_proto_expert_info(e_reserved_id) end
    local decode = decoders[type]
    if decode and length > 6 then
        local c = cursor(buffer(offset + 10, length - 6):tvb(), subtree)
        local ok, detail = pcall(decode, c, subtree)
        if not ok or c.offset ~= length - 6 then
            subtree:add_proto_expert_info(e_malformed)
        elseif detail then
            label = label .. " " .. tostring(detail)
        end
    end
    table.insert(summaries, label)
    return 4 + length
end

function gmq.dissector(buffer, pinfo, tree)
    local offset = 0
    local summaries = {}
    while offset < buffer:len() do
        local remaining = buffer:len() - offset
        if remaining < 4 then
            pinfo.desegment_offset = offset
            pinfo.desegment_len = DESEGMENT_ONE_MORE_SEGMENT
            break
        end
        local length = buffer(offset, 4):uint()
        if length < 6 or length > 1048576 then
            tree:add(gmq, buffer(offset), "GMQueue: invalid frame length " .. length)
            offset = buffer:len()
            break
        end
        if remaining < 4 + length then
            pinfo.desegment_offset = offset
            pinfo.desegment_len = 4 + length - remaining
            break
        end
        offset = offset + dissect_frame(buffer, pinfo, tree, offset, summaries)
    end
    if #summaries > 0 then
        pinfo.cols.protocol = "GMQ"
        pinfo.cols.info = table.concat(summaries, ", ")
    end
    return offset
end

local tcp_port = DissectorTable.get("tcp.port")
tcp_port:add(7070, gmq)
tcp_port:add(7071, gmq)

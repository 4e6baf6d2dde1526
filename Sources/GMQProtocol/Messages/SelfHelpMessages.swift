import NIOCore

/// PREVIEW: a player's draft request, sent before SUBMIT so that the game can show what the server would say and
/// the articles that may answer it (PROTOCOL.md §5.23). Answered by PREVIEW_RESULT; nothing is filed.
public struct Preview: WireMessage {
    public static let messageType = MessageType.preview
    public var category: String
    public var text: String
    public var context: GameContext

    public init(category: String, text: String, context: GameContext = GameContext()) {
        self.category = category
        self.text = text
        self.context = context
    }

    /// SUBMIT's layout exactly (PROTOCOL.md §5.23).
    public func encode(into buffer: inout ByteBuffer) {
        Submit(category: self.category, text: self.text, context: self.context).encode(into: &buffer)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        let draft = try Submit.decode(from: &buffer)
        return Self(category: draft.category, text: draft.text, context: draft.context)
    }
}

/// PREVIEW_RESULT: the substantive check's verdict on a draft, up to 3 articles, and the open incident it matches.
public struct PreviewResult: WireMessage {
    public static let messageType = MessageType.previewResult

    /// An article as a player reads it.
    public struct Article: Sendable, Equatable {
        public var id: UInt64
        public var title: String
        public var body: String

        public init(id: UInt64, title: String, body: String) {
            self.id = id
            self.title = title
            self.body = body
        }
    }

    /// "" when SUBMIT would accept the text; else the reason REJECTED would give (§7).
    public var reason: String
    /// REJECTED's hint, or ACCEPTED's advice (e.g. add the order number); "" when there is none.
    public var hint: String
    public var articles: [Article]
    /// The open incident the request would be linked to; 0 when none.
    public var incidentID: UInt64
    public var incidentTitle: String
    /// What a player linked to it is told; "" when none.
    public var incidentMessage: String

    public init(
        reason: String = "", hint: String = "", articles: [Article] = [], incidentID: UInt64 = 0, incidentTitle: String = "",
        incidentMessage: String = ""
    ) {
        self.reason = reason
        self.hint = hint
        self.articles = articles
        self.incidentID = incidentID
        self.incidentTitle = incidentTitle
        self.incidentMessage = incidentMessage
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(self.reason)
        buffer.writeWireString(self.hint)
        buffer.writeWireList(self.articles) { article, buffer in
            buffer.writeInteger(article.id, endianness: .big)
            buffer.writeWireString(article.title)
            buffer.writeWireString(article.body)
        }
        buffer.writeInteger(self.incidentID, endianness: .big)
        buffer.writeWireString(self.incidentTitle)
        buffer.writeWireString(self.incidentMessage)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        let text = ProtocolLimits.maximumTextBytes
        return Self(
            reason: try buffer.readWireString(field: "reason", maximumBytes: ProtocolLimits.maximumNameBytes),
            hint: try buffer.readWireString(field: "hint", maximumBytes: text),
            articles: try buffer.readWireList(field: "articles") { buffer throws(WireDecodingError) in
                Article(
                    id: try buffer.readWire(UInt64.self, field: "article_id"),
                    title: try buffer.readWireString(field: "title", maximumBytes: ProtocolLimits.maximumIncidentTitleBytes),
                    body: try buffer.readWireString(field: "body", maximumBytes: text))
            },
            incidentID: try buffer.readWire(UInt64.self, field: "incident_id"),
            incidentTitle: try buffer.readWireString(field: "incident_title", maximumBytes: ProtocolLimits.maximumIncidentTitleBytes),
            incidentMessage: try buffer.readWireString(field: "incident_message", maximumBytes: text))
    }
}

/// A knowledge-base article as staff see it (PROTOCOL.md §5.23).
public struct ArticleEntry: WireValue {
    public var id: UInt64
    public var title: String
    public var body: String
    public var keywords: [String]
    /// "" for any category, any language.
    public var category: String
    public var locale: String
    public var updatedBy: String
    public var updatedAt: Int64

    public init(
        id: UInt64, title: String, body: String, keywords: [String], category: String, locale: String,
        updatedBy: String = "", updatedAt: Int64 = 0
    ) {
        self.id = id
        self.title = title
        self.body = body
        self.keywords = keywords
        self.category = category
        self.locale = locale
        self.updatedBy = updatedBy
        self.updatedAt = updatedAt
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.id, endianness: .big)
        buffer.writeWireString(self.title)
        buffer.writeWireString(self.body)
        buffer.writeWireList(self.keywords) { keyword, buffer in buffer.writeWireString(keyword) }
        buffer.writeWireString(self.category)
        buffer.writeWireString(self.locale)
        buffer.writeWireString(self.updatedBy)
        buffer.writeInteger(self.updatedAt, endianness: .big)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        let name = ProtocolLimits.maximumNameBytes
        return Self(
            id: try buffer.readWire(UInt64.self, field: "id"),
            title: try buffer.readWireString(field: "title", maximumBytes: ProtocolLimits.maximumIncidentTitleBytes),
            body: try buffer.readWireString(field: "body", maximumBytes: ProtocolLimits.maximumTextBytes),
            keywords: try buffer.readWireList(field: "keywords") { buffer throws(WireDecodingError) in
                try buffer.readWireString(field: "keyword", maximumBytes: ProtocolLimits.maximumIncidentTitleBytes)
            },
            category: try buffer.readWireString(field: "category", maximumBytes: name),
            locale: try buffer.readWireString(field: "locale", maximumBytes: name),
            updatedBy: try buffer.readWireString(field: "updated_by", maximumBytes: name + 16),
            updatedAt: try buffer.readWire(Int64.self, field: "updated_at"))
    }
}

/// KB_SAVE: an admin adds an article (`article.id` 0) or replaces one. Answered by KB_ARTICLES with the article
/// as saved.
public struct KBSave: WireMessage {
    public static let messageType = MessageType.kbSave
    public var article: ArticleEntry

    public init(article: ArticleEntry) { self.article = article }
    public func encode(into buffer: inout ByteBuffer) { self.article.encode(into: &buffer) }
    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(article: try .decode(from: &buffer))
    }
}

/// KB_REMOVE: an admin removes an article. Answered by OK.
public struct KBRemove: WireMessage {
    public static let messageType = MessageType.kbRemove
    public var articleID: UInt64

    public init(articleID: UInt64) { self.articleID = articleID }
    public func encode(into buffer: inout ByteBuffer) { buffer.writeInteger(self.articleID, endianness: .big) }
    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(articleID: try buffer.readWire(UInt64.self, field: "article_id"))
    }
}

/// KB_LIST: the articles of a category and language ("" any). Answered by KB_ARTICLES.
public struct KBList: WireMessage {
    public static let messageType = MessageType.kbList
    public var category: String
    public var locale: String

    public init(category: String = "", locale: String = "") {
        self.category = category
        self.locale = locale
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(self.category)
        buffer.writeWireString(self.locale)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            category: try buffer.readWireString(field: "category", maximumBytes: ProtocolLimits.maximumNameBytes),
            locale: try buffer.readWireString(field: "locale", maximumBytes: ProtocolLimits.maximumNameBytes))
    }
}

/// KB_ARTICLES: articles, oldest first.
public struct KBArticles: WireMessage {
    public static let messageType = MessageType.kbArticles
    public var articles: [ArticleEntry]

    public init(articles: [ArticleEntry]) { self.articles = articles }
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireList(self.articles) { article, buffer in article.encode(into: &buffer) }
    }
    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(articles: try buffer.readWireList(field: "articles") { buffer throws(WireDecodingError) in
            try ArticleEntry.decode(from: &buffer)
        })
    }
}

/// SELF_HELP: the self-help figures of a period, as REPORT's (PROTOCOL.md §5.23). Answered by SELF_HELP_RESULT.
public struct SelfHelpRequest: WireMessage {
    public static let messageType = MessageType.selfHelp
    public var since: Int64
    public var until: Int64
    public var category: String

    public init(since: Int64, until: Int64, category: String = "") {
        self.since = since
        self.until = until
        self.category = category
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.since, endianness: .big)
        buffer.writeInteger(self.until, endianness: .big)
        buffer.writeWireString(self.category)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            since: try buffer.readWire(Int64.self, field: "since"),
            until: try buffer.readWire(Int64.self, field: "until"),
            category: try buffer.readWireString(field: "category", maximumBytes: ProtocolLimits.maximumNameBytes))
    }
}

/// SELF_HELP_RESULT: previews shown, drafts, drafts offered an answer, and those that ended without a request.
public struct SelfHelpResult: WireMessage {
    public static let messageType = MessageType.selfHelpResult
    public var previews: UInt32
    public var drafts: UInt32
    public var offered: UInt32
    public var deflected: UInt32

    public init(previews: UInt32, drafts: UInt32, offered: UInt32, deflected: UInt32) {
        self.previews = previews
        self.drafts = drafts
        self.offered = offered
        self.deflected = deflected
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.previews, endianness: .big)
        buffer.writeInteger(self.drafts, endianness: .big)
        buffer.writeInteger(self.offered, endianness: .big)
        buffer.writeInteger(self.deflected, endianness: .big)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            previews: try buffer.readWire(UInt32.self, field: "previews"),
            drafts: try buffer.readWire(UInt32.self, field: "drafts"),
            offered: try buffer.readWire(UInt32.self, field: "offered"),
            deflected: try buffer.readWire(UInt32.self, field: "deflected"))
    }
}

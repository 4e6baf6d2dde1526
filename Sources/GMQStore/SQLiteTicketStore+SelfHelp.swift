import Foundation
import GMQCore
import GRDB

// Self-help (PROTOCOL.md §5.23): the knowledge base's articles and the previews that offered them.
extension SQLiteTicketStore {
    public func saveArticle(_ article: Article, by actor: String, at now: Date) async throws -> Article {
        try await self.committer.write { db in
            if !article.category.isEmpty {
                let known = try String.fetchAll(db, sql: "SELECT id FROM categories ORDER BY rowid")
                guard known.contains(article.category) else {
                    throw StoreError.unknownCategory(article.category, known: known)
                }
            }
            let keywords = ArticleKeywords.encode(article.keywords)
            var saved = article
            saved.updatedBy = actor
            saved.updatedAt = now.milliseconds
            if article.id == 0 {
                try db.execute(
                    sql: """
                        INSERT INTO kb_articles (title, body, keywords, category, locale, updated_by, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [article.title, article.body, keywords, article.category, article.locale, actor, now.milliseconds])
                saved.id = db.lastInsertedRowID
            } else {
                try db.execute(
                    sql: """
                        UPDATE kb_articles SET title = ?, body = ?, keywords = ?, category = ?, locale = ?, updated_by = ?,
                            updated_at = ? WHERE id = ?
                        """,
                    arguments: [
                        article.title, article.body, keywords, article.category, article.locale, actor, now.milliseconds,
                        article.id,
                    ])
                guard db.changesCount == 1 else { throw StoreError.articleNotFound(article.id) }
            }
            try Self.log(.articleSaved, target: "article \(saved.id)", detail: saved.logDetail, by: actor, at: now, in: db)
            return saved
        }
    }

    public func removeArticle(_ id: Int64, by actor: String, at now: Date) async throws {
        try await self.committer.write { db in
            guard let title = try String.fetchOne(db, sql: "SELECT title FROM kb_articles WHERE id = ?", arguments: [id])
            else { throw StoreError.articleNotFound(id) }
            try db.execute(sql: "DELETE FROM kb_articles WHERE id = ?", arguments: [id])
            try Self.log(.articleRemoved, target: "article \(id)", detail: title, by: actor, at: now, in: db)
        }
    }

    public func articles() async throws -> [Article] {
        try await self.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM kb_articles ORDER BY id").map { row in
                Article(
                    id: row["id"], title: row["title"], body: row["body"],
                    keywords: ArticleKeywords.decode(row["keywords"]), category: row["category"], locale: row["locale"],
                    updatedBy: row["updated_by"], updatedAt: row["updated_at"])
            }
        }
    }

    public func recordPreview(_ preview: PreviewRecord) async throws {
        try await self.committer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO previews (player_id, category, at, reason, articles, incident_id) VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    preview.playerID, preview.category, preview.at, preview.reason, preview.articles, preview.incidentID,
                ])
        }
    }

    public func selfHelp(since: Int64, until: Int64, category: String?) async throws -> SelfHelp {
        try await self.writer.read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    WITH shown AS (
                        SELECT p.id, p.player_id, p.at, p.articles > 0 OR p.incident_id IS NOT NULL AS offered,
                            NOT EXISTS (
                                SELECT 1 FROM previews q WHERE q.player_id = p.player_id AND q.id > p.id AND q.at <= p.at + :window
                                    AND NOT EXISTS (SELECT 1 FROM tickets t WHERE t.player_id = p.player_id
                                        AND t.created_at >= p.at AND t.created_at <= q.at)
                            ) AS ended,
                            EXISTS (
                                SELECT 1 FROM tickets t WHERE t.player_id = p.player_id AND t.created_at >= p.at
                                    AND t.created_at <= p.at + :window
                            ) AS filed
                        FROM previews p
                        WHERE p.at >= :since AND p.at < :until AND (:category IS NULL OR p.category = :category)
                    )
                    SELECT count(*) AS previews, coalesce(sum(ended), 0) AS drafts,
                        coalesce(sum(ended AND offered), 0) AS offered,
                        coalesce(sum(ended AND offered AND NOT filed), 0) AS deflected
                    FROM shown
                    """,
                arguments: ["window": SelfHelp.window, "since": since, "until": until, "category": category])
            return SelfHelp(
                previews: row?["previews"] ?? 0, drafts: row?["drafts"] ?? 0, offered: row?["offered"] ?? 0,
                deflected: row?["deflected"] ?? 0)
        }
    }
}

/// An article's keywords in one column: a JSON array of strings.
enum ArticleKeywords {
    static func encode(_ keywords: [String]) -> String {
        String(decoding: (try? JSONEncoder().encode(keywords)) ?? Data("[]".utf8), as: UTF8.self)
    }

    static func decode(_ text: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }
}

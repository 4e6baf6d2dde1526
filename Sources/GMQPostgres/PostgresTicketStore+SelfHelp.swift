import Foundation
import GMQCore
import PostgresNIO

// Self-help (PROTOCOL.md §5.23): the knowledge base's articles and the previews that offered them.
extension PostgresTicketStore {
    public func saveArticle(_ article: Article, by actor: String, at now: Date) async throws -> Article {
        await self.ready()
        return try await self.writer.write { tx in
            if !article.category.isEmpty {
                let known = try await self.knownCategories(tx)
                guard known.contains(article.category) else {
                    throw StoreError.unknownCategory(article.category, known: known)
                }
            }
            var saved = article
            saved.updatedBy = actor
            saved.updatedAt = now.milliseconds
            if article.id == 0 {
                guard let id = try await tx.query("""
                    INSERT INTO kb_articles (title, body, keywords, category, locale, updated_by, updated_at)
                    VALUES (\(article.title), \(article.body), \(article.keywords), \(article.category), \(article.locale),
                        \(actor), \(now.milliseconds))
                    RETURNING id
                    """
                ).first({ try $0.decode(Int64.self) }) else { throw UnreadableValue(column: "kb_articles.id", value: "none") }
                saved.id = id
            } else {
                let updated = try await tx.query("""
                    UPDATE kb_articles SET title = \(article.title), body = \(article.body), keywords = \(article.keywords),
                        category = \(article.category), locale = \(article.locale), updated_by = \(actor),
                        updated_at = \(now.milliseconds)
                    WHERE id = \(article.id) RETURNING id
                    """
                ).first { _ in true }
                guard updated != nil else { throw StoreError.articleNotFound(article.id) }
            }
            try await Self.log(.articleSaved, target: "article \(saved.id)", detail: saved.logDetail, by: actor, at: now, tx)
            return saved
        }
    }

    public func removeArticle(_ id: Int64, by actor: String, at now: Date) async throws {
        await self.ready()
        try await self.writer.write { tx in
            guard let title = try await tx.query("DELETE FROM kb_articles WHERE id = \(id) RETURNING title")
                .first({ try $0.decode(String.self) })
            else { throw StoreError.articleNotFound(id) }
            try await Self.log(.articleRemoved, target: "article \(id)", detail: title, by: actor, at: now, tx)
        }
    }

    public func articles() async throws -> [Article] {
        await self.ready()
        return try await self.query("""
            SELECT id, title, body, keywords, category, locale, updated_by, updated_at FROM kb_articles ORDER BY id
            """
        ).all { row in
            let (id, title, body, keywords, category, locale, by, at) = try row.decode(
                (Int64, String, String, [String], String, String, String, Int64).self)
            return Article(
                id: id, title: title, body: body, keywords: keywords, category: category, locale: locale, updatedBy: by,
                updatedAt: at)
        }
    }

    public func recordPreview(_ preview: PreviewRecord) async throws {
        await self.ready()
        _ = try await self.writer.write { tx in
            try await tx.query("""
                INSERT INTO previews (player_id, category, at, reason, articles, incident_id)
                VALUES (\(preview.playerID), \(preview.category), \(preview.at), \(preview.reason), \(preview.articles),
                    \(preview.incidentID))
                """)
        }
    }

    public func selfHelp(since: Int64, until: Int64, category: String?) async throws -> SelfHelp {
        await self.ready()
        let window = SelfHelp.window
        return try await self.query("""
            WITH shown AS (
                SELECT p.articles > 0 OR p.incident_id IS NOT NULL AS offered,
                    NOT EXISTS (
                        SELECT 1 FROM previews q WHERE q.player_id = p.player_id AND q.id > p.id AND q.at <= p.at + \(window)
                            AND NOT EXISTS (SELECT 1 FROM tickets t WHERE t.player_id = p.player_id
                                AND t.created_at >= p.at AND t.created_at <= q.at)
                    ) AS ended,
                    EXISTS (
                        SELECT 1 FROM tickets t WHERE t.player_id = p.player_id AND t.created_at >= p.at
                            AND t.created_at <= p.at + \(window)
                    ) AS filed
                FROM previews p
                WHERE p.at >= \(since) AND p.at < \(until) AND (\(category)::TEXT IS NULL OR p.category = \(category))
            )
            SELECT count(*), count(*) FILTER (WHERE ended), count(*) FILTER (WHERE ended AND offered),
                count(*) FILTER (WHERE ended AND offered AND NOT filed)
            FROM shown
            """
        ).first { row in
            let (previews, drafts, offered, deflected) = try row.decode((Int64, Int64, Int64, Int64).self)
            return SelfHelp(previews: Int(previews), drafts: Int(drafts), offered: Int(offered), deflected: Int(deflected))
        } ?? SelfHelp()
    }
}

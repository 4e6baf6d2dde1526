import ArgumentParser
import Foundation
import GMQClient
import GMQProtocol

/// `gmq kb …`: the self-help articles a game shows a player before they file (PREVIEW).
struct KBCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kb",
        abstract: "Self-help articles: what a player is offered while writing a request, before it reaches the queue.",
        discussion: """
            A draft request of the article's category (or any, with no --category) and language (or any, with no \
            --locale) is offered the article when it holds one of its keyword phrases (half of the phrase's words) \
            or two words of its title; the three best are shown. Admins add, edit and remove; all staff list.
            """,
        subcommands: [Add.self, Edit.self, List.self, Show.self, Remove.self], defaultSubcommand: List.self)

    struct Fields: ParsableArguments {
        @Option(help: "What the player asks about, e.g. \"Stuck after the bridge\".") var title: String?
        @Option(help: "The answer the player reads: short, in the article's language.") var body: String?
        @Option(
            name: .customLong("keyword"),
            help: "A word or phrase players write for this problem (repeat for several, or separate with ;).")
        var keywords: [String] = []
        @Option(help: "The category it answers (default: any).") var category: String?
        @Option(help: "Its language: en, de, fr, es, pt, pl, ru (default: any).") var locale: String?
        @Option(help: "A JSON file {\"title\", \"body\", \"keywords\", \"category\", \"locale\"} instead of the options.")
        var file: String?

        /// The article these fields describe, over `base` (the article being edited).
        func article(id: UInt64, over base: ArticleEntry? = nil) throws -> ArticleEntry {
            var article = base ?? ArticleEntry(id: id, title: "", body: "", keywords: [], category: "", locale: "")
            if let file {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw ValidationError("cannot read \(file); check the path")
                }
                let json: ArticleJSON
                do { json = try JSONDecoder().decode(ArticleJSON.self, from: data) } catch {
                    throw ValidationError(
                        "\(file) is not an article: expected {\"title\", \"body\", \"keywords\", \"category\", \"locale\"} (\(error))")
                }
                article.title = json.title ?? article.title
                article.body = json.body ?? article.body
                article.keywords = json.keywords ?? article.keywords
                article.category = json.category ?? article.category
                article.locale = json.locale ?? article.locale
            }
            article.title = self.title ?? article.title
            article.body = self.body ?? article.body
            if !self.keywords.isEmpty {
                article.keywords = self.keywords.flatMap { $0.split(separator: ";").map(String.init) }
            }
            article.category = self.category ?? article.category
            article.locale = self.locale ?? article.locale
            return article
        }
    }

    struct ArticleJSON: Decodable {
        var title: String?
        var body: String?
        var keywords: [String]?
        var category: String?
        var locale: String?
    }

    static func saved(_ message: Message, verb: String) -> (text: String, json: Any)? {
        guard case .kbArticles(let result) = message, let article = result.articles.first else { return nil }
        return ("article #\(article.id) \(verb): " + Presentation.describe(article), Presentation.json(article))
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an article (admins).")
        @OptionGroup var options: StaffOptions
        @OptionGroup var fields: Fields

        func validate() throws {
            guard self.fields.file != nil || (self.fields.title != nil && self.fields.body != nil) else {
                throw ValidationError("give --title and --body (and --keyword, --category, --locale), or --file FILE")
            }
        }

        func run() async throws {
            let article = try self.fields.article(id: 0)
            try await self.options.run(.kbSave(KBSave(article: article))) { KBCommand.saved($0, verb: "added") }
        }
    }

    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change an article (admins): only the fields given.")
        @OptionGroup var options: StaffOptions
        @Argument(help: "The article's id (gmq kb list).") var id: UInt64
        @OptionGroup var fields: Fields

        func run() async throws {
            try await self.options.run { connection in
                guard case .kbArticles(let all) = try await connection.call(.kbList(KBList())) else { return nil }
                guard let current = all.articles.first(where: { $0.id == self.id }) else {
                    throw CommandFailure(
                        message: "there is no article \(self.id); `gmq kb list` lists them", json: self.options.json)
                }
                let article = try self.fields.article(id: self.id, over: current)
                return KBCommand.saved(try await connection.call(.kbSave(KBSave(article: article))), verb: "saved")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the articles.")
        @OptionGroup var options: StaffOptions
        @Option(help: "Only those a request of this category is offered.") var category: String = ""
        @Option(help: "Only those in this language (and those for any).") var locale: String = ""

        func run() async throws {
            try await self.options.run(.kbList(KBList(category: self.category, locale: self.locale))) {
                guard case .kbArticles(let result) = $0 else { return nil }
                let text = result.articles.isEmpty
                    ? "no articles; `gmq kb add --title … --body … --keyword …` adds one"
                    : result.articles.map { Presentation.describe($0) }.joined(separator: "\n")
                return (text, result.articles.map(Presentation.json))
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one article with its body.")
        @OptionGroup var options: StaffOptions
        @Argument(help: "The article's id.") var id: UInt64

        func run() async throws {
            try await self.options.run { connection in
                guard case .kbArticles(let result) = try await connection.call(.kbList(KBList())) else { return nil }
                guard let article = result.articles.first(where: { $0.id == self.id }) else {
                    throw CommandFailure(
                        message: "there is no article \(self.id); `gmq kb list` lists them", json: self.options.json)
                }
                return (Presentation.describe(article, long: true), Presentation.json(article))
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove an article (admins).")
        @OptionGroup var options: StaffOptions
        @Argument(help: "The article's id.") var id: UInt64

        func run() async throws {
            try await self.options.run(.kbRemove(KBRemove(articleID: self.id))) {
                guard case .ok = $0 else { return nil }
                return ("article #\(self.id) removed", ["removed": self.id])
            }
        }
    }
}

import ArgumentParser
import Foundation
import GMQClient
import GMQProtocol

/// `gmq attachment …`: evidence kept with tickets (screenshots, logs, a game server's chat logs).
struct AttachmentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attachment",
        abstract: "Evidence on a ticket: list the files, fetch one, or (a game server's account) attach one.",
        discussion: """
            Players attach screenshots and logs to their own tickets (gmq-player attach); a game server's account \
            (role game: gmqd staff add NAME --role game) attaches server-side evidence such as a chat log. Each file \
            is in the ticket's history and hash chain: gmq audit verify checks its bytes.
            """,
        subcommands: [List.self, Get.self, Add.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a ticket's attachments.")
        @OptionGroup var options: StaffOptions
        @Argument(help: "Ticket id.") var id: UInt64

        func run() async throws {
            try await self.options.run(.attachmentList(AttachmentList(ticketID: self.id))) {
                guard case .attachments(let list) = $0 else { return nil }
                return (Presentation.attachmentList(list), list.attachments.map(Presentation.json))
            }
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Fetch attachment N of a ticket into a file.")
        @OptionGroup var options: StaffOptions
        @Argument(help: "Ticket id.") var id: UInt64
        @Argument(help: "The attachment's number (1 is the first; gmq attachment list).") var number: UInt16
        @Option(help: "Where to write it (never overwritten).") var out: String

        func run() async throws {
            guard !FileManager.default.fileExists(atPath: self.out) else {
                throw ValidationError("\(self.out) exists; name a new file with --out")
            }
            try await self.options.run { connection in
                guard case .attachments(let list) = try await connection.call(.attachmentList(AttachmentList(ticketID: self.id))),
                    let attachment = list.attachments.first(where: { $0.number == self.number })
                else {
                    throw CommandFailure(
                        message: "ticket \(self.id) has no attachment \(self.number); gmq attachment list \(self.id) "
                            + "lists them", json: self.options.json)
                }
                let data = try await AttachmentTransfer.download(
                    number: self.number, of: self.id, expecting: attachment.sha256, on: connection)
                guard FileManager.default.createFile(atPath: self.out, contents: data) else {
                    throw CommandFailure(message: "cannot write \(self.out); check the directory", json: self.options.json)
                }
                var json = Presentation.json(attachment)
                json["out"] = self.out
                return ("wrote \(self.out): " + Presentation.describe(attachment), json)
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Attach a file to a ticket (game server accounts: server-side evidence such as a chat log).")
        @OptionGroup var options: StaffOptions
        @Argument(help: "Ticket id.") var id: UInt64
        @Argument(help: "The file: PNG, JPEG or UTF-8 text, at most 2 MiB.") var file: String
        @Option(help: "The name it is kept under (default: the file's).") var name: String?

        func run() async throws {
            // Read through a handle: the file may be a pipe (`<(…)`), which has no size to read up to.
            guard let data = try? FileHandle(forReadingFrom: URL(fileURLWithPath: self.file)).readToEnd() ?? Data() else {
                throw CommandFailure(message: "cannot read \(self.file); check the path", json: self.options.json)
            }
            let name = self.name ?? URL(fileURLWithPath: self.file).lastPathComponent
            try await self.options.run { connection in
                let stored = try await AttachmentTransfer.upload(data, name: name, to: self.id, on: connection)
                return ("attached to ticket \(stored.ticketID): " + Presentation.describe(stored.attachment),
                    Presentation.json(stored.attachment))
            }
        }
    }
}

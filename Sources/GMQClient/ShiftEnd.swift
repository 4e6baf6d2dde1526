import GMQProtocol

/// The end of a shift (`gmq shift end`, the console's `shift end`): every ticket the GM holds goes back to the
/// queue, or to a named colleague, one step each; a ticket that cannot move says why and the others still go.
public enum ShiftEnd {
    /// What happened, as text and as JSON.
    public static func run(on connection: GMQConnection, to colleague: String?, text: String) async throws
        -> (text: String, json: Any)
    {
        let response = try await connection.call(.queue(QueueRequest(filter: .mine, limit: 1_000)))
        guard case .ticketList(let mine) = response else {
            throw GMQClientError.unexpectedResponse(request: .queue, response: response.type)
        }
        var lines: [String] = []
        var json: [[String: Any]] = []
        for ticket in mine.tickets {
            let request: Message = if let colleague {
                .assign(Assign(ticketID: ticket.id, gm: colleague, text: text))
            } else {
                .unclaim(GMQProtocol.Unclaim(ticketID: ticket.id))
            }
            switch try await connection.send(request) {
            case .ticketUpdated(let update):
                lines.append(Presentation.describe(update.summary))
                json.append(Presentation.json(update.summary))
            case .error(let error):
                lines.append("ticket \(ticket.id): " + Presentation.describe(error))
                json.append(["ticket_id": ticket.id, "error": Presentation.json(error)])
            case let other:
                throw GMQClientError.unexpectedResponse(request: request.type, response: other.type)
            }
        }
        let head = mine.tickets.isEmpty
            ? "you hold no tickets; the shift ends clean"
            : "\(mine.tickets.count) ticket(s) " + (colleague.map { "handed to \($0)" } ?? "back in the queue") + ":"
        return (([head] + lines).joined(separator: "\n"), json)
    }
}
